"""The CACHES setting, from CASEBOOK_CACHE_URL.

Without it every process keeps its own caches in memory (LocMem), which is all one host
needs. With `CASEBOOK_CACHE_URL=redis://host:port/db` (or `rediss://` for TLS, or
`unix:///path/to/socket`) the page, count, facet and citation caches live in Redis,
through Django's own Redis backend, so several hosts share them: a page one host rendered is
served by the others. The data version that retires cached answers is read from the
database on every request, so an edit through any host retires them on every host at once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis", "rediss", "unix")
# In Redis nothing is evicted for being old unless it expires: an answer for a data version
# that has moved on is never read again, so every entry lapses after a day (a page still
# asked for is simply rendered again).
REDIS_TIMEOUT_SECONDS = 24 * 60 * 60


def caches_from_url(url: str | None, timeout: int = REDIS_TIMEOUT_SECONDS) -> dict:
    """Django's CACHES for CASEBOOK_CACHE_URL (None or empty: in memory, per process)."""
    url = (url or "").strip()
    if not url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "casebook": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "casebook",
                "TIMEOUT": None,  # retired by the data version, not by age
                "OPTIONS": {"MAX_ENTRIES": 600},  # pages of at most 256 KB: 150 MB at worst
            },
        }
    parts = urlsplit(url)
    problem = None
    if parts.scheme not in REDIS_SCHEMES:
        problem = f'it must start with redis://, rediss:// or unix://, not "{parts.scheme}:"'
    elif parts.scheme == "unix" and not parts.path:
        problem = "a unix:// address needs the path of the socket"
    elif parts.scheme != "unix":
        try:
            port = parts.port
        except ValueError:
            port = None
            problem = "its port is not a number from 1 to 65535"
        if problem is None and not parts.hostname:
            problem = "it names no host"
        elif problem is None and port == 0:
            problem = "its port is not a number from 1 to 65535"
        elif problem is None and parts.path.strip("/") and not parts.path.strip("/").isdigit():
            problem = "the part after the host must be a database number, such as /0"
    if problem:
        raise ImproperlyConfigured(
            f"CASEBOOK_CACHE_URL={url!r} is not a Redis address: {problem}. "
            "Use, for example, redis://127.0.0.1:6379/0, or leave it unset to cache in memory."
        )
    backend = "django.core.cache.backends.redis.RedisCache"
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "casebook-default",
            "TIMEOUT": timeout,
        },
        "casebook": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "casebook",
            "TIMEOUT": timeout,
        },
    }
