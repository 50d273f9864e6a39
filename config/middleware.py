"""Keep answering when the database does not: a 503 page with Retry-After, then recovery."""

import contextlib
import hashlib
import logging
import re
import sys
import time

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

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

    A view's exception reaches `process_exception`. An exception raised by another
    middleware does not: Django turns it into a 500 response at that middleware, before it
    can reach this one. That is where a session cookie leads during an outage (loading the
    session to find the user, for the page cache, the admin or a view), so the error is
    noted on the request as Django reports it (`got_request_exception`) and the 500 it
    became is replaced here by the 503.

    Django opens a fresh connection on the next request once the broken one is closed, so
    the site recovers by itself when the database comes back: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(note_outage, dispatch_uid="casebook-note-outage")

    def __call__(self, request):
        try:
            if self.needs_database(request):
                with connections["default"].cursor() as cursor:
                    cursor.execute("SELECT 1")
            response = self.get_response(request)
        except DatabaseError as error:
            if not is_outage(error):
                raise
            return self.outage(error)
        error = getattr(request, OUTAGE_ATTRIBUTE, None)
        if error is not None and response.status_code >= 500:
            return self.outage(error)
        return response

    @staticmethod
    def needs_database(request) -> bool:
        """The admin's sign-in form draws without the database, but signing in needs it:
        say the site is unavailable before a curator types a password in vain."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name == "admin:login"

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


OUTAGE_ATTRIBUTE = "casebook_database_outage"


def note_outage(sender, request=None, **kwargs):
    """Mark the request when the exception Django is turning into a 500 is an outage."""
    error = sys.exc_info()[1]
    if request is not None and error is not None and is_outage(error):
        setattr(request, OUTAGE_ATTRIBUTE, error)


class NotAnOutage(logging.Filter):
    """Keep the traceback of an outage out of Django's request log (settings.LOGGING).

    Django logs the 500 it made of an outage in a middleware, traceback and all, before the
    outage middleware replaces it: the 503 and the warning above are what happened.
    """

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not is_outage(error)


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


class BenchQueriesMiddleware:
    """With CASEBOOK_BENCH_COLD (benchmarks only), say in an X-Casebook-Queries header how
    many SQL queries the request ran, so that `make bench` can print each page's count.

    For a streamed export it counts the queries before the first byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        if not getattr(settings, "CASEBOOK_BENCH_COLD", False):
            return self.get_response(request)
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with contextlib.ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = self.get_response(request)
        response["X-Casebook-Queries"] = str(count)
        return response


BLANK_RUN = re.compile(rb"[ \t]*\n\s*")


class PublicPageCacheMiddleware:
    """Serve the public pages from a cache keyed by the data version.

    A public page depends only on its address and the data, so a page rendered once is
    served again, byte for byte, until anything in the data changes (then every cached page
    is retired at once: `interventions.datacache`). The key is the path and the parameters
    the page's view knows (`config.pagekey`): any other parameter is dropped before the view
    sees it, so it neither changes the page nor misses the cache. HEAD is answered from the
    entry GET would be (rendered as GET on a miss), without the body. With
    CASEBOOK_CACHE_URL the cache is Redis, shared by every host. Signed-in users (who may
    see drafts) are never served from it or stored in it; nor are pages that set a cookie,
    streamed exports, or answers other than 200. `X-Casebook-Cache` says hit or miss.

    What a page may not freeze is the date a reader accesses it: citations carry a stand-in
    for it (`interventions.citations.ACCESSED_*`), and every response that passes here,
    cached or not, public or not, leaves with today's date in its place (`stamp`).
    """

    PUBLIC_NAMESPACES = ("interventions", "ratings")
    PUBLIC_NAMES = ("home", "sitemap")
    MAX_BYTES = 256 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.stamp(self.serve(request))
        if getattr(request, "casebook_head_as_get", False) and not response.streaming:
            # HEAD: the headers GET would have, Content-Length included, and no body.
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    def serve(self, request):
        from interventions import datacache

        from .pagekey import known_params, normalised

        match = self.public_route(request)
        if match is None:
            return self.get_response(request)
        known = known_params(match)
        if known is not None:
            # The view sees only the parameters it knows, in order, so a page asked for
            # with any other parameter (or in another order) is the page cached for all.
            query = normalised(request.GET, known)
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        elif request.method != "GET":
            return self.get_response(request)  # HEAD of a route that may answer it apart
        if not datacache.enabled():
            return self.compact(self.get_response(request))
        try:
            version = datacache.current(request)
        except DatabaseError as error:
            if not is_outage(error):
                raise
            return DatabaseOutageMiddleware.outage(error)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:v{version}:{path}"
        head = request.method == "HEAD"
        request.casebook_head_as_get = head
        stored = datacache.cache().get(key)
        if stored is not None:
            return self.rebuild(stored)
        if head:
            request.method = "GET"  # rendered, and cached, as GET would be; sent without body
        try:
            response = self.compact(self.get_response(request))
        finally:
            if head:
                request.method = "HEAD"
        if self.cacheable(request, response):
            incomplete = getattr(response, "casebook_incomplete", False)
            datacache.store(
                key, self.freeze(response), datacache.INCOMPLETE_SECONDS if incomplete else None
            )
            response["X-Casebook-Cache"] = "miss"
        return response

    @staticmethod
    def compact(response):
        """A public page without the blank lines and indentation its templates leave (a
        tenth of a large page). Whitespace holding a line break becomes one line break, which
        a browser renders the same; a page with preformatted text is left as it is."""
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        content = response.content
        if b"<pre" in content or b"<textarea" in content:
            return response
        compacted = BLANK_RUN.sub(b"\n", content)
        if len(compacted) != len(content):
            response.content = compacted
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(compacted))
        return response

    @staticmethod
    def stamp(response):
        """Today's date in place of each accessed-date stand-in (none in most responses)."""
        from interventions.citations import fill_accessed

        if response.streaming:
            return response
        content = response.content
        filled = fill_accessed(content)
        if filled is not content:
            response.content = filled
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(filled))
        return response

    def public_route(self, request):
        """The route of a GET or HEAD of a public page by someone not signed in (staff may
        see drafts), or None."""
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.namespace in self.PUBLIC_NAMESPACES or match.url_name in self.PUBLIC_NAMES:
            return match
        return None

    def cacheable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # a page carrying a CSRF token belongs to one visitor
        if len(response.content) > self.MAX_BYTES:
            return False
        control = response.get("Cache-Control", "")
        return "no-store" not in control and "private" not in control

    @staticmethod
    def freeze(response) -> tuple:
        return (response.status_code, list(response.headers.items()), response.content)

    @staticmethod
    def rebuild(stored):
        from django.http import HttpResponse

        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Casebook-Cache"] = "hit"
        return response
