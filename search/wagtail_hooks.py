from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.permissions import NoWritesPolicy
from core.roles import ROLE_PERMISSIONS_HOOK

from .models import SearchMiss

register_permission_policy(SearchMiss, NoWritesPolicy(SearchMiss))


class SearchMissViewSet(ModelViewSet):
    """Reports → Searches with no results (popular searches: Reports → Search terms)."""

    model = SearchMiss
    icon = "search"
    menu_label = _("Searches with no results")
    menu_hook = "register_reports_menu_item"
    menu_order = 730
    url_prefix = "search/misses"
    list_display = ["query_string", "hits", "last_searched_at"]
    ordering = ["-hits"]
    search_fields = ["query_string"]
    form_fields = ["query_string"]  # required by ModelViewSet; the policy refuses editing
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_search_miss_viewset():
    return SearchMissViewSet("search_misses")


@hooks.register(ROLE_PERMISSIONS_HOOK)
def search_permissions():
    """Editors pin results for a query (Wagtail's promoted search results) and read the searches that found nothing."""
    return {
        "Editors": [
            "wagtailsearchpromotions.add_searchpromotion",
            "wagtailsearchpromotions.change_searchpromotion",
            "wagtailsearchpromotions.delete_searchpromotion",
            "search.view_searchmiss",
        ]
    }
