"""The editorial calendar: what goes out when, and what has just been taken down.

Wagtail keeps a scheduled publication on the page's latest revision (its
``approved_go_live_at``) and marks a page unpublished at its expiry time as
``expired``; these read both, for the dashboard panel and the report.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from .models import ReviewPage

RECENTLY_EXPIRED_DAYS = 30
WEEK = datetime.timedelta(days=7)


def scheduled_reviews():
    """Reviews waiting to go live, soonest first, each with ``goes_live_at`` and ``critic_bylines``."""
    return (
        ReviewPage.objects.filter(latest_revision__approved_go_live_at__isnull=False)
        .with_bylines()
        .annotate(goes_live_at=F("latest_revision__approved_go_live_at"))
        .order_by("goes_live_at", "pk")
    )


def expiring_reviews():
    """Live reviews with an expiry time, soonest first."""
    return ReviewPage.objects.live().filter(expire_at__isnull=False).with_bylines().order_by("expire_at", "pk")


def recently_expired(days=RECENTLY_EXPIRED_DAYS):
    """Reviews taken down at their expiry time in the last ``days`` days, latest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return ReviewPage.objects.filter(expired=True, expire_at__gte=since).with_bylines().order_by("-expire_at", "-pk")


def this_week():
    """Scheduled reviews going live in the next seven days (and any overdue), soonest first."""
    return scheduled_reviews().filter(goes_live_at__lt=timezone.now() + WEEK)
