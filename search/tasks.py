"""Search statistics, kept by a background task so that readers never wait for them."""

from django.db.models import F
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from .models import SearchMiss


@task()
def record_search(query, found):
    """Count the search for Reports → Search terms, and for "Searches with no results" if nothing matched.

    A term searched before today costs one UPDATE; a new term or a new day
    goes through Wagtail's own ``Query.get``/``add_hit``.
    """
    today = timezone.now().date()
    counted = QueryDailyHits.objects.filter(query__query_string=normalise_query_string(query), date=today).update(
        hits=F("hits") + 1
    )
    if not counted:
        Query.get(query).add_hit(date=today)
    if found == 0:
        term = query.lower()[:255]
        if not SearchMiss.objects.filter(query_string=term).update(
            hits=F("hits") + 1, last_searched_at=timezone.now()
        ):
            SearchMiss.objects.get_or_create(query_string=term, defaults={"hits": 1})
