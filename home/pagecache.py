"""Whole public pages for anonymous readers, served from the cache (Redis in production).

What is cached: GET/HEAD requests without a session or messages cookie (so no
editor, no signed-in reader, no pending "thank you" message), for paths outside
the admin and the per-reader endpoints, whose response is a 200 that set no
cookie and did not use a CSRF token. The page HTML is the same for every such
reader by design: ratings and comment forms fetch their per-reader state from
small uncached endpoints.

Invalidation is by generation: every cached page is stored with the
generation current when it was rendered, and a hit needs the generation to
still be current. Any content change (publishing, unpublishing, moving or
deleting a page, an approved or removed comment, an edited snippet, image,
tag or setting) starts a new generation, so no page can outlive a change to
anything it shows. One lookup fetches both keys. A reader's vote refreshes the
review's own page at once; listings pick up new averages within
PAGE_CACHE_SECONDS. If the cache is down every request is simply rendered.

The same generations keep what rendering remembers (``memoize``, ``recall``,
``remember``; ``{% fragment %}`` in templates): template fragments, the Wagtail
site and the route to each page (home/routing.py), ranked search hits. A
page-cache miss, or a signed-in reader's page, reuses them until the next
change; previews never do.

Each change is also announced on a Redis channel, which the production front
door (home/pagefront.py) listens to for the per-worker copies of pages.
"""

import functools
import hashlib
import logging
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Published whenever cached pages go out of date, for the servers' local
# copies (home/pagefront.py).
CHANNEL = "pagecache:changes"
BYPASS_PREFIXES = (
    "/admin/",
    "/documents/",
    "/ratings/",
    "/comments/",
    "/go/",
    "/search/",
    "/healthz",
    "/api/",
    "/static/",
    "/media/",
)
CACHEABLE_TYPES = ("text/html", "application/xml", "application/rss+xml", "application/atom+xml", "text/plain")
# Everything but per-response bookkeeping; the security headers are kept.
UNSTORED_HEADERS = {"content-length", "date", "set-cookie", "x-page-cache"}


class Entry(NamedTuple):
    """A stored response; ``expires`` is a Unix time, kept by the local copies too."""

    generation: int
    status: int
    headers: list
    content: bytes
    expires: float


def uses_redis():
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis.")


def announce():
    """Tell every server that pages changed, so they drop their local copies."""
    if not uses_redis():
        return
    from django_redis import get_redis_connection

    try:
        get_redis_connection("default").publish(cache.make_key(CHANNEL), b"changed")
    except Exception:  # noqa: BLE001 - Redis down: the local copies were dropped when it went
        logger.warning("Page cache change could not be announced", exc_info=True)


def _bump():
    try:
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:  # noqa: BLE001 - a cache outage must never break a save
        logger.warning("Page cache generation could not be bumped", exc_info=True)
    announce()


def new_generation():
    """Start a new generation: every page cached so far is out of date.

    Now, and again when the transaction commits: a page rendered in between
    (still showing the old content) was stored under the first new generation
    and is dropped by the second.
    """
    _bump()
    transaction.on_commit(_bump)


def page_key(scheme, host, path, gzip):
    digest = hashlib.sha256(f"{scheme}|{host}|{path}|{int(gzip)}".encode()).hexdigest()
    return f"pagecache:v2:page:{digest}"


def _index_key(page_id):
    return f"pagecache:pageindex:{page_id}"


def remember_key(page_id, key):
    """Note which cached entries show page ``page_id`` (any host, encoding or query string)."""
    index = _index_key(page_id)
    keys = cache.get(index) or []
    if key not in keys:
        cache.set(index, [*keys, key][-50:], settings.PAGE_CACHE_SECONDS)


def _forget(page_id):
    try:
        keys = cache.get(_index_key(page_id)) or []
        cache.delete_many([*keys, _index_key(page_id)])
    except Exception:  # noqa: BLE001
        logger.warning("Page cache entries could not be dropped", exc_info=True)
    announce()


def forget_review(review):
    """Drop every cached copy of one page, e.g. a review after a reader's vote (now and on commit)."""
    _forget(review.pk)
    transaction.on_commit(lambda: _forget(review.pk))


