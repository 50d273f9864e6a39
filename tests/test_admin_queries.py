"""Every admin change list costs a fixed number of queries, however many rows it shows."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

# On the seed data (up to 146 rows a list, 100 a page): a query per row would show at once.
# Source and the interventions lists count more for their facet filters (publisher, kind).
EXPECTED = {
    "interventions.Source": 8,
    "interventions.Council": 5,
    "interventions.Organisation": 6,
    "interventions.Ownership": 5,
    "interventions.ServiceArea": 5,
    "interventions.Discrepancy": 5,
    "interventions.Person": 5,
    "interventions.Post": 6,
    "interventions.Intervention": 8,
    "interventions.Participant": 6,
    "interventions.Phase": 6,
    "interventions.Workstream": 6,
    "interventions.Lesson": 6,
    "interventions.Milestone": 6,
    "interventions.InterventionLink": 5,
    "interventions.InterventionWithoutDates": 8,
    "interventions.CouncilWithoutType": 5,
    "ratings.Inspection": 7,
    "ratings.Judgement": 6,
    "ratings.SpendingLine": 6,
    "ratings.Statistic": 6,
    "ratings.JudgementToCheck": 6,
}


def test_every_content_change_list_is_pinned():
    registered = {
        model._meta.label
        for model in admin.site._registry
        if model._meta.app_label in ("interventions", "ratings")
    }
    assert registered == set(EXPECTED)


@pytest.mark.parametrize(("label", "queries"), sorted(EXPECTED.items()))
def test_each_admin_change_list_takes_a_fixed_number_of_queries(
    client, seeded, settings, django_assert_num_queries, label, queries
):
    settings.CASEBOOK_CACHE = False
    client.force_login(User.objects.create_superuser("qc", "qc@example.org", "not-used-xyz"))
    app_label, name = label.lower().split(".")
    url = reverse(f"admin:{app_label}_{name}_changelist")
    client.get(url)  # the session and the user, read once
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
