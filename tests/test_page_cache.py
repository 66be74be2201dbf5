"""The whole-page cache: served to anonymous readers, refreshed exactly when content changes.

Every test runs twice: on the local-memory cache and on a real Redis server
(REDIS_TEST_URL, the local Redis by default; databases 15 downwards, one per test process).
"""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.affiliates.models import ReviewAffiliateLink
from blog.comments.models import Comment
from home.models import SiteSettings
from tests.caches import use_test_redis
from tests.factories import AffiliateLinkFactory, CommentFactory, ReviewPageFactory
from tests.test_ratings import vote

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def page_cache(request, settings, worker_id):
    if request.param == "redis":
        use_test_redis(settings, worker_id)
    settings.PAGE_CACHE_ENABLED = True
    yield request.param
    cache.clear()


def get(url, client=None, **extra):
    response = (client or Client()).get(url, **extra)
    return response, response.get("X-Page-Cache")


@pytest.fixture
def review(review_index):
    # Settings exist before the first page view (creating them is itself a change).
    SiteSettings.for_site(review_index.get_site())
    return ReviewPageFactory(parent=review_index, title="Dear Comrades!", directors=["Andrey Konchalovsky"])


def test_second_anonymous_view_is_served_from_the_cache_without_the_database(review, django_assert_max_num_queries):
    first, state = get(review.url)
    assert (first.status_code, state) == (200, "miss")
    with django_assert_max_num_queries(0):
        second, state = get(review.url)
    assert (second.status_code, state) == (200, "hit")
    assert second.content == first.content
    assert second["Content-Type"].startswith("text/html")
    head = Client().head(review.url)
    assert (head.status_code, head["X-Page-Cache"], head.content) == (200, "hit", b"")


def test_a_published_edit_shows_at_once(review, home_page):
    get(review.url), get("/")
    review.title = "Dear Comrades! (restored)"
    review.save_revision().publish()
    for url in (review.url, "/"):
        response, state = get(url)
        assert state == "miss" and b"Dear Comrades! (restored)" in response.content, url


def test_new_review_appears_in_listings_at_once(review, review_index):
    get("/"), get(review_index.url)
    ReviewPageFactory(parent=review_index, title="Stalker")
    for url in ("/", review_index.url):
        assert b"Stalker" in get(url)[0].content


def test_unpublish_and_delete_are_seen_at_once(review, home_page, review_index):
    get(review.url), get("/")
    review.unpublish()
    assert get(review.url)[0].status_code == 404
    assert b"Dear Comrades!" not in get("/")[0].content

    other = ReviewPageFactory(parent=review_index, title="Other")
    get(other.url), get("/")
    Page.objects.get(pk=other.pk).delete()
    assert get(other.url)[0].status_code == 404
    assert b"Other" not in get("/")[0].content


def test_moving_a_page_is_seen_at_once(home_page, review_index):
    from home.models import ContentPage

    about = home_page.add_child(instance=ContentPage(title="About", slug="about"))
    team = home_page.add_child(instance=ContentPage(title="Team", slug="team"))
    assert get("/team/")[0].status_code == 200
    team.move(about, pos="last-child")
    moved = get("/team/")[0]  # Wagtail leaves a redirect behind
    assert (moved.status_code, moved["Location"]) == (301, "/about/team/")
    assert get("/about/team/")[0].status_code == 200


def test_approved_comments_and_their_removal_are_seen_at_once(review):
    get(review.url)
    comment = CommentFactory(review=review, name="Irina", text="Moving.", status=Comment.Status.PENDING)
    assert b"Moving." not in get(review.url)[0].content
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert b"Moving." in get(review.url)[0].content
    comment.delete()
    assert b"Moving." not in get(review.url)[0].content


def test_snippet_and_settings_edits_are_seen_at_once(review, home_page):
    link = AffiliateLinkFactory(label="Watch it at Amazon")
    ReviewAffiliateLink.objects.create(page=review, link=link)
    review.save_revision().publish()
    assert b"Watch it at Amazon" in get(review.url)[0].content
    link.program.is_active = False
    link.program.save()
    assert b"Watch it at Amazon" not in get(review.url)[0].content

    person = review.director_credits.get().person
    person.name = "A. Konchalovsky"
    person.save()
    assert b"A. Konchalovsky" in get(review.url)[0].content

    settings = SiteSettings.for_site(home_page.get_site())
    settings.copyright_holder = "Morgan Reed Films"
    settings.save()
    assert b"Morgan Reed Films" in get("/")[0].content


