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

    from ..models import Intervention

    def count(label):
        return apps.get_model(label).objects.published().count()

    counts = [
        (
            "interventions",
            count("interventions.Intervention"),
            reverse("interventions:intervention-list"),
        ),
        ("councils", count("interventions.Council"), reverse("interventions:council-list")),
        ("inspections", count("ratings.Inspection"), reverse("ratings:inspection-list")),
        ("inspection judgements", count("ratings.Judgement"), reverse("ratings:judgement-list")),
        ("spending lines", count("ratings.SpendingLine"), reverse("ratings:spending-list")),
        (
            "workstreams",
            count("interventions.Workstream"),
            reverse("interventions:workstream-list"),
        ),
        ("statistics", count("ratings.Statistic"), reverse("ratings:statistic-list")),
        (
            "organisations",
            count("interventions.Organisation"),
            reverse("interventions:organisation-list"),
        ),
        ("sources", count("interventions.Source"), reverse("interventions:source-list")),
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
    """One search box over everything; ?format=json for the same results as data."""
    from collections import Counter

    from ..search import MAX_QUERY_LENGTH, run_search, terms_of

    query = request.GET.get("q", "").strip()
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "json"):
        return JsonResponse({"errors": [f'Unknown format "{fmt}". Use html or json.']}, status=400)
    problems = []
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(f"Only the first {MAX_QUERY_LENGTH} characters of your search were used.")
    hits = run_search(query) if query else []
    if query and not terms_of(query):
        problems.append("Type one or more words to search for.")
    if fmt == "json":
        return JsonResponse(
            {
                "query": query,
                "count": len(hits),
                "results": [
                    {
                        "kind": hit.kind,
                        "title": hit.title,
                        "context": hit.context,
                        "url": absolute(hit.url),
                    }
                    for hit in hits
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    kinds = Counter(hit.kind for hit in hits)
    return render(
        request,
        "search.html",
        {"query": query, "hits": hits, "kinds": sorted(kinds.items()), "problems": problems},
    )
