"""Which query parameters a public page reads, so the page cache can ignore the rest.

A link shared with `?utm_source=…`, or a cache-busting `?_=123`, shows the same page as
without it. The page cache (config.middleware.PublicPageCacheMiddleware) therefore keys a
page by its path and the parameters its view knows only, sorted, and hands the view that
same normalised query: the view cannot see an unknown parameter, so the page it renders,
its links and its canonical address included, is the one cached for every variant.

A view's parameters: a list page's filters (its FilterSet) with sort, page, cursor, format
and size; a detail or version page's format (and any it names in `extra_query_params`, as
the source page's `facts` and `page`); the search's words, kind, page and format; the home
page none. A list page that reads another parameter names it in `extra_query_params`. A route
not listed here (the sitemap, the data download) is keyed by its whole query string as it
came, and its view sees the query unchanged.
"""

from __future__ import annotations

from django.http import QueryDict

LIST_PARAMS = ("sort", "page", "cursor", "format", "size")
NAMED_ROUTES = {
    "home": (),
    "interventions:search": ("q", "kind", "page", "format"),
    "ratings:data": ("download",),
}


def known_params(match) -> frozenset[str] | None:
    """The parameters the resolved view reads, or None when not known (keep them all)."""
    from interventions.listing import ListPage
    from interventions.versions import VersionPage
    from interventions.views.details.base import DetailPage

    if match.view_name in NAMED_ROUTES:
        return frozenset(NAMED_ROUTES[match.view_name])
    view = getattr(match.func, "view_class", None)
    if not isinstance(view, type):
        return None
    if issubclass(view, ListPage) and view.filterset_class is not None:
        filters = view.filterset_class.base_filters
        return frozenset((*filters, *LIST_PARAMS, *getattr(view, "extra_query_params", ())))
    if issubclass(view, DetailPage | VersionPage):
        # A version page's own, as its route gave them (interventions.versions.version_urls).
        extra = getattr(match.func, "view_initkwargs", {}).get("extra_query_params")
        return frozenset(("format", *(extra or getattr(view, "extra_query_params", ()))))
    return None


def normalised(query: QueryDict, known: frozenset[str]) -> QueryDict:
    """The known parameters only, in order of name (each keeps its values in order)."""
    kept = QueryDict(mutable=True)
    for name in sorted(name for name in query if name in known):
        kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept
