from django.urls import path

from . import corrections, views
from .models import Council, Intervention, Organisation, Person, Source
from .versions import version_urls
from .views.disagreements import DisagreementDetail, DisagreementList

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
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person-detail"),
    path("sources/", views.SourceList.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
    path("search/", views.search, name="search"),
    path("disagreements/", DisagreementList.as_view(), name="disagreement-list"),
    path("disagreements/<slug:slug>/", DisagreementDetail.as_view(), name="disagreement-detail"),
    # Every correction to a published record, newest first, and its Atom feed.
    path("changes/", corrections.change_list, name="change-list"),
    path("changes/feed/", corrections.ChangesFeed(), name="change-feed"),
    # A stable address per version of a record, so a citation keeps pointing at what was read.
    *version_urls("interventions", Intervention, "Case study", "intervention"),
    *version_urls("councils", Council, "Council", "council"),
    *version_urls("organisations", Organisation, "Organisation", "organisation"),
    *version_urls("sources", Source, "Source", "source", views.SourceDetail.extra_query_params),
    *version_urls("people", Person, "Person", "person"),
]
