"""CSV import and export in the admin, fit for curators (issue 12, point 5).

One test (or a few) per finding of the review: permissions, drafts in exports, all-or-nothing
confirmation, uploads kept server-side under a token, a size limit, temp data cleaned up,
misspelt columns, grade corrections, and formulas neutralised in every CSV.
"""

import csv
import datetime
import io
import os
import tempfile

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from interventions.listing import csv_safe
from ratings.models import Judgement, SpendingLine

from . import factories as f

pytestmark = pytest.mark.django_db

HEADER = "inspection,position,section,area,grade,grade_as_printed,source,locator\n"
ADMINS = [("judgement", "ratings_judgement"), ("spendingline", "ratings_spendingline")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(name, *codenames) -> Client:
    user = User.objects.create_user(name, password="not-used-here-xyz", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return signed_in(user)


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", password="not-used-here-xyz", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return signed_in(user)


@pytest.fixture
def other_curator():
    user = User.objects.create_user("other", password="not-used-here-xyz", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return signed_in(user)


@pytest.fixture
def fresh_tmp(tmp_path, monkeypatch):
    """An empty temporary directory standing for this host's /tmp."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture
def inspection():
    return f.InspectionFactory(slug="exampleshire-2014", framework="ofsted-sif", overall_grade="")


def rows(inspection, *lines) -> str:
    source = inspection.source.slug
    return HEADER + "".join(
        f"{inspection.slug},{position},,{area},{grade},{grade.lower()},{source},table 1\n"
        for position, area, grade in lines
    )


def preview(client, text, model="ratings_judgement", name="rows.csv", **extra):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse(f"admin:{model}_import"), {"import_file": upload, "format": "0"}, **extra
    )


def confirm_data(response) -> dict:
    """What the browser posts back from the preview's confirm form."""
    form = response.context["confirm_form"]
    assert form is not None, "the preview offered no confirm form"
    return {name: form[name].value() for name in form.fields}


def confirm(client, response, model="ratings_judgement", **more):
    url = reverse(f"admin:{model}_process_import")
    return client.post(url, confirm_data(response) | more)


def export(client, model="ratings_judgement"):
    url = reverse(f"admin:{model}_export")
    page = client.get(url)
    if page.status_code != 200:
        return page
    form = page.context["form"]
    data = {"format": "0", "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if field.initial is True}
    return client.post(url, data)


def exported_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def page_text(response) -> str:
    return response.content.decode()


# 1. Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("model_name", "admin_name"), ADMINS)
def test_staff_without_permissions_can_neither_import_nor_export(model_name, admin_name):
    client = staff("nobody")
    f.JudgementFactory()
    f.SpendingLineFactory()
    assert client.get(reverse(f"admin:{admin_name}_import")).status_code == 403
    upload = SimpleUploadedFile("rows.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = client.post(reverse(f"admin:{admin_name}_import"), {"import_file": upload})
    assert response.status_code == 403
    response = client.post(reverse(f"admin:{admin_name}_process_import"), {"token": "x"})
    assert response.status_code == 403
    assert client.get(reverse(f"admin:{admin_name}_export")).status_code == 403
    assert client.post(reverse(f"admin:{admin_name}_export"), {"format": "0"}).status_code == 403


@pytest.mark.parametrize(("model_name", "admin_name"), ADMINS)
def test_view_only_staff_cannot_import(model_name, admin_name, inspection):
    client = staff("viewer", f"view_{model_name}")
    changelist = page_text(client.get(reverse(f"admin:{admin_name}_changelist")))
    assert reverse(f"admin:{admin_name}_import") not in changelist
    assert reverse(f"admin:{admin_name}_export") in changelist
    assert client.get(reverse(f"admin:{admin_name}_import")).status_code == 403
    response = preview(client, rows(inspection, (1, "Adoption", "Good")), model=admin_name)
    assert response.status_code == 403
    assert Judgement.objects.count() == 0


def test_view_only_staff_export_only_published_judgements():
    f.JudgementFactory(area="Published area")
    f.JudgementFactory(area="Draft area", inspection=f.InspectionFactory(published=False))
    client = staff("viewer", "view_judgement")
    page = client.get(reverse("admin:ratings_judgement_export"))
    assert "drafts are left out" in page_text(page)
    assert [row["area"] for row in exported_rows(export(client))] == ["Published area"]


def test_view_only_staff_export_only_published_spending_lines():
    f.SpendingLineFactory(line="Published line")
    f.SpendingLineFactory(line="Draft line", council=f.CouncilFactory(published=False))
    client = staff("viewer", "view_spendingline")
    rows_out = exported_rows(export(client, "ratings_spendingline"))
    assert [row["line"] for row in rows_out] == ["Published line"]


def test_curator_exports_drafts_as_the_admin_list_shows_them(curator):
    f.JudgementFactory(area="Published area")
    f.JudgementFactory(area="Draft area", inspection=f.InspectionFactory(published=False))
    page = curator.get(reverse("admin:ratings_judgement_export"))
    assert "drafts are left out" not in page_text(page)
    areas = sorted(row["area"] for row in exported_rows(export(curator)))
    assert areas == ["Draft area", "Published area"]


def test_staff_who_may_add_but_not_change_cannot_import(inspection):
    client = staff("adder", "add_judgement", "view_judgement")
    response = preview(client, rows(inspection, (1, "Adoption", "Good")))
    assert response.status_code == 403


# 2. Confirm re-validates and commits all or nothing --------------------------------------------


def test_rows_made_invalid_after_the_preview_import_nothing_and_show_their_errors(curator):
    good = f.InspectionFactory(slug="goodshire-2014", framework="ofsted-sif", overall_grade="")
    later = f.InspectionFactory(slug="latershire-2014", framework="ofsted-sif", overall_grade="")
    text = (
        rows(good, (1, "Adoption", "Good"))
        + rows(later, (1, "Leadership", "Good")).split("\n", 1)[1]
    )
    shown = preview(curator, text)
    assert "Leadership" in page_text(shown)
    # Meanwhile someone moves one inspection to a star-rating framework: "Good" is off its scale.
    later.framework = "csci-stars"
    later.save()

    response = confirm(curator, shown)

    assert response.status_code == 200
    page = page_text(response)
    assert "Nothing was imported" in page
    assert "is not a grade of CSCI social services star rating" in page
    assert "Line number" in page or "Leadership" in page
    assert Judgement.objects.count() == 0


# 3. Uploads kept server-side, confirmed by a token bound to the user ---------------------------


def test_confirm_works_on_another_host_with_its_own_temporary_directory(
    curator, inspection, tmp_path, monkeypatch
):
    (tmp_path / "host-a").mkdir()
    (tmp_path / "host-b").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "host-a"))
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "host-b"))

    response = confirm(curator, shown)

    assert response.status_code == 302
    assert list(Judgement.objects.values_list("area", "grade")) == [("Adoption", "Good")]
    assert os.listdir(tmp_path / "host-a") == []
    assert os.listdir(tmp_path / "host-b") == []


def test_confirm_form_carries_no_file_name():
    from imports.csv_admin import ConfirmCSVImportForm

    assert list(ConfirmCSVImportForm().fields) == ["token"]


@pytest.mark.parametrize(
    "forged",
    [
        {"token": "made-up"},
        {"token": ""},
        {"import_file_name": "../../etc/passwd", "original_file_name": "x.csv", "format": "0"},
        {"import_file_name": "tmpabcdef", "original_file_name": "x.csv", "format": "0"},
    ],
)
def test_a_forged_confirmation_is_a_clear_error_and_imports_nothing(curator, inspection, forged):
    response = curator.post(reverse("admin:ratings_judgement_process_import"), forged)
    assert response.status_code == 400
    assert "not waiting to be confirmed" in page_text(response)
    assert "Nothing was imported" in page_text(response)
    assert Judgement.objects.count() == 0


def test_another_curators_preview_cannot_be_confirmed_or_cancelled(
    curator, other_curator, inspection
):
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))

    for extra in ({}, {"_cancel": "Cancel"}):
        response = confirm(other_curator, shown, **extra)
        assert response.status_code == 400
        assert "previewed by someone else" in page_text(response)
    assert Judgement.objects.count() == 0

    assert confirm(curator, shown).status_code == 302  # still waiting for its own curator
    assert Judgement.objects.count() == 1


