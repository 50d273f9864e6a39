"""CSV import and export in the admin (django-import-export), made fit for curators.

- Import needs the model's add and change permissions; export needs view permission. Drafts
  (rows whose stored `public` flag is false) are exported only to those who may change the
  model, who see and edit them in the admin list anyway; a view-only account gets the
  published rows, and the export page says so.
- A previewed file is kept in the database (`PendingImport`), never on one server's disk, so
  the confirm step works on any app server. The confirm form carries only an unguessable
  token, looked up for the same user and the same list: a forged, spent, expired or another
  curator's token is a clear message, never a 500.
- Confirming re-validates every row and commits all of them or none: if any row has become
  invalid since the preview, nothing is written and the page shows each row's errors.
- A file over settings.CASEBOOK_UPLOAD_MAX_BYTES is refused before it is read or parsed
  (`UploadSizeLimitHandler` drops it as it arrives), and one of more than
  settings.CASEBOOK_IMPORT_MAX_ROWS rows before any row is checked: every row costs about as
  much as an admin save (history, public flags, data version), so a preview or confirm of
  more rows would outlast a worker's timeout.
- Previewed files are deleted on confirm or cancel, and once older than
  settings.CASEBOOK_IMPORT_PENDING_MINUTES (by every new preview, or `clear_pending_imports`).
- A column the resource does not know (a misspelling) is an error naming it and the columns
  it expects.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.signals import post_import

from .models import PendingImport

# Room for the form's other fields and the multipart boundaries around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


def too_big_message() -> str:
    limit = filesizeformat(settings.CASEBOOK_UPLOAD_MAX_BYTES)
    return (
        f"The file is larger than {limit}, the most that can be imported at once. "
        "Split it into smaller files and import each in turn."
    )


class UploadSizeLimitHandler(FileUploadHandler):
    """The first upload handler: a file over settings.CASEBOOK_UPLOAD_MAX_BYTES is dropped as
    it arrives, never held in memory or written to disk, and the request remembers its name so
    that the view can say why it is missing. A request whose declared length is already over
    the limit drops its file before the first chunk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.CASEBOOK_UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE
        self.request_too_big = bool(content_length) and content_length > limit

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if getattr(self, "request_too_big", False):
            self.refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.CASEBOOK_UPLOAD_MAX_BYTES:
            self.refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file

    def refuse(self):
        refused = getattr(self.request, "refused_uploads", [])
        self.request.refused_uploads = [*refused, self.field_name]
        raise SkipFile


