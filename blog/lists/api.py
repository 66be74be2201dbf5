"""/api/v2/lists/: published lists, each with its entries (rank, film, note, review) in the detail view."""

from wagtail.api.v2.views import PagesAPIViewSet

from blog.api import CheckedParametersMixin, with_words_search

from .models import ListPage


class ListsAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Published, public lists only: ``?type=`` is not accepted here."""

    model = ListPage
    filter_backends = with_words_search(PagesAPIViewSet.filter_backends)
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"type"}
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["title", "numbering"]

    def get_queryset(self):
        return (
            ListPage.objects.live()
            .public_for_search()
            .filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
            .select_related("cover_image")
        )
