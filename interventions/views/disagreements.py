"""/disagreements/: every point on which reports differ, or one report prints two versions,
each with every fact that is part of it, its report and the place in it.

A disagreement is shown only with the facts the reader may see (interventions.footnotes
reads them as every detail page does); one whose facts are all drafts is not listed.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from ..footnotes import Footnotes, disagreements
from ..models import DisagreementScope, Discrepancy

PER_PAGE = 50


def reader_is_public(request) -> bool:
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class DisagreementList(TemplateView):
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


class DisagreementDetail(TemplateView):
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
