from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path(
        "interventions/<slug:slug>/", views.InterventionDetail.as_view(), name="intervention-detail"
    ),
    path("councils/<slug:slug>/", views.CouncilDetail.as_view(), name="council-detail"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
]
