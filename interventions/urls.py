from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path("interventions/", views.InterventionList.as_view(), name="intervention-list"),
    path(
        "interventions/<slug:slug>/", views.InterventionDetail.as_view(), name="intervention-detail"
    ),
    path("councils/", views.CouncilList.as_view(), name="council-list"),
    path("councils/<slug:slug>/", views.CouncilDetail.as_view(), name="council-detail"),
    path("workstreams/", views.WorkstreamList.as_view(), name="workstream-list"),
    path("sources/", views.SourceList.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
    path("search/", views.search, name="search"),
]
