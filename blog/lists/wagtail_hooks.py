from django.urls import path
from wagtail import hooks

from blog.extensions import REVIEW_FACTS_HOOK, ReviewFacts

from .admin_views import AddToListBulkAction, draft_year_end
from .models import ListPage, lists_featuring

hooks.register("register_bulk_action", AddToListBulkAction)


@hooks.register(REVIEW_FACTS_HOOK)
def on_these_lists(review, restricted_paths):
    """The review page's "On these lists" box: the live lists the film is on, with its rank on each."""

    def read(rows):
        # Enough of each list for its title and address ({% pageurl %} on a BasePage costs no query).
        lists = [
            {"page": ListPage(pk=ref, title=title, url_path=url_path), "rank": rank}
            for _kind, rank, ref, title, url_path, _role in rows
        ]
        return {"lists_featuring": sorted(lists, key=lambda found: found["page"].title)}

    return ReviewFacts(kind="list", rows=lists_featuring(review, restricted_paths), read=read)


@hooks.register("register_admin_urls")
def register_list_urls():
    return [path("lists/year-end/", draft_year_end, name="lists_draft_year_end")]
