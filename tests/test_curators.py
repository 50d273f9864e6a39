"""Curators: permissions, history and revert, drafts, data-quality lists and CSV import."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interventions.models import Council, Intervention
from ratings.models import Judgement, SpendingLine

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="not-used-here-xyz", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    return client


@pytest.fixture
def staff_without_group(client):
    user = User.objects.create_user("staffer", password="not-used-here-xyz", is_staff=True)
    client.force_login(user)
    return client


def form_data(form) -> dict:
    """What a browser would post back for an unchanged admin form."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
            continue
        data[field.html_name] = str(value)
    return data


def test_curator_group_can_edit_content_but_not_users():
    group = Group.objects.get(name="Curator")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_intervention", "change_intervention", "view_intervention"} <= codenames
    assert {"add_judgement", "change_spendingline", "change_council"} <= codenames
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert Permission.objects.filter(codename="add_user").exists()
    assert "add_user" not in codenames


def test_curator_can_reach_content_but_not_users(curator):
    assert curator.get(reverse("admin:interventions_intervention_changelist")).status_code == 200
    assert curator.get(reverse("admin:interventions_intervention_add")).status_code == 200
    assert curator.get(reverse("admin:ratings_judgement_changelist")).status_code == 200
    assert curator.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_staff_without_the_group_cannot_edit_content(staff_without_group):
    intervention = f.InterventionFactory()
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    assert staff_without_group.get(url).status_code == 403
    assert (
        staff_without_group.get(reverse("admin:interventions_intervention_add")).status_code == 403
    )
    response = staff_without_group.post(url, {"title": "Vandalised"})
    assert response.status_code == 403
    intervention.refresh_from_db()
    assert intervention.title != "Vandalised"


def test_each_edit_leaves_a_history_row_with_who_made_it(curator):
    council = f.CouncilFactory(name="Exampleshire County Council", council_type="county")
    url = reverse("admin:interventions_council_change", args=[council.pk])
    for name in ("Exampleshire Council", "Exampleshire Borough Council"):
        form = curator.get(url).context["adminform"].form  # each edit opens the form afresh
        data = {**form_data(form), "name": name, "change_reason": "Name as printed"}
        response = curator.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
    history = council.history.order_by("history_date")
    assert [h.name for h in history] == [
        "Exampleshire County Council",
        "Exampleshire Council",
        "Exampleshire Borough Council",
    ]
    assert history.last().history_user.username == "curator"
    assert (
        curator.get(reverse("admin:interventions_council_history", args=[council.pk])).status_code
        == 200
    )


def test_reverting_restores_the_earlier_values(curator):
    council = f.CouncilFactory(name="Original Name Council", region="south-east")
    first = council.history.get()
    council.name = "Mistaken Name Council"
    council.region = "london"
    council.save()
    url = reverse("admin:interventions_council_simple_history", args=[council.pk, first.history_id])
    page = curator.get(url)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form)
    assert data["name"] == "Original Name Council"
    response = curator.post(url, data)
    assert response.status_code == 302
    council.refresh_from_db()
    assert (council.name, council.region) == ("Original Name Council", "south-east")
    assert council.history.count() == 3


def test_a_new_record_starts_as_an_unpublished_draft(curator):
    response = curator.get(reverse("admin:interventions_intervention_add"))
    assert response.context["adminform"].form.initial["published"] is False


