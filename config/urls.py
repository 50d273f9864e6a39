from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from config.sitemaps import sitemaps
from interventions import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps()}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("", include("interventions.urls")),
    path("", include("ratings.urls")),
]
