"""The site behind a real Varnish running delivery/varnish/marquee.vcl: what readers get, and purges."""

import socket
import threading
import time

import pytest
from wagtail import hooks
from wagtail.models import Site

from blog.comments.factories import CommentFactory
from blog.comments.models import Comment
from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from core.models import SiteIdentity
from home.factories import site_home
from tests.varnish import running_varnish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varnish(live_server, settings):
    """Varnish in front of the live server; the site's address is Varnish's, as in production."""
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    with running_varnish(backend_port) as proxy:
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": proxy.base_url,
            }
        }
        home = site_home()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "127.0.0.1", "port": proxy.port, "root_page": home}
        )
        yield proxy


@pytest.fixture
def review(db):
    index = ReviewIndexPageFactory(parent=site_home())
    return ReviewPageFactory(parent=index, title="Dear Comrades!", directors=["Andrei Konchalovsky"])


def test_anonymous_pages_are_cached_and_a_published_edit_shows_at_once(varnish, review):
    first = varnish.get(review.url)
    assert first.status == 200 and first.headers["X-Cache"] == "miss"
    assert "public" in first.headers["Cache-Control"] and "s-maxage" in first.headers["Cache-Control"]
    assert varnish.get(review.url).headers["X-Cache"] == "hit"
    assert varnish.get("/").headers["X-Cache"] == "miss" and varnish.get("/").headers["X-Cache"] == "hit"

    review.title = "Dear Comrades! (restored)"
    review.save_revision().publish()

    for path in (review.url, "/"):
        response = varnish.get(path)
        assert response.headers["X-Cache"] == "miss", path
        assert "Dear Comrades! (restored)" in response.body


def test_an_approved_comment_shows_at_once(varnish, review):
    comment = CommentFactory(review=review, text="Stayed with me for days.", status=Comment.Status.PENDING)
    assert "Stayed with me" not in varnish.get(review.url).body
    assert varnish.get(review.url).headers["X-Cache"] == "hit"
    comment.status = Comment.Status.APPROVED
    comment.save()
    assert "Stayed with me" in varnish.get(review.url).body


def test_a_person_rename_shows_on_their_reviews_and_listings(varnish, review):
    person = review.director_credits.get().person
    for path in (review.url, "/", person.get_absolute_url()):
        varnish.get(path)
        assert varnish.get(path).headers["X-Cache"] == "hit"
    person.name = "Andrey Konchalovsky"
    person.save()
    for path in (review.url, "/", "/people/andrei-konchalovsky/"):
        assert "Andrey Konchalovsky" in varnish.get(path).body, path


def test_a_settings_change_shows_everywhere(varnish, review):
    other = ReviewPageFactory(parent=review.get_parent(), title="Sibling")
    for path in (review.url, other.url, "/", "/browse/a-z/"):
        varnish.get(path)
    settings_row = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    settings_row.tagline = "Films since 2009"
    settings_row.save()
    for path in (review.url, other.url, "/", "/browse/a-z/"):
        assert "Films since 2009" in varnish.get(path).body, path


def test_tracking_and_junk_query_strings_share_the_clean_page(varnish, review):
    assert varnish.get(review.url).headers["X-Cache"] == "miss"
    for junk in ("?utm_source=newsletter&utm_medium=email", "?fbclid=abc", "?x=1&y=2", "?page=abc"):
        assert varnish.get(review.url + junk).headers["X-Cache"] == "hit", junk
    # Query strings that pages use are kept apart.
    assert varnish.get("/?page=2").headers["X-Cache"] == "miss"
    assert varnish.get("/?utm_campaign=x&page=2").headers["X-Cache"] == "hit"


def test_sessions_and_per_reader_responses_are_never_shared(varnish, review, client):
    signed_in = varnish.get(review.url, headers={"Cookie": "sessionid=abc"})
    assert signed_in.headers.get("X-Cache") == "miss"
    assert varnish.get(review.url, headers={"Cookie": "sessionid=abc"}).headers["X-Cache"] == "miss"
    state = varnish.get(f"/ratings/{review.pk}/state/")
    assert "private" in state.headers["Cache-Control"] or "no-cache" in state.headers["Cache-Control"]
    assert varnish.get(f"/ratings/{review.pk}/state/").headers["X-Cache"] == "miss"
    # The comment page carries a CSRF token and sets its cookie: private, and not stored.
    page = varnish.get(f"/comments/{review.pk}/")
    assert "private" in page.headers["Cache-Control"]
    assert varnish.get(f"/comments/{review.pk}/").headers["X-Cache"] == "miss"


def test_purge_is_refused_from_any_other_address(varnish, review):
    varnish.get(review.url)

    def purge(source):
        with socket.create_connection(("127.0.0.1", varnish.port), source_address=(source, 0), timeout=5) as conn:
            conn.sendall(f"PURGE {review.url} HTTP/1.1\r\nHost: 127.0.0.1:{varnish.port}\r\n\r\n".encode())
            return conn.recv(100).split(b"\r\n", 1)[0]

    assert b" 405 " in purge("127.0.0.2")
    assert varnish.get(review.url).headers["X-Cache"] == "hit"
    assert b" 200 " in purge("127.0.0.1")
    assert varnish.get(review.url).headers["X-Cache"] == "miss"


def test_a_render_that_overlapped_a_change_is_not_stored(varnish, review):
    """The render-versus-purge race: a render that read the page before an edit committed, and that
    reaches Varnish after the edit's purge, must not be what readers get next."""
    routed = threading.Event()

    def slow_render(page, request, args, kwargs):
        if request.headers.get("X-Test-Slow"):
            routed.set()  # the page has been read from the database: the old title
            time.sleep(1.5)

    with hooks.register_temporarily("before_serve_page", slow_render):
        slow = threading.Thread(target=varnish.get, args=(review.url, {"X-Test-Slow": "1"}))
        slow.start()
        assert routed.wait(10)
        review.title = "Dear Comrades! (restored)"
        review.save_revision().publish()  # commits and purges while the old render is still running
        slow.join(20)

    assert "Dear Comrades! (restored)" in varnish.get(review.url).body
