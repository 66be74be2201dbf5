"""Counting readers' clicks on affiliate links, and the click report's figures."""

import re
from datetime import timedelta

from crawlerdetect import CrawlerDetect
from django.db.models import F, Sum
from django.utils import timezone

from .models import ClickCount

# Every current browser's User-Agent begins like this; HTTP libraries' do not.
BROWSER_USER_AGENT = re.compile(r"Mozilla/5\.0 \(")


def is_a_readers_click(request):
    """Whether a /go/ request is a person following the link, so that it is counted.

    Not counted: prefetches and prerenders (``Sec-Purpose``/``Purpose``); requests a
    browser marks as something other than opening a page (``Sec-Fetch-Mode`` and
    ``-Dest``, where sent); agents that are not a browser; and the crawlers, link
    previewers, HTTP libraries and headless browsers on crawlerdetect's list.
    """
    headers = request.headers
    purpose = f"{headers.get('Sec-Purpose', '')} {headers.get('Purpose', '')}".lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    fetch = (headers.get("Sec-Fetch-Mode", "navigate"), headers.get("Sec-Fetch-Dest", "document"))
    if fetch != ("navigate", "document"):
        return False
    agent = headers.get("User-Agent", "")
    return bool(BROWSER_USER_AGENT.match(agent)) and not CrawlerDetect(user_agent=agent).is_crawler()


def count_click(link):
    today = timezone.localdate()
    ClickCount.objects.bulk_create([ClickCount(link=link, day=today)], ignore_conflicts=True)
    ClickCount.objects.filter(link=link, day=today).update(clicks=F("clicks") + 1)


PERIODS = (7, 30, 90)


def clicks_since(days):
    """Rows of clicks in the last ``days`` days (today included)."""
    since = timezone.localdate() - timedelta(days=days - 1)
    return ClickCount.objects.filter(day__gte=since)


def per_link(days):
    return (
        clicks_since(days)
        .values("link_id", "link__label", "link__film", "link__program__name")
        .annotate(total=Sum("clicks"))
        .order_by("-total", "link__film")
    )


def per_program(days):
    return clicks_since(days).values("link__program__name").annotate(total=Sum("clicks")).order_by("-total")


def per_day(days):
    """[(date, clicks)] for every day of the period, zeros included, oldest first."""
    today = timezone.localdate()
    totals = dict(clicks_since(days).values_list("day").annotate(total=Sum("clicks")))
    return [(day, totals.get(day, 0)) for day in (today - timedelta(days=n) for n in range(days - 1, -1, -1))]
