from django.views.generic import DetailView

from ..models import Council, Intervention, Source


class InterventionDetail(DetailView):
    queryset = Intervention.objects.select_related("subject_council", "source")
    template_name = "interventions/intervention_detail.html"


class CouncilDetail(DetailView):
    queryset = Council.objects.all()
    template_name = "interventions/council_detail.html"


class SourceDetail(DetailView):
    queryset = Source.objects.all()
    template_name = "interventions/source_detail.html"