def _anonymous(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _applies(request):
    return (
        settings.PAGE_CACHE_ENABLED
        and not getattr(request, "is_dummy", False)  # Wagtail's previews
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(BYPASS_PREFIXES)
        and _anonymous(request)
    )


def _host(request):
    try:
        return request.get_host()
    except Exception:  # noqa: BLE001 - DisallowedHost: let Django answer 400
        return None


def request_key(request):
    """The cache key of a request the page cache applies to, else None."""
    if not _applies(request):
        return None
    host = _host(request)
    if host is None:
        return None
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    # The scheme too: HTTPS responses carry HSTS, plain ones are redirects.
    return page_key(request.scheme, host, request.get_full_path(), gzip)


def current_generation():
    """The current generation (started now if the cache has none), or None if the cache is down."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, time.time_ns(), None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # noqa: BLE001
        return None
    return generation


def request_generation(request):
    """The generation a request renders under, read once per request (the page cache may already have)."""
    if not hasattr(request, "_pagecache_generation"):
        request._pagecache_generation = current_generation()
    return request._pagecache_generation


_MISSING = object()


def memos_apply(request):
    """Whether this request may reuse remembered fragments, routes and searches (never in previews)."""
    return (
        request is not None
        and settings.FRAGMENT_CACHE_ENABLED
        and not getattr(request, "is_preview", False)
        and not getattr(request, "is_dummy", False)
    )


def _memo_key(request, name, parts):
    """The cache key for ``name(parts)`` under the request's generation, or None where memos are off."""
    if not memos_apply(request):
        return None
    generation = request_generation(request)
    if generation is None:  # the cache is down
        return None
    digest = hashlib.sha256(repr((generation, parts)).encode()).hexdigest()
    return f"memo:{name}:{digest}"


def recall(request, name, parts, default=None):
    """What ``remember`` kept for ``name(parts)`` in this generation, else ``default``."""
    key = _memo_key(request, name, parts)
    if key is None:
        return default
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001
        return default


def remember(request, name, parts, value):
    """Keep ``value`` until content changes (a new generation) or PAGE_CACHE_SECONDS pass."""
    key = _memo_key(request, name, parts)
    if key is not None:
        try:
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Could not remember %s", name, exc_info=True)


def memoize(request, name, parts, compute):
    """``compute()``, reused for the same ``parts`` until content changes."""
    value = recall(request, name, parts, _MISSING)
    if value is _MISSING:
        value = compute()
        remember(request, name, parts, value)
    return value


def fetch(key):
    """``(generation, entry)``: the current generation (None if the cache is down), and the stored page
    if it is of that generation."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - treat a broken cache as empty
        found = {}
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    entry = found.get(key)
    if (
        generation is not None
        and isinstance(entry, Entry)
        and entry.generation == generation
        and entry.expires > time.time()
    ):
        return generation, entry
    return generation, None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request_key(request)
        if key is None:
            return self.get_response(request)
        generation, entry = fetch(key)
        if entry is not None:
            return self._from_entry(request, entry)
        request._pagecache_generation = generation

        response = self.get_response(request)
        if _storable(request, response):
            response["X-Page-Cache"] = "miss"
            if generation is None:  # the cache is down: nothing to store it in
                return response
            entry = Entry(
                generation,
                response.status_code,
                [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS],
                response.content,
                time.time() + settings.PAGE_CACHE_SECONDS,
            )
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                page_id = getattr(response, "cached_page_id", None)
                if page_id is not None:
                    remember_key(page_id, key)
            except Exception:  # noqa: BLE001
                logger.warning("Page could not be cached", exc_info=True)
        return response

    @staticmethod
    def _from_entry(request, entry):
        response = HttpResponse(b"" if request.method == "HEAD" else entry.content, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        response["Content-Length"] = str(len(entry.content))
        response["X-Page-Cache"] = "hit"
        return response


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and response.get("Content-Type", "").split(";")[0].strip() in CACHEABLE_TYPES
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# -- invalidation ------------------------------------------------------------

# Saves that only record a draft, a lock or a revision pointer change nothing
# readers see.
DRAFT_ONLY_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "live_revision",
}


# Wagtail fills these in on an image's first use (e.g. its first rendition):
# nothing a reader sees changes.
IMAGE_BOOKKEEPING_FIELDS = {"file_size", "file_hash"}


@functools.cache
def _models_that_show():
    """Everything a public page displays besides its own fields."""
    from taggit.models import Tag
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.images.models import AbstractImage
    from wagtail.models import PageViewRestriction, Site

    from blog.affiliates.models import AffiliateLink, AffiliateProgram
    from blog.models import Genre, Person

    # A page made private (or public again) changes what every listing shows.
    return (
        AbstractImage,
        BaseSiteSetting,
        Site,
        PageViewRestriction,
        Tag,
        Person,
        Genre,
        AffiliateProgram,
        AffiliateLink,
        SearchPromotion,
    )


def _saved(sender, instance, update_fields=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
            return
        if kwargs.get("created") and not instance.live:
            return  # a new draft
        new_generation()
    elif isinstance(instance, _models_that_show()):
        if update_fields and set(update_fields) <= IMAGE_BOOKKEEPING_FIELDS:
            return
        new_generation()


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, (Page, *_models_that_show())):
        new_generation()


def _page_changed(sender, **kwargs):
    new_generation()


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_saved, dispatch_uid="pagecache.saved")
    post_delete.connect(_deleted, dispatch_uid="pagecache.deleted")
    page_published.connect(_page_changed, dispatch_uid="pagecache.published")
    page_unpublished.connect(_page_changed, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="pagecache.moved")


class RememberedSiteMiddleware:
    """Wagtail's Site for the request, with its root page, remembered until content changes.

    Wagtail looks the site up with a query on every request and then loads the
    root page and its specific type: three queries whose answer only changes
    when a site or a page is saved, which starts a new generation. The root
    page is cached on the Site instance, so it is remembered with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port
        from wagtail.models import Site

        if not memos_apply(request):
            return self.get_response(request)
        parts = (split_domain_port(request._get_raw_host())[0], request.get_port())
        site = recall(request, "site", parts)
        if not isinstance(site, Site):
            site = Site._find_for_request(request)
            if site is not None:
                root = site.root_page.localized.specific  # cached on the site: remembered with it
                if hasattr(root, "remembered_view_restrictions"):
                    root.remembered_view_restrictions = list(root.get_view_restrictions())
                remember(request, "site", parts, site)
        request._wagtail_site = site
        return self.get_response(request)
