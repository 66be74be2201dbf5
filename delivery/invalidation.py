"""The one rule for "which pages does this change affect?".

``affected(kind, subject)`` answers it for every kind of change a reader can
see. It returns site-relative paths; a path stands for all its query strings
(``/reviews/`` covers ``/reviews/?page=7``), as the Varnish configuration
purges them. ``EVERYTHING`` means the whole site: settings, menus and the page
tree's shape show on every page, and a genre's name on every review of it.

Paths are worked out from the database as it is when asked: before a change
(for the pages that showed the old state) and after it commits (the new one).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, ReferenceIndex

from blog.affiliates.models import ReviewAffiliateLink
from blog.browse import LETTERS
from blog.lists.models import ListPage
from blog.models import ReviewPage
from home.models import HomePage

from .freshness import EVERYTHING


@dataclass
class Affected:
    """Paths to purge now, and paths that may follow after a short, bounded delay."""

    now: set = field(default_factory=set)
    soon: set = field(default_factory=set)


def review_url(review):
    return review.get_url()


def letter_of(title):
    first = (title or " ")[0].lower()
    if first.isdigit():
        return "0-9"
    return first if first in LETTERS else None


def listing_paths(review):
    """Every listing, archive, feed, person and critic page that shows ``review`` (its card, totals, credits)."""
    url = review_url(review)
    if url is None:
        return set()
    paths = {
        url.rstrip("/").rsplit("/", 1)[0] + "/",  # its section (Reviews)
        "/",
        reverse("feed_rss"),
        reverse("feed_atom"),
        reverse("sitemap"),
        reverse("browse:genres"),
    }
    for slug in review.genres.values_list("slug", flat=True):
        paths |= {
            reverse("browse:genre", args=[slug]),
            reverse("genre_feed_rss", args=[slug]),
            reverse("genre_feed_atom", args=[slug]),
        }
    for slug in review.critic_credits.values_list("critic__slug", flat=True):
        paths |= critic_own_paths(slug)
    for slug in Tag.objects.filter(blog_reviewpagetag_items__content_object=review).values_list("slug", flat=True):
        paths.add(reverse("browse:tag", args=[slug]))
    for slug in (
        review.director_credits.order_by()
        .values_list("person__slug", flat=True)
        .union(review.cast_credits.order_by().values_list("person__slug", flat=True))
    ):
        paths.add(reverse("browse:person", args=[slug]))
    if review.first_published_at:
        published = timezone.localtime(review.first_published_at)
        paths |= {
            reverse("browse:year", args=[published.year]),
            reverse("browse:month", args=[published.year, published.month]),
        }
    if review.release_year:
        paths.add(reverse("browse:decade", args=[f"{review.release_year // 10 * 10}"]))
    if review.rating is not None:
        paths.add(reverse("browse:rating", args=[f"{float(review.rating):g}"]))
    if letter := letter_of(review.title):
        paths.add(reverse("browse:letter", args=[letter]))
    return paths


def review_paths(review):
    """The review itself, everything that lists it, the reviews that show it as related, and the lists it is on."""
    url = review_url(review)
    if url is None:
        return set()
    related = {review_url(other) for other in review.reviews_showing_as_related()}
    on_lists = {review_url(ranked) for ranked in ListPage.objects.live().filter(entries__review=review).distinct()}
    return {url} | listing_paths(review) | related | on_lists


def list_paths(ranked):
    """A list, its section, the feeds and sitemap it is in, and the reviews whose "On these lists" box names it."""
    url = review_url(ranked)
    if url is None:
        return set()
    reviews = ReviewPage.objects.live().filter(list_entries__page=ranked).distinct()
    section = url.rstrip("/").rsplit("/", 1)[0] + "/"
    return {url, section, reverse("feed_rss"), reverse("feed_atom"), reverse("sitemap")} | {
        review_url(review) for review in reviews
    }


def page_paths(page):
    page = page.specific
    if isinstance(page, ReviewPage):
        return review_paths(page)
    if isinstance(page, ListPage):
        return list_paths(page)
    if isinstance(page, HomePage):
        return {"/"}
    # Content pages and sections: their titles show in breadcrumbs and menus.
    return {EVERYTHING}


def person_paths(person):
    paths = {reverse("browse:person", args=[person.slug])}
    credited = Q(pk__in=person.directing_credits.values("page")) | Q(pk__in=person.acting_credits.values("page"))
    for review in ReviewPage.objects.live().filter(credited):
        paths |= {review_url(review)} | listing_paths(review)
    return paths


def critic_own_paths(slug):
    """A critic's page, feeds, and the critics' index (which counts their reviews)."""
    return {
        reverse("browse:critic", args=[slug]),
        reverse("critic_feed_rss", args=[slug]),
        reverse("critic_feed_atom", args=[slug]),
        reverse("browse:critics"),
    }


def critic_paths(critic):
    """A critic's own pages, and every review whose byline names them, with its listings (cards show bylines)."""
    paths = critic_own_paths(critic.slug)
    for review in ReviewPage.objects.live().filter(critic_credits__critic=critic):
        paths |= {review_url(review)} | listing_paths(review)
    return paths


def tag_paths(tag):
    paths = {reverse("browse:tag", args=[tag.slug])}
    for review in ReviewPage.objects.live().filter(tagged_items__tag=tag):
        paths.add(review_url(review))
    return paths


def image_paths(image):
    """The reviews that show the image (hero, body or share card) and their listings; elsewhere, everything."""
    paths = set()
    page_type = ContentType.objects.get_for_model(Page)
    for reference in ReferenceIndex.get_references_to(image):
        if reference.base_content_type_id != page_type.pk:
            return {EVERYTHING}
        review = ReviewPage.objects.live().filter(pk=reference.object_id).first()
        if review is None:
            if Page.objects.live().filter(pk=reference.object_id).exists():
                return {EVERYTHING}
            continue
        paths |= {review_url(review)} | listing_paths(review)
    return paths


def reviews_with_links(**links):
    reviews = ReviewPage.objects.live().filter(pk__in=ReviewAffiliateLink.objects.filter(**links).values("page"))
    return {review_url(review) for review in reviews}


def review_by_id(review_id):
    return ReviewPage.objects.live().filter(pk=review_id).first()


def reader_paths(review_id):
    """A vote or a comment: the review at once, the listings (counts, averages) soon after."""
    review = review_by_id(review_id)
    if review is None:
        return Affected()
    return Affected(now={review_url(review)}, soon=listing_paths(review))


RULES = {
    "page": lambda page: Affected(now=page_paths(page)),
    "person": lambda person: Affected(now=person_paths(person)),
    "critic": lambda critic: Affected(now=critic_paths(critic)),
    "tag": lambda tag: Affected(now=tag_paths(tag)),
    "image": lambda image: Affected(now=image_paths(image)),
    "affiliate_program": lambda program: Affected(now=reviews_with_links(link__program=program)),
    "affiliate_link": lambda link: Affected(now=reviews_with_links(link=link)),
    "redirect": lambda redirect: Affected(now={redirect.old_path, redirect.old_path.rstrip("/") + "/"}),
    "comment": reader_paths,
    "votes": reader_paths,
    # Shown on every page: site settings, the Sites list, genres (in every fact box), page privacy.
    "everything": lambda _subject: Affected(now={EVERYTHING}),
}


def affected(kind, subject):
    """Which paths a change of ``kind`` to ``subject`` affects (see the module's docstring)."""
    return RULES[kind](subject)
