from django.template.response import TemplateResponse

from blog.models import ReviewPage
from blog.pagination import paginate

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over published reviews."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        reviews = ReviewPage.objects.live().public().for_listing()
        results = paginate(request, reviews.search(query), RESULTS_PER_PAGE)
    return TemplateResponse(request, "search/search.html", {"search_query": query, "results": results})
