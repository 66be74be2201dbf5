"""Refusing requests that no view can answer: a 400 here instead of a 500 deeper down.

PostgreSQL rejects a NUL byte in any text value, so a ``%00`` in a path, a query
parameter, a form field or a cookie would otherwise reach the database and fail
there, whichever view it came through. One middleware refuses them all, before
any view or Wagtail's own admin and API runs.

An id in the query string (``?id=``, ``?pk=``, ``?page_id=``…) goes to the
database as a number, and one beyond any id column (30 digits, say) fails
there: SQLite cannot bind it. Wagtail's choosers read such ids unchecked, so
the same middleware refuses them; the site's own views check theirs.

An HTTP/1.1 request must carry a Host header (RFC 9112, section 3.2). Django
would fall back to the server's own name, so ``require_host`` refuses such a
request at the WSGI boundary, where the header's absence can still be seen.
"""

from django.http import HttpResponseBadRequest

from .url_converters import MAX_ID

NUL = "\x00"


def _has_nul(values):
    return any(NUL in value for value in values)


def _is_id_name(name):
    return name in ("id", "pk") or name.endswith("_id")


def _has_oversized_id(data):
    return any(
        value.isascii() and value.isdigit() and int(value) > MAX_ID
        for name, values in data.lists()
        if _is_id_name(name)
        for value in values
    )


def _query_and_form_values(data):
    for key, values in data.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


class RefuseUnstorableInputMiddleware:
    """400 for a NUL byte anywhere a view could read it (path, query string, form, cookies), or an impossible id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            return HttpResponseBadRequest("Bad request: the address or form contains a NUL character.")
        if _has_oversized_id(request.GET):
            return HttpResponseBadRequest("Bad request: an id in the address is larger than any record's.")
        return self.get_response(request)

    @staticmethod
    def carries_nul(request):
        if NUL in request.path or _has_nul(_query_and_form_values(request.GET)):
            return True
        if _has_nul(request.COOKIES.values()) or _has_nul(request.COOKIES):
            return True
        # Only url-encoded and multipart bodies become request.POST; JSON bodies are
        # parsed, and refused when they do not fit, by the views that take them.
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return _has_nul(_query_and_form_values(request.POST))
        return False


def require_host(application):
    """Wrap a WSGI application so an HTTP/1.1 request without a Host header gets 400."""

    def checked(environ, start_response):
        if environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and not environ.get("HTTP_HOST"):
            # No Connection header: PEP 3333 leaves hop-by-hop headers to the server.
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Bad request: HTTP/1.1 requires a Host header."]
        return application(environ, start_response)

    return checked
