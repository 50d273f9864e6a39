"""Corrections in the open: every change to a published record, with its reason, in public.

- The admin asks for a reason when a curator saves a published record (`ReasonAdminMixin`);
  a revert from its history is recorded as "Reverted to version N".
- `/changes/` lists every correction to a published record, newest first, filterable by kind
  of record and by record, as HTML, JSON and an Atom feed (`ChangeList`, `ChangesFeed`).
- A record corrected since it was first published says so at the top of its page
  (`latest_correction`, templates/includes/_corrected.html).

A correction is a numbered version (interventions.recording) of kind "Changed": a change to
the record or one of its parts after it was first published. Drafts' changes are never
versions, so never listed.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from .addresses import absolute, is_slug
from .models import RecordVersion
from .sections import site
from .versions import version_showing, version_url

REASON_FIELD = "change_reason"
CORRECTION_KINDS = ("Changed",)
PER_PAGE = 50
FEED_ITEMS = 50


# The admin: a reason for every change to a published record ---------------------------


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=500,
            label="Reason for this change",
            help_text=(
                "Required when the record is published: shown to the public in the record's "
                "list of changes and on /changes/, e.g. “Amount corrected from table 3”."
            ),
            widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            **kwargs,
        )

    def has_changed(self, initial, data):
        return False  # a reason alone is not a change to the record


def is_published_now(instance) -> bool:
    if instance.pk is None:
        return False
    model = type(instance)
    if not any(f.name == "published" for f in model._meta.concrete_fields):
        return True
    return bool(
        model._default_manager.filter(pk=instance.pk).values_list("published", flat=True).first()
    )


def with_reason_form(form_class, revert_reason: str = ""):
    """The admin's form with a reason, required for a published record's change."""

    def clean(self):
        cleaned = super(form, self).clean()
        reason = " ".join((cleaned.get(REASON_FIELD) or "").split())
        cleaned[REASON_FIELD] = reason
        if not reason and is_published_now(self.instance):
            self.add_error(
                REASON_FIELD,
                "Give a reason for this change: the record is published, and readers see "
                "why it changed.",
            )
        return cleaned

    field = ReasonField(initial=revert_reason) if revert_reason else ReasonField()
    form = type(form_class.__name__, (form_class,), {REASON_FIELD: field, "clean": clean})
    return form


class ReasonAdminMixin:
    """For every content model's admin with a public page: a reason on each save."""

    def has_public_versions(self) -> bool:
        return self.model._meta.concrete_model._meta.label_lower in site.records()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_public_versions():
            return fieldsets
        if not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, ("Why", {"fields": (REASON_FIELD,)})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self.has_public_versions():
            revert = getattr(request, "casebook_revert_reason", "")
            kwargs["form"] = with_reason_form(kwargs.get("form", self.form), revert)
        return super().get_form(request, obj, change=change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an old version: the reason says which public version it restores."""
        request.casebook_revert_reason = revert_reason(self.model, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get(REASON_FIELD) if hasattr(form, "cleaned_data") else ""
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)


def revert_reason(model, object_id, history_id) -> str:
    concrete = model._meta.concrete_model
    row = concrete.history.filter(id=object_id, history_id=history_id).first()
    if row is None:
        return ""
    version = version_showing(row.instance, row.history_date)
    if version is None:
        return "Reverted to a version from before the record was published"
    return f"Reverted to version {version.number}"


# A record's page: corrected since it was first published -------------------------------


def latest_correction(changes: list):
    """The newest correction among a record's latest changes (already read for its page)."""
    return next((change for change in changes if change.kind in CORRECTION_KINDS), None)


# /changes/ ------------------------------------------------------------------------------


def record_kinds() -> dict[str, type]:
    """Each kind of record with numbered versions, by its name in a filter (`kind=council`)."""
    return {
        apps.get_model(label)._meta.model_name: apps.get_model(label) for label in site.records()
    }


def kind_name(model) -> str:
    return "case study" if model._meta.model_name == "intervention" else model._meta.verbose_name


class Entry:
    """One correction, with the record it corrects."""

    def __init__(self, version: RecordVersion, record):
        self.version = version
        self.record = record
        self.kind = kind_name(type(record))
        self.url = version_url(record, version.number)
        self.date = timezone.localtime(version.recorded)

    def as_json(self) -> dict:
        return {
            "date": self.version.recorded.isoformat(),
            "record": {
                "kind": self.kind,
                "slug": self.record.slug,
                "title": str(self.record),
                "url": absolute(self.record.get_absolute_url()),
            },
            "version": self.version.number,
            "version_url": absolute(self.url),
            "changed": list(self.version.changed),
            "reason": self.version.reason,
        }


def corrections(kind: str = "", slug: str = ""):
    """Corrections to records the public may see now (not drafts, not withdrawn), newest
    first; of one kind of record, or of one record."""
    kinds = record_kinds()
    models = [kinds[kind]] if kind in kinds else list(kinds.values())
    visible = Q(pk__in=[])
    for model in models:
        records = model._default_manager.published()
        if slug and len(models) == 1:
            records = records.filter(slug=slug)
        visible |= Q(record=model._meta.label_lower, record_id__in=records.values("pk"))
    versions = RecordVersion.objects.filter(visible, kind__in=CORRECTION_KINDS)
    return versions.order_by("-recorded", "-id")


def with_records(versions) -> list[Entry]:
    """The records of one page of versions: one query per kind of record on it."""
    wanted: dict[str, set[int]] = {}
    for version in versions:
        wanted.setdefault(version.record, set()).add(version.record_id)
    records = {}
    for label, pks in wanted.items():
        model = apps.get_model(label)
        for record in model._default_manager.published().filter(pk__in=pks):
            records[(label, record.pk)] = record
    return [
        Entry(version, records[(version.record, version.record_id)])
        for version in versions
        if (version.record, version.record_id) in records
    ]


@require_safe
def change_list(request):
    kinds = record_kinds()
    kind = request.GET.get("kind", "").strip().lower()
    slug = request.GET.get("record", "").strip()
    fmt = request.GET.get("format", "html").strip().lower()
    errors = []
    if kind and kind not in kinds:
        errors.append(f"“{kind}” is not a kind of record: use one of {', '.join(kinds)}.")
        kind = ""
    if slug and not kind:
        errors.append("Choose a kind of record to see one record's changes.")
        slug = ""
    if slug and not is_slug(slug):
        errors.append(
            "A record is named by the last part of its address: letters, digits, hyphens "
            "and underscores only. Showing every record of that kind."
        )
        slug = ""
    if fmt not in ("html", "json"):
        return JsonResponse({"errors": ["Use format=html or format=json."]}, status=400)
    paginator = Paginator(corrections(kind, slug), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    entries = with_records(page.object_list)
    if fmt == "json":
        next_url = None
        if page.has_next():
            query = request.GET.copy()
            query["page"] = page.next_page_number()
            next_url = absolute(f"{request.path}?{query.urlencode()}")
        return JsonResponse(
            {
                "count": paginator.count,
                "next": next_url,
                "errors": errors,
                "results": [entry.as_json() for entry in entries],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "pages/changes.html",
        {
            "entries": entries,
            "page": page,
            "count": paginator.count,
            "errors": errors,
            "kinds": [(name, kind_name(model)) for name, model in kinds.items()],
            "kind": kind,
            "record": slug,
            "breadcrumbs": [("Home", "/"), ("Changes", "")],
        },
        status=200,
    )


class ChangesFeed(Feed):
    """An Atom feed of the latest corrections, for researchers who follow them."""

    feed_type = Atom1Feed
    title = "Casebook: corrections to published records"
    subtitle = "Every change to a published record, with what changed and why, newest first."

    def link(self):
        return absolute("/changes/")

    def feed_url(self):
        return absolute("/changes/feed/")

    def items(self):
        return with_records(list(corrections()[:FEED_ITEMS]))

    def item_title(self, entry: Entry):
        return f"{entry.record} ({entry.kind}): version {entry.version.number}"

    def item_description(self, entry: Entry):
        changed = "; ".join(entry.version.changed) or "changed"
        reason = f" Reason: {entry.version.reason}" if entry.version.reason else ""
        return f"Changed: {changed}.{reason}"

    def item_link(self, entry: Entry):
        return absolute(entry.url)

    def item_guid(self, entry: Entry):
        return absolute(entry.url)

    def item_pubdate(self, entry: Entry):
        return entry.version.recorded

    def item_updateddate(self, entry: Entry):
        return entry.version.recorded
