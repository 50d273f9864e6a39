"""Edits cannot collide: two curators at work on one record lose nothing to each other.

Alice opens a change form; Bob saves a change; Alice saves. Alice gets a form error naming
Bob, the fields he changed and when, with what she typed still in the form, and the database
keeps Bob's change. Two adds at one position are a form error, never a 500; a service area in
use cannot be deleted; the data-quality lists' History pages work.
"""

import html
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, connections
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.admin import InterventionAdmin
from interventions.models import Phase, ServiceArea

from . import factories as f
from .test_curators import form_data

pytestmark = pytest.mark.django_db


def curator_client(username: str, first_name: str, last_name: str) -> Client:
    user = User.objects.create_user(
        username,
        password="not-used-here-xyz",
        is_staff=True,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name="Curator"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    return curator_client("alice", "Alice", "Smith")


@pytest.fixture
def bob():
    return curator_client("bob", "Bob", "Jones")


def opened_form(client, url) -> dict:
    """Everything a browser would post back for the change form as it was opened."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    if "change_reason" in response.context["adminform"].form.fields and not data.get(
        "change_reason"
    ):
        data["change_reason"] = "Checked against the report"  # as a curator types it
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def intervention_url(intervention) -> str:
    return reverse("admin:interventions_intervention_change", args=[intervention.pk])


def phase_row(data: dict, phase) -> str:
    """The inline prefix ("phases-0") of a phase in posted data."""
    for key, value in data.items():
        if key.startswith("phases-") and key.endswith("-id") and value == str(phase.pk):
            return key.removesuffix("-id")
    raise AssertionError(f"phase {phase.pk} not in the form")


def add_phase_row(data: dict, intervention, position: int, name: str) -> str:
    index = int(data["phases-TOTAL_FORMS"])
    prefix = f"phases-{index}"
    data["phases-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"{prefix}-position": str(position),
            f"{prefix}-name": name,
            f"{prefix}-source": str(intervention.source_id),
            f"{prefix}-locator": "para 5",
            f"{prefix}-intervention": str(intervention.pk),
            # As a browser posts the date kinds' initial values.
            f"{prefix}-start_date_kind": "actual",
            f"{prefix}-end_date_kind": "actual",
        }
    )
    return prefix


# Lost updates on the record itself -----------------------------------------------------------


def test_saving_over_a_change_made_since_opening_is_refused_naming_who_and_what(alice, bob):
    intervention = f.InterventionFactory(title="Swindon partnership", summary="First summary.")
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)

    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "title": "Swindon and Kent partnership"}).status_code == 302

    response = alice.post(url, {**alices_form, "summary": "Alice's careful new summary."})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Bob Jones (bob) changed title at " in errors["__all__"][0]
    assert "Nothing has been saved" in errors["__all__"][0]
    assert len(errors["title"]) == 1  # on the field Bob changed, with his value
    assert "Bob Jones (bob) changed this to “Swindon and Kent partnership”" in errors["title"][0]
    text = page_text(response)
    assert "Alice's careful new summary." in text  # what she typed is still in the form
    intervention.refresh_from_db()
    assert intervention.title == "Swindon and Kent partnership"
    assert intervention.summary == "First summary."


def test_saving_again_after_a_conflict_keeps_what_the_form_shows(alice, bob):
    intervention = f.InterventionFactory(title="Swindon partnership")
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "title": "Bob's title"}).status_code == 302
    refused = alice.post(url, {**alices_form, "title": "Alice's title"})
    assert refused.status_code == 200

    # The form came back carrying the current version: saving it again is her choice.
    shown_again = form_data(refused.context["adminform"].form)
    assert shown_again["edit_version"] != alices_form["edit_version"]
    response = alice.post(url, {**alices_form, "title": "Alice's title", **shown_again})

    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.title == "Alice's title"


def test_after_a_conflict_the_form_shows_their_value_where_you_changed_nothing(alice, bob):
    """Alice changed the summary, Bob the title: the form comes back with her summary and his
    title, so saving again keeps both edits."""
    intervention = f.InterventionFactory(title="Swindon partnership", published=True)
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    bobs_form.pop("published")  # Bob unticks "published"
    assert bob.post(url, {**bobs_form, "title": "Bob's title"}).status_code == 302

    refused = alice.post(url, {**alices_form, "summary": "Alice's summary."})
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "You had not changed it: the form now shows their value." in form.errors["title"][0]
    shown_again = form_data(form)
    assert shown_again["title"] == "Bob's title"
    assert shown_again["summary"] == "Alice's summary."
    assert "published" not in shown_again

    inlines = {key: value for key, value in alices_form.items() if key not in form.fields}
    assert alice.post(url, {**inlines, **shown_again}).status_code == 302
    intervention.refresh_from_db()
    assert (intervention.title, intervention.summary) == ("Bob's title", "Alice's summary.")
    assert not intervention.published


def test_a_save_with_no_change_since_opening_goes_through(alice, bob):
    intervention = f.InterventionFactory(title="Swindon partnership")
    url = intervention_url(intervention)
    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "title": "Bob's title"}).status_code == 302
    alices_form = opened_form(alice, url)  # opened after Bob's save

    assert alice.post(url, {**alices_form, "summary": "Alice's summary."}).status_code == 302
    intervention.refresh_from_db()
    assert (intervention.title, intervention.summary) == ("Bob's title", "Alice's summary.")


def test_a_change_to_the_service_areas_since_opening_is_a_conflict(alice, bob):
    education = f.ServiceAreaFactory(name="Education")
    intervention = f.InterventionFactory()
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "service_areas": [str(education.pk)]}).status_code == 302

    response = alice.post(url, {**alices_form, "summary": "Alice's summary."})

    assert response.status_code == 200
    assert "Bob Jones (bob) changed service areas at " in page_text(response)
    assert list(intervention.service_areas.all()) == [education]


def test_every_content_model_change_form_refuses_a_lost_update(alice, bob):
    """Not only interventions: a council, from its own admin, the same way."""
    council = f.CouncilFactory(name="Exampleshire County Council", council_type="county")
    url = reverse("admin:interventions_council_change", args=[council.pk])
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "also_known_as": "ECC"}).status_code == 302

    response = alice.post(url, {**alices_form, "gss_code": "E10000099"})

    assert response.status_code == 200
    assert "Bob Jones (bob) changed also known as at " in page_text(response)
    assert 'value="E10000099"' in response.content.decode()
    council.refresh_from_db()
    assert (council.also_known_as, council.gss_code) == ("ECC", "")


def test_a_save_racing_another_past_validation_is_refused_inside_the_transaction(alice, bob):
    """Both saves passed validation at the same moment: the check repeated inside the save
    transaction, just before writing, still refuses the second."""
    intervention = f.InterventionFactory(title="Swindon partnership")
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    assert bob.post(url, {**bobs_form, "title": "Bob's title"}).status_code == 302

    from interventions.concurrency import VersionedForm

    with mock.patch.object(VersionedForm, "check_version"):  # validation saw no change
        response = alice.post(url, {**alices_form, "title": "Alice's title"})

    assert response.status_code == 200
    assert "Bob Jones (bob) changed title at " in page_text(response)
    assert "Alice's title" in page_text(response)
    intervention.refresh_from_db()
    assert intervention.title == "Bob's title"


# Lost updates on inline rows --------------------------------------------------------------


def test_an_inline_row_changed_since_opening_is_a_conflict(alice, bob):
    phase = f.PhaseFactory(name="Interim management", led_by="Kent")
    url = intervention_url(phase.intervention)
    alices_form = opened_form(alice, url)
    row = phase_row(alices_form, phase)

    phase_url = reverse("admin:interventions_phase_change", args=[phase.pk])
    bobs_form = opened_form(bob, phase_url)
    assert bob.post(phase_url, {**bobs_form, "name": "Interim leadership"}).status_code == 302

    response = alice.post(url, {**alices_form, f"{row}-led_by": "Kent and Swindon jointly"})

    assert response.status_code == 200
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "phases"
    ]
    (form,) = [form for form in formset.forms if form.prefix == row]
    assert "Bob Jones (bob) changed name at " in form.non_field_errors()[0]
    assert "changed this to “Interim leadership”" in form.errors["name"][0]
    assert "Kent and Swindon jointly" in page_text(response)
    phase.refresh_from_db()
    assert (phase.name, phase.led_by) == ("Interim leadership", "Kent")


def test_an_inline_row_deleted_since_opening_is_a_conflict_not_a_crash(alice, bob):
    phase = f.PhaseFactory(name="Interim management")
    url = intervention_url(phase.intervention)
    alices_form = opened_form(alice, url)
    row = phase_row(alices_form, phase)

    delete_url = reverse("admin:interventions_phase_delete", args=[phase.pk])
    assert bob.post(delete_url, {"post": "yes"}).status_code == 302

    response = alice.post(url, {**alices_form, f"{row}-name": "Interim leadership"})

    assert response.status_code == 200
    text = page_text(response)
    assert "Phase “Interim management” was deleted by Bob Jones (bob) at " in text
    assert "Interim leadership" in text
    assert not Phase.objects.exists()


def test_an_inline_row_changed_in_a_racing_save_is_refused_inside_the_transaction(alice, bob):
    phase = f.PhaseFactory(name="Interim management")
    url = intervention_url(phase.intervention)
    alices_form = opened_form(alice, url)
    row = phase_row(alices_form, phase)
    phase_url = reverse("admin:interventions_phase_change", args=[phase.pk])
    assert bob.post(phase_url, {**opened_form(bob, phase_url), "name": "Bob's"}).status_code == 302

    from django.forms.models import BaseInlineFormSet

    from interventions.concurrency import VersionedInlineFormSet

    with mock.patch.object(VersionedInlineFormSet, "clean", BaseInlineFormSet.clean):
        response = alice.post(url, {**alices_form, f"{row}-name": "Alice's"})

    assert response.status_code == 200
    assert "Bob Jones (bob) changed name at " in page_text(response)
    phase.refresh_from_db()
    assert phase.name == "Bob's"


def test_a_judgement_row_changed_since_its_inspection_was_opened_is_a_conflict(alice, bob):
    """The ratings app's inline (judgements on an inspection's page) is guarded too."""
    judgement = f.JudgementFactory(area="Overall effectiveness", grade="Adequate")
    url = reverse("admin:ratings_inspection_change", args=[judgement.inspection_id])
    alices_form = opened_form(alice, url)
    (row,) = [
        key.removesuffix("-id")
        for key, value in alices_form.items()
        if key.startswith("judgements-") and key.endswith("-id") and value == str(judgement.pk)
    ]
    judgement_url = reverse("admin:ratings_judgement_change", args=[judgement.pk])
    bobs_form = opened_form(bob, judgement_url)
    assert bob.post(judgement_url, {**bobs_form, "grade": "Inadequate"}).status_code == 302

    response = alice.post(url, {**alices_form, f"{row}-section": "Alice's section"})

    assert response.status_code == 200
    assert "Bob Jones (bob) changed grade at " in page_text(response)
    assert 'value="Alice\'s section"' in page_text(response)
    judgement.refresh_from_db()
    assert (judgement.grade, judgement.section) == ("Inadequate", "")


def test_another_curator_adding_a_row_is_not_lost_or_a_conflict(alice, bob):
    phase = f.PhaseFactory(name="Interim management", position=1)
    intervention = phase.intervention
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    add_phase_row(bobs_form, intervention, 2, "Bob's phase")
    assert bob.post(url, bobs_form).status_code == 302

    assert alice.post(url, {**alices_form, "summary": "Alice's summary."}).status_code == 302
    assert sorted(intervention.phases.values_list("name", flat=True)) == [
        "Bob's phase",
        "Interim management",
    ]


# Two adds at one position ----------------------------------------------------------------


def test_adding_a_part_at_a_position_taken_since_opening_is_a_form_error(alice, bob):
    intervention = f.InterventionFactory()
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    add_phase_row(bobs_form, intervention, 3, "Bob's phase")
    assert bob.post(url, bobs_form).status_code == 302

    row = add_phase_row(alices_form, intervention, 3, "Alice's phase")
    response = alice.post(url, alices_form)

    assert response.status_code == 200
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "phases"
    ]
    (form,) = [form for form in formset.forms if form.prefix == row]
    assert form.errors["position"] == [
        "Position 3 is already taken by “Bob's phase”; choose another."
    ]
    assert "Alice's phase" in page_text(response)
    assert list(intervention.phases.values_list("name", flat=True)) == ["Bob's phase"]


def test_adding_a_part_at_a_taken_position_on_its_own_page_is_a_form_error(alice):
    phase = f.PhaseFactory(position=3, name="Interim management")
    data = {
        "intervention": phase.intervention_id,
        "position": 3,
        "name": "Alice's phase",
        "source": phase.source_id,
        "locator": "para 9",
        "start_date_kind": "actual",
        "end_date_kind": "actual",
    }

    response = alice.post(reverse("admin:interventions_phase_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["position"] == [
        "Position 3 is already taken by “Interim management”; choose another."
    ]
    assert Phase.objects.count() == 1


@pytest.fixture
def validation_misses_the_clash():
    """Both adds pass validation at the same moment: the database's unique constraint is
    then the only thing between them."""
    patches = [mock.patch.object(Model, "validate_constraints")]
    try:
        from interventions.concurrency import VersionedForm
    except ImportError:  # the code before optimistic locking had only Django's check
        pass
    else:
        patches.append(mock.patch.object(VersionedForm, "check_position"))
    for patch in patches:
        patch.start()
    yield
    for patch in patches:
        patch.stop()


@pytest.mark.usefixtures("validation_misses_the_clash")
def test_two_adds_at_one_position_racing_past_validation_are_a_form_error(alice, bob):
    intervention = f.InterventionFactory()
    url = intervention_url(intervention)
    alices_form = opened_form(alice, url)
    bobs_form = opened_form(bob, url)
    add_phase_row(bobs_form, intervention, 3, "Bob's phase")
    assert bob.post(url, bobs_form).status_code == 302

    add_phase_row(alices_form, intervention, 3, "Alice's phase")
    alices_form["summary"] = "Alice's summary."
    response = alice.post(url, alices_form)

    assert response.status_code == 200
    text = page_text(response)
    assert "Position 3 is already taken by “Bob's phase”; choose another." in text
    assert "Alice's phase" in text
    assert "Alice's summary." in text
    assert list(intervention.phases.values_list("name", flat=True)) == ["Bob's phase"]
    intervention.refresh_from_db()
    assert intervention.summary != "Alice's summary."  # rolled back with the rest


@pytest.mark.usefixtures("validation_misses_the_clash")
def test_a_part_added_on_its_own_page_racing_past_validation_is_a_form_error(alice):
    phase = f.PhaseFactory(position=3, name="Interim management")
    data = {
        "intervention": phase.intervention_id,
        "position": 3,
        "name": "Alice's phase",
        "source": phase.source_id,
        "locator": "para 9",
        "start_date_kind": "actual",
        "end_date_kind": "actual",
    }

    response = alice.post(reverse("admin:interventions_phase_add"), data)

    assert response.status_code == 200
    assert "Position 3 is already taken by “Interim management”" in page_text(response)
    assert 'value="Alice\'s phase"' in html.unescape(response.content.decode())
    assert Phase.objects.count() == 1


# A service area in use -------------------------------------------------------------------


def test_a_service_area_in_use_cannot_be_deleted(alice):
    education = f.ServiceAreaFactory(name="Education")
    intervention = f.InterventionFactory(title="Swindon partnership")
    intervention.service_areas.add(education)
    url = reverse("admin:interventions_servicearea_delete", args=[education.pk])

    page = alice.get(url)
    assert page.status_code == 200
    assert "Cannot delete service area" in page_text(page)
    assert "Intervention: " in page_text(page)
    assert "Swindon partnership" in page_text(page)

    alice.post(url, {"post": "yes"})
    assert ServiceArea.objects.filter(pk=education.pk).exists()
    assert list(intervention.service_areas.all()) == [education]


def test_a_service_area_in_use_cannot_be_deleted_from_the_list_either(alice):
    education = f.ServiceAreaFactory(name="Education")
    f.InterventionFactory().service_areas.add(education)
    changelist = reverse("admin:interventions_servicearea_changelist")

    response = alice.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [education.pk], "post": "yes"},
    )

    assert "Cannot delete service area" in page_text(response)
    assert ServiceArea.objects.filter(pk=education.pk).exists()


def test_a_service_area_nobody_uses_can_be_deleted(alice):
    unused = f.ServiceAreaFactory(name="Libraries")
    url = reverse("admin:interventions_servicearea_delete", args=[unused.pk])

    assert alice.post(url, {"post": "yes"}).status_code == 302
    assert not ServiceArea.objects.filter(pk=unused.pk).exists()


# History on the data-quality lists ---------------------------------------------------------


def undated_intervention():
    return f.InterventionFactory(
        start_date=None, start_date_precision="", end_date=None, end_date_precision=""
    )


def untyped_council():
    return f.CouncilFactory(council_type="", region="")


def judgement_to_check():
    return f.JudgementFactory(grade="", grade_as_printed="not judged")


@pytest.mark.parametrize(
    ("list_name", "make"),
    [
        ("interventions_interventionwithoutdates", undated_intervention),
        ("interventions_councilwithouttype", untyped_council),
        ("ratings_judgementtocheck", judgement_to_check),
    ],
)
def test_history_on_a_data_quality_list_shows_the_records_history(alice, list_name, make):
    record = make()
    record.locator = "para 7(2)"
    record.save()
    changelist = alice.get(reverse(f"admin:{list_name}_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1

    response = alice.get(reverse(f"admin:{list_name}_history", args=[record.pk]))

    assert response.status_code == 200
    history = response.context["page_obj"].object_list
    assert [entry.locator for entry in history] == ["para 7(2)", record.history.last().locator]
    assert str(record) in page_text(response)


def test_intervention_change_form_costs_one_version_query_per_inline(alice):
    """The versions the form carries are read in bulk: one query for the record and one per
    inline that has rows, however many rows (here: ten phases, ten workstreams)."""
    intervention = f.InterventionFactory()
    for position in range(1, 11):
        f.PhaseFactory(intervention=intervention, position=position)
        f.WorkstreamFactory(intervention=intervention, position=position)
    url = intervention_url(intervention)
    alice.get(url)  # warm the caches (content types, permissions)

    with CaptureQueriesContext(connection) as queries:
        assert alice.get(url).status_code == 200
    history_reads = [q["sql"] for q in queries if "_historical" in q["sql"]]
    assert len(history_reads) == 3


# Two saves at the same moment, on two connections ------------------------------------------


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two connections writing at once: SQLite's in-memory test database has one writer",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_the_second_waits_and_is_refused():
    """Bob's save arrives while Alice's is written but not yet committed. The row lock makes
    Bob's wait; he then sees her version and gets the conflict, instead of overwriting her."""
    clients = {}
    for name in ("alice", "bob"):
        User.objects.create_superuser(name, password="not-used-here-xyz")
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=name))
    intervention = f.InterventionFactory(title="Swindon partnership")
    url = intervention_url(intervention)
    forms = {name: opened_form(client, url) for name, client in clients.items()}

    alice_has_written = threading.Event()
    save_model = InterventionAdmin.save_model

    def save_slowly(self, request, obj, form, change):
        save_model(self, request, obj, form, change)
        if request.user.username == "alice":
            alice_has_written.set()
            time.sleep(1)  # written, not yet committed: Bob's save arrives now

    responses = {}

    def post(name, title):
        try:
            responses[name] = clients[name].post(url, {**forms[name], "title": title})
        finally:
            connections.close_all()

    with mock.patch.object(InterventionAdmin, "save_model", save_slowly):
        alice = threading.Thread(target=post, args=("alice", "Alice's title"))
        alice.start()
        assert alice_has_written.wait(10)
        bob = threading.Thread(target=post, args=("bob", "Bob's title"))
        bob.start()
        alice.join(20)
        bob.join(20)

    assert responses["alice"].status_code == 302
    assert responses["bob"].status_code == 200
    assert "alice changed title at " in page_text(responses["bob"])
    intervention.refresh_from_db()
    assert intervention.title == "Alice's title"
