"""The CACHES setting, from CASEBOOK_CACHE_URL.

Without it every process keeps its own caches in memory (LocMem), which is all one host
needs. With `CASEBOOK_CACHE_URL=redis://host:port/db` (or `rediss://` for TLS, or
`unix:///path/to/socket`) the page, count, facet and citation caches live in Redis,
through Django's own Redis backend (which a Redis outage only slows: `SparingRedisCache`),
so several hosts share them: a page one host rendered is
served by the others. The data version that retires cached answers is read from the
database on every request, so an edit through any host retires them on every host at once.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

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
    backend = "config.caches.SparingRedisCache"
    options = {"socket_connect_timeout": 1, "socket_timeout": 2}
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "casebook-default",
            "TIMEOUT": timeout,
            "OPTIONS": options,
        },
        "casebook": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "casebook",
            "TIMEOUT": timeout,
            "OPTIONS": options,
        },
    }


class SparingRedisCache(RedisCache):
    """Django's Redis cache, except that Redis being away costs speed, not pages.

    A cache is only a shortcut: while Redis does not answer, a read is a miss and a write is
    dropped (each logged as a warning), and pages are rendered from the database as if
    nothing were cached. They are cached again as soon as Redis answers.
    """

    def _spare(self, operation, default, *args, **kwargs):
        from redis.exceptions import RedisError

        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            logger.warning("Cache unavailable (%s): %s", operation, error)
            return default

    def get(self, key, default=None, version=None):
        return self._spare("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._spare("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._spare("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._spare("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._spare("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._spare("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._spare("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._spare("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._spare("delete_many", None, keys, version)
