"""The read API's endpoints (Wagtail's API v2): reviews, pages and images; each answers bad filters with a 400.

The router that puts them (and blog.lists' endpoint) at /api/v2/ is in ``settings/urls.py``.
"""

from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.http import Http404
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.search_terms import search_words
from core.url_converters import is_database_id

from .models import ReviewPage

# Django's integer column types ("Positive…" ones are checked against the same range).
INTEGER_COLUMNS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
}

# Far beyond any listing, and well inside every database's integer range: Wagtail
# checks that ?offset= is a positive integer, not that the database can take it.
MAX_OFFSET = 10**9


class CheckedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


def integer_column(model, name):
    """The integer column type a filter ``name`` on ``model`` compares with (a relation's target), or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    column = field.target_field.get_internal_type() if field.is_relation and field.many_to_one else None
    column = column or field.get_internal_type()
    return column.replace("Positive", "") if column.replace("Positive", "") in INTEGER_COLUMNS else None


class WordsSearchFilter(SearchFilter):
    """Wagtail's ``?search=``, given the query's words only (core.search_terms).

    Wagtail's filter reads the query from ``request.GET`` and has no hook to
    clean it, so it is handed a copy of the parameters with the query cleaned;
    ``GET`` is all it reads from the request.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        parameters = request.GET.copy()
        parameters["search"] = search_words(parameters["search"])
        return super().filter_queryset(SimpleNamespace(GET=parameters), queryset, view)


def with_words_search(filter_backends):
    return [WordsSearchFilter if backend is SearchFilter else backend for backend in filter_backends]


class CheckedParametersMixin:
    """Every endpoint answers 400 with a message for a filter value its field cannot hold."""

    pagination_class = CheckedPagination

    def check_integer_filters(self, queryset):
        """A number beyond its column's range is a 400 here: the database would fail on it later, a 500."""
        for name, value in self.request.GET.items():
            column = integer_column(queryset.model, name)
            if column is None or not value.lstrip("-").isdigit():
                continue  # not an integer filter, or not a number: Wagtail's own checks answer it
            low, high = connection.ops.integer_field_range(column)
            if not low <= int(value) <= high:
                raise BadRequestError(f"{name} must be between {low} and {high}")

    def filter_queryset(self, queryset):
        self.check_integer_filters(queryset)
        # Wagtail turns bad integers into a 400 but lets Django's validation
        # errors (e.g. ?first_published_at=abc, ?rating=abc) escape as a 500.
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            raise BadRequestError("; ".join(error.messages)) from error
        except (ValueError, OverflowError) as error:
            raise BadRequestError(str(error)) from error

    def detail_view(self, request, pk):
        # The router's <int:pk> takes any number of digits (see core.url_converters).
        if not is_database_id(str(pk)):
            raise Http404("not found")
        return super().detail_view(request, pk)

    def find_object(self, queryset, request):
        # Wagtail passes ?id= to the database unchecked: "abc" or 30 digits were a 500.
        if "id" in request.GET and not is_database_id(request.GET["id"]):
            raise BadRequestError("id must be a positive whole number")
        return super().find_object(queryset, request)


class CheckedPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    filter_backends = with_words_search(PagesAPIViewSet.filter_backends)


class CheckedImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    filter_backends = with_words_search(ImagesAPIViewSet.filter_backends)


class ReviewsAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Published reviews only: ``?type=`` is not accepted here."""

    model = ReviewPage
    filter_backends = with_words_search(PagesAPIViewSet.filter_backends)
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"type"}
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "title",
        "release_year",
        "rating",
        "critics",
        "directors",
        "readers",
        "hero_image_thumbnail",
    ]

    def get_queryset(self):
        return (
            ReviewPage.objects.live()
            .public_for_search()
            .filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
            .select_related("rating_summary", "hero_image")
            .prefetch_related("critic_credits__critic", "director_credits__person", "cast_credits__person", "genres")
        )
