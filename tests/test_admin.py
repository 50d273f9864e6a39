"""Curators can reach every model's list and add pages; nobody else can."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"interventions", "ratings"}
)


def test_every_content_model_is_in_the_admin():
    from django.apps import apps

    content = {
        (m._meta.app_label, m._meta.model_name)
        for app in ("interventions", "ratings")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.model_name.startswith("historical")
        # Not content: the data version, and the search index rebuilt from the content.
        # (nor the summary counts, recounted from the content on every write)
        and m._meta.model_name
        not in {"dataversion", "searchdocument", "recordversion", "factcount"}
    }
    assert content == set(REGISTERED)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_loads_for_a_superuser(admin_client, app_label, model_name):
    f.JudgementFactory()
    f.ParticipantFactory()
    f.SpendingLineFactory()
    f.StatisticFactory()
    f.LessonFactory()
    f.MilestoneFactory()
    f.WorkstreamFactory()
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


ADDABLE = [
    (app_label, model_name)
    for app_label, model_name in REGISTERED
    if not apps.get_model(app_label, model_name)._meta.proxy  # data-quality lists: no adding
]


@pytest.mark.parametrize(("app_label", "model_name"), ADDABLE)
def test_add_page_loads_for_a_superuser(admin_client, app_label, model_name):
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert response.status_code == 200


def test_intervention_change_page_shows_its_parts_as_inlines(admin_client):
    phase = f.PhaseFactory(name="Interim management")
    f.WorkstreamFactory(intervention=phase.intervention, name="Finance")
    f.LessonFactory(intervention=phase.intervention)
    url = reverse("admin:interventions_intervention_change", args=[phase.intervention.pk])
    page = admin_client.get(url).content.decode()
    assert "Interim management" in page
    assert "Finance" in page
    assert 'id="participants-group"' in page
    assert 'id="lessons-group"' in page


def test_council_autocomplete_finds_a_council_by_abbreviation(admin_client):
    f.CouncilFactory(name="Slough Borough Council", also_known_as="SBC")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "SBC",
            "app_label": "interventions",
            "model_name": "intervention",
            "field_name": "subject_council",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Slough Borough Council"]


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin:interventions_intervention_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_login_page_loads(client):
    assert client.get(reverse("admin:login")).status_code == 200


def test_bad_grade_in_the_admin_is_a_form_error_not_a_crash(admin_client):
    inspection = f.InspectionFactory(overall_grade="Inadequate")
    url = reverse("admin:ratings_inspection_change", args=[inspection.pk])
    data = {
        "slug": inspection.slug,
        "council": inspection.council.pk,
        "framework": "csci-stars",
        "title": inspection.title,
        "overall_grade": "Inadequate",
        "source": inspection.source.pk,
        "locator": "table 1",
        "judgements-TOTAL_FORMS": "0",
        "judgements-INITIAL_FORMS": "0",
        "judgements-MIN_NUM_FORMS": "0",
        "judgements-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not a grade of CSCI social services star rating" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.framework == "ofsted-slac"
