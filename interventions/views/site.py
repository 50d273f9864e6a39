from django.db import DatabaseError, connection
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..addresses import absolute

TIMELINE_LENGTH = 30


@require_safe
def home(request):
    """What Casebook is, a search box, counts and a timeline of the case studies."""
    from django.apps import apps
    from django.urls import reverse

    from .. import sections
    from ..models import Intervention

    def count(label):
        return apps.get_model(label).objects.published().count()

    own = [
        (10, "interventions", "interventions.Intervention", "interventions:intervention-list"),
        (20, "councils", "interventions.Council", "interventions:council-list"),
        (50, "workstreams", "interventions.Workstream", "interventions:workstream-list"),
        (70, "organisations", "interventions.Organisation", "interventions:organisation-list"),
        (75, "people", "interventions.Person", "interventions:person-list"),
        (80, "sources", "interventions.Source", "interventions:source-list"),
    ]
    # Other apps' counts come from the section registry (ratings.sections registers its own).
    counts = [
        (label, count(model), reverse(url) if url else "")
        for _, label, model, url in sorted([*own, *sections.site.counts])
    ]
    latest = (
        Intervention.objects.published()
        .filter(mentioned_only=False)
        .select_related("subject_council")
        .order_by(F("start_date").desc(nulls_last=True), "title")[:TIMELINE_LENGTH]
    )
    timeline = sorted(latest, key=lambda i: (i.start_date is None, i.start_date, i.title))
    return render(request, "home.html", {"counts": counts, "timeline": timeline})


@require_safe
@never_cache
def healthz(request):
    """200 when the app and its database answer; 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        from config.middleware import RETRY_AFTER_SECONDS

        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "up"})


@require_safe
def search(request):
    """One search box over everything; ?kind= filters, ?page= pages, ?format=json for data."""
    from urllib.parse import urlencode

    from .. import searchindex
    from ..search import MAX_QUERY_LENGTH, PER_PAGE, search, terms_of

    query = request.GET.get("q", "").strip()
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "json"):
        return JsonResponse({"errors": [f'Unknown format "{fmt}". Use html or json.']}, status=400)
    problems, errors = [], []
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(f"Only the first {MAX_QUERY_LENGTH} characters of your search were used.")
    kinds = searchindex.kinds()
    kind = request.GET.get("kind", "")
    if kind and kind not in kinds:
        errors.append(f'There is no kind of record called "{kind[:40]}". Showing every kind.')
        kind = ""
    raw_page = request.GET.get("page", "1")
    try:
        page = int(raw_page)
        if page < 1:
            raise ValueError
    except ValueError:
        errors.append("The page must be a whole number, 1 or more. Showing page 1.")
        page = 1
    results = search(query, kind, page) if query else search("", kind, page)
    if query and results.matching and page > results.pages:
        errors.append(f"There is no page {page}: showing the last page, {results.pages}.")
    if query and not terms_of(query):
        problems.append("Type one or more words to search for.")

    def link(**changes):
        params = {"q": query, "kind": kind, "page": results.page, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    if fmt == "json":
        return JsonResponse(
            {
                "query": query,
                "kind": kind,
                "count": results.matching,
                "total": results.total,
                "counts": {k: n for k, _, n in results.counts},
                "page": results.page,
                "pages": results.pages,
                "per_page": PER_PAGE,
                "suggestion": results.suggestion,
                "errors": errors,
                "results": [
                    {
                        "kind": hit.kind,
                        "title": hit.plain_title,
                        "context": hit.context,
                        "snippet": str(hit.snippet),
                        "url": absolute(hit.url),
                    }
                    for hit in results.hits
                ],
            },
            status=400 if errors else 200,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "hits": results.hits,
            "first_number": (results.page - 1) * PER_PAGE + 1,
            "problems": errors + problems,
            "kind_links": [
                (label, n, link(kind=k, page=1), k == kind) for k, label, n in results.counts
            ],
            "all_link": link(kind="", page=1),
            "previous_link": link(page=results.page - 1) if results.page > 1 else "",
            "next_link": link(page=results.page + 1) if results.page < results.pages else "",
            "suggestion_link": link(q=results.suggestion, kind="", page=1)
            if results.suggestion
            else "",
        },
    )
