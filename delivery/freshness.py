"""Closing the race between a render and a purge.

A page rendered from data read just before a change commits, but handed to
the proxy just after the change's purge, would be stored stale and stay so.
So every purge first gives each affected path a new change token (in the
shared cache: Redis in production), and a render is shared only if the tokens
of its path and of the whole site (``*``) are the same when it ends as when it
began: otherwise it is sent ``private`` and the next reader gets a fresh
render. Tokens, not clocks: servers' clocks need not agree.

When the shared cache cannot answer, nothing is shared: pages are still
served, rendered afresh, and nothing stale can be stored.
"""

import hashlib
import uuid

from django.core.cache import cache

EVERYTHING = "*"
KEEP_SECONDS = 24 * 3600
ALIVE_KEY = "delivery:changed:alive"
DOWN = object()


def key(path):
    return "delivery:changed:" + hashlib.sha256(path.encode()).hexdigest()


def record_change(paths):
    """Give ``paths`` (or ``EVERYTHING``) new change tokens. Call before purging them."""
    token = uuid.uuid4().hex
    cache.set_many({**{key(path): token for path in paths}, ALIVE_KEY: "1"}, KEEP_SECONDS)


def tokens(path):
    """The change tokens a render of ``path`` depends on, or ``DOWN`` when the cache cannot answer."""
    found = cache.get_many([ALIVE_KEY, key(path), key(EVERYTHING)])
    if ALIVE_KEY not in found and not cache.add(ALIVE_KEY, "1", KEEP_SECONDS) and cache.get(ALIVE_KEY) is None:
        return DOWN
    return found.get(key(path)), found.get(key(EVERYTHING))


def unchanged(before, path):
    """Whether nothing ``path`` shows changed since ``before = tokens(path)`` was read."""
    return before is not DOWN and tokens(path) == before