def test_bad_admin_edit_is_a_form_error_saying_what_to_fix(curator):
    intervention = f.InterventionFactory()
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    form = curator.get(url).context["adminform"].form
    data = {
        **form_data(form),
        "end_date_year": "2001",
        "end_date_month": "1",
        "end_date_day": "1",
        **{
            f"{prefix}-{k}": "0"
            for prefix in (
                "participants",
                "phases",
                "workstreams",
                "lessons",
                "milestones",
                "links_from",
            )
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "end" in str(response.context["adminform"].form.errors).lower()
    intervention.refresh_from_db()
    assert intervention.end_date.year == 2007


def test_data_quality_lists_show_the_records_to_fix(curator):
    f.InterventionFactory(title="Undated", start_date=None, start_date_precision="")
    f.InterventionFactory(title="Dated")
    f.CouncilFactory(name="Untyped Council", council_type="")
    f.JudgementFactory(area="Printed but unplaced", grade="", grade_as_printed="its equivalent")
    f.JudgementFactory(area="Consistent", grade="Good", grade_as_printed="Good")
    page = curator.get(reverse("admin:interventions_interventionwithoutdates_changelist"))
    assert "Undated" in page.content.decode()
    assert "Dated</a>" not in page.content.decode()
    page = curator.get(reverse("admin:interventions_councilwithouttype_changelist"))
    assert "Untyped Council" in page.content.decode()
    page = curator.get(reverse("admin:ratings_judgementtocheck_changelist"))
    assert "Printed but unplaced" in page.content.decode()
    assert "Consistent" not in page.content.decode()


def import_csv(client, url_name, text, resource=0):
    url = reverse(url_name)
    upload = SimpleUploadedFile("rows.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": "0", "resource": str(resource)})


def test_csv_import_of_judgements_previews_then_imports(curator):
    inspection = f.InspectionFactory(
        slug="exampleshire-2014", framework="ofsted-sif", overall_grade=""
    )
    source = inspection.source
    text = (
        "inspection,position,section,area,grade,grade_as_printed,source,locator\n"
        f"exampleshire-2014,1,,Overall effectiveness,Inadequate,inadequate,{source.slug},table 1\n"
        f"exampleshire-2014,2,,Adoption performance,Requires improvement,"
        f"Requires improvement,{source.slug},table 1\n"
    )
    preview = import_csv(curator, "admin:ratings_judgement_import", text)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert Judgement.objects.count() == 0  # a preview writes nothing
    confirm = preview.context["confirm_form"]
    response = curator.post(
        reverse("admin:ratings_judgement_process_import"),
        {name: field.value() for name, field in confirm.fields.items() if field.initial is not None}
        | dict(confirm.initial.items()),
    )
    assert response.status_code == 302
    assert [(j.area, j.score) for j in Judgement.objects.order_by("position")] == [
        ("Overall effectiveness", 1),
        ("Adoption performance", 2),
    ]


def test_csv_import_with_an_off_scale_grade_reports_the_row_and_imports_nothing(curator):
    inspection = f.InspectionFactory(
        slug="exampleshire-2009", framework="csci-stars", overall_grade=""
    )
    source = inspection.source.slug
    text = (
        "inspection,position,section,area,grade,grade_as_printed,source,locator\n"
        f"exampleshire-2009,1,,Adults,2 stars,two stars,{source},para 1\n"
        f"exampleshire-2009,2,,Children,Good,good,{source},para 2\n"
    )
    response = import_csv(curator, "admin:ratings_judgement_import", text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a grade of CSCI social services star rating" in page
    assert response.context.get("confirm_form") is None
    assert Judgement.objects.count() == 0


def test_csv_import_naming_an_unknown_inspection_reports_its_line(curator):
    inspection = f.InspectionFactory(
        slug="exampleshire-2009", framework="csci-stars", overall_grade=""
    )
    source = inspection.source.slug
    text = (
        "inspection,position,section,area,grade,grade_as_printed,source,locator\n"
        f"exampleshire-2009,1,,Adults,2 stars,two stars,{source},para 1\n"
        f"no-such-inspection,2,,Children,1 star,one star,{source},para 3\n"
    )
    response = import_csv(curator, "admin:ratings_judgement_import", text)
    page = response.content.decode()
    assert "Line number: 2" in page
    assert "Inspection matching query does not exist" in page
    assert Judgement.objects.count() == 0


def test_csv_import_of_spending_lines_rejects_a_negative_amount(curator):
    council = f.CouncilFactory(slug="exampleshire")
    source = f.SourceFactory(slug="budget-book")
    text = (
        "source,ref,council,intervention,line,kind,period,year,amount_gbp,qualifier,as_printed,note,locator\n"
        'budget-book,a,exampleshire,,Budget,budget,2012/13,2012,1000.00,,"1,000",,table\n'
        "budget-book,b,exampleshire,,Budget,budget,2013/14,2013,-5.00,,-5,,table\n"
    )
    response = import_csv(curator, "admin:ratings_spendingline_import", text)
    assert response.status_code == 200
    assert (
        "greater than or equal to 0" in response.content.decode()
        or "amount" in response.content.decode()
    )
    assert not SpendingLine.objects.filter(council=council, source=source).exists()


def test_view_on_site_links_to_the_public_page(curator):
    intervention = f.InterventionFactory()
    page = curator.get(reverse("admin:interventions_intervention_change", args=[intervention.pk]))
    link = re.search(r'href="([^"]+)" class="viewsitelink"', page.content.decode())
    assert link
    response = curator.get(link.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith(intervention.get_absolute_url())


def test_unpublished_council_hides_its_interventions_and_figures_from_lists(client):
    hidden = f.CouncilFactory(name="Draftshire Council", published=False)
    f.InterventionFactory(title="Draft case", subject_council=hidden)
    f.SpendingLineFactory(council=hidden, line="Draft budget")
    f.InterventionFactory(title="Public case")
    assert [r["title"] for r in client.get("/interventions/?format=json").json()["results"]] == [
        "Public case"
    ]
    assert client.get("/spending/?format=json").json()["count"] == 0
    assert "Draftshire" not in client.get("/councils/").content.decode()
    assert Council.objects.published().count() == 1
    assert Intervention.objects.published().count() == 1
