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
from django.utils import timezone
from django.views import View

from .addresses import absolute, site_root
from .citations import CITATION_FORMATS, Citation, ReportCitation, uk_date
from .footnotes import Footnotes
from .models import Source
from .sections import State, page_sections, site
from .visibility import may_name, name_or_placeholder

CHANGES_SHOWN = 20
VERSION_FORMATS = ("html", "json", *CITATION_FORMATS)
HIDDEN_FIELDS = {"id", "published"}
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


def version_url(obj, history_id: int) -> str:
    return f"{obj.get_absolute_url()}versions/{history_id}/"


@dataclass
class Change:
    number: int
    history_id: int
    date: object
    kind: str
    fields: list[str]
    reason: str
    url: str
    current: bool


def changes(obj, public: bool = True) -> list[Change]:
    """The record's latest changes, newest first, each with what changed (one query).

    For the public, only the versions it may see (`public_versions`), numbered among
    themselves, so that a draft's history is never listed or linked."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    history = public_versions(history.all(), public)
    total = history.count()
    records = list(history.order_by("-history_date", "-history_id")[: CHANGES_SHOWN + 1])
    fields = [
        f
        for f in type(obj)._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and not f.primary_key
    ]
    result = []
    for index, record in enumerate(records[:CHANGES_SHOWN]):
        older = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and older is not None:
            changed = [
                str(f.verbose_name)
                for f in fields
                if getattr(record, f.attname) != getattr(older, f.attname)
            ]
        else:
            changed = []
        result.append(
            Change(
                number=total - index,
                history_id=record.history_id,
                date=timezone.localtime(record.history_date),
                kind=KINDS.get(record.history_type, record.history_type),
                fields=changed,
                reason=record.history_change_reason or "",
                url=version_url(obj, record.history_id),
                current=index == 0,
            )
        )
    return result


def public_viewer(request) -> bool:
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class VersionPage(View):
    """One record as it stood at one version, citable at a stable address."""

    model = None
    kind = ""

    def get(self, request, slug: str, version: int):
        fmt = (request.GET.get("format") or "html").strip().lower()
        if fmt not in VERSION_FORMATS:
            return JsonResponse(
                {"errors": [f"Use one of: {', '.join(f'format={f}' for f in VERSION_FORMATS)}."]},
                status=400,
            )
        public = public_viewer(request)
        visible = self.model._default_manager.all()
        if public:
            visible = visible.published()
        obj = visible.filter(slug=slug).first()
        if obj is None:
            moved = renamed_url(self.model, slug, visible, public)
            if moved:
                return HttpResponsePermanentRedirect(
                    with_query(f"{moved}versions/{version}/", request)
                )
            raise Http404("No such record.")
        versions = public_versions(obj.history.all(), public)
        record = versions.filter(history_id=version).first()
        if record is None:
            raise Http404("No such version of this record.")
        history = changes(obj, public)  # newest first: its first entry is the current version
        is_current = history[0].history_id == record.history_id
        number = versions.filter(history_date__lte=record.history_date).count()
        old = record.instance
        # The page as it stood: the same sections, loaders and templates as the live page; a
        # record with no sections registered (and the JSON) lists its fields and parts.
        sections = page_sections(old, record.history_date, public) if fmt == "html" else []
        fields = self.fields(old, public) if not sections else []
        parts = self.parts(obj, record, public) if not sections else []
        label = f"version {number} of {uk_date(timezone.localdate(record.history_date))}"
        citation = Citation(
            title=str(old),
            url=absolute(obj.get_absolute_url()),
            site_url=site_root() + "/",
            kind=self.kind,
            key=f"{obj._meta.model_name}-{obj.slug}-v{number}",
            changed=timezone.localdate(record.history_date),
            version_url=absolute(version_url(obj, version)),
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
                    "recorded": record.history_date.isoformat(),
                    "current": is_current,
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
        for field in type(old)._meta.concrete_fields:
            if field.name in hidden or field.primary_key:
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

    def parts(self, obj, record, public: bool = True):
        """Each part as it stood, described without naming a record the reader may not see."""
        result = []
        for relation, label in site.version_parts(obj._meta.label_lower):
            part_model = obj._meta.get_field(relation).related_model
            key = obj._meta.get_field(relation).field.attname
            state = State(moment=record.history_date, public=public)
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
            text = f"{who}: {item.get_role_display()}"
        else:
            text = str(item)
        return {"text": text, "source": item.source, "locator": item.locator}


__all__ = ["VersionPage", "changes", "renamed_url"]
