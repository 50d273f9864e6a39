"""Every record's history, in public: a list of changes and a stable page per version.

A citation points at the version a researcher saw (`/interventions/<slug>/versions/<id>/`),
so a later correction cannot change what was cited; the old version says that the record has
changed since and links to the current page. A renamed record's old slugs live on in its
history, and its old addresses answer with a permanent redirect to the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views import View

from . import memberships
from .addresses import absolute, site_root
from .citations import CITATION_FORMATS, Citation, ReportCitation, uk_date
from .footnotes import Footnotes, disagreements
from .models import PartialDate, RecordVersion, Source
from .sections import State, page_sections, section_facts, site
from .visibility import may_name, name_or_placeholder

CHANGES_SHOWN = 20
VERSION_FORMATS = ("html", "json", *CITATION_FORMATS)
HIDDEN_FIELDS = {"id", "published"}
DATE_PART_SUFFIXES = ("_precision", "_year", "_month", "_day", "_year_inferred", "_kind", "_note")
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# The parts a version page's JSON lists as they stood then: each app registers the parts
# its models are of (interventions.sections.FactKind.version_parts).


def with_query(url: str, request) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def public_versions(history, public: bool = True):
    """The versions a reader may see: for the public, none from while the record was a draft
    (before it was first published, or while it was withdrawn)."""
    if public and "published" in {f.name for f in history.model._meta.fields}:
        return history.filter(published=True)
    return history


def renamed_url(model, slug: str | None, visible, public: bool = True) -> str | None:
    """Where a record that once had this slug lives now, if it is still visible.

    For the public, only slugs the record had while it was published lead anywhere: a slug
    it had as a draft was never handed out, and answering it would tell that it existed."""
    history = getattr(model, "history", None)
    if not slug or history is None:
        return None
    ids = (
        public_versions(history.filter(slug=slug), public)
        .order_by("-history_date")
        .values_list("id", flat=True)
    )
    for pk in ids[:5]:
        current = visible.filter(pk=pk).first()
        if current is not None and current.slug != slug:
            return current.get_absolute_url()
    return None


def version_url(obj, number: int) -> str:
    """A version's address: its number among the record's versions (`…/versions/v2/`)."""
    return f"{obj.get_absolute_url()}versions/v{number}/"


def record_versions(obj):
    return RecordVersion.objects.filter(record=obj._meta.label_lower, record_id=obj.pk)


@dataclass
class Change:
    number: int
    date: object
    kind: str
    fields: list[str]
    reason: str
    url: str
    current: bool
    recorded: object = None


def as_change(obj, version: RecordVersion, current: bool) -> Change:
    return Change(
        number=version.number,
        date=timezone.localtime(version.recorded),
        kind=version.kind,
        fields=list(version.changed) if version.kind != "Created" else [],
        reason=version.reason,
        url=version_url(obj, version.number),
        current=current,
        recorded=version.recorded,
    )


def changes(obj, public: bool = True) -> list[Change]:
    """The record's latest versions, newest first, each with what changed and why (one
    query). Only public versions are numbered (interventions.recording), so a draft's
    history is never listed or linked, for the public or for staff."""
    if getattr(obj, "pk", None) is None:
        return []
    latest = list(record_versions(obj).order_by("-number")[:CHANGES_SHOWN])
    return [as_change(obj, version, index == 0) for index, version in enumerate(latest)]


def version_showing(obj, moment):
    """The first numbered version that shows the record as it stood after `moment`."""
    return record_versions(obj).filter(recorded__gte=moment).order_by("number").first()


def visible_record(model, slug: str, public: bool, request, tail: str):
    """The record a version address names, or a permanent redirect to its address under
    its new slug (keeping `tail` and the query); 404 when the reader may not see it."""
    visible = model._default_manager.all()
    if public:
        visible = visible.published()
    obj = visible.filter(slug=slug).first()
    if obj is not None:
        return obj
    moved = renamed_url(model, slug, visible, public)
    if moved:
        return HttpResponsePermanentRedirect(with_query(f"{moved}{tail}", request))
    raise Http404("No such record.")


def public_viewer(request) -> bool:
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class VersionPage(View):
    """One record as it stood at one version, citable at a stable address."""

    model = None
    kind = ""
    extra_query_params: tuple[str, ...] = ()

    def get(self, request, slug: str, number: int):
        fmt = (request.GET.get("format") or "html").strip().lower()
        if fmt not in VERSION_FORMATS:
            return JsonResponse(
                {"errors": [f"Use one of: {', '.join(f'format={f}' for f in VERSION_FORMATS)}."]},
                status=400,
            )
        public = public_viewer(request)
        obj = visible_record(self.model, slug, public, request, f"versions/v{number}/")
        if isinstance(obj, HttpResponsePermanentRedirect):
            return obj
        versions = record_versions(obj)
        version = versions.filter(number=number).first()
        if version is None:
            raise Http404("No such version of this record.")
        newer = list(versions.filter(number__gt=number).order_by("number"))
        is_current = not newer
        record = (
            obj.history.filter(history_date__lte=version.recorded)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None:
            raise Http404("No such version of this record.")
        history = changes(obj, public)
        old = record.instance
        # The page as it stood: the same sections, loaders and templates as the live page; a
        # record with no sections registered (and the JSON) lists its fields and parts.
        options = {key: request.GET.get(key, "") for key in self.extra_query_params}
        sections = (
            page_sections(old, version.recorded, public, options=options) if fmt == "html" else []
        )
        fields = self.fields(old, public) if not sections else []
        parts = self.parts(obj, version.recorded, public) if not sections else []
        label = f"version {number} of {uk_date(timezone.localdate(version.recorded))}"
        citation = Citation(
            title=str(old),
            url=absolute(obj.get_absolute_url()),
            site_url=site_root() + "/",
            kind=self.kind,
            key=f"{obj._meta.model_name}-{obj.slug}-v{number}",
            changed=timezone.localdate(version.recorded),
            version_url=absolute(version_url(obj, number)),
            version_label=label,
            version_number=number,
        )
        if isinstance(old, Source):
            citation = ReportCitation(source=old, via=citation)  # the report, as it stood
        if fmt in CITATION_FORMATS:
            return citation.response(fmt)
        if fmt == "json":
            return JsonResponse(
                {
                    "version": number,
                    "recorded": version.recorded.isoformat(),
                    "current": is_current,
                    "reason": version.reason,
                    "changed_since": [
                        {"version": v.number, "changed": v.changed, "reason": v.reason}
                        for v in newer
                    ],
                    "url": citation.cited_url,
                    "current_url": absolute(obj.get_absolute_url()),
                    "fields": dict(fields),
                    "parts": {label: [item["text"] for item in items] for label, items in parts},
                },
                json_dumps_params={"ensure_ascii": False},
            )
        section_context = {}
        for section in sections:
            section_context.update(section.context)
        # The disagreements of the facts shown, as on the live page: each part's as its
        # version recorded them (read with its rows), the record's own in one query, then
        # the versions of each (one query).
        facts = [old, *section_facts(sections)]
        section_context["disagreements"] = disagreements(memberships.attach(facts), public=public)
        return render(
            request,
            "version.html",
            {
                **section_context,
                obj._meta.model_name: old,
                "sections": sections,
                "footnotes": Footnotes(public=public),
                "public": public,
                "object": obj,
                "old": old,
                "record": record,
                "version": version,
                "newer": [as_change(obj, v, v is newer[-1]) for v in newer],
                "number": number,
                "is_current": is_current,
                "fields": fields,
                "parts": parts,
                "citation": citation,
                "label": label,
                "kind": self.kind,
                "changes": history,
            },
        )

    @staticmethod
    def fields(old, public: bool = True) -> list[tuple[str, str]]:
        rows = []
        source = getattr(old, "source", None) if getattr(old, "source_id", None) else None
        hidden = set(HIDDEN_FIELDS)
        if source is not None and not may_name(source, public):
            hidden.add("locator")  # the place in a report the reader may not see, as on the page
        # A partial date is one row, as printed ("planned: 16 April [2014]"), not its parts.
        dates = getattr(getattr(old, "instance_type", type(old)), "partial_dates", ())
        parts = {f"{d}{suffix}" for d in dates for suffix in DATE_PART_SUFFIXES}
        for field in type(old)._meta.concrete_fields:
            if field.name in hidden or field.primary_key:
                continue
            if field.name in dates:
                when = PartialDate.of(old, field.name)
                if when.known:
                    text = when.display() + (f" ({when.note})" if when.note else "")
                    rows.append((str(field.verbose_name).capitalize(), text))
                continue
            if field.name in parts:
                continue
            if field.is_relation:
                related_id = getattr(old, field.attname)
                related = None if related_id is None else getattr(old, field.name, None)
                value = name_or_placeholder(related, public)
            elif field.choices:
                value = getattr(old, f"get_{field.name}_display")()
            else:
                value = getattr(old, field.attname)
                value = "" if value is None else str(value)
            if value != "":
                rows.append((str(field.verbose_name).capitalize(), value))
        return rows

    def parts(self, obj, moment, public: bool = True):
        """Each part as it stood, described without naming a record the reader may not see."""
        result = []
        for relation, label in site.version_parts(obj._meta.label_lower):
            part_model = obj._meta.get_field(relation).related_model
            key = obj._meta.get_field(relation).field.attname
            state = State(moment=moment, public=public)
            items = state.instances(
                state.shown(part_model, state.as_of(part_model))
                .filter(**{key: obj.pk})
                .order_by("position" if hasattr(part_model, "position") else "pk"),
                ("source",),
            )
            # As on the live page, a part citing a report the reader may not see is left out.
            shown = [item for item in items if may_name(item.source, public)]
            result.append((label, [self.part(item, public) for item in shown]))
        return result

    @staticmethod
    def part(item, public: bool = True) -> dict:
        if item._meta.model_name == "participant":
            body = item.council or item.organisation
            who = ", ".join(x for x in (item.person_name, name_or_placeholder(body, public)) if x)
            text = f"{who or item.described_as}: {item.get_role_display()}"
        elif item._meta.model_name == "post":
            body = name_or_placeholder(item.council or item.organisation, public)
            text = ", ".join(x for x in (item.title, body) if x)
        else:
            text = str(item)
        return {"text": text, "source": item.source, "locator": item.locator}


class LegacyVersionPage(View):
    """`…/versions/<id>/`, the address versions had before they were numbered per record
    (the id of a row in the record's own history): answers, for ever, with a permanent
    redirect to the numbered version that shows the record as it stood after that row."""

    model = None

    def get(self, request, slug: str, history_id: int):
        public = public_viewer(request)
        obj = visible_record(self.model, slug, public, request, f"versions/{history_id}/")
        if isinstance(obj, HttpResponsePermanentRedirect):
            return obj
        row = public_versions(obj.history.filter(history_id=history_id), public).first()
        version = version_showing(obj, row.history_date) if row is not None else None
        if version is None:
            raise Http404("No such version of this record.")
        return HttpResponsePermanentRedirect(with_query(version_url(obj, version.number), request))


def version_urls(prefix: str, model, kind: str, name: str, extra_query_params=()) -> list:
    """The numbered versions of a kind of record, and the addresses they had before.

    `extra_query_params`: what else its sections read from the address, as the live page
    (the source page's `facts` and `page`)."""
    return [
        path(
            f"{prefix}/<slug:slug>/versions/v<int:number>/",
            VersionPage.as_view(model=model, kind=kind, extra_query_params=extra_query_params),
            name=f"{name}-version",
        ),
        path(
            f"{prefix}/<slug:slug>/versions/<int:history_id>/",
            LegacyVersionPage.as_view(model=model),
            name=f"{name}-version-before-numbering",
        ),
    ]


__all__ = ["LegacyVersionPage", "VersionPage", "changes", "renamed_url", "version_urls"]
