from django.urls import path

from interventions.versions import version_urls

from . import views
from .models import Inspection

app_name = "ratings"

urlpatterns = [
    path("inspections/", views.InspectionList.as_view(), name="inspection-list"),
    path("statistics/", views.StatisticList.as_view(), name="statistic-list"),
    path("inspections/<slug:slug>/", views.InspectionDetail.as_view(), name="inspection-detail"),
    *version_urls("inspections", Inspection, "Inspection", "inspection"),
    path("judgements/", views.JudgementList.as_view(), name="judgement-list"),
    path("spending/", views.SpendingList.as_view(), name="spending-list"),
    path("compare/", views.ComparePage.as_view(), name="compare"),
    path("outcomes/", views.OutcomeList.as_view(), name="outcome-list"),
    path("data/", views.data_page, name="data"),
    path("data/casebook-data.zip", views.data_download, name="data-download"),
]
