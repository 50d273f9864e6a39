"""Disagreements of every shape (issue 13, point 3): between reports or inside one report, any
facts of any kinds, a fact in several; flagged on pages, lists, CSV and JSON; kept by the
migration from the old one-disagreement foreign key."""

import csv
import io

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interventions import memberships
from interventions import models as im
from ratings import models as rm

from . import factories as f

pytestmark = pytest.mark.django_db

SLOUGH_CAPACITY = "slough-2011-safeguarding-capacity-for-improvement"
WITHIN = "The report prints two versions"
BETWEEN = "Sources differ"


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def within(**kwargs):
    return f.DiscrepancyFactory(scope=im.DisagreementScope.WITHIN, **kwargs)


# A fact in two disagreements -------------------------------------------------------------


@pytest.fixture
def two_disagreements():
    """One judgement in two disagreements: within its report (a second row of the same
    table) and between reports (another report's grade for the same area)."""
    report, other = f.SourceFactory(), f.SourceFactory()
    inspection = f.InspectionFactory(source=report)
    inside = within(title="Capacity printed twice")
    across = f.DiscrepancyFactory(title="Grade for capacity")
    shared = f.JudgementFactory(
        inspection=inspection,
        position=1,
        area="Capacity for improvement",
        grade="Inadequate",
        source=report,
        discrepancies=[inside, across],
    )
    twin = f.JudgementFactory(
        inspection=inspection,
        position=2,
        area="Capacity for improvement",
        grade="Adequate",
        source=report,
        discrepancies=[inside],
    )
    elsewhere = f.StatisticFactory(council=inspection.council, source=other, discrepancies=[across])
    return {
        "inspection": inspection,
        "inside": inside,
        "across": across,
        "shared": shared,
        "twin": twin,
        "elsewhere": elsewhere,
    }


def test_a_fact_in_two_disagreements_is_flagged_in_both_on_its_page(client, two_disagreements):
    d = two_disagreements
    text = client.get(d["inspection"].get_absolute_url()).content.decode()
    row = text[text.index('id="judgement-1"') :]
    row = row[: row.index("</tr>")]
    assert f'href="#differ-{d["inside"].slug}"' in row
    assert f'href="#differ-{d["across"].slug}"' in row
    assert WITHIN in row
    assert BETWEEN in row
    # Both boxes, each with all its versions: the statistic from the other report included.
    assert f'id="differ-{d["inside"].slug}"' in text
    assert f'id="differ-{d["across"].slug}"' in text
    box = text[text.index(f'id="differ-{d["across"].slug}"') :]
    assert d["elsewhere"].measure in box[: box.index("</div>")]


def test_a_fact_in_two_disagreements_is_flagged_in_both_in_json_and_csv(client, two_disagreements):
    d = two_disagreements
    data = client.get("/judgements/", {"format": "json", "sort": "position"}).json()
    first = next(r for r in data["results"] if r["position"] == 1)
    assert {x["slug"]: x["scope"] for x in first["disagreements"]} == {
        d["inside"].slug: "within",
        d["across"].slug: "between",
    }
    assert all(x["url"].endswith(f"/disagreements/{x['slug']}/") for x in first["disagreements"])
    rows = csv_rows(client.get("/judgements/", {"format": "csv", "sort": "position"}))
    cell = next(r for r in rows if r["Row"] == "1")["Disagreements"]
    assert f"{WITHIN}: {d['inside'].title}" in cell
    assert f"{BETWEEN}: {d['across'].title}" in cell
    page = client.get(d["inspection"].get_absolute_url(), {"format": "json"}).json()
    assert sorted(x["slug"] for x in page["sources_differ"]) == sorted(
        [d["inside"].slug, d["across"].slug]
    )


def test_the_disagreement_page_lists_every_fact_with_its_report_and_locator(
    client, two_disagreements
):
    d = two_disagreements
    text = client.get(d["across"].get_absolute_url()).content.decode()
    assert BETWEEN in text
    for fact in (d["shared"], d["elsewhere"]):
        assert fact.source.title in text
        assert fact.locator in text
    assert d["twin"].grade not in text.split("Every version")[1].split("</table>")[0]
    listing = client.get("/disagreements/").content.decode()
    assert d["across"].get_absolute_url() in listing
    assert d["inside"].get_absolute_url() in listing


def test_a_disagreement_whose_facts_are_all_drafts_is_not_shown(client):
    draft = f.SourceFactory(published=False)
    hidden = f.DiscrepancyFactory(title="Known only to curators")
    f.StatisticFactory(source=draft, discrepancies=[hidden])
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Known only to curators" not in client.get("/disagreements/").content.decode()
    assert client.get("/disagreements/no-such-thing/").status_code == 404


