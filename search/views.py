from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from blog.lists.models import ListPage
from blog.models import Person, ReviewPage
from blog.pagination import NEWEST_FIRST, paginate_ids, paginate_reviews
from core.pages import BasePageQuerySet
from core.search_terms import search_words

from .forms import SearchForm
from .tasks import record_search

RESULTS_PER_PAGE = 10
MAX_RANKED = 500
LISTS_SHOWN = 3
SUGGESTIONS = 6
NO_RESULTS = "No reviews match your search. Try a film title, a director or an actor, or fewer filters."


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
        "no_results_message": NO_RESULTS,
    }
    if not form.is_valid():
        context["filter_error"] = "Some of the filters were not recognised, so nothing matched. Try clearing them."
        context["search_query"] = request.GET.get("q", "")[:200]
        return TemplateResponse(request, "search/search.html", context)

    data = form.cleaned_data
    query = data["q"]
    reviews = published_reviews(data)
    filtered = bool(data["genre"] or data["decade"] or data["min_rating"] is not None)
    if not query and not filtered:
        return TemplateResponse(request, "search/search.html", context)

    sort = data["sort"] or "relevance"
    ordering = NEWEST_FIRST
    if sort == "rating":
        ordering = (F("rating").desc(nulls_last=True), "-first_published_at", "-pk")
    terms = search_words(query)
    list_hits = []
    if query and not terms:
        page = paginate_reviews(request, reviews.none(), RESULTS_PER_PAGE)  # only symbols: nothing can match
    elif terms:
        hits, list_hits, context["more_match"] = ranked_hits(searchable_pages(data), terms)
        if sort == "relevance":
            page = paginate_ids(request, ReviewPage, hits, RESULTS_PER_PAGE)
        else:
            page = paginate_reviews(request, reviews.filter(pk__in=hits), RESULTS_PER_PAGE, ordering)
    else:
        page = paginate_reviews(request, reviews, RESULTS_PER_PAGE, ordering)
    context.update(search_query=query, results=page, sort=sort)
    if list_hits and page.number == 1:  # the matching lists head the first page of results
        context["lists"] = lists_by_ids(list_hits[:LISTS_SHOWN])

    if query:
        # Counted for Reports → Search terms by a background task: readers never wait for statistics.
        record_search.enqueue(query, found=page.paginator.count)
        context["promotions"] = SearchPromotion.objects.filter(
            query__query_string=normalise_query_string(query)
        ).select_related("page")
        if page.paginator.count == 0:
            context["similar"] = similar_titles(reviews, query)
    return TemplateResponse(request, "search/search.html", context)


def filtered_reviews(reviews, data):
    """``reviews`` narrowed to the genre, decade and minimum rating asked for."""
    if data["genre"]:
        reviews = reviews.filter(pk__in=data["genre"].reviews.values("pk"))
    if data["decade"]:
        start = int(data["decade"][:4])
        reviews = reviews.filter(release_year__gte=start, release_year__lt=start + 10)
    if data["min_rating"] is not None:
        reviews = reviews.filter(rating__gte=data["min_rating"])
    return reviews


def published_reviews(data):
    """The published, public reviews the filters allow (to list, sort and count)."""
    return filtered_reviews(ReviewPage.objects.live().public(), data)


def searchable_pages(data):
    """The same reviews as Wagtail pages, and the lists (unless filters ask for reviews), for the search to rank.

    Searching Wagtail's page table rather than the reviews' own finds the same
    index entries in the same order, without joining every review to its
    page. Filters the search backend cannot translate (privacy, the review's
    own fields) become id subqueries, which it can: the database runs them
    in its one query.
    """
    pages = BasePageQuerySet(Page).live().public_for_search()
    if data["genre"] or data["decade"] or data["min_rating"] is not None:
        return pages.type(ReviewPage).filter(pk__in=filtered_reviews(ReviewPage.objects.all(), data).values("pk"))
    return pages.type(ReviewPage, ListPage)


def ranked_hits(pages, terms):
    """Ids of the best MAX_RANKED matching reviews and lists, best first, from one search; and whether more match.

    Films whose title holds every word of the query come first: the full-text
    backend ranks by how often words occur anywhere, but a reader typing a
    title expects that film at the top. Only the best are ranked and paged, so
    the page says when more match rather than give their number as the total.
    """
    found = list(pages.only("pk", "title", "content_type").search(terms)[: MAX_RANKED + 1])
    more = len(found) > MAX_RANKED
    found = found[:MAX_RANKED]
    words = [word.lower() for word in terms.split()]
    found.sort(key=lambda page: not all(word in page.title.lower() for word in words))
    list_type = ContentType.objects.get_for_model(ListPage).pk  # Django caches content types for the process
    reviews = [page.pk for page in found if page.content_type_id != list_type]
    return reviews, [page.pk for page in found if page.content_type_id == list_type], more


def lists_by_ids(ids):
    """The lists ``ids`` in that order, with their covers' renditions."""
    found = ListPage.objects.filter(pk__in=ids).select_related("cover_image").annotate(entry_count=Count("entries"))
    lists = {page.pk: page for page in found}
    return [lists[pk] for pk in ids if pk in lists]


def similar_titles(reviews, query):
    """Reviews whose title looks like the (misspelt) query: PostgreSQL trigrams."""
    if connection.vendor != "postgresql":
        return []
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
    return JsonResponse(suggestions(query))


def suggestions(query):
    # Trigram indexes make these "contains" lookups cheap on PostgreSQL (search/migrations/0002).
    films = ReviewPage.objects.live().public().filter(title__icontains=query).order_by("title")
    people = Person.objects.filter(name__icontains=query).order_by("name")
    return {
        "films": [{"title": f.title, "year": f.release_year, "url": f.url} for f in films[:SUGGESTIONS]],
        "people": [{"name": p.name, "url": f"/people/{p.slug}/"} for p in people[:SUGGESTIONS]],
    }
