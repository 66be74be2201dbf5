import re

from django.db import connection
from django.db.models import Case, F, IntegerField, When
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query

from blog.models import Person, ReviewPage
from blog.pagination import NEWEST_FIRST, paginate_reviews

from .forms import SearchForm
from .models import SearchMiss

RESULTS_PER_PAGE = 10
MAX_RANKED = 500
# Searches are made of words only: quotes, brackets and operators would be read
# as full-text syntax by the database and must never reach it.
WORD = re.compile(r"\w+")
SUGGESTIONS = 6


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
    reviews = ReviewPage.objects.live().public()
    if data["genre"]:
        reviews = reviews.filter(id__in=list(data["genre"].reviews.values_list("pk", flat=True)))
    if data["decade"]:
        start = int(data["decade"][:4])
        reviews = reviews.filter(release_year__gte=start, release_year__lt=start + 10)
    if data["min_rating"] is not None:
        reviews = reviews.filter(rating__gte=data["min_rating"])
    filtered = bool(data["genre"] or data["decade"] or data["min_rating"] is not None)
    if not query and not filtered:
        return TemplateResponse(request, "search/search.html", context)

    sort = data["sort"] or "relevance"
    ordering = NEWEST_FIRST
    if sort == "rating":
        ordering = (F("rating").desc(nulls_last=True), "-first_published_at", "-pk")
    terms = " ".join(WORD.findall(query))
    if query and not terms:
        results = reviews.none()  # only punctuation or symbols: nothing can match
    elif terms:
        results, relevance = matching(reviews, terms)
        if sort == "relevance":
            ordering = (relevance,)
    else:
        results = reviews
    page = paginate_reviews(request, results, RESULTS_PER_PAGE, ordering)
    context.update(search_query=query, results=page, sort=sort)

    if query:
        logged = Query.get(query)  # popular searches: Reports → Search terms
        logged.add_hit()
        context["promotions"] = list(logged.editors_picks.select_related("page"))
        if page.paginator.count == 0:
            miss, _ = SearchMiss.objects.get_or_create(query_string=query.lower()[:255])
            SearchMiss.objects.filter(pk=miss.pk).update(hits=F("hits") + 1)
            context["similar"] = similar_titles(reviews, query)
    return TemplateResponse(request, "search/search.html", context)


def matching(reviews, terms):
    """The matching reviews as a plain queryset (so it paginates in fixed
    queries), and an ordering expression for relevance.

    In relevance order, films whose title holds every word of the query come
    first: the full-text backend ranks by how often words occur anywhere, but a
    reader typing a title expects that film at the top.
    """
    hits = [page.pk for page in reviews.only("pk").search(terms)[:MAX_RANKED]]
    words = [word.lower() for word in terms.split()]
    titles = dict(ReviewPage.objects.filter(pk__in=hits).values_list("pk", "title"))
    hits.sort(key=lambda pk: not all(word in titles.get(pk, "").lower() for word in words))
    relevance = Case(
        *[When(pk=pk, then=position) for position, pk in enumerate(hits)],
        default=len(hits),
        output_field=IntegerField(),
    )
    return reviews.filter(pk__in=hits), relevance


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
    films = ReviewPage.objects.live().public().filter(title__icontains=query).order_by("title")
    people = Person.objects.filter(name__icontains=query).order_by("name")
    return JsonResponse(
        {
            "films": [{"title": f.title, "year": f.release_year, "url": f.url} for f in films[:SUGGESTIONS]],
            "people": [{"name": p.name, "url": f"/people/{p.slug}/"} for p in people[:SUGGESTIONS]],
        }
    )
