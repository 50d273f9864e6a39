from django.views.generic import DetailView

from ..models import Inspection


class InspectionDetail(DetailView):
    queryset = Inspection.objects.select_related("council", "inspectorate", "source")
    template_name = "ratings/inspection_detail.html"
