"""The site's own feeds: the latest reviews, with each published list as an item of its own.

The genre and critic feeds (``blog.feeds``) carry reviews only.
"""

from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed

from blog.feeds import FEED_LENGTH, LatestReviewsFeed

from .models import ListPage


class LatestFeed(LatestReviewsFeed):
    def title(self):
        return f"{self.site.site_name}: latest reviews and lists"

    def items(self, obj=None):
        lists = (
            ListPage.objects.live()
            .public()
            .order_by("-first_published_at", "-pk")
            .select_related("cover_image")
            .prefetch_related("cover_image__renditions", "entries")[:FEED_LENGTH]
        )
        merged = [*self.reviews()[:FEED_LENGTH], *lists]
        merged.sort(key=lambda item: (item.first_published_at, item.pk), reverse=True)
        return merged[:FEED_LENGTH]

    def item_title(self, item):
        return item.title if isinstance(item, ListPage) else super().item_title(item)

    def item_guid(self, item):
        return f"list-{item.pk}" if isinstance(item, ListPage) else super().item_guid(item)

    def item_author_name(self, item):
        if isinstance(item, ListPage):
            return self.identity.copyright_holder or None
        return super().item_author_name(item)

    def item_author_link(self, item):
        return None if isinstance(item, ListPage) else super().item_author_link(item)

    def item_categories(self, item):
        return ["Lists"] if isinstance(item, ListPage) else super().item_categories(item)

    def image(self, item):
        if isinstance(item, ListPage):
            return item.cover_image.get_rendition(self.image_filter) if item.cover_image else None
        return super().image(item)

    def item_description(self, item):
        if not isinstance(item, ListPage):
            return super().item_description(item)
        entries = sorted(item.entries.all(), key=lambda entry: entry.sort_order or 0)
        html = render_to_string(
            "lists/feed_item.html",
            {"request": self.request, "list": item, "entries": entries, "image": self.image(item)},
        )
        return self.absolute_links(html)


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description
