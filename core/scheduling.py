"""Scheduled publishing that fires: reviews and other pages go live and expire on time.

Wagtail publishes a revision approved for a later "go live" time, and
unpublishes what has passed its "expiry" time, only when ``manage.py
publish_scheduled`` runs; it has no clock of its own. ``manage.py
run_scheduler`` runs that command every ``SCHEDULER_INTERVAL`` seconds, so work
is done within a minute of its time. Each pass runs Wagtail's own command, so
publishing fires the same signals as a publish by hand and every cache in front
is purged as usual (delivery.signals).

One pass at a time, however many schedulers run: a pass first updates the
single SchedulerLock row, which holds the row (and SQLite's write lock) until
it commits; a second scheduler waits there, then finds the work done.
"""

import datetime
import io

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from .models import SchedulerLock

# /healthz calls the scheduler late when work is this far past its time.
LATE_AFTER = datetime.timedelta(minutes=5)
LOCK_ID = 1


def due_before(moment):
    """Revisions approved to go live, and live pages due to expire, before ``moment``.

    Wagtail's command also handles snippets with drafts; Marquee has none.
    """
    to_publish = Revision.objects.filter(approved_go_live_at__lt=moment)
    to_expire = Page.objects.filter(live=True, expire_at__lt=moment)
    return to_publish, to_expire


def run_pass():
    """Publish and expire everything now due; (published, expired) counts."""
    with transaction.atomic():
        now = timezone.now()
        # A write first, so the lock is taken before anything is read.
        if not SchedulerLock.objects.filter(pk=LOCK_ID).update(last_pass_at=now):
            SchedulerLock.objects.bulk_create([SchedulerLock(pk=LOCK_ID)], ignore_conflicts=True)
            SchedulerLock.objects.filter(pk=LOCK_ID).update(last_pass_at=now)
        to_publish, to_expire = due_before(timezone.now())
        counts = (to_publish.count(), to_expire.count())
        if any(counts):
            call_command("publish_scheduled", stdout=io.StringIO())
    return counts


def overdue_count(now=None):
    """How many scheduled changes are more than LATE_AFTER past their time."""
    to_publish, to_expire = due_before((now or timezone.now()) - LATE_AFTER)
    return to_publish.count() + to_expire.count()
