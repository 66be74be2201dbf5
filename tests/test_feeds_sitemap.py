"""Feeds, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from blog.factories import ReviewPageFactory, SpoilerBlockFactory
from blog.models import FeedSettings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


@pytest.fixture
def reviews(review_index):
    return [
        ReviewPageFactory(parent=review_index, title="Ida", genres=["Drama"], release_year=2013),
        ReviewPageFactory(
            parent=review_index,
            title='Tom & "Jerry" </script>',
            genres=["Comedy"],
            hero_image=None,
            body=[
                ("paragraph", "<p>Full text here.</p>"),
                ("spoiler", SpoilerBlockFactory(summary="Ending", text__value="<p>Secret ending.</p>")),
            ],
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_and_list_latest_reviews_with_image_and_rating(client, reviews, kind):
    response = client.get(f"/feeds/{kind}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    titles = [entry.title for entry in feed.entries]
    assert titles == ['Tom & "Jerry" </script> (2020)', "Ida (2013)"]
    ida = feed.entries[1]
    assert ida.link == f"http://testserver{reviews[0].url}"
    summary = ida.get("summary", "") or ida.get("description", "")
    assert "Critic's rating: 4 out of 5 stars" in summary
    assert 'src="http://testserver/media/' in summary
    assert [tag.term for tag in ida.tags] == ["Drama"]
    assert "Full text here." not in feed.entries[0].get("summary", "")


@pytest.mark.django_db
def test_full_text_feed_leaves_spoilers_out(client, reviews):
    settings = FeedSettings.for_site(reviews[0].get_site())
    settings.full_text = True
    settings.save()
    entry = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    assert "Full text here." in entry.summary
    assert "Secret ending" not in entry.summary


@pytest.mark.django_db
def test_genre_feed_and_unknown_genre(client, reviews):
    feed = feedparser.parse(client.get("/feeds/genre/drama/atom/").content)
    assert [e.title for e in feed.entries] == ["Ida (2013)"]
    assert "Drama" in feed.feed.title
    assert client.get("/feeds/genre/no-such-genre/rss/").status_code == 404


@pytest.mark.django_db
def test_pages_advertise_feeds(client, reviews):
    html = client.get("/").text
    assert 'type="application/rss+xml"' in html and 'href="/feeds/rss/"' in html
    assert 'type="application/atom+xml"' in html


@pytest.mark.django_db
def test_sitemap_lists_pages_with_lastmod_and_images(client, reviews):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {u.find(f"{SITEMAP}loc").text: u for u in root.findall(f"{SITEMAP}url")}
    ida = urls[reviews[0].full_url]
    assert ida.find(f"{SITEMAP}lastmod") is not None or reviews[0].last_published_at is None
    assert ida.find(f"{IMAGE}image/{IMAGE}loc").text.startswith("http://testserver/media/")
    assert urls[reviews[1].full_url].find(f"{IMAGE}image") is None


@pytest.mark.django_db
def test_robots_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


FEED_QUERIES = 7  # among them the site, its two settings (identity, feeds) and the lists


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_items(client, review_index, django_assert_num_queries):
    for count in (3, 18):
        while review_index.get_children().count() < count:
            ReviewPageFactory(parent=review_index, genres=["Drama", "War"])
        client.get("/feeds/rss/")  # renditions are made on the first view
        with django_assert_num_queries(FEED_QUERIES):
            feed = feedparser.parse(client.get("/feeds/rss/").content)
        assert len(feed.entries) == count
