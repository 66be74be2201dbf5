"""Search: relevance, filters, sorting, typeahead, reports and bad input."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from blog.factories import ReviewPageFactory
from blog.models import ReviewPage
from search.models import SearchMiss
from tests.helpers import card_titles


@pytest.fixture
def catalogue(review_index):
    comrades = ReviewPageFactory(
        parent=review_index,
        title="Dear Comrades!",
        release_year=2020,
        rating=Decimal("4.5"),
        directors=["Andrey Konchalovsky"],
        cast=[("Julia Vysotskaya", "Lyuda")],
        genres=["Drama", "History"],
        standfirst="A loyal official in 1962.",
    )
    strangelove = ReviewPageFactory(
        parent=review_index,
        title="Dr. Strangelove",
        release_year=1964,
        rating=None,
        genres=["Comedy"],
        standfirst="A companion piece to Dear Comrades! Comrades, comrades everywhere.",
        body=[("paragraph", "<p>Like Dear Comrades!, it is about comrades and officials.</p>")],
    )
    come_and_see = ReviewPageFactory(
        parent=review_index, title="Come and See", release_year=1985, rating=Decimal("5.0"), genres=["War", "Drama"]
    )
    return {"comrades": comrades, "strangelove": strangelove, "come_and_see": come_and_see}


@pytest.mark.django_db
def test_title_match_ranks_first(client, catalogue):
    assert card_titles(client.get("/search/", {"q": "comrades"})) == ["Dear Comrades!", "Dr. Strangelove"]


@pytest.mark.django_db
def test_people_and_genres_are_searchable(client, catalogue):
    assert card_titles(client.get("/search/", {"q": "Konchalovsky"})) == ["Dear Comrades!"]
    assert card_titles(client.get("/search/", {"q": "vysotskaya"})) == ["Dear Comrades!"]


@pytest.mark.django_db
def test_private_reviews_are_never_found(client, catalogue):
    comrades = ReviewPage.objects.get(title="Dear Comrades!")
    PageViewRestriction.objects.create(page=comrades, restriction_type=PageViewRestriction.LOGIN)
    assert card_titles(client.get("/search/", {"q": "comrades"})) == ["Dr. Strangelove"]
    assert card_titles(client.get("/search/", {"q": "comrades", "genre": "drama"})) == []
    assert "Dear Comrades!" not in card_titles(client.get("/search/", {"genre": "drama"}))


@pytest.mark.django_db
def test_filters_and_sorting(client, catalogue):
    assert card_titles(client.get("/search/", {"genre": "war"})) == ["Come and See"]
    assert card_titles(client.get("/search/", {"decade": "1960s"})) == ["Dr. Strangelove"]
    assert sorted(card_titles(client.get("/search/", {"min_rating": "4.5"}))) == ["Come and See", "Dear Comrades!"]
    rated = card_titles(client.get("/search/", {"genre": "drama", "sort": "rating"}))
    assert rated == ["Come and See", "Dear Comrades!"]
    assert card_titles(client.get("/search/", {"q": "comrades", "genre": "comedy"})) == ["Dr. Strangelove"]
    assert card_titles(client.get("/search/", {"q": "comrades", "sort": "newest"}))[0] == "Dr. Strangelove"


@pytest.mark.django_db
def test_results_show_card_details(client, catalogue):
    card = BeautifulSoup(client.get("/search/", {"q": "comrades"}).content, "html.parser").select_one(".review-card")
    assert card.find("img") is not None
    assert card.select_one(".review-card__year").text == "(2020)"
    assert card.select_one(".stars")["aria-label"] == "4.5 out of 5 stars"
    assert card.select_one(".review-card__excerpt").text == "A loyal official in 1962."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["a" * 5000, "'; DROP TABLE wagtailcore_page; --", '"unbalanced', "(", "[a-z]+.*", "NEAR(x y)", "🎬🍿", "%_\\"],
)
def test_hostile_queries_give_a_clean_empty_page(client, catalogue, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "No reviews match your search" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"genre": "nope"}, {"decade": "1850s"}, {"min_rating": "9"}, {"sort": "random"}, {"q": "x", "page": "abc"}],
)
def test_unknown_filters_are_explained_not_errors(client, catalogue, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    if "page" not in params:
        assert "filters were not recognised" in response.text


@pytest.mark.django_db
def test_typeahead_suggests_films_and_people(client, catalogue):
    data = client.get("/search/suggest/", {"q": "konch"}).json()
    assert data["people"] == [{"name": "Andrey Konchalovsky", "url": "/people/andrey-konchalovsky/"}]
    films = client.get("/search/suggest/", {"q": "comr"}).json()["films"]
    assert films == [{"title": "Dear Comrades!", "year": 2020, "url": catalogue["comrades"].url}]
    assert client.get("/search/suggest/", {"q": "k"}).json() == {"films": [], "people": []}
    assert client.get("/search/suggest/", {"q": "%" * 500}).status_code == 200


@pytest.mark.django_db
def test_popular_queries_misses_and_promotions(client, admin_client, catalogue):
    client.get("/search/", {"q": "comrades"})
    client.get("/search/", {"q": "Comrades"})
    assert Query.get("comrades").hits == 2
    client.get("/search/", {"q": "zzyzx"})
    client.get("/search/", {"q": "zzyzx"})
    assert SearchMiss.objects.get(query_string="zzyzx").hits == 2
    report = admin_client.get("/admin/search/misses/")
    assert report.status_code == 200 and "zzyzx" in report.text
    assert "comrades" in admin_client.get("/admin/searchpicks/reports/search-terms/").text
    SearchPromotion.objects.create(
        query=Query.get("war"), page=catalogue["come_and_see"], sort_order=0, description="Our pick"
    )
    promoted = BeautifulSoup(client.get("/search/", {"q": "war"}).content, "html.parser").select_one(".promotions")
    assert promoted.find("a").text == "Come and See"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is a PostgreSQL feature")
def test_misspelt_title_is_offered_on_postgresql(client, catalogue):
    response = client.get("/search/", {"q": "Komrades"})  # not fixed by stemming; close in trigrams
    suggestions = [a.text for a in BeautifulSoup(response.content, "html.parser").select("#similar-heading + ul a")]
    assert "Dear Comrades!" in suggestions


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_page_number(client, review_index, django_assert_num_queries):
    for n in range(25):
        ReviewPageFactory(parent=review_index, title=f"Night film {n}", directors=["A"])
    counts = []
    for page in ("1", "3"):
        client.get("/search/", {"q": "night", "page": page})

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": "night", "page": page})
        counts.append(len(queries))
        assert len(card_titles(response)) == (10 if page == "1" else 5)
    assert counts[0] == counts[1] > 0


SEARCH_QUERIES = 8


@pytest.mark.django_db
def test_search_full_render_query_budget(client, review_index, django_assert_num_queries):
    """A search with results, every cache off. Its statistics are a background task: queued here
    (Django's dummy task backend keeps it), not run within the reader's request."""
    for count in (3, 30):
        while ReviewPage.objects.count() < count:
            ReviewPageFactory(parent=review_index, title=f"Night film {ReviewPage.objects.count()}", directors=["A"])
        client.get("/search/", {"q": "night"})
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            with django_assert_num_queries(SEARCH_QUERIES):
                response = client.get("/search/", {"q": "night"})
            [queued] = default_task_backend.results
        assert len(card_titles(response)) == min(count, 10)
        assert queued.args == ["night"] and queued.kwargs == {"found": count}


@pytest.mark.django_db
def test_a_search_matching_more_than_are_ranked_does_not_call_the_best_its_total(client, review_index, monkeypatch):
    for n in range(4):
        ReviewPageFactory(parent=review_index, title=f"Night train {n}", directors=["A"])

    def results_count():
        response = client.get("/search/", {"q": "night"})
        return " ".join(BeautifulSoup(response.content, "html.parser").select_one(".results-count").text.split())

    assert results_count() == "4 reviews found."
    monkeypatch.setattr("search.views.MAX_RANKED", 4)  # exactly as many as are ranked: that is all of them
    assert results_count() == "4 reviews found."
    monkeypatch.setattr("search.views.MAX_RANKED", 3)
    assert results_count() == "The best 3 of more matching reviews: add a word to narrow the search."
