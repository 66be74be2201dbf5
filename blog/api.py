"""The read API: Wagtail's API v2 with a /api/v2/reviews/ endpoint; every endpoint answers bad filters with a 400."""

from django.core.exceptions import ValidationError
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .models import ReviewPage

# Far beyond any listing, and well inside every database's integer range: Wagtail
# checks that ?offset= is a positive integer, not that the database can take it.
MAX_OFFSET = 10**9


class CheckedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class CheckedParametersMixin:
    """Every endpoint answers 400 with a message for a filter value its field cannot hold."""

    pagination_class = CheckedPagination

    def filter_queryset(self, queryset):
        # Wagtail turns bad integers into a 400 but lets Django's validation
        # errors (e.g. ?first_published_at=abc, ?rating=abc) escape as a 500.
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            raise BadRequestError("; ".join(error.messages)) from error
        except (ValueError, OverflowError) as error:
            raise BadRequestError(str(error)) from error


class CheckedPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    pass


class CheckedImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    pass


class ReviewsAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Published reviews only: ``?type=`` is not accepted here."""

    model = ReviewPage
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"type"}
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "title",
        "release_year",
        "rating",
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
            .prefetch_related("director_credits__person", "cast_credits__person", "genres")
        )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("reviews", ReviewsAPIViewSet)
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", CheckedImagesAPIViewSet)
