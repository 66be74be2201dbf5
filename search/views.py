import hashlib
import re

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from blog.models import Person, ReviewPage
from blog.pagination import NEWEST_FIRST, paginate_ids, paginate_reviews
from home.pagecache import memoize

from .forms import SearchForm
from .models import SearchMiss

RESULTS_PER_PAGE = 10
MAX_RANKED = 500
# Searches are made of words only: quotes, brackets and operators would be read
# as full-text syntax by the database and must never reach it.
WORD = re.compile(r"\w+")
SUGGESTIONS = 6
TERM_ID_SECONDS = 24 * 3600


@require_GET
def search(request):
    """Full-text search over published reviews, with filters and sorting."""
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "search_query": "",
        "results": None,
        "promotions": [],
        "similar": [],
        "meta_title": "Search reviews",
        "meta_description": "Search every review by film title, director or actor; filter by genre, decade or rating.",
    }
    if not form.is_valid():
        context["filter_error"] = "Some of the filters were not recognised, so nothing matched. Try clearing them."
        context["search_query"] = request.GET.get("q", "")[:200]
        return TemplateResponse(request, "search/search.html", context)

    data = form.cleaned_data
    query = data["q"]
    # Lazy (public() reads the view restrictions at once): a remembered search needs none of it.
    reviews = SimpleLazyObject(lambda: published_reviews(data))
    filtered = bool(data["genre"] or data["decade"] or data["min_rating"] is not None)
    if not query and not filtered:
        return TemplateResponse(request, "search/search.html", context)

    filters = (data["genre"].pk if data["genre"] else None, data["decade"], data["min_rating"])
    sort = data["sort"] or "relevance"
    ordering = NEWEST_FIRST
    if sort == "rating":
        ordering = (F("rating").desc(nulls_last=True), "-first_published_at", "-pk")
    terms = " ".join(WORD.findall(query))
    if query and not terms:
        page = paginate_reviews(request, reviews.none(), RESULTS_PER_PAGE)  # only symbols: nothing can match
    elif terms:
        # The same search (words and filters) is ranked once per generation: until content changes.
        hits = memoize(request, "search", (terms, filters), lambda: ranked_hits(reviews, terms))
        if sort == "relevance":
            page = paginate_ids(request, hits, RESULTS_PER_PAGE)
        else:
            page = paginate_reviews(request, reviews.filter(pk__in=hits), RESULTS_PER_PAGE, ordering)
    else:
        page = paginate_reviews(request, reviews, RESULTS_PER_PAGE, ordering)
    context.update(search_query=query, results=page, sort=sort)

    if query:
        logged = record_search(query, found=page.paginator.count)
        context["promotions"] = logged.editors_picks.select_related("page")
        if page.paginator.count == 0:
            context["similar"] = memoize(
                request, "similar", (query.lower(), filters), lambda: similar_titles(reviews, query)
            )
    return TemplateResponse(request, "search/search.html", context)


def published_reviews(data):
    """The published, public reviews the filters allow."""
    reviews = ReviewPage.objects.live().public()
    if data["genre"]:
        reviews = reviews.filter(id__in=list(data["genre"].reviews.values_list("pk", flat=True)))
    if data["decade"]:
        start = int(data["decade"][:4])
        reviews = reviews.filter(release_year__gte=start, release_year__lt=start + 10)
    if data["min_rating"] is not None:
        reviews = reviews.filter(rating__gte=data["min_rating"])
    return reviews


def record_search(query, found):
    """Count the search for Reports → Search terms, and for "searches with no results" if nothing matched.

    Statistics, not content: on PostgreSQL they are committed without waiting
    for the disk (a crash could lose the last few counts), so a burst of
    searches does not queue behind the write-ahead log.
    """
    normalised = normalise_query_string(query)
    # The term's row id is kept, so a repeated search costs one UPDATE.
    key = "search-term:" + hashlib.sha256(normalised.encode()).hexdigest()
    query_id = cache.get(key)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        today = timezone.now().date()
        counted = query_id is not None and QueryDailyHits.objects.filter(query_id=query_id, date=today).update(
            hits=F("hits") + 1
        )
        if not counted:  # a new term, a new day, or a term deleted in the admin
            logged = Query.get(query)
            logged.add_hit(date=today)
            query_id = logged.pk
            cache.set(key, query_id, TERM_ID_SECONDS)
        if found == 0:
            miss, _ = SearchMiss.objects.get_or_create(query_string=query.lower()[:255])
            SearchMiss.objects.filter(pk=miss.pk).update(hits=F("hits") + 1)
    return Query(pk=query_id, query_string=normalised)


def ranked_hits(reviews, terms):
    """Ids of the best MAX_RANKED matching reviews, best first.

    Films whose title holds every word of the query come first: the full-text
    backend ranks by how often words occur anywhere, but a reader typing a
    title expects that film at the top.
    """
    hits = [page.pk for page in reviews.only("pk").search(terms)[:MAX_RANKED]]
    words = [word.lower() for word in terms.split()]
    titles = dict(ReviewPage.objects.filter(pk__in=hits).values_list("pk", "title"))
    hits.sort(key=lambda pk: not all(word in titles.get(pk, "").lower() for word in words))
    return hits


def similar_titles(reviews, query):
    """Reviews whose title looks like the (misspelt) query: PostgreSQL trigrams."""
    if connection.vendor != "postgresql":
        return []
    from django.contrib.postgres.search import TrigramWordSimilarity

    return list(
        reviews.annotate(similarity=TrigramWordSimilarity(query, "title"))
        .filter(similarity__gt=0.3)
        .order_by("-similarity")[:5]
    )


@require_GET
def suggest(request):
    """Typeahead: film titles and people starting with, or containing, what was typed."""
    query = request.GET.get("q", "").strip()[:50]
    if len(query) < 2:
        return JsonResponse({"films": [], "people": []})
    return JsonResponse(memoize(request, "suggest", (query.lower(),), lambda: suggestions(query)))


def suggestions(query):
    # Trigram indexes make these "contains" lookups cheap on PostgreSQL (search/migrations/0002).
    films = ReviewPage.objects.live().public().filter(title__icontains=query).order_by("title")
    people = Person.objects.filter(name__icontains=query).order_by("name")
    return {
        "films": [{"title": f.title, "year": f.release_year, "url": f.url} for f in films[:SUGGESTIONS]],
        "people": [{"name": p.name, "url": f"/people/{p.slug}/"} for p in people[:SUGGESTIONS]],
    }
