import re
from datetime import timedelta

from django.db.models import F, Sum
from django.utils import timezone

from .models import ClickCount

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|curl|wget|python-requests|httpclient",
    re.IGNORECASE,
)


def is_bot(request):
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_USER_AGENT.search(agent))


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
