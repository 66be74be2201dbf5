"""The production front door (settings/asgi.py): cached pages answered before Django runs.

Each gunicorn worker keeps local copies of the pages it has fetched from the
shared cache, so a popular page costs no network round trip at all. They can
never be served out of date: every change that invalidates cached pages is
published on a Redis channel (home.pagecache.announce), each worker is
subscribed, and before serving a local copy the worker reads any message
waiting on that subscription; a message drops every local copy. A copy is
only kept if no message arrived while it was being fetched, it expires when
the shared entry does, and while the subscription is down (Redis stopped or
restarting) nothing is served locally: every request goes to the shared cache
or to Django as usual, and the subscription is retried every few seconds.

Requests are read with Django's own ASGIRequest and keyed by the same
``request_key()`` as the middleware, so cookies, host validation, scheme and
key are exactly the middleware's; anything that is not a hit goes to ``app``.
"""

import contextlib
import io
import logging
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.asgi import ASGIRequest

from .pagecache import CHANNEL, fetch, request_key, uses_redis

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
CONFIRM_SECONDS = 1


class LocalCopies:
    """This worker's copies of shared-cache pages, dropped whenever Redis announces a change."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = OrderedDict()
        self.size = 0
        # Counts the drops, so a copy fetched while one happened is not kept.
        self.epoch = 0
        self.pubsub = None
        self.retry_at = 0.0

    def clear(self):
        self.epoch += 1
        self.entries.clear()
        self.size = 0

    def listening(self):
        """Read the change messages waiting; False if the subscription is down (then nothing is served locally)."""
        if self.pubsub is None and not self._subscribe():
            return False
        try:
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "message":
                    self.clear()
        except Exception:  # noqa: BLE001 - Redis gone: stop trusting the copies
            logger.warning("Page cache subscription lost", exc_info=True)
            self._unsubscribe()
            return False
        return True

    def _subscribe(self):
        if time.monotonic() < self.retry_at:
            return False
        from django_redis import get_redis_connection

        pubsub = None
        try:
            pubsub = get_redis_connection("default").pubsub()
            pubsub.subscribe(cache.make_key(CHANNEL))
            # Only once Redis confirms is every later announcement sure to reach this worker.
            deadline = time.monotonic() + CONFIRM_SECONDS
            while (message := pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))) is None or (
                message["type"] != "subscribe"
            ):
                if time.monotonic() >= deadline:
                    raise TimeoutError("Redis did not confirm the subscription")
        except Exception:  # noqa: BLE001
            logger.warning("Page cache subscription failed; retrying in %s s", RETRY_SECONDS, exc_info=True)
            if pubsub is not None:
                with contextlib.suppress(Exception):
                    pubsub.close()
            self.retry_at = time.monotonic() + RETRY_SECONDS
            return False
        # Anything copied before now may have missed a message.
        self.clear()
        self.pubsub = pubsub
        return True

    def _unsubscribe(self):
        self.clear()
        with contextlib.suppress(Exception):
            self.pubsub.close()
        self.pubsub = None
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.expires <= time.time():
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return entry

    def put(self, key, entry, epoch):
        if epoch != self.epoch or len(entry.content) > self.max_bytes:
            return
        self._drop(key)
        self.entries[key] = entry
        self.size += len(entry.content)
        while self.size > self.max_bytes:
            self._drop(next(iter(self.entries)))

    def _drop(self, key):
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= len(entry.content)


class CachedPagesFirst:
    """ASGI: answer page-cache hits on the event loop; everything else goes to ``app`` (Django)."""

    def __init__(self, app):
        self.app = app
        # Local copies only make sense beside a shared cache that can announce changes.
        self.copies = LocalCopies(settings.PAGE_CACHE_LOCAL_BYTES) if uses_redis() else None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            entry = self.find(scope)
            if entry is not None:
                headers = entry.headers
                await send(
                    {
                        "type": "http.response.start",
                        "status": entry.status,
                        "headers": [
                            *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers),
                            (b"content-length", str(len(entry.content)).encode()),
                            (b"x-page-cache", b"hit"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else entry.content})
                return
        await self.app(scope, receive, send)

    def find(self, scope):
        key = request_key(ASGIRequest(scope, io.BytesIO()))
        if key is None:
            return None
        copies = self.copies if self.copies is not None and self.copies.listening() else None
        if copies is not None and (entry := copies.get(key)) is not None:
            return entry
        epoch = copies.epoch if copies is not None else None
        _generation, entry = fetch(key)
        if entry is not None and copies is not None:
            copies.put(key, entry, epoch)
        return entry
