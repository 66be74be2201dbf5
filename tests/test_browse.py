"""Browsing the archive: people, genres, dates, decades, ratings, A–Z."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from blog.factories import PersonFactory, ReviewPageFactory
from blog.models import ReviewPage
from tests.helpers import card_titles


@pytest.fixture
def archive(review_index):
    konchalovsky = PersonFactory(name="Andrey Konchalovsky")
    vysotskaya = PersonFactory(name="Julia Vysotskaya")
    comrades = ReviewPageFactory(
        parent=review_index,
        title="Dear Comrades!",
        release_year=2020,
        rating=Decimal("4.5"),
        directors=[konchalovsky],
        cast=[(vysotskaya, "Lyuda")],
        genres=["Drama", "History"],
    )
    paradise = ReviewPageFactory(
        parent=review_index,
        title="Paradise",
        release_year=2016,
        rating=Decimal("4.0"),
        directors=[konchalovsky],
        cast=[(vysotskaya, "Olga")],
        genres=["Drama", "War"],
    )
    come_and_see = ReviewPageFactory(
        parent=review_index, title="Come and See", release_year=1985, rating=Decimal("5.0"), genres=["War"]
    )
    ReviewPageFactory(parent=review_index, title="8½", release_year=1963, rating=None)
    ReviewPageFactory(parent=review_index, title="Draft film", release_year=2020, live=False, genres=["Drama"])
    ReviewPage.objects.filter(pk=comrades.pk).update(
        first_published_at=datetime(2021, 3, 5, 12, tzinfo=datetime.now().astimezone().tzinfo)
    )
    return {"comrades": comrades, "paradise": paradise, "come_and_see": come_and_see, "konchalovsky": konchalovsky}


@pytest.mark.django_db
def test_person_page_lists_films_with_role_year_and_ratings(client, archive):
    page = BeautifulSoup(client.get("/people/julia-vysotskaya/").content, "html.parser")
    assert page.h1.text == "Julia Vysotskaya"
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("table tbody tr")]
    assert rows[0][:3] == ["Dear Comrades!", "2020", "Lyuda"]
    assert rows[1][:3] == ["Paradise", "2016", "Olga"]
    assert page.select("table tbody tr td .stars")[0]["aria-label"] == "4.5 out of 5 stars"
    director = BeautifulSoup(client.get("/people/andrey-konchalovsky/").content, "html.parser")
    assert [a.text for a in director.select("table a")] == ["Dear Comrades!", "Paradise"]
    assert client.get("/people/nobody-at-all/").status_code == 404


@pytest.mark.django_db
def test_review_page_links_people_and_genres(client, archive):
    page = BeautifulSoup(client.get(archive["comrades"].url).content, "html.parser")
    facts = page.select_one(".film-facts")
    assert facts.find("a", string="Andrey Konchalovsky")["href"] == "/people/andrey-konchalovsky/"
    assert facts.find("a", string="Julia Vysotskaya")["href"] == "/people/julia-vysotskaya/"
    assert facts.find("a", string="Drama")["href"] == "/browse/genre/drama/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/browse/genre/war/", ["Come and See", "Paradise"]),
        ("/browse/decade/2010s/", ["Paradise"]),
        ("/browse/decade/1980s/", ["Come and See"]),
        ("/browse/rating/5/", ["Come and See"]),
        ("/browse/rating/4.5/", ["Dear Comrades!"]),
        ("/browse/year/2021/3/", ["Dear Comrades!"]),
        ("/browse/year/2021/", ["Dear Comrades!"]),
        ("/browse/a-z/d/", ["Dear Comrades!"]),
        ("/browse/a-z/0-9/", ["8½"]),
    ],
)
def test_archives_list_the_right_published_reviews(client, archive, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert sorted(card_titles(response)) == sorted(expected)


@pytest.mark.django_db
def test_empty_archive_says_so(client, archive):
    response = client.get("/browse/year/1999/")
    assert response.status_code == 200
    assert "No reviews were published then." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/browse/genre/no-such-genre/",
        "/browse/year/2021/13/",
        "/browse/year/99999/",
        "/browse/decade/2015s/",
        "/browse/rating/3.3/",
        "/browse/rating/6/",
        "/browse/a-z/%C3%A9/",
        "/browse/a-z/ab/",
        "/people/%3Cscript%3E/",
    ],
)
def test_archives_that_do_not_exist_are_404(client, archive, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_browse_index_and_genres(client, archive):
    index = BeautifulSoup(client.get("/browse/a-z/").content, "html.parser")
    assert index.find("a", string="D")["href"] == "/browse/a-z/d/"
    assert index.find("a", string="5 stars")["href"] == "/browse/rating/5/"
    genres = BeautifulSoup(client.get("/browse/genres/").content, "html.parser").select(".browse-links li")
    assert [li.get_text(" ", strip=True) for li in genres] == ["Drama (2)", "History (1)", "War (2)"]


ARCHIVE_QUERIES = 8


@pytest.mark.django_db
def test_archive_query_count_is_the_same_on_every_page(client, review_index, django_assert_num_queries):
    for _ in range(25):
        ReviewPageFactory(parent=review_index, genres=["Drama"], directors=["A"])
    for page in ("1", "3"):
        client.get("/browse/genre/drama/", {"page": page})
        with django_assert_num_queries(ARCHIVE_QUERIES):
            response = client.get("/browse/genre/drama/", {"page": page})
        assert len(card_titles(response)) == (10 if page == "1" else 5)


PERSON_QUERIES = 6


@pytest.mark.django_db
def test_person_page_query_count_is_fixed(client, review_index, django_assert_num_queries):
    person = PersonFactory(name="Busy Actor")
    for n in (1, 8):
        while ReviewPage.objects.count() < n:
            ReviewPageFactory(parent=review_index, cast=[(person, "Someone")], directors=[person])
        client.get("/people/busy-actor/")
        with django_assert_num_queries(PERSON_QUERIES):
            response = client.get("/people/busy-actor/")
        assert response.text.count("Someone") == n


@pytest.mark.django_db
def test_related_reviews_same_director_first_then_same_genre(client, archive):
    page = BeautifulSoup(client.get(archive["comrades"].url).content, "html.parser")
    related = [a.text for a in page.select(".related a")]
    assert related == ["Paradise"]  # same director (and the draft is never shown)
    page = BeautifulSoup(client.get(archive["come_and_see"].url).content, "html.parser")
    assert [a.text for a in page.select(".related a")] == ["Paradise"]  # same genre: War
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert crumbs == ["Home", "Reviews", "Come and See"]


def related_titles(review):
    review.refresh_from_db()
    facts = review.film_facts()
    directors, genres = [c.person.pk for c in facts.directors], [g.pk for g in facts.genres]
    return [related.title for related in review.related_reviews(directors, genres)]


@pytest.mark.django_db
def test_related_reviews_rank_the_director_then_the_nearest_earlier_then_the_nearest_later(review_index):
    start = datetime(2025, 1, 1, tzinfo=UTC)

    def review(title, day, directors=(), genres=("Drama",)):
        page = ReviewPageFactory(parent=review_index, title=title, directors=list(directors), genres=list(genres))
        ReviewPage.objects.filter(pk=page.pk).update(first_published_at=start + timedelta(days=day))
        return page

    first = review("First drama", 0)
    review("Old film by Ann Hui", 1, directors=["Ann Hui"], genres=["Comedy"])
    dramas = {day: review(f"Drama {day}", day) for day in range(2, 9)}
    anchor = review("Anchor", 10, directors=["Ann Hui"])
    review("Later drama", 12)
    review("Unrelated", 9, genres=["Western"])
    PageViewRestriction.objects.create(page=dramas[8], restriction_type=PageViewRestriction.PASSWORD, password="x")

    # The director's film first however old; then the dramas just before, the
    # latest first, passing over the private one.
    assert related_titles(anchor) == ["Old film by Ann Hui", "Drama 7", "Drama 6", "Drama 5"]
    # The earliest drama has none before it: the dramas just after, in order.
    assert related_titles(first) == ["Drama 2", "Drama 3", "Drama 4", "Drama 5"]
    # Between: the one before, then those after.
    assert related_titles(dramas[3]) == ["Drama 2", "First drama", "Drama 4", "Drama 5"]


@pytest.mark.django_db
def test_tags_are_shown_on_the_review_and_browsable(client, archive):
    comrades = ReviewPage.objects.get(title="Dear Comrades!")
    comrades.tags.add("Soviet Union")
    comrades.save_revision().publish()
    soup = BeautifulSoup(client.get(comrades.url).content, "html.parser")
    link = soup.select_one(".film-facts a[href='/browse/tag/soviet-union/']")
    assert link is not None and link.text == "Soviet Union"
    assert card_titles(client.get("/browse/tag/soviet-union/")) == ["Dear Comrades!"]
    assert client.get("/browse/tag/no-such-tag/").status_code == 404
