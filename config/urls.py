from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from config import views as site_views
from config.openapi import openapi_json
from config.sitemaps import sitemaps
from interventions import views as core_views

# The curators' side of the site, named for what it is for.
admin.site.site_header = "Casebook curation"
admin.site.site_title = "Casebook curation"
admin.site.index_title = "Curate Casebook's records"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps()}, name="sitemap"),
    path("about/", site_views.about, name="about"),
    path("accessibility/", site_views.accessibility, name="accessibility"),
    path("robots.txt", site_views.robots_txt, name="robots-txt"),
    path("favicon.ico", site_views.favicon, name="favicon"),
    # The description of every JSON answer (each list and record page's ?format=json).
    path("api/openapi.json", openapi_json, name="openapi"),
    path("admin/", admin.site.urls),
    path("", include("interventions.urls")),
    path("", include("ratings.urls")),
]
