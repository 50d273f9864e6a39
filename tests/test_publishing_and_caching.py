"""The stored public flag follows every edit, and cached pages never outlive the data."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions import publishing
from ratings import models as rm

from . import factories as f

pytestmark = pytest.mark.django_db

SPENDING = reverse("ratings:spending-list")
JUDGEMENTS = reverse("ratings:judgement-list")
INSPECTIONS = reverse("ratings:inspection-list")


def listed(client, url, **params) -> list[str]:
    data = client.get(url, {"format": "json", **params}).json()
    return [row["url"] for row in data["results"]]


def line_for(council, **kwargs):
    return f.SpendingLineFactory(council=council, **kwargs)


# The publishing service -----------------------------------------------------------------


def test_the_stored_flags_agree_with_the_rule_after_seeding(seeded):
    for model in publishing.public_models():
        assert publishing.mismatches(model) == 0
        assert model.objects.filter(public=True).exists()


def test_unpublishing_a_council_hides_its_figures_and_publishing_it_again_shows_them(client):
    council = f.CouncilFactory()
    line = line_for(council, line="Looked after children")
    statistic = f.StatisticFactory(council=council)
    judgement = f.JudgementFactory(inspection=f.InspectionFactory(council=council))
    assert line.public
    assert statistic.public

    council.published = False
    council.save()
    for model in (rm.SpendingLine, rm.Statistic, rm.Inspection, rm.Judgement):
        assert not model.objects.published().exists()
    assert client.get(SPENDING, {"format": "json"}).json()["count"] == 0
    assert client.get(JUDGEMENTS, {"format": "json"}).json()["count"] == 0

    council.published = True
    council.save()
    assert rm.Judgement.objects.published().get() == judgement
    assert client.get(SPENDING, {"format": "json"}).json()["count"] == 1


def test_unpublishing_a_case_study_hides_its_money_but_not_the_councils_other_money(client):
    council = f.CouncilFactory()
    intervention = f.InterventionFactory(subject_council=council)
    its_line = line_for(council, intervention=intervention)
    other_line = line_for(council)
    intervention.published = False
    intervention.save()
    assert list(rm.SpendingLine.objects.published()) == [other_line]
    assert not rm.SpendingLine.objects.get(pk=its_line.pk).public


def test_a_case_study_moved_to_an_unpublished_council_takes_its_money_with_it():
    hidden = f.CouncilFactory(published=False)
    intervention = f.InterventionFactory()
    line = line_for(intervention.subject_council, intervention=intervention)
    assert rm.SpendingLine.objects.get(pk=line.pk).public
    intervention.subject_council = hidden
    intervention.save()
    assert not rm.SpendingLine.objects.get(pk=line.pk).public


def test_a_figure_moved_to_an_unpublished_source_is_hidden_at_once():
    line = line_for(f.CouncilFactory())
    line.source = f.SourceFactory(published=False)
    line.save()
    assert line.public is False
    assert not rm.SpendingLine.objects.published().exists()


def test_a_judgement_follows_its_inspection():
    judgement = f.JudgementFactory()
    inspection = judgement.inspection
    inspection.published = False
    inspection.save()
    assert not rm.Judgement.objects.get(pk=judgement.pk).public
    assert not rm.Inspection.objects.get(pk=inspection.pk).public


def test_a_row_written_behind_the_services_back_stays_hidden_until_refreshed():
    council = f.CouncilFactory()
    source = f.SourceFactory()
    (line,) = rm.SpendingLine.objects.bulk_create(
        [
            rm.SpendingLine(
                council=council,
                source=source,
                locator="table 1",
                ref="bulk",
                line="Bulk",
                kind="budget",
                amount_gbp=1,
                as_printed="1",
            )
        ]
    )
    assert not rm.SpendingLine.objects.published().exists()  # fails closed
    assert publishing.mismatches(rm.SpendingLine) == 1
    call_command("check_public", "--fix", verbosity=0)
    assert list(rm.SpendingLine.objects.published()) == [line]


def test_check_public_fails_while_a_flag_is_wrong():
    line = line_for(f.CouncilFactory())
    rm.SpendingLine.objects.filter(pk=line.pk).update(public=False)
    with pytest.raises(SystemExit):
        call_command("check_public", verbosity=0)
    call_command("check_public", "--fix", verbosity=0)
    call_command("check_public", verbosity=0)  # all well now: no exit


# Cached pages and counts ---------------------------------------------------------------


def test_a_public_page_is_served_again_from_the_cache_with_one_query(client):
    line_for(f.CouncilFactory())
    first = client.get(SPENDING)
    assert first["X-Casebook-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(SPENDING)
    assert second["X-Casebook-Cache"] == "hit"
    assert len(queries) == 1  # the data version
    assert second.content == first.content


def test_an_edit_retires_the_cached_page_at_once(client):
    line = line_for(f.CouncilFactory(), line="Before the edit")
    assert "Before the edit" in client.get(SPENDING).content.decode()
    line.line = "After the edit"
    line.save()
    response = client.get(SPENDING)
    assert response["X-Casebook-Cache"] == "miss"
    assert "After the edit" in response.content.decode()


def test_unpublishing_retires_the_cached_page_too(client):
    council = f.CouncilFactory(name="Vanishing Borough Council")
    line_for(council)
    assert "Vanishing Borough Council" in client.get(SPENDING).content.decode()
    council.published = False
    council.save()
    assert "Vanishing Borough Council" not in client.get(SPENDING).content.decode()


def test_signed_in_staff_are_never_served_a_cached_page_or_stored_in_it(client, admin_user):
    draft = f.InterventionFactory(published=False)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Casebook-Cache" not in response
    client.logout()
    assert client.get(url).status_code == 404


def test_the_health_check_and_errors_are_never_cached(client):
    assert "X-Casebook-Cache" not in client.get("/healthz")
    assert "X-Casebook-Cache" not in client.get("/interventions/no-such-case-study/")


def test_re_sorting_or_turning_a_page_does_not_count_the_rows_again(client):
    council = f.CouncilFactory()
    for _ in range(3):
        line_for(council)
    client.get(SPENDING, {"sort": "amount_gbp"})
    with CaptureQueriesContext(connection) as queries:
        client.get(SPENDING, {"sort": "-amount_gbp"})
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts == []  # the total and every facet came from the cache


def test_cached_counts_follow_an_edit(client):
    council = f.CouncilFactory()
    line_for(council)
    assert client.get(SPENDING, {"format": "json"}).json()["count"] == 1
    line_for(council)
    assert client.get(SPENDING, {"format": "json", "sort": "-amount_gbp"}).json()["count"] == 2


def test_a_sorted_page_keeps_its_order_when_read_ids_first(client):
    council = f.CouncilFactory()
    amounts = [5, 300, 20, 4000, 1]
    for amount in amounts:
        line_for(council, amount_gbp=amount, as_printed=str(amount))
    data = client.get(SPENDING, {"format": "json", "sort": "-amount_gbp"}).json()
    assert [int(float(r["amount_gbp"])) for r in data["results"]] == sorted(amounts, reverse=True)


def test_the_fast_spending_export_writes_the_same_file_as_the_model_by_model_one(rf, seeded):
    from ratings.views.lists import SpendingList

    # the seed data has organisations paying, qualifiers and case-study links; add payees
    line_for(f.CouncilFactory(), payee_council=f.CouncilFactory(name="Paid Borough Council"))
    line_for(f.CouncilFactory(), payee_organisation=f.OrganisationFactory(abbreviation="PB"))
    lines = rm.SpendingLine.objects.published()
    assert lines.filter(payer_organisation__isnull=False).exists()
    assert lines.exclude(qualifier="").exists()
    view = SpendingList()
    view.setup(rf.get("/spending/", {"format": "csv"}))
    rows = view.get_queryset().order_by("pk")
    fast = "".join(view.csv_rows(rows, fast=True))
    assert fast == "".join(view.csv_rows(rows, fast=False))
    assert fast.count("\r\n") == 1 + lines.count()


def test_a_councils_page_reuses_the_council_facet_of_the_whole_list(client):
    councils = [f.CouncilFactory() for _ in range(3)]
    for council in councils:
        line_for(council)
    client.get(SPENDING)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SPENDING, {"council": councils[0].slug})
    council_facet = [q for q in queries if 'GROUP BY "interventions_council"."slug"' in q["sql"]]
    assert council_facet == []
    facet = next(v for v in response.context["facets"] if v.facet.param == "council")
    assert [(v.value, v.count, v.selected) for v in facet.values if v.selected] == [
        (councils[0].slug, 1, True)
    ]


def test_a_parameter_no_filter_reads_does_not_count_again(client):
    line_for(f.CouncilFactory())
    client.get(SPENDING)
    with CaptureQueriesContext(connection) as queries:
        client.get(SPENDING, {"utm_source": "newsletter"})
    assert [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()] == []


def test_a_ticked_value_beyond_the_commonest_is_still_listed_to_untick(client, monkeypatch):
    from interventions import facets

    monkeypatch.setattr(facets, "FACET_VALUES_MAX", 2)
    rare = f.CouncilFactory(name="Rare Borough Council")
    line_for(rare)
    for _ in range(3):
        council = f.CouncilFactory()
        for _ in range(3):
            line_for(council)
    response = client.get(SPENDING, {"council": rare.slug})
    facet = next(v for v in response.context["facets"] if v.facet.param == "council")
    assert facet.more
    assert len(facet.values) == 3  # the two commonest, then the ticked one
    assert (facet.values[-1].value, facet.values[-1].count, facet.values[-1].selected) == (
        rare.slug,
        1,
        True,
    )
    assert "The commonest" in response.content.decode()


@pytest.fixture
def too_slow(monkeypatch):
    """Every facet counted from the rows gives up, as on a busy server with a million rows
    (the inspections list is counted from its rows; spending from its summary, which never
    gives up: tests/test_fact_counts.py)."""
    from contextlib import contextmanager

    from interventions import facets

    @contextmanager
    def always_too_slow(milliseconds):
        raise facets.QueryTooSlow
        yield

    monkeypatch.setattr(facets, "time_limit", always_too_slow)
    return monkeypatch


def inspection_for(council):
    return f.InspectionFactory(council=council)


def council_facet(response):
    return next(v for v in response.context["facets"] if v.facet.param == "council")


def test_a_ticked_council_is_named_when_its_facet_gives_up_counting(client, too_slow):
    council = f.CouncilFactory(name="Slowcount Borough Council")
    inspection_for(council)
    facet = council_facet(client.get(INSPECTIONS, {"council": council.slug}))
    assert facet.timed_out
    assert [(v.label, v.count, v.selected) for v in facet.values] == [
        ("Slowcount Borough Council", None, True)
    ]


def test_naming_a_ticked_value_never_reveals_an_unpublished_council(client, too_slow):
    hidden = f.CouncilFactory(name="Secret Draft Council", published=False)
    response = client.get(INSPECTIONS, {"council": hidden.slug})
    assert "Secret Draft Council" not in response.content.decode()


def test_a_facet_that_gave_up_is_remembered_for_a_while(client, too_slow):
    inspection_for(f.CouncilFactory())
    assert council_facet(client.get(INSPECTIONS)).timed_out
    too_slow.undo()  # the server is quiet again, within the minute
    assert council_facet(client.get(INSPECTIONS, {"sort": "year"})).timed_out


def test_a_facet_that_gave_up_is_counted_again_once_its_time_is_over(client, too_slow, monkeypatch):
    from interventions import datacache

    monkeypatch.setattr(datacache, "INCOMPLETE_SECONDS", 0)  # "a minute" that is over at once
    inspection_for(f.CouncilFactory())
    assert council_facet(client.get(INSPECTIONS)).timed_out
    too_slow.undo()
    response = client.get(INSPECTIONS)  # the page itself was not kept either
    facet = council_facet(response)
    assert not facet.timed_out
    assert [v.count for v in facet.values] == [1]
