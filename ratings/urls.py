from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("inspections/<slug:slug>/", views.InspectionDetail.as_view(), name="inspection-detail"),
    path("judgements/", views.JudgementList.as_view(), name="judgement-list"),
    path("spending/", views.SpendingList.as_view(), name="spending-list"),
    path("data/", views.data_page, name="data"),
]