def test_a_figure_about_a_person_or_a_body_in_a_disagreement_is_listed_without_a_dead_link(
    client,
):
    """A statistic's subject may be a person or an organisation: the case study it belongs to,
    its disagreement's page and the person's page list it (unlinked: it has no council page)."""
    case_study = f.InterventionFactory()
    person = f.PersonFactory(name="Pat Example")
    body = f.OrganisationFactory(name="An Example Trust")
    disagreement = f.DiscrepancyFactory(title="How long the interim post was for")
    about_person = f.StatisticFactory(
        council=None,
        person=person,
        intervention=case_study,
        measure="Months in post",
        discrepancies=[disagreement],
    )
    about_body = f.StatisticFactory(
        council=None,
        organisation=body,
        intervention=case_study,
        measure="Councils served",
        discrepancies=[disagreement],
    )
    pages = (case_study.get_absolute_url(), disagreement.get_absolute_url())
    for url in (*pages, person.get_absolute_url(), body.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
    for url in pages:
        text = client.get(url).content.decode()
        assert about_person.measure in text, url
        assert about_body.measure in text, url
        assert "/councils/None/" not in text, url  # no link to a page that is not there


# The real within-source disagreement: Slough's 2011 table -------------------------------


def test_slough_capacity_for_improvement_is_flagged_on_the_judgements_csv_and_json(client, seeded):
    rows = csv_rows(client.get("/judgements/", {"format": "csv", "council": "slough"}))
    capacity = [
        r
        for r in rows
        if r["Area judged"] == "Capacity for improvement"
        and r["Inspection"].endswith("(2011)")
        and r["Section"].startswith("Safeguarding services")
    ]
    assert sorted(r["Grade"] for r in capacity) == ["Adequate", "Inadequate"]
    assert all(r["Disagreements"].startswith(f"{WITHIN}: ") for r in capacity)
    assert all(f"/disagreements/{SLOUGH_CAPACITY}/" in r["Disagreements"] for r in capacity)
    data = client.get("/judgements/", {"format": "json", "council": "slough", "size": "all"}).json()
    flagged = [
        r for r in data["results"] if any(x["slug"] == SLOUGH_CAPACITY for x in r["disagreements"])
    ]
    assert sorted((r["position"], r["grade"]) for r in flagged) == [
        (2, "Inadequate"),
        (10, "Adequate"),
    ]
    assert {x["scope"] for r in flagged for x in r["disagreements"]} == {"within"}


def test_slough_capacity_for_improvement_is_flagged_on_the_inspection_page(client, seeded):
    text = client.get("/inspections/slough-ofsted-2011-slac/").content.decode()
    for position in (2, 10):
        row = text[text.index(f'id="judgement-{position}"') :]
        row = row[: row.index("</tr>")]
        assert f'href="#differ-{SLOUGH_CAPACITY}"' in row
        assert WITHIN in row
    box = text[text.index(f'id="differ-{SLOUGH_CAPACITY}"') :]
    box = box[: box.index("</div>")]
    assert f"{WITHIN}:" in box
    assert f'href="/disagreements/{SLOUGH_CAPACITY}/"' in box
    # The looked after children's own "Capacity for improvement" row is not part of it.
    row = text[text.index('id="judgement-12"') :]
    assert "differ" not in row[: row.index("</tr>")]


def test_each_recorded_disagreement_has_its_facts_and_fits_its_scope(seeded):
    expected = {
        SLOUGH_CAPACITY: ("within", 2),
        # the board's participant row and its chair's, and the organisation itself
        "kent-2011-improvement-board-name": ("within", 3),
        "kent-2011-improvement-plan-name": ("within", 2),
        # her participant row, the milestone of her appointment, and her two posts
        "kent-2011-lead-member-post-title": ("within", 4),
        # the person (with the variant), the post and the participant
        "kent-2011-malcolm-newsam-name": ("within", 3),
        # the participant, the phase he led and his two posts
        "kent-swindon-andrew-ireland-post-title": ("within", 4),
        # the post created in place of the DCS role, and the contributor listed as the DCS
        "slough-director-of-childrens-services-post": ("within", 2),
        # the contributor, the working group it leads and the post that reports to it
        "slough-strategic-director-resources-title": ("within", 3),
        "kent-swindon-contract-sum": ("between", 2),
        "kent-swindon-government-contribution": ("between", 3),
        "kent-swindon-end-date": ("between", 4),
    }
    found = {}
    for model in memberships.fact_models(apps.get_models()):
        through = model.discrepancies.through
        for slug in through.objects.values_list("discrepancy__slug", flat=True):
            found[slug] = found.get(slug, 0) + 1
    scopes = dict(im.Discrepancy.objects.values_list("slug", "scope"))
    assert {slug: (scopes[slug], found.get(slug, 0)) for slug in scopes} == expected
    assert memberships.scope_problems() == []


def test_every_membership_in_the_fixtures_is_in_the_seeded_database(seeded):
    """Every fact the fixtures put in a disagreement is in it after seeding (and none else)."""
    wanted = set()
    for path in sorted((settings.BASE_DIR / "fixtures").glob("*.yaml")):
        for row in yaml.safe_load(path.read_text()) or []:
            for key in row["fields"].get("discrepancies", []):
                wanted.add((row["model"], key[0], row["fields"].get("locator", "")))
    got = set()
    for model in memberships.fact_models(apps.get_models()):
        through = model.discrepancies.through
        side = next(
            field.name
            for field in through._meta.fields
            if field.is_relation and field.related_model is model
        )
        for slug, locator in through.objects.values_list("discrepancy__slug", f"{side}__locator"):
            got.add((model._meta.label_lower, slug, locator))
    assert got == wanted


def test_the_seed_refuses_a_within_source_disagreement_across_two_reports(tmp_path):
    report, other = f.SourceFactory(), f.SourceFactory()
    bad = within(slug="spans-two-reports")
    f.StatisticFactory(source=report, discrepancies=[bad])
    f.StatisticFactory(source=other, discrepancies=[bad])
    (tmp_path / "00_empty.yaml").write_text("[]\n")
    with pytest.raises(CommandError, match="spans-two-reports"):
        call_command("seed", fixtures_dir=tmp_path, verbosity=0)


# Admin --------------------------------------------------------------------------------


def test_a_curator_can_put_a_fact_in_several_disagreements(admin_client):
    first, second = f.DiscrepancyFactory(), within()
    statistic = f.StatisticFactory()
    url = f"/admin/ratings/statistic/{statistic.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value
    data["discrepancies"] = [first.pk, second.pk]
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(statistic.discrepancies.all()) == {first, second}
    # The change is in the fact's history, as a version shows it.
    latest = statistic.history.latest("history_date")
    assert {m.discrepancy_id for m in latest.discrepancies.all()} == {first.pk, second.pk}


# The migration ----------------------------------------------------------------------------


def own_migration(executor, app: str):
    """This change's migration in `app` (whatever number it has after merging)."""
    for key in executor.loader.graph.leaf_nodes(app):
        node = key
        while node:
            if node[1].endswith("_disagreements"):
                return node
            parents = [p for p in executor.loader.graph.node_map[node].parents if p[0] == app]
            node = parents[0].key if parents else None
    raise LookupError(app)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_disagreement_and_its_history():
    executor = MigrationExecutor(connection)
    mine = [own_migration(executor, "interventions"), own_migration(executor, "ratings")]
    before = [
        next(p.key for p in executor.loader.graph.node_map[key].parents if p[0] == key[0])
        for key in mine
    ]
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    source = old.get_model("interventions", "Source").objects.create(
        slug="old-report", title="Old report", kind="review", publisher="Someone"
    )
    council = old.get_model("interventions", "Council").objects.create(
        slug="oldshire",
        name="Oldshire Council",
        council_type="unitary",
        region="south-west",
        source=source,
        locator="para 1",
    )
    disagreement = old.get_model("interventions", "Discrepancy").objects.create(
        slug="old-disagreement", title="Old disagreement"
    )
    Statistic = old.get_model("ratings", "Statistic")
    statistic = Statistic.objects.create(
        ref="s-1",
        council=council,
        measure="Population",
        period="2011",
        year=2011,
        value=1,
        unit="count",
        as_printed="1",
        source=source,
        locator="table 1",
        discrepancy=disagreement,
    )
    plain = Statistic.objects.create(
        ref="s-2",
        council=council,
        measure="Population",
        period="2012",
        year=2012,
        value=2,
        unit="count",
        as_printed="2",
        source=source,
        locator="table 1",
    )
    History = old.get_model("ratings", "HistoricalStatistic")
    fields = {f.attname for f in History._meta.concrete_fields}
    for row in (statistic, plain):
        values = {
            f.attname: getattr(row, f.attname)
            for f in Statistic._meta.concrete_fields
            if f.attname in fields
        }
        History.objects.create(**values, history_date="2020-01-01T00:00:00Z", history_type="+")

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    statistic = rm.Statistic.objects.get(ref="s-1")
    assert [d.slug for d in statistic.discrepancies.all()] == ["old-disagreement"]
    assert not rm.Statistic.objects.get(ref="s-2").discrepancies.exists()
    version = statistic.history.get()
    assert [m.discrepancy.slug for m in version.discrepancies.all()] == ["old-disagreement"]
    assert im.Discrepancy.objects.get(slug="old-disagreement").scope == "between"