def test_a_readers_vote_refreshes_the_review_page_at_once(review):
    get(review.url)
    assert get(review.url)[1] == "hit"
    vote(Client(REMOTE_ADDR="10.7.0.1"), review, 4)
    response, state = get(review.url)
    assert state == "miss" and b"4.0 from 1 reader" in response.content


def test_signed_in_users_previews_and_forms_are_never_cached(review, admin_client):
    get(review.url)  # cached for anonymous readers
    response = admin_client.get(review.url)
    assert response.get("X-Page-Cache") is None
    assert b"wagtail-userbar" in response.content  # the editor's own toolbar
    assert b"wagtail-userbar" not in get(review.url)[0].content

    for url in (f"/comments/{review.pk}/", f"/ratings/{review.pk}/", "/search/?q=dear", "/healthz"):
        Client().get(url)
        assert Client().get(url).get("X-Page-Cache") is None, url
    assert Client().post(review.url).get("X-Page-Cache") is None

    # A reader with a message waiting (after a no-JavaScript vote) is served fresh.
    assert get(review.url, HTTP_COOKIE="messages=abc")[1] is None


def test_pages_that_carry_a_csrf_token_are_not_stored(review, settings):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=review, restriction_type="password", password="secret")
    first = Client().get(review.url)
    assert b"csrfmiddlewaretoken" in first.content
    assert first.get("X-Page-Cache") is None
    assert Client().get(review.url).get("X-Page-Cache") is None


def test_compressed_and_plain_copies_are_kept_apart(review):
    plain = Client().get(review.url).content
    zipped = Client().get(review.url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    again = Client().get(review.url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.get("X-Page-Cache") == "hit" and again["Content-Encoding"] == "gzip"
    assert Client().get(review.url).content == plain


def test_rating_totals_stay_out_of_other_readers_html(review):
    voter = Client(REMOTE_ADDR="10.7.0.2")
    vote(voter, review, 5)
    mine = voter.get(review.url)
    theirs = Client().get(review.url)
    assert mine.content == theirs.content  # nothing per reader in the shared page


def test_cache_outage_still_serves_pages(review, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    for _ in range(2):
        response, state = get(review.url)
        assert response.status_code == 200 and state == "miss"
    health = Client().get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["database"] == "ok"
    assert health.json()["cache"].startswith("failing")
    review.title = "Saved while the cache is down"
    review.save_revision().publish()  # saving never fails because of the cache
    assert b"Saved while the cache is down" in get(review.url)[0].content


def test_page_cache_can_be_switched_off(review, settings):
    settings.PAGE_CACHE_ENABLED = False
    get(review.url)
    assert get(review.url)[1] is None


def test_cached_pages_keep_their_security_headers(review):
    first = Client().get(review.url)
    hit = Client().get(review.url)
    assert hit["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert hit[header] == first[header], header
    assert "Set-Cookie" not in hit


def test_making_a_page_private_is_seen_at_once(review):
    from wagtail.models import PageViewRestriction

    get(review.url), get("/")
    assert b"Dear Comrades!" in get("/")[0].content
    restriction = PageViewRestriction.objects.create(page=review, restriction_type="password", password="secret")
    assert b"csrfmiddlewaretoken" in get(review.url)[0].content  # the password form, not the cached review
    assert b"Dear Comrades!" not in get("/")[0].content
    restriction.delete()
    assert b"Dear Comrades!" in get("/")[0].content


def test_an_images_first_use_bookkeeping_keeps_cached_pages(review):
    from wagtail.images.tests.utils import get_test_image_file

    from home.pagecache import GENERATION_KEY

    image = get_image_model().objects.create(title="Still", file=get_test_image_file())
    generation = cache.get(GENERATION_KEY)
    image.file_size = None
    image.get_file_size()  # Wagtail saves update_fields=["file_size"]
    image.file_hash = ""
    image.get_file_hash()
    assert cache.get(GENERATION_KEY) == generation
    image.title = "Still, retitled"
    image.save()
    assert cache.get(GENERATION_KEY) != generation
