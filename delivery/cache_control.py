"""Who may keep a response, said in ``Cache-Control`` for the CDN or Varnish in front.

A response is *shared* (``public, s-maxage=…``) only when it is the same for
every reader: an anonymous GET or HEAD, a 200 or a permanent redirect, that set
no cookie, used no CSRF token (``get_token``), and that the view did not mark
itself. Everything else that says nothing is ``private, no-cache``: a reader's
session, messages, votes and comments never reach a shared cache.

Shared pages may be kept for a long time because every change purges what it
affects (``delivery.invalidation``); browsers revalidate at once (they cannot be
purged). ``stale-while-revalidate`` and ``stale-if-error`` let the proxy answer
from what it has while it refetches, or while the app is down.

A render that overlapped a change to what it shows is not shared
(``delivery.freshness``), so a purge can never be undone by a slower render
that read the old data (a render that passed the check a moment before the
change but reached the proxy after its purge is caught by the purge's second
pass, ``delivery.purging``).
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_cache_control

from . import freshness

SHAREABLE_STATUSES = {200, 301, 308}


def is_anonymous(request):
    """No account, session or pending message: what the reverse proxy also checks before it shares a page."""
    cookies = request.COOKIES
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def says_who_may_keep_it(response):
    """True when the view already chose: never-cache views, static files, media."""
    directives = response.get("Cache-Control", "")
    return any(word in directives for word in ("private", "no-store", "no-cache", "public", "max-age"))


def is_shareable(request, response):
    return (
        request.method in ("GET", "HEAD")
        and response.status_code in SHAREABLE_STATUSES
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and is_anonymous(request)
    )


class CacheControlMiddleware:
    """Outermost but for ``/healthz``: the freshness check is the last thing before the response leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = freshness.tokens(request.path) if request.method in ("GET", "HEAD") else freshness.DOWN
        response = self.get_response(request)
        if says_who_may_keep_it(response):
            return response
        if is_shareable(request, response) and freshness.unchanged(before, request.path):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.CACHE_BROWSER_SECONDS,
                s_maxage=settings.CACHE_SHARED_SECONDS,
                stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE_SECONDS,
                stale_if_error=settings.CACHE_STALE_IF_ERROR_SECONDS,
            )
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
