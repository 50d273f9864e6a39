"""Keep answering when the database does not: a 503 page with Retry-After, then recovery."""

import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(error: BaseException) -> bool:
    """A lost or refused connection, not a bad query (which stays a real error)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    return isinstance(error, DatabaseError) and "connection" in str(error).lower()


def unavailable_response():
    from django.http import HttpResponse

    body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turn a database outage anywhere below it into a 503 page, and drop broken connections.

    Django opens a fresh connection on the next request once the broken one is closed, so
    the site recovers by itself when the database comes back: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DatabaseError as error:
            if not is_outage(error):
                raise
            return self.outage(error)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and is_outage(exception):
            return self.outage(exception)
        return None

    @staticmethod
    def outage(error):
        logger.warning("Database unavailable: %s", error)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
            if connection.errors_occurred or not connection.is_usable():
                connection.close()
        return unavailable_response()


class ServerTimingMiddleware:
    """Say how long the server took, in a Server-Timing header (benchmarks read it).

    For a streamed export it is the time to the first byte, which is what a reader waits for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response
