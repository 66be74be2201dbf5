"""The one invalidation rule: which pages each kind of change purges, and when."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django_tasks import default_task_backend
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

from blog.affiliates.factories import AffiliateLinkFactory
from blog.affiliates.models import ReviewAffiliateLink
from blog.comments.factories import CommentFactory
from blog.comments.models import Comment
from blog.factories import CriticFactory, ReviewPageFactory
from blog.models import ReviewPage
from blog.ratings.voting import cast_vote
from blog.readers import Reader
from core.factories import ImageFactory
from core.models import SiteIdentity
from delivery.invalidation import affected
from home.factories import ContentPageFactory, site_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def comrades(review_index):
    return ReviewPageFactory(
        parent=review_index,
        title="Dear Comrades!",
        release_year=2020,
        rating=Decimal("4.5"),
        directors=["Andrei Konchalovsky"],
        cast=[("Yuliya Vysotskaya", "Lyuda")],
        genres=["Drama", "History"],
        tags=["Novocherkassk"],
        critics=["Maya Reed"],
    )


def listings_of(review):
    published = review.first_published_at
    return {
        "/",
        "/reviews/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/browse/genres/",
        "/browse/genre/drama/",
        "/browse/genre/history/",
        "/feeds/genre/drama/rss/",
        "/feeds/genre/drama/atom/",
        "/feeds/genre/history/rss/",
        "/feeds/genre/history/atom/",
        "/browse/tag/novocherkassk/",
        "/people/andrei-konchalovsky/",
        "/people/yuliya-vysotskaya/",
        "/critics/",
        "/critics/maya-reed/",
        "/feeds/critic/maya-reed/rss/",
        "/feeds/critic/maya-reed/atom/",
        f"/browse/year/{published.year}/",
        f"/browse/year/{published.year}/{published.month}/",
        "/browse/decade/2020s/",
        "/browse/rating/4.5/",
        "/browse/a-z/d/",
    }


def test_a_review_affects_itself_every_listing_of_it_and_the_reviews_showing_it_as_related(comrades, review_index):
    earlier = ReviewPageFactory(parent=review_index, title="Earlier", directors=["Andrei Konchalovsky"])
    unrelated = ReviewPageFactory(parent=review_index, title="Unrelated", genres=["Comedy"])
    paths = affected("page", comrades).now
    assert paths == {comrades.url, earlier.url} | listings_of(comrades)
    assert unrelated.url not in paths


def test_publishing_purges_the_pages_that_showed_the_old_state_and_those_that_show_the_new(comrades, purges):
    def drop_a_genre_and_re_rate():
        comrades.genres.set([g for g in comrades.genres.all() if g.name == "Drama"])
        comrades.rating = Decimal("3")
        comrades.save_revision().publish()

    paths = purges(drop_a_genre_and_re_rate)
    assert {"/browse/genre/history/", "/browse/rating/4.5/", "/browse/rating/3/", comrades.url} <= paths


def test_unpublishing_and_deleting_purge_the_review_and_its_listings(comrades, purges):
    assert listings_of(comrades) | {comrades.url} <= purges(comrades.unpublish)
    comrades.save_revision().publish()
    assert listings_of(comrades) | {comrades.url} <= purges(lambda: ReviewPage.objects.get(pk=comrades.pk).delete())


def test_a_draft_purges_nothing(comrades, purges):
    comrades.title = "Draft title"
    assert purges(comrades.save_revision) == set()


def test_a_person_rename_purges_their_page_their_reviews_and_those_reviews_listings(comrades, purges):
    person = comrades.director_credits.get().person

    def rename():
        person.name = "Andrey Konchalovsky"
        person.slug = "andrey-konchalovsky"
        person.save()

    paths = purges(rename)
    assert {"/people/andrei-konchalovsky/", "/people/andrey-konchalovsky/", comrades.url, "/"} <= paths


def test_a_critic_rename_purges_their_pages_their_reviews_and_those_reviews_listings(comrades, purges):
    critic = comrades.critic_credits.get().critic

    def rename():
        critic.name, critic.slug = "Maya Reed-Okafor", "maya-reed-okafor"
        critic.save()

    paths = purges(rename)
    assert {"/critics/maya-reed/", "/critics/maya-reed-okafor/", "/feeds/critic/maya-reed/rss/"} <= paths
    assert listings_of(comrades) - {"/critics/maya-reed/"} <= paths and comrades.url in paths


def test_a_second_critic_on_the_byline_purges_both_critics_pages(comrades, purges):
    def add_a_critic():
        comrades.credit_critic(CriticFactory(name="Bo Chen"))
        comrades.save_revision().publish()

    assert {"/critics/maya-reed/", "/critics/bo-chen/", "/feeds/critic/bo-chen/atom/", comrades.url} <= purges(
        add_a_critic
    )


def test_tags_images_and_affiliate_links_purge_the_reviews_that_show_them(comrades, purges):
    tag = Tag.objects.get(name="Novocherkassk")

    def rename_tag():
        tag.name, tag.slug = "Novocherkassk 1962", "novocherkassk-1962"
        tag.save()

    assert {comrades.url, "/browse/tag/novocherkassk/", "/browse/tag/novocherkassk-1962/"} <= purges(rename_tag)

    image = comrades.hero_image
    image.title = "A new title"
    assert {comrades.url, "/"} <= purges(image.save)
    # Wagtail's bookkeeping on an image's first use changes nothing readers see.
    assert purges(lambda: image.save(update_fields=["file_size"])) == set()
    unused = ImageFactory()
    assert purges(unused.save) == set()

    link = AffiliateLinkFactory()
    ReviewAffiliateLink.objects.create(page=comrades, link=link)
    link.label = "Watch it at Curzon"
    assert purges(link.save) == {comrades.url}
    program = link.program
    program.is_active = False
    assert purges(program.save) == {comrades.url}


def test_a_comment_purges_the_review_at_once_and_its_listings_soon(comrades, purges):
    comment = CommentFactory(review=comrades, status=Comment.Status.PENDING)
    result = affected("comment", comrades.pk)
    assert result.now == {comrades.url} and result.soon == listings_of(comrades)

    def approve():
        comment.status = Comment.Status.APPROVED
        comment.save()

    # With a task queue that cannot defer (the default), the listings go at once too.
    assert purges(approve) == {comrades.url} | listings_of(comrades)
    # A pending comment is seen by nobody but its author: nothing to purge.
    assert purges(lambda: CommentFactory(review=comrades, status=Comment.Status.PENDING)) == set()


def test_a_vote_purges_the_review_at_once_and_defers_the_listings_on_a_queue_that_can(
    comrades, caching_proxy, django_capture_on_commit_callbacks
):
    """On a task queue that can defer (the database queue in production), listings are purged once per window."""
    dummy_queue = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def purges_of(name):
        return [result for result in default_task_backend.results if result.task.name == name]

    review_url = [f"http://localhost{comrades.url}"]
    with override_settings(TASKS=dummy_queue, LISTING_PURGE_DELAY=30):
        with django_capture_on_commit_callbacks(execute=True):
            cast_vote(comrades, Reader(key="anon:one"), 4, "ip")
        # The review: at once, and again a moment later (the settle pass).
        now, settle = purges_of("purge_urls_from_cache_task")
        assert now.args[0] == settle.args[0] == review_url
        assert now.task.run_after is None and settle.task.run_after is not None
        # Its listings: one purge, deferred by the delay.
        [listings] = purges_of("purge_paths_task")
        assert set(listings.args[0]) == listings_of(comrades) and listings.task.run_after is not None
        # A second vote within the window purges the review again, and adds no second deferred purge.
        with django_capture_on_commit_callbacks(execute=True):
            cast_vote(comrades, Reader(key="anon:two"), 5, "ip")
        assert [result.args[0] for result in purges_of("purge_urls_from_cache_task")[2:]] == [review_url] * 2
        assert len(purges_of("purge_paths_task")) == 1


def test_site_wide_changes_purge_everything(comrades, purges):
    settings_row = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    settings_row.tagline = "Films since 2009"
    assert purges(settings_row.save) == {"/*"}
    genre = comrades.genres.first()
    genre.name = "Melodrama"
    assert purges(genre.save) == {"/*"}
    assert purges(lambda: PageViewRestriction.objects.create(page=comrades, restriction_type="login")) == {"/*"}
    # Content pages and sections show in menus and breadcrumbs.
    about = ContentPageFactory(parent=site_home(), title="About")
    about.title = "About us"
    assert purges(about.save_revision().publish) == {"/*"}


def test_a_redirect_purges_its_old_path(purges):
    paths = purges(lambda: Redirect.objects.create(old_path="/2020/11/dear-comrades", redirect_link="/reviews/"))
    assert paths == {"/2020/11/dear-comrades", "/2020/11/dear-comrades/"}
