"""Sending what a change affects to the caches in front: Wagtail's frontend-cache backends.

Changes made in one transaction are gathered and purged once, after it
commits, so a publish (which saves the page, its revision and its relations)
is one purge, and a rolled-back edit purges nothing. Before the purge the
paths are marked as changed (``delivery.freshness``), so a render that began
before the commit cannot be stored after the purge.

Paths that may follow "soon" (listings after a vote or a comment) are purged
once per ``LISTING_PURGE_DELAY`` seconds by a deferred task where the task
backend can defer (the database queue in production), else at once.
"""

import hashlib
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site

from . import freshness
from .invalidation import affected

# Purges waiting for their transaction to commit, in the order they were asked for (per thread:
# each request or task runs in one).
pending = threading.local()


def site_roots():
    return sorted({site.root_url for site in Site.objects.all()})


def urls_for(paths):
    """Full URLs on every site; the whole site is ``<root>/*`` (the Varnish configuration bans it)."""
    roots = site_roots()
    if freshness.EVERYTHING in paths:
        return [f"{root}/*" for root in roots]
    return [f"{root}{path}" for root in roots for path in sorted(paths)]


def send(paths):
    """Mark ``paths`` changed, then purge them from every configured frontend cache, twice.

    A render that passed its freshness check just before the change was
    marked can reach the proxy an instant after the first purge; the second,
    PURGE_SETTLE_SECONDS later, removes it. (Where the task queue can defer,
    the second pass is a deferred task; otherwise this thread waits for it.)
    """
    if not paths:
        return
    if freshness.EVERYTHING in paths:
        paths = {freshness.EVERYTHING}
    freshness.record_change(paths)
    if not settings.WAGTAILFRONTENDCACHE:
        return  # no cache in front (make run): nothing to purge
    urls = urls_for(paths)
    purge_urls_from_cache(urls)
    settle = settings.PURGE_SETTLE_SECONDS
    if settle <= 0:
        return
    if default_task_backend.supports_defer:
        run_after = timezone.now() + timedelta(seconds=settle)
        purge_urls_from_cache_task.using(run_after=run_after).enqueue(urls)
    else:
        time.sleep(settle)
        purge_urls_from_cache(urls)


class Pending:
    """One purge asked for: paths known now, and a function for those known after commit."""

    def __init__(self, paths, compute):
        self.paths, self.compute = set(paths), compute


def waiting():
    if not hasattr(pending, "entries"):
        pending.entries = []
    return pending.entries


def flush(first):
    """Send every purge asked for from ``first`` on, merged; drop older ones (their transaction rolled back).

    Django runs a transaction's commit callbacks in order, so the first one to
    run sends the whole transaction's purges at once and the later ones find
    nothing left; a purge whose transaction rolled back never had its callback
    run, and is older than any that does.
    """
    entries = waiting()
    position = next((n for n, entry in enumerate(entries) if entry is first), None)
    if position is None:
        return
    mine = entries[position:]
    entries.clear()
    paths = set()
    for entry in mine:
        paths |= entry.paths
        if entry.compute is not None:
            paths |= entry.compute()
    send(paths)


def purge_paths(paths=(), compute=None):
    """Purge ``paths`` (worked out now) and ``compute()`` (worked out after commit) once the transaction commits."""
    entry = Pending(paths, compute)
    waiting().append(entry)
    # Robust: a purge that fails is logged; the change itself has committed and its request succeeds.
    transaction.on_commit(lambda: flush(entry), robust=True)


def purge_now_and_after_commit(kind, subject, reload):
    """The pages showing ``subject`` as it is now (None: nothing shows it) and, after commit, as ``reload()``
    finds it."""

    def after():
        current = reload()
        return affected(kind, current).now if current is not None else set()

    purge_paths(affected(kind, subject).now if subject is not None else (), compute=after)


@task()
def purge_paths_task(paths):
    send(set(paths))


def purge_soon(paths):
    """Purge ``paths`` within LISTING_PURGE_DELAY seconds: one deferred purge per window and set of paths."""
    if not paths:
        return
    delay = settings.LISTING_PURGE_DELAY
    if not default_task_backend.supports_defer or delay <= 0:
        purge_paths(paths)
        return
    key = "delivery:soon:" + hashlib.sha256("\n".join(sorted(paths)).encode()).hexdigest()
    if cache.add(key, 1, delay) is False:
        return  # a purge of these paths is already on its way
    run_after = timezone.now() + timedelta(seconds=delay)
    transaction.on_commit(lambda: purge_paths_task.using(run_after=run_after).enqueue(sorted(paths)), robust=True)


def purge(kind, subject):
    """Purge what ``affected(kind, subject)`` names: now (after commit), and its "soon" part within the delay."""
    result = affected(kind, subject)
    purge_paths(result.now)
    purge_soon(result.soon)
