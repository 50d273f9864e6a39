from django.urls import path

from . import views
from .models import Council, Intervention, Organisation, Source
from .versions import VersionPage

app_name = "interventions"

urlpatterns = [
    path("interventions/", views.InterventionList.as_view(), name="intervention-list"),
    path(
        "interventions/<slug:slug>/", views.InterventionDetail.as_view(), name="intervention-detail"
    ),
    path("councils/", views.CouncilList.as_view(), name="council-list"),
    path("councils/<slug:slug>/", views.CouncilDetail.as_view(), name="council-detail"),
    path("workstreams/", views.WorkstreamList.as_view(), name="workstream-list"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetail.as_view(),
        name="organisation-detail",
    ),
    path("sources/", views.SourceList.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
    path("search/", views.search, name="search"),
    # A stable address per version of a record, so a citation keeps pointing at what was read.
    path(
        "interventions/<slug:slug>/versions/<int:version>/",
        VersionPage.as_view(model=Intervention, kind="Case study"),
        name="intervention-version",
    ),
    path(
        "councils/<slug:slug>/versions/<int:version>/",
        VersionPage.as_view(model=Council, kind="Council"),
        name="council-version",
    ),
    path(
        "organisations/<slug:slug>/versions/<int:version>/",
        VersionPage.as_view(model=Organisation, kind="Organisation"),
        name="organisation-version",
    ),
    path(
        "sources/<slug:slug>/versions/<int:version>/",
        VersionPage.as_view(model=Source, kind="Source"),
        name="source-version",
    ),
]