class ConfirmCSVImportForm(forms.Form):
    """The confirm step's form: only the token of the previewed file, nothing to trust."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CSVImportMixin(ImportExportMixin):
    """Import and export through the admin, as CSV only, previewed and all-or-nothing."""

    import_formats = [CSV]
    export_formats = [CSV]
    from_encoding = "utf-8-sig"
    import_template_name = "admin/imports/csv_import.html"
    export_template_name = "admin/imports/csv_export.html"
    confirm_form_class = ConfirmCSVImportForm

    # Permissions ----------------------------------------------------------------------------

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def may_export_drafts(self, request) -> bool:
        return self.has_change_permission(request)

    # Export ---------------------------------------------------------------------------------

    def get_export_queryset(self, request):
        queryset = super().get_export_queryset(request)
        if self.may_export_drafts(request):
            return queryset
        return queryset.filter(public=True)

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        context["drafts_left_out"] = not self.may_export_drafts(request)
        return context

    # Import ---------------------------------------------------------------------------------

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    def import_action(self, request, **kwargs):
        """Upload and preview: nothing is written; a clean preview is kept for its confirm."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        PendingImport.objects.expired().delete()
        form = self.create_import_form(request)
        if request.method != "POST":
            return self.render_import_page(request, form=form)
        refused = "import_file" in getattr(request, "refused_uploads", ())
        if not form.is_valid() or refused:
            if refused:
                form.errors["import_file"] = form.error_class([too_big_message()])
            return self.render_import_page(request, form=form)

        upload = form.cleaned_data["import_file"]
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form, **kwargs)
        )
        text = dataset = None
        if upload.size > settings.CASEBOOK_UPLOAD_MAX_BYTES:
            form.add_error("import_file", too_big_message())
        else:
            text, problem = self.decode(upload.read())
            if problem is None:
                dataset, problem = self.read_dataset(text, resource)
            if problem:
                form.add_error("import_file", problem)
        if form.errors:
            return self.render_import_page(request, form=form)

        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, file_name=upload.name, user=request.user
        )
        confirm_form = None
        if not result.has_errors() and not result.has_validation_errors():
            pending = PendingImport.objects.create(
                user=request.user, model=self.model_label, file_name=upload.name[:255], text=text
            )
            confirm_form = self.confirm_form_class(initial={"token": pending.token})
        return self.render_import_page(request, form=form, result=result, confirm_form=confirm_form)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm or cancel a preview: every row checked again, all written or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.confirm_form_class(request.POST)
        token = confirm_form.cleaned_data["token"] if confirm_form.is_valid() else ""
        mine = PendingImport.objects.filter(user=request.user, model=self.model_label)
        with transaction.atomic():
            pending = mine.live().select_for_update().filter(token=token).first()
            if pending is None:
                expired = mine.expired().filter(token=token).delete()[0]
                return self.render_gone(request, expired=bool(expired))
            pending.delete()
            if "_cancel" in request.POST:
                messages.info(request, f"Import of {pending.file_name} cancelled: nothing changed.")
                return HttpResponseRedirect(self.changelist_url())

            resource = self.get_import_resource_classes(request)[0](
                **self.get_import_resource_kwargs(request, **kwargs)
            )
            dataset, problem = self.read_dataset(pending.text, resource)
            if problem:  # the resource's columns changed since the preview (a new release)
                form = self.create_import_form(request, data=None)
                return self.render_import_page(
                    request, form=form, problem=f"{problem} Nothing was imported."
                )
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                retain_instance_in_row_result=True,
                file_name=pending.file_name,
                user=request.user,
            )
            if result.has_errors() or result.has_validation_errors():
                messages.error(
                    request,
                    f"Nothing was imported from {pending.file_name}: the data changed since the "
                    "preview and the rows below are no longer valid. Correct the file or the "
                    "records it refers to, then upload it again.",
                )
                form = self.create_import_form(request, data=None)
                return self.render_import_page(request, form=form, result=result)
            self.generate_log_entries(result, request)
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        return HttpResponseRedirect(self.changelist_url())

    def create_import_form(self, request, data=True):
        if data:
            return super().create_import_form(request)
        form_class = self.get_import_form_class(request)
        return form_class(self.get_import_formats(), self.get_import_resource_classes(request))

    def decode(self, raw: bytes) -> tuple[str | None, str | None]:
        try:
            return raw.decode(self.from_encoding), None
        except UnicodeDecodeError:
            return None, (
                "The file is not UTF-8 text. In a spreadsheet, save it as "
                "“CSV UTF-8 (comma delimited)” and upload it again."
            )

    def read_dataset(self, text: str, resource):
        """The rows of a CSV text, or why they cannot be imported (a message for the page)."""
        try:
            dataset = CSV(encoding=self.from_encoding).create_dataset(text)
        except Exception as error:  # tablib and the csv module raise several kinds
            return None, f"The file could not be read as CSV ({error})."
        expected = [field.column_name for field in resource.get_import_fields()]
        headers = list(dataset.headers or [])
        unknown = [h for h in headers if h not in expected]
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        required = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
        missing = [column for column in required if column not in headers]
        problems = []
        if unknown:
            problems.append(f"Unknown {plural('column', unknown)}: {quoted(unknown)}.")
        if repeated:
            problems.append(f"{plural('Column', repeated)} given twice: {quoted(repeated)}.")
        if missing:
            problems.append(f"Missing {plural('column', missing)}: {quoted(missing)}.")
        if problems:
            problems.append(
                f"The columns are: {', '.join(expected)} "
                f"({' and '.join(required)} are required; any other may be left out)."
            )
            return None, " ".join(problems)
        if not len(dataset):
            return None, "The file has no rows to import, only its heading row."
        most = settings.CASEBOOK_IMPORT_MAX_ROWS
        if len(dataset) > most:
            return None, (
                f"The file has {len(dataset)} rows; at most {most} can be imported at once "
                "(each row is checked as an edit in the admin would be). Split it into smaller "
                "files and import each in turn."
            )
        return dataset, None

    def render_gone(self, request, *, expired: bool):
        minutes = settings.CASEBOOK_IMPORT_PENDING_MINUTES
        if expired:
            message = f"This preview expired after {minutes} minutes."
        else:
            message = (
                "This import is not waiting to be confirmed: it was confirmed or cancelled "
                "already, or it was previewed by someone else or on another list."
            )
        form = self.create_import_form(request, data=None)
        problem = f"{message} Nothing was imported. Upload the file again."
        return self.render_import_page(request, form=form, problem=problem, status=400)

    def render_import_page(
        self, request, *, form, result=None, confirm_form=None, problem="", status=200
    ):
        resource_classes = self.get_import_resource_classes(request)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import",
            "form": form,
            "result": result,
            "confirm_form": confirm_form,
            "problem": problem,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (cls.get_display_name(), [f.column_name for f in cls().get_user_visible_fields()])
                for cls in resource_classes
            ],
            "import_error_display": self.import_error_display,
            "max_upload": settings.CASEBOOK_UPLOAD_MAX_BYTES,
            "max_rows": settings.CASEBOOK_IMPORT_MAX_ROWS,
            "pending_minutes": settings.CASEBOOK_IMPORT_PENDING_MINUTES,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context, status=status)

    def changelist_url(self) -> str:
        return reverse(
            "admin:{}_{}_changelist".format(*self.get_model_info()),
            current_app=self.admin_site.name,
        )


def plural(word: str, items: list) -> str:
    return word if len(items) == 1 else f"{word}s"


def quoted(items: list[str]) -> str:
    return ", ".join(f"“{item}”" if item else "(a blank heading)" for item in items)
