"""The read API at /api/v2/reviews/."""

from decimal import Decimal

import pytest
from django.test import Client

from blog.factories import ReviewPageFactory


@pytest.fixture
def reviews(review_index):
    ida = ReviewPageFactory(
        parent=review_index,
        title="Ida",
        release_year=2013,
        rating=Decimal("4.0"),
        directors=["Paweł Pawlikowski"],
        critics=["Maya Reed"],
        cast=[("Agata Kulesza", "Wanda")],
        genres=["Drama"],
    )
    cold_war = ReviewPageFactory(parent=review_index, title="Cold War", release_year=2018, rating=Decimal("4.5"))
    draft = ReviewPageFactory(parent=review_index, title="Unfinished", live=False)
    return ida, cold_war, draft


@pytest.mark.django_db
def test_lists_published_reviews_with_film_details_people_and_images(client, reviews):
    ida, cold_war, _ = reviews
    Client(REMOTE_ADDR="10.0.0.1").post(f"/ratings/{ida.pk}/", {"value": 5}, HTTP_ACCEPT="application/json")
    data = client.get("/api/v2/reviews/", {"fields": "cast,genre_names,runtime,hero_image_large"}).json()
    assert data["meta"]["total_count"] == 2
    by_title = {item["title"]: item for item in data["items"]}
    assert set(by_title) == {"Ida", "Cold War"}
    item = by_title["Ida"]
    assert item["release_year"] == 2013
    assert item["rating"] == 4.0
    assert item["critics"] == [
        {
            "id": ida.critic_credits.get().critic_id,
            "name": "Maya Reed",
            "slug": "maya-reed",
            "url": "/critics/maya-reed/",
        }
    ]
    assert item["directors"] == [{"id": ida.directors[0].pk, "name": "Paweł Pawlikowski", "slug": "pawel-pawlikowski"}]
    assert item["cast"][0]["character"] == "Wanda"
    assert item["genre_names"] == ["Drama"]
    assert item["readers"]["count"] == 1 and item["readers"]["average"] == 5.0
    assert item["hero_image_thumbnail"]["width"] == 480
    assert item["hero_image_large"]["url"].startswith("/media/images/")
    assert item["meta"]["html_url"].endswith(ida.url)


@pytest.mark.django_db
def test_detail_filter_and_search(client, reviews):
    ida, cold_war, draft = reviews
    detail = client.get(f"/api/v2/reviews/{ida.pk}/").json()
    assert detail["title"] == "Ida" and "body" in detail
    assert client.get(f"/api/v2/reviews/{draft.pk}/").status_code == 404
    assert [i["title"] for i in client.get("/api/v2/reviews/?release_year=2018").json()["items"]] == ["Cold War"]
    assert [i["title"] for i in client.get("/api/v2/reviews/?rating=4.0").json()["items"]] == ["Ida"]
    assert [i["title"] for i in client.get("/api/v2/reviews/?search=ida").json()["items"]] == ["Ida"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fields=nope", "unknown fields: nope"),
        ("limit=1000", "limit cannot be higher than 50"),
        ("limit=-1", "limit must be a positive integer"),
        ("offset=abc", "offset must be a positive integer"),
        ("type=home.ContentPage", "not an operation or a recognised field: type"),
        ("release_year=abc", "field filter error"),
        ("rating=abc", "value must be a decimal number"),
        ("order=nope", "cannot order by 'nope' (unknown field)"),
    ],
)
def test_bad_requests_are_400(client, reviews, query, message):
    response = client.get(f"/api/v2/reviews/?{query}")
    assert response.status_code == 400
    assert message in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v2/pages/?first_published_at=abc", "must be in YYYY-MM-DD HH:MM"),
        ("/api/v2/pages/?type=blog.ReviewPage&rating=abc", "value must be a decimal number"),
        ("/api/v2/pages/?offset=" + "9" * 30, "offset cannot be higher than 1000000000"),
        ("/api/v2/reviews/?offset=" + "9" * 30, "offset cannot be higher than 1000000000"),
        ("/api/v2/images/?offset=" + "9" * 30, "offset cannot be higher than 1000000000"),
    ],
)
def test_every_endpoint_answers_junk_filters_and_huge_offsets_with_a_400(client, reviews, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.json()["message"]


@pytest.mark.django_db
def test_an_offset_past_the_end_is_an_empty_page_not_an_error(client, reviews):
    response = client.get("/api/v2/pages/?offset=1000000000")
    assert response.status_code == 200
    assert response.json()["items"] == []
