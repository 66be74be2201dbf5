"""Fragments, routes, sites and searches remembered per generation (home/pagecache.py, home/routing.py).

What a page-cache miss or a signed-in reader (who never gets the shared page
cache) renders: the same HTML as a fresh render, in a query or two, and never
out of date. Every test runs on local memory and on a real Redis server.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from blog.comments.models import Comment
from home.models import ContentPage, SiteSettings
from tests.caches import use_test_redis
from tests.factories import CommentFactory, ReviewPageFactory, UserFactory
from tests.test_ratings import vote

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def fragment_cache(request, settings, worker_id):
    if request.param == "redis":
        use_test_redis(settings, worker_id)
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    yield request.param
    cache.clear()


@pytest.fixture
def reader():
    """A signed-in reader: never served from the shared page cache."""
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def review(review_index):
    SiteSettings.for_site(review_index.get_site())
    return ReviewPageFactory(
        parent=review_index, title="Dear Comrades!", directors=["Andrey Konchalovsky"], genres=["Drama"]
    )


def render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.get("X-Page-Cache") is None  # rendered, not the page cache
    return response, len(queries)


def test_a_page_cache_miss_renders_from_remembered_parts_in_one_query(review, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request rendered, as after a change or for a new URL
    client = Client()
    first, cold = render(client, review.url)
    second, warm = render(client, review.url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert (warm, cold > 20) == (1, True)  # the readers' totals, read fresh; everything else remembered
    listing, _ = render(client, "/reviews/")
    again, warm_listing = render(client, "/reviews/")
    assert again.content == listing.content and warm_listing == 0


def test_the_first_and_the_thousandth_listing_page_cost_the_same_once_rendered(reader, review_index):
    SiteSettings.for_site(review_index.get_site())
    ReviewPageFactory.create_batch(25, parent=review_index)
    for url in ("/reviews/", "/reviews/?page=3"):
        render(reader, url)
    counts = {url: render(reader, url)[1] for url in ("/reviews/", "/reviews/?page=3")}
    assert counts["/reviews/"] == counts["/reviews/?page=3"]


def test_a_published_edit_shows_at_once(reader, review):
    render(reader, review.url), render(reader, "/")
    review.title = "Dear Comrades! (restored)"
    review.save_revision().publish()
    for url in (review.url, "/"):
        assert b"Dear Comrades! (restored)" in render(reader, url)[0].content, url


def test_votes_comments_people_and_settings_show_at_once(reader, review, home_page):
    render(reader, review.url)
    vote(Client(REMOTE_ADDR="10.7.0.1"), review, 4)
    page = render(reader, review.url)[0].content
    assert b"4.0 from 1 reader" in page
    assert b'"ratingCount":1' in page  # the JSON-LD in the head too

    comment = CommentFactory(review=review, name="Irina", text="Moving.", status=Comment.Status.PENDING)
    assert b"Moving." not in render(reader, review.url)[0].content
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert b"Moving." in render(reader, review.url)[0].content

    person = review.director_credits.get().person
    person.name = "A. Konchalovsky"
    person.save()
    assert b"A. Konchalovsky" in render(reader, review.url)[0].content

    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.copyright_holder = "Morgan Reed Films"
    site_settings.save()
    assert b"Morgan Reed Films" in render(reader, review.url)[0].content  # the footer fragment


def test_remembered_routes_follow_moves_unpublishing_and_privacy(reader, home_page):
    about = home_page.add_child(instance=ContentPage(title="About", slug="about"))
    team = home_page.add_child(instance=ContentPage(title="Team", slug="team"))
    render(reader, "/team/"), render(reader, "/team/")
    team.move(about, pos="last-child")
    moved = render(reader, "/team/")[0]
    assert (moved.status_code, moved["Location"]) == (301, "/about/team/")
    assert render(reader, "/about/team/")[0].status_code == 200

    team.refresh_from_db()
    restriction = PageViewRestriction.objects.create(page=team, restriction_type="password", password="secret")
    assert b"csrfmiddlewaretoken" in render(reader, "/about/team/")[0].content  # the password form
    restriction.delete()
    assert b"csrfmiddlewaretoken" not in render(reader, "/about/team/")[0].content
    team.unpublish()
    assert render(reader, "/about/team/")[0].status_code == 404


def test_previews_show_the_draft_not_the_remembered_page(admin_client, review):
    render(admin_client, review.url)
    review.title = "A draft title"
    review.save_revision()  # not published
    preview = review.get_latest_revision_as_object().make_preview_request()
    assert b"A draft title" in preview.content
    assert b"A draft title" not in render(admin_client, review.url)[0].content


def test_remembered_searches_see_new_reviews_at_once(reader, review, review_index):
    for url in ("/search/?q=stalker", "/search/?q=stalker&sort=rating"):
        assert b"Stalker" not in render(reader, url)[0].content
        render(reader, url)
    ReviewPageFactory(parent=review_index, title="Stalker", rating=5)
    for url in ("/search/?q=stalker", "/search/?q=stalker&sort=rating"):
        assert b"Stalker" in render(reader, url)[0].content, url


def test_fragments_can_be_switched_off(reader, review, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    render(reader, review.url)  # the first render also creates renditions
    full = render(reader, review.url)[1]
    assert full > 20 and render(reader, review.url)[1] == full
