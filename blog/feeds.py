"""RSS 2.0 and Atom feeds of the latest reviews, per genre and per critic.

The site-wide feeds, which carry lists too, build on ``LatestReviewsFeed`` in ``blog.lists.feeds``.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from wagtail.images.models import Filter
from wagtail.models import Site

from core.models import SiteIdentity

from .models import Critic, FeedSettings, Genre, ReviewPage, byline_text, star_label

FEED_LENGTH = 20
IMAGE = Filter(spec="fill-1200x630|format-jpeg")  # made once, as picture_tags.FILTERS are


class LatestReviewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        self.settings = FeedSettings.for_request(request)
        self.identity = SiteIdentity.for_request(request)
        return None

    def title(self):
        return f"{self.site.site_name}: latest reviews"

    def link(self):
        return self.request.build_absolute_uri("/")

    def description(self):
        return self.identity.tagline or f"The latest film reviews from {self.site.site_name}."

    def reviews(self):
        return ReviewPage.objects.live().public().for_listing().prefetch_related("genres")

    def items(self, obj=None):
        return self.reviews()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.title} ({item.release_year})" if item.release_year else item.title

    def item_link(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_guid(self, item):
        return f"review-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        """The review's critics ("Ann Lee and Bo Chen"), else the site's copyright holder."""
        return byline_text(item.critic_bylines) or self.identity.copyright_holder or None

    def item_author_link(self, item):
        if not item.critic_bylines:
            return None
        return self.request.build_absolute_uri(reverse("browse:critic", args=[item.critic_bylines[0]["slug"]]))

    def item_categories(self, item):
        return [genre.name for genre in item.genres.all()]

    image_filter = IMAGE

    def image(self, item):
        if item.hero_image is None:
            return None
        return item.hero_image.get_rendition(self.image_filter)

    def item_enclosures(self, item):
        rendition = self.image(item)
        if rendition is None:
            return []
        url = self.request.build_absolute_uri(rendition.url)
        return [Enclosure(url, str(rendition.file.size), "image/jpeg")]

    def item_description(self, item):
        html = render_to_string(
            "blog/feed_item.html",
            {
                "request": self.request,  # relative page URLs without asking for every site's root
                "review": item,
                "rating": star_label(item.rating),
                "image": self.image(item),
                # Spoilers and embedded players stay on the site.
                "blocks": [b for b in item.body if b.block_type not in ("spoiler", "trailer")]
                if self.settings.full_text
                else None,
            },
        )
        return self.absolute_links(html)

    def absolute_links(self, html):
        """Feed readers need absolute addresses for images and links."""
        root = self.request.build_absolute_uri("/")
        return (
            html.replace('src="/', f'src="{root}')
            .replace('href="/', f'href="{root}')
            .replace(", /media/", f", {root}media/")
        )


class GenreFeed(LatestReviewsFeed):
    def get_object(self, request, slug):
        super().get_object(request)
        self.genre = get_object_or_404(Genre, slug=slug)
        return self.genre

    def title(self, obj=None):
        return f"{self.site.site_name}: {self.genre.name} reviews"

    def items(self, obj=None):
        return self.reviews().filter(genres=self.genre)[:FEED_LENGTH]


class GenreAtomFeed(GenreFeed):
    feed_type = Atom1Feed
    subtitle = LatestReviewsFeed.description


class CriticFeed(LatestReviewsFeed):
    def get_object(self, request, slug):
        super().get_object(request)
        self.critic = get_object_or_404(Critic, slug=slug)
        return self.critic

    def title(self, obj=None):
        return f"{self.site.site_name}: reviews by {self.critic.name}"

    def link(self, obj=None):
        return self.request.build_absolute_uri(self.critic.get_absolute_url())

    def items(self, obj=None):
        return self.reviews().filter(critic_credits__critic=self.critic)[:FEED_LENGTH]


class CriticAtomFeed(CriticFeed):
    feed_type = Atom1Feed
    subtitle = LatestReviewsFeed.description
