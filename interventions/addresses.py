"""Absolute addresses, from the one configured site address (settings.CASEBOOK_SITE_URL).

Never from the request's Host header: public pages are cached and served to everyone, so a
request with an odd Host (another port, capitals, a trailing dot) must not be able to put its
host into a canonical link, a citation or a JSON `url` that others are then served.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

# What a record's slug may hold: the characters of Django's <slug:> path converter. A slug
# taken from a query string is checked against it before it reaches the database (PostgreSQL
# answers a NUL byte in a query with an error, not an empty result).
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def is_slug(value: str) -> bool:
    return SLUG.fullmatch(value) is not None


def site_root() -> str:
    """The site's address without a trailing slash, e.g. "https://casebook.example.org"."""
    return settings.CASEBOOK_SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    """The absolute URL of a path on this site ("/councils/slough/" → "https://…/councils/slough/")."""
    if not path.startswith("/"):
        path = f"/{path}"
    return site_root() + path


def protocol_and_domain() -> tuple[str, str]:
    """("https", "casebook.example.org"), for Django's sitemaps."""
    parts = urlsplit(site_root())
    return parts.scheme or "https", parts.netloc + parts.path


def site_url(request) -> dict:
    """Template context: `site_url` ("https://…", no trailing slash) for canonical links."""
    return {"site_url": site_root()}