def test_a_preview_cannot_be_confirmed_on_another_list(curator, inspection):
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    response = confirm(curator, shown, model="ratings_spendingline")
    assert response.status_code == 400
    assert Judgement.objects.count() == 0
    assert SpendingLine.objects.count() == 0


def test_a_preview_is_confirmed_once(curator, inspection):
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    assert confirm(curator, shown).status_code == 302
    again = confirm(curator, shown)
    assert again.status_code == 400
    assert "confirmed or cancelled already" in page_text(again)
    assert Judgement.objects.count() == 1


# 4. A size limit, checked before the file is read ----------------------------------------------


@pytest.fixture
def stored_chunks(monkeypatch):
    """Every chunk of an uploaded file that reaches the handlers that keep it."""
    from django.core.files import uploadhandler

    seen = []
    for handler in (
        uploadhandler.MemoryFileUploadHandler,
        uploadhandler.TemporaryFileUploadHandler,
    ):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, _original=original):
            seen.append(len(raw_data))
            return _original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return seen


@override_settings(CASEBOOK_UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_with_a_message(
    curator, inspection, fresh_tmp, stored_chunks
):
    line = rows(inspection, (1, "Adoption", "Good")).split("\n", 1)[1]
    text = HEADER + line * 2000  # about 100 KB, a hundred times the (lowered) limit

    response = preview(curator, text)

    assert response.status_code == 200
    assert "The file is larger than 1.0\xa0KB" in page_text(response)
    assert response.context["confirm_form"] is None
    assert response.context["result"] is None  # never parsed
    assert stored_chunks == []  # never held in memory or on disk
    assert Judgement.objects.count() == 0
    assert os.listdir(fresh_tmp) == []


def test_a_request_declaring_more_than_the_limit_drops_its_file_before_the_first_byte(
    curator, inspection, monkeypatch, settings, stored_chunks
):
    """As a 50 MB upload is refused under the real 5 MB limit, without needing 50 MB here: the
    file alone is under the limit, the whole request (its declared length) is over it."""
    text = rows(inspection, (1, "Adoption", "Good"))
    settings.CASEBOOK_UPLOAD_MAX_BYTES = len(text) + 10
    monkeypatch.setattr("imports.csv_admin.MULTIPART_ALLOWANCE", 0)
    response = preview(curator, text)
    assert "The file is larger than" in page_text(response)
    assert response.context["result"] is None
    assert stored_chunks == []
    assert Judgement.objects.count() == 0


@override_settings(
    CASEBOOK_UPLOAD_MAX_BYTES=1024,
    FILE_UPLOAD_HANDLERS=[
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ],
)
def test_the_size_limit_holds_without_the_upload_handler(curator, inspection):
    line = rows(inspection, (1, "Adoption", "Good")).split("\n", 1)[1]
    response = preview(curator, HEADER + line * 100)
    assert "The file is larger than 1.0\xa0KB" in page_text(response)
    assert response.context["result"] is None


@override_settings(CASEBOOK_UPLOAD_MAX_BYTES=2 * 1024 * 1024, CASEBOOK_IMPORT_MAX_ROWS=150)
def test_the_import_page_states_its_limits(curator):
    page = page_text(curator.get(reverse("admin:ratings_judgement_import")))
    assert "A UTF-8 CSV file of at most 2.0\xa0MB and 150 rows" in page


@override_settings(CASEBOOK_IMPORT_MAX_ROWS=2)
def test_a_file_with_more_rows_than_the_limit_is_refused_before_any_row_is_checked(
    curator, inspection
):
    text = rows(inspection, (1, "Adoption", "Good"), (2, "Leadership", "Good"), (3, "Care", "Good"))
    response = preview(curator, text)
    assert "The file has 3 rows; at most 2 can be imported at once" in page_text(response)
    assert response.context["result"] is None
    assert response.context["confirm_form"] is None


def test_a_file_that_is_not_utf8_is_a_clear_error(curator, inspection):
    upload = SimpleUploadedFile("rows.csv", HEADER.encode() + b"\xff\xfe\x00", "text/csv")
    response = curator.post(
        reverse("admin:ratings_judgement_import"), {"import_file": upload, "format": "0"}
    )
    assert response.status_code == 200
    assert "The file is not UTF-8 text" in page_text(response)


# 5. Temporary data removed on confirm, cancel or expiry ----------------------------------------


def test_a_preview_with_errors_keeps_nothing(curator, inspection, fresh_tmp):
    response = preview(curator, rows(inspection, (1, "Adoption", "Brilliant")))
    assert "is not a grade of" in page_text(response)
    assert os.listdir(fresh_tmp) == []
    from imports.models import PendingImport

    assert PendingImport.objects.count() == 0


def test_a_confirmed_preview_is_deleted(curator, inspection, fresh_tmp):
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    assert os.listdir(fresh_tmp) == []  # kept in the database, not on this host's disk
    from imports.models import PendingImport

    assert PendingImport.objects.count() == 1
    confirm(curator, shown)
    assert PendingImport.objects.count() == 0


def test_cancel_deletes_the_preview_and_imports_nothing(curator, inspection, fresh_tmp):
    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    response = confirm(curator, shown, _cancel="Cancel")
    assert response.status_code == 302
    assert Judgement.objects.count() == 0
    assert os.listdir(fresh_tmp) == []
    from imports.models import PendingImport

    assert PendingImport.objects.count() == 0
    page = curator.get(response["Location"])
    assert "cancelled: nothing changed" in page_text(page)


def test_an_abandoned_preview_expires(curator, inspection, settings):
    from imports.models import PendingImport

    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    hour_ago = timezone.now() - datetime.timedelta(minutes=settings.CASEBOOK_IMPORT_PENDING_MINUTES)
    PendingImport.objects.update(created_at=hour_ago - datetime.timedelta(seconds=1))

    response = confirm(curator, shown)

    assert response.status_code == 400
    assert "This preview expired after 60 minutes" in page_text(response)
    assert Judgement.objects.count() == 0
    assert PendingImport.objects.count() == 0


def test_expired_previews_are_cleared_by_the_next_preview_and_by_the_command(
    curator, other_curator, inspection
):
    from imports.models import PendingImport

    preview(curator, rows(inspection, (1, "Adoption", "Good")))
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    preview(other_curator, rows(inspection, (2, "Leadership", "Good")))
    assert list(PendingImport.objects.values_list("user__username", flat=True)) == ["other"]

    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("clear_pending_imports", stdout=out)
    assert PendingImport.objects.count() == 0
    assert "1 previewed import(s) older than 60 minutes deleted" in out.getvalue()


# 6. Unknown or misspelt columns ----------------------------------------------------------------


def test_a_misspelt_column_is_an_error_naming_it_and_the_expected_columns(curator, inspection):
    text = rows(inspection, (1, "Adoption", "Good")).replace("grade_as_printed", "grade_as_prnted")
    response = preview(curator, text)
    page = page_text(response)
    assert "Unknown column: “grade_as_prnted”." in page
    assert (
        "The columns are: inspection, position, section, area, grade, grade_as_printed, "
        "source, locator" in page
    )
    assert response.context["confirm_form"] is None
    assert response.context["result"] is None


def test_a_missing_key_column_and_a_repeated_column_are_named(curator, inspection):
    text = "inspection,area,area,grade\nexampleshire-2014,Adoption,Adoption,Good\n"
    page = page_text(preview(curator, text))
    assert "Column given twice: “area”." in page
    assert "Missing column: “position”." in page


def test_spending_line_columns_are_checked_too(curator):
    text = "source,ref,council,amount\nbudget-book,a,exampleshire,100\n"
    page = page_text(preview(curator, text, model="ratings_spendingline"))
    assert "Unknown column: “amount”." in page
    assert "amount_gbp" in page


# 7. A judgement's grade can be corrected by import ---------------------------------------------


def test_import_corrects_an_existing_judgements_grade_with_history(curator, inspection):
    judgement = f.JudgementFactory(
        inspection=inspection, position=1, area="Adoption", grade="Requires improvement"
    )
    assert judgement.score == 2

    shown = preview(curator, rows(inspection, (1, "Adoption", "Good")))
    assert [row.import_type for row in shown.context["result"].rows] == ["update"]
    response = confirm(curator, shown)

    assert response.status_code == 302
    judgement.refresh_from_db()
    assert (judgement.grade, judgement.score) == ("Good", 3)
    assert Judgement.objects.count() == 1
    latest = judgement.history.latest()
    assert latest.history_change_reason == "Imported from CSV"
    assert latest.history_user.username == "curator"
    assert latest.prev_record.grade == "Requires improvement"


# 8. Formulas neutralised in every CSV ----------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://x")',
        "+1+1",
        "-1+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        '＝HYPERLINK("http://x")',  # full-width equals
        "＋1",
        "－1+1",
        "＠SUM(A1)",
        "\u2212 1+1",  # minus sign
        "\n=1+1",
        " =1+1",
        "\u00a0=1+1",  # no-break space
        "\u3000=1+1",  # ideographic space
        "\u200b=1+1",  # zero-width space
        "\ufeff=1+1",
    ],
)
def test_csv_safe_neutralises_formulas(cell):
    assert csv_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Kent", "-5", "-1.50", "+3", "2012/13", "", "it's", "'quoted"])
