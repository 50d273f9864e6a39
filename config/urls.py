from django.contrib import admin
from django.urls import include, path

from interventions import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("interventions.urls")),
    path("", include("ratings.urls")),
]
