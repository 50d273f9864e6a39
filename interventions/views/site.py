from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from .models import Council, Intervention, Source


def home(request):
    from django.apps import apps

    def count(label):
        return apps.get_model(label).objects.count()

    counts = [
        ("interventions", count("interventions.Intervention")),
        ("councils", count("interventions.Council")),
        ("organisations", count("interventions.Organisation")),
        ("inspections", count("ratings.Inspection")),
        ("judgements", count("ratings.Judgement")),
        ("spending lines", count("ratings.SpendingLine")),
        ("statistics", count("ratings.Statistic")),
        ("sources", count("interventions.Source")),
    ]
    return render(request, "home.html", {"counts": counts})


@never_cache
def healthz(request):
    """200 when the app and its database answer; 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


class InterventionDetail(DetailView):
    queryset = Intervention.objects.select_related("subject_council", "source")
    template_name = "interventions/intervention_detail.html"


class CouncilDetail(DetailView):
    queryset = Council.objects.all()
    template_name = "interventions/council_detail.html"


class SourceDetail(DetailView):
    queryset = Source.objects.all()
    template_name = "interventions/source_detail.html"
