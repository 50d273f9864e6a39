"""Answers that only change when the data does, cached until it does.

Counting a million rows for a page count or a facet takes longer than a whole page may.
The answer is the same until someone changes the data, so it is cached under the current
data version (`DataVersion.number`), which every write to content moves on. Every server
process reads the version (one indexed row) from the database once per request, never from
a memo of its own, so an edit through any host retires every cached answer on every host at
once, whether the caches are per process or shared in Redis (`CASEBOOK_CACHE_URL`); no answer
is ever served for data that has changed.

Writes through models move the version by signals (connected in `InterventionsConfig`);
bulk writes (`seed`, `generate_synthetic`, the publishing service) call `bump()` themselves.

For `make bench`, `CASEBOOK_BENCH_COLD` gives every request a data version of its own, as if
an edit had come just before it: every answer is worked out afresh and stored, as on the
first visit after an edit (`cold()`).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db.models import F
from django.utils import timezone

from .models import DataVersion

CACHE_ALIAS = "casebook"


def cache():
    return caches[CACHE_ALIAS]


def enabled() -> bool:
    return getattr(settings, "CASEBOOK_CACHE", True)


def cold() -> bool:
    """Benchmarks only: is every request to be served as the first after an edit?"""
    return getattr(settings, "CASEBOOK_BENCH_COLD", False)


def current(request=None) -> str:
    """The data version, read at most once per request.

    The number and the time it last moved: after a database is restored from a backup, or a
    transaction that moved it rolls back, the number alone could come round again.
    """
    if request is not None and hasattr(request, "_casebook_data_version"):
        return request._casebook_data_version
    row = DataVersion.objects.filter(pk=1).values_list("number", "changed").first()
    version = f"{row[0]}@{row[1].timestamp():.6f}" if row else "0"
    if cold():
        version += f"~cold-{secrets.token_hex(8)}"  # a version nothing has been cached under
    if request is not None:
        request._casebook_data_version = version
    return version


def bump() -> None:
    """Say the data has changed: every cached answer is retired."""
    now = timezone.now()
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed=now):
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1})


# An answer that is incomplete because the server was slow (a facet that gave up counting)
# is kept for a minute, not until the next edit: a busy moment must not hide it for days.
INCOMPLETE_SECONDS = 60


def remember(request, key: str, compute, timeout_for=None):
    """`compute()`, or its answer from the cache for this data version.

    `timeout_for(value)` may give an answer a lifetime in seconds (None: until the data
    changes)."""
    if not enabled():
        return compute()
    digest = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"v{current(request)}:{digest}"
    hit = cache().get(full_key)
    if hit is not None:
        return hit
    value = compute()
    store(full_key, value, timeout_for(value) if timeout_for else None)
    return value


def store(key: str, value, seconds: int | None = None) -> None:
    """Keep `value` for `seconds`, or (None) until the data changes: in memory that is for
    ever, in Redis the cache's own lifetime (config.caches), so old versions lapse."""
    if seconds is None:
        cache().set(key, value)
    else:
        cache().set(key, value, seconds)
