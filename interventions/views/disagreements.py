"""/disagreements/: every point on which reports differ, or one report prints two versions,
each with every fact that is part of it, its report and the place in it.

A disagreement is shown only with the facts the reader may see (interventions.footnotes
reads them as every detail page does); one whose facts are all drafts is not listed.
Both pages also answer ?format=json, with every version, its report and its place in it.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.views.generic import TemplateView

from ..addresses import absolute
from ..footnotes import Footnotes, disagreements
from ..models import DisagreementScope, Discrepancy

PER_PAGE = 50


def disagreement_json(item) -> dict:
    """One disagreement and every version of it the reader may see."""
    return {
        "slug": item.discrepancy.slug,
        "title": item.discrepancy.title,
        "scope": item.discrepancy.scope,
        "flag": item.label,
        "url": absolute(item.discrepancy.get_absolute_url()),
        "note": item.discrepancy.note,
        "versions": [
            {
                "what": version.what,
                "says": version.text,
                # None for a version no page shows on its own (a figure about a person)
                "url": absolute(version.url) if version.url else None,
                "source": {
                    "slug": version.source.slug,
                    "title": version.source.title,
                    "url": absolute(version.source.get_absolute_url()),
                },
                "locator": version.locator,
            }
            for version in item.versions
        ],
    }


class JsonOrHtml:
    """?format=json gives the page's data; any other format is a plain 400."""

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("format", "html")
        if fmt == "json":
            return JsonResponse(self.as_json(context), json_dumps_params={"ensure_ascii": False})
        if fmt != "html":
            return HttpResponse(
                "Unknown format: this page answers format=json (or the page itself).",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return super().render_to_response(context, **kwargs)


def reader_is_public(request) -> bool:
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class DisagreementList(JsonOrHtml, TemplateView):
    """Every disagreement, a page of them at a time: two queries (the page's disagreements,
    then every version of each), whatever their number."""

    model = Discrepancy
    template_name = "interventions/disagreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = reader_is_public(self.request)
        rows = Discrepancy.objects.order_by("title", "pk").only("pk")
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        items = disagreements(list(page.object_list), public=public)
        context.update(
            title="Disagreements",
            page_obj=page,
            items=items,
            between=sum(not item.within for item in items),
            within=sum(item.within for item in items),
            public=public,
            footnotes=Footnotes(public=public),
        )
        return context

    def as_json(self, context) -> dict:
        page = context["page_obj"]
        link = lambda n: absolute(f"{self.request.path}?format=json&page={n}")  # noqa: E731
        return {
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [disagreement_json(item) for item in context["items"]],
        }


class DisagreementDetail(JsonOrHtml, TemplateView):
    """One disagreement and every fact that is part of it (two queries)."""

    model = Discrepancy
    template_name = "interventions/disagreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = reader_is_public(self.request)
        discrepancy = Discrepancy.objects.filter(slug=kwargs["slug"]).first()
        items = disagreements([discrepancy], public=public) if discrepancy else []
        if not items:
            raise Http404("No disagreement with that address, or none the public may see yet.")
        context.update(
            title=items[0].discrepancy.title,
            item=items[0],
            discrepancy=items[0].discrepancy,
            within=items[0].discrepancy.scope == DisagreementScope.WITHIN,
            public=public,
            footnotes=Footnotes(public=public),
        )
        return context

    def as_json(self, context) -> dict:
        return disagreement_json(context["item"])