def test_csv_safe_leaves_plain_text_and_numbers_written_as_text(cell):
    assert csv_safe(cell) == cell


def test_csv_safe_leaves_numbers_as_numbers():
    from decimal import Decimal

    assert csv_safe(Decimal("-5.00")) == Decimal("-5.00")
    assert csv_safe(-3) == -3


def test_list_csv_neutralises_full_width_and_spaced_formulas(client):
    f.JudgementFactory(area='＝HYPERLINK("http://x")', position=1)
    f.JudgementFactory(area="\u00a0=1+1", position=2)
    response = client.get("/judgements/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'＝HYPERLINK" in text
    assert "'\u00a0=1+1" in text


def test_admin_export_neutralises_formulas_and_reimports_as_the_same_text(curator, inspection):
    f.JudgementFactory(inspection=inspection, position=1, area="=1+1", grade="Good")
    f.JudgementFactory(inspection=inspection, position=2, area="＠evil", grade="Good")
    f.JudgementFactory(inspection=inspection, position=3, area="'=quoted", grade="Good")

    exported = exported_rows(export(curator))

    assert [row["area"] for row in exported] == ["'=1+1", "'＠evil", "''=quoted"]
    text = export(curator).content.decode("utf-8-sig")
    shown = preview(curator, text)
    assert [row.import_type for row in shown.context["result"].rows] == ["skip"] * 3
    assert confirm(curator, shown).status_code == 302
    assert list(Judgement.objects.values_list("area", flat=True)) == ["=1+1", "＠evil", "'=quoted"]
