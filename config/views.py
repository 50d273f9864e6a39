"""The site's own small pages: about, accessibility, robots.txt and the favicon."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.svg"


def crumbs(title: str) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), (title, "")]


@require_safe
def about(request):
    return render(request, "pages/about.html", {"breadcrumbs": crumbs("About")})


@require_safe
def accessibility(request):
    return render(
        request, "pages/accessibility.html", {"breadcrumbs": crumbs("Accessibility statement")}
    )


@require_safe
def robots_txt(request):
    """Crawl everything public; not the curators' admin. The sitemap's address is absolute."""
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
    """Browsers ask for /favicon.ico whatever the page says: answer with the SVG icon."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
