"""Shared machinery of the detail pages: formats, citations, footnotes, caps."""

from __future__ import annotations

import datetime
from itertools import chain

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import DetailView

from ... import memberships
from ...addresses import absolute, site_root
from ...citations import CITATION_FORMATS, Citation, uk_date
from ...corrections import latest_correction
from ...footnotes import Footnotes, disagreements
from ...models import (
    Source,
)
from ...record_sections import shown
from ...sections import page_sections, section_facts
from ...versions import changes, renamed_url, with_query
from ...visibility import may_name
from ..disagreements import disagreement_json

FORMATS = ("html", "json", *CITATION_FORMATS)

# A page lists at most this many rows in one table (and says so, with a link to the full
# list): a council can have thousands of spending lines, and a page must stay small and fast.
TABLE_LIMIT = 100
# Inspections shown on a case study (interventions.views.details.intervention): those of the
# years around it, at most CASE_STUDY_INSPECTIONS of them, the window reaching at most
# INSPECTION_WINDOW years either side; the rest are counted, with links to the lists.
INSPECTION_WINDOW = 10
CASE_STUDY_INSPECTIONS = 12
# A council's page lists the most recent this many of its interventions, roles, inspections,
# money figures and key figures (each app's council sections read it), says how many there
# are in all and links to the lists holding every one; its spending by year stays whole.
COUNCIL_ROWS = 10


def capped(queryset, limit: int | None = None) -> tuple[list, bool]:
    """The first `limit` rows (TABLE_LIMIT), and whether there are more: one query, no count."""
    limit = limit or TABLE_LIMIT
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def related_model(model, name: str):
    """The model at the end of a reverse relation, e.g. Council → "inspections"."""
    return model._meta.get_field(name).related_model


# Shared by every detail page -----------------------------------------------------------


