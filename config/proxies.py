"""The client's address, from the proxies' X-Forwarded-For only when they are trusted.

Behind a proxy every request comes from the proxy's address (REMOTE_ADDR), so a lockout
keyed on it would lock a curator out for everybody behind that proxy. Each trusted proxy
appends the address it was reached from to X-Forwarded-For, so with N trusted proxies the
client is the N-th address from the right; anything further left was written by the client
and is ignored. With no trusted proxy (the default) the header is ignored altogether: a
client could write any address into it.
"""

import ipaddress

from django.conf import settings


def client_ip_address(request) -> str | None:
    """The address django-axes locks out (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.CASEBOOK_TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through all the trusted proxies: only REMOTE_ADDR is known
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
