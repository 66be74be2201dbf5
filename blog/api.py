"""The read API: Wagtail's API v2 with a /api/v2/reviews/ endpoint."""

from django.core.exceptions import ValidationError
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .models import ReviewPage


class ReviewsAPIViewSet(PagesAPIViewSet):
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

    def filter_queryset(self, queryset):
        # Wagtail turns bad integers into a 400 but lets Django's validation
        # errors (e.g. ?rating=abc on a decimal field) escape as a 500.
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            raise BadRequestError("; ".join(error.messages)) from error

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
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
