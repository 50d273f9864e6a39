"""The site's own small answers: robots.txt and the favicon."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.svg"


@require_safe
def robots_txt(request):
    """Crawl everything public, not the curators' admin; the sitemap's address is absolute and
    comes from CASEBOOK_SITE_URL, never from the request's Host."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        f"Sitemap: {settings.CASEBOOK_SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: answer with the SVG icon."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