class DetailPage(DetailView):
    """A detail page that also answers ?format=json|bibtex|ris|csl-json, and 400 for any other."""

    kind = ""  # how a citation describes the page: "Case study", "Council" …

    def get(self, request, *args, **kwargs):
        fmt = (request.GET.get("format") or "html").strip().lower()
        if fmt not in FORMATS:
            return HttpResponse(
                f'Unknown format "{request.GET.get("format")}". '
                f"Use one of: {', '.join(FORMATS)}.\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        self.format = fmt
        user = getattr(request, "user", None)
        self.public = not (user is not None and user.is_authenticated and user.is_staff)
        try:
            self.object = self.get_object()
        except Http404:
            # A renamed record: its old address answers, for ever, with a permanent redirect.
            moved = renamed_url(
                self.model, kwargs.get("slug"), self.get_queryset(), public=self.public
            )
            if moved:
                return HttpResponsePermanentRedirect(with_query(moved, request))
            raise
        # Two queries: the history count and latest rows (for the public, published ones only).
        self.changes = changes(self.object, public=self.public)
        if fmt in CITATION_FORMATS:
            return self.cite(self.citation(sources=[])).response(fmt)
        parts = self.parts()
        if fmt == "json":
            return JsonResponse(
                self.as_json(parts), json_dumps_params={"ensure_ascii": False, "indent": 1}
            )
        context = self.get_context_data(object=self.object, **parts)
        # One citation for the cite box, the downloads, the head and the canonical link. Its
        # accessed date is a stand-in that config.middleware.PublicPageCacheMiddleware.stamp
        # fills with today's date on every response, cached or not (interventions.citations).
        context["citation"] = self.cite(self.citation(sources=self.cited_sources(parts)))
        context["canonical_url"] = context["citation"].cited_url
        context["footnotes"] = Footnotes(public=self.public)
        context["public"] = self.public  # what the related-record tags may name
        context["draft"] = not getattr(self.object, "published", True)
        context["changes"] = self.changes
        context["correction"] = latest_correction(self.changes)
        context["changes_url"] = (
            f"{reverse('interventions:change-list')}?kind={self.object._meta.model_name}"
            f"&record={self.object.slug}"
        )
        context["glance"] = self.glance(parts)
        context["breadcrumbs"] = self.breadcrumbs()
        if not self.public:  # staff only: the public page (and the page cache) never has it
            context["admin_url"] = self.admin_url()
            context["admin_label"] = self.title()
        return self.render_to_response(context)

    def get_queryset(self):
        if getattr(self, "format", "html") in CITATION_FORMATS:
            queryset = self.citation_queryset()
        else:
            queryset = self.detail_queryset()
        return shown(queryset, getattr(self, "public", True))

    def shown(self, queryset):
        return shown(queryset, self.public)

    def list_url(self, name: str, **params) -> str:
        return self.absolute(f"{reverse(name)}?{urlencode(params)}")

    def citation_queryset(self):
        """Enough for a BibTeX or RIS answer: the object alone."""
        return self.model._default_manager.all()

    def detail_queryset(self):
        raise NotImplementedError

    list_route = ""  # the list this page belongs to, for the breadcrumbs
    list_title = ""

    def glance(self, parts) -> list:
        """The "at a glance" panel's items (interventions.glance), from what parts fetched."""
        return []

    def breadcrumbs(self) -> list[tuple[str, str]]:
        crumbs = [("Home", reverse("home"))]
        if self.list_route:
            crumbs.append((self.list_title, reverse(self.list_route)))
        return [*crumbs, (self.title(), "")]

    def admin_url(self) -> str:
        meta = self.object._meta
        try:
            return reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.object.pk]
            )
        except NoReverseMatch:
            return ""

    def parts(self) -> dict:
        """Everything the page shows besides the object: its sections, as each app registered
        them (interventions.sections), loaded live, and where the sources differ on them."""
        parts = self.section_parts()
        parts["disagreements"] = self.disagreements(parts)
        return parts

    def section_parts(self, limit: int | None = None, options: dict | None = None) -> dict:
        """The page's sections, live, with the names each section's context gives."""
        sections = page_sections(
            self.object, public=self.public, limit=limit or TABLE_LIMIT, options=options
        )
        parts = {"sections": sections}
        for section in sections:
            parts.update(section.context)
        return parts

    def title(self) -> str:
        return str(self.object)

    def description(self) -> str:
        return ""

    def cite(self, citation: Citation):
        """What the page cites: itself (a source page cites its report, via itself)."""
        return citation

    def citation(self, sources) -> Citation:
        version = {}
        if self.changes:
            latest = self.changes[0]
            when = uk_date(timezone.localdate(latest.date))
            version = {
                "version_url": self.absolute(latest.url),
                "version_label": f"version {latest.number} of {when}",
                "version_number": latest.number,
            }
        return Citation(
            **version,
            title=self.title(),
            url=self.absolute(self.object.get_absolute_url()),
            site_url=site_root() + "/",
            kind=self.kind,
            key=f"{self.object._meta.model_name}-{self.object.slug}",
            description=self.description(),
            sources=sources,
            source_url=lambda source: self.absolute(source.get_absolute_url()),
            changed=self.last_changed(),
        )

    def last_changed(self) -> datetime.date | None:
        """When the record itself last changed, from its history (already fetched)."""
        return timezone.localdate(self.changes[0].date) if self.changes else None

    def cited_sources(self, parts) -> list[Source]:
        """Every report the page's facts cite, once each, in order of first appearance."""
        seen: dict[int, Source] = {}
        for fact in self.facts(parts):
            source = fact.source
            if may_name(source, self.public):
                seen.setdefault(source.pk, source)
        return list(seen.values())

    def facts(self, parts):
        """The cited facts the page shows: the record, its sections' facts, and the other
        versions of the disagreements they belong to."""
        return chain(
            [self.object],
            section_facts(parts.get("sections", [])),
            (v for d in parts.get("disagreements", []) for v in d.versions),
        )

    def disagreements(self, parts) -> list:
        """The disagreements any fact on the page belongs to, as the page shows them."""
        # One query for every fact's memberships (each fact then knows its flags), then
        # one for the versions of the disagreements found (none when there are none).
        return disagreements(memberships.attach(self.facts(parts)), public=self.public)

    # JSON helpers --------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return absolute(path)  # from CASEBOOK_SITE_URL, never the request's Host

    def cited(self, fact) -> dict:
        """Where a fact comes from, and the disagreements it is part of."""
        differ = self.differ_json(fact)
        if not may_name(fact.source, self.public):
            return {
                "source": {"slug": None, "title": None, "url": None, "not_yet_published": True},
                "locator": None,
                **differ,
            }
        return {
            "source": {
                "slug": fact.source.slug,
                "title": fact.source.title,
                "url": self.absolute(fact.source.get_absolute_url()),
            },
            "locator": fact.locator,
            **differ,
        }

    def differ_json(self, fact) -> dict:
        """The disagreements a fact is part of, and (for readers of the older shape) the
        first between sources."""
        flags = memberships.flags(fact)
        between = [flag.slug for flag in flags if not flag.within]
        return {
            "sources_differ": between[0] if between else None,
            "disagreements": self.flags_json(flags),
        }

    def flags_json(self, flags) -> list[dict]:
        return [
            {
                "slug": flag.slug,
                "title": flag.title,
                "scope": flag.scope,
                "flag": flag.flag,
                "url": self.absolute(flag.get_absolute_url()),
            }
            for flag in flags
        ]

    def body(self, obj) -> dict | None:
        """A related record as {"name", "slug", "url"}; blank, and marked so, for a draft."""
        if obj is None:
            return None
        if not may_name(obj, self.public):
            return {"name": None, "slug": None, "url": None, "not_yet_published": True}
        data = {"name": str(obj), "slug": obj.slug}
        if hasattr(obj, "get_absolute_url"):
            data["url"] = self.absolute(obj.get_absolute_url())
        return data

    def citation_json(self) -> dict:
        url = self.absolute(self.object.get_absolute_url())
        return {fmt: f"{url}?format={fmt}" for fmt in CITATION_FORMATS}

    def disagreements_json(self, items) -> list[dict]:
        return [disagreement_json(item) for item in items]

    def as_json(self, parts) -> dict:
        raise NotImplementedError
