"""Reader star ratings: voting, what readers see, abuse limits, admin."""

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client

from blog.factories import ReviewPageFactory
from blog.ratings.models import RatingSummary, ReaderRating
from blog.ratings.voting import cast_vote
from blog.readers import READER_COOKIE, Reader
from core.factories import UserFactory
from tests.helpers import JSON, vote


@pytest.fixture
def review(review_index):
    return ReviewPageFactory(parent=review_index, title="Dear Comrades!")


def rate_url(review):
    return f"/ratings/{review.pk}/"


def summary(review):
    return RatingSummary.objects.get(review=review)


@pytest.mark.django_db
def test_first_vote_counts_and_sets_a_long_lived_signed_cookie(client, review):
    response = vote(client, review, 4)
    assert response.status_code == 200
    assert response.json() == {
        "average": 4.0,
        "count": 1,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
        "your_vote": 4,
        "outcome": "created",
    }
    cookie = response.cookies[READER_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] >= 365 * 24 * 3600
    assert ":" in cookie.value  # signed


@pytest.mark.django_db
def test_voting_again_changes_the_vote_instead_of_adding_one(client, review):
    vote(client, review, 4)
    response = vote(client, review, 2)
    assert response.json()["outcome"] == "changed"
    assert response.json()["count"] == 1
    assert ReaderRating.objects.get().value == 2
    s = summary(review)
    assert (s.count, s.total, s.star_2, s.star_4) == (1, 2, 1, 0)
    assert vote(client, review, 2).json()["outcome"] == "unchanged"


@pytest.mark.django_db
def test_average_is_to_one_decimal_over_distinct_readers(review):
    for n, value in enumerate([5, 4, 4, 2]):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(rate_url(review), {"value": value}, **JSON)
    s = summary(review)
    assert (s.count, s.average) == (4, Decimal("3.8"))
    assert [row[:2] for row in s.distribution] == [(5, 1), (4, 2), (3, 0), (2, 1), (1, 0)]


@pytest.mark.django_db
def test_signed_in_reader_vote_belongs_to_the_account(review):
    user = UserFactory()
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    vote(laptop, review, 5)
    response = phone.get(f"/ratings/{review.pk}/state/")
    assert response.json()["your_vote"] == 5
    assert vote(phone, review, 3).json()["count"] == 1
    assert ReaderRating.objects.get().user == user


@pytest.mark.django_db
def test_distribution_hidden_until_the_reader_votes(client, review):
    vote(Client(REMOTE_ADDR="10.0.0.9"), review, 5)
    before = client.get(f"/ratings/{review.pk}/state/").json()
    assert before["count"] == 1 and before["your_vote"] is None
    assert "distribution" not in before
    assert before["csrf_token"]
    vote(client, review, 3)
    after = client.get(f"/ratings/{review.pk}/state/")
    assert after.json()["your_vote"] == 3
    assert after.json()["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert "no-store" in after["Cache-Control"] and "private" in after["Cache-Control"]


@pytest.mark.django_db
def test_review_page_shows_readers_average_apart_from_critic(client, review):
    page = BeautifulSoup(client.get(review.url).content, "html.parser")
    assert (
        page.select_one(".verdict__item--readers").get_text(" ", strip=True) == "Readers' rating No reader ratings yet"
    )
    for n, value in enumerate([4, 3]):
        vote(Client(REMOTE_ADDR=f"10.0.1.{n}"), review, value)
    page = BeautifulSoup(client.get(review.url).content, "html.parser")
    assert page.select_one(".verdict__item--critic .stars")["aria-label"] == "4 out of 5 stars"
    assert page.select_one(".verdict__item--readers").get_text(" ", strip=True) == "Readers' rating 3.5 from 2 readers"
    legend = page.select_one("#reader-rating fieldset legend").text
    assert legend == "Rate this film from 1 to 5 stars"
    assert [label.get_text(strip=True) for label in page.select("#reader-rating label")] == [
        "★1 star",
        "★2 stars",
        "★3 stars",
        "★4 stars",
        "★5 stars",
    ]


@pytest.mark.django_db
def test_review_html_carries_no_reader_state_or_csrf_token(review):
    anonymous = Client().get(review.url).content
    voter = Client()
    vote(voter, review, 5)
    voter.get(review.url)  # consume the "thank you" message, if any
    voters_view = voter.get(review.url).content
    # Only the totals differ: the visible ones and the JSON-LD's aggregate rating.
    aggregate = b',"aggregateRating":{"@type":"AggregateRating","ratingValue":5.0,"ratingCount":1,'
    assert aggregate in voters_view
    voters_view = re.sub(rb',"aggregateRating":\{[^}]*\}', b"", voters_view)
    assert voters_view == anonymous.replace(b"No reader ratings yet", b"5.0 from 1 reader")
    page = BeautifulSoup(voters_view, "html.parser")
    assert page.select_one('#reader-rating input[name="csrfmiddlewaretoken"]')["value"] == ""
    assert not page.select("#reader-rating input[checked]")


@pytest.mark.django_db
def test_listings_show_readers_average_only_where_there_are_votes(client, review, review_index):
    ReviewPageFactory(parent=review_index, title="Unrated by readers")
    vote(client, review, 5)
    cards = BeautifulSoup(client.get("/").content, "html.parser").select(".review-card")
    readers = {c.select_one(".review-card__title a").text: c.select_one(".review-card__readers") for c in cards}
    assert readers["Dear Comrades!"].text == "Readers: 5.0 from 1"
    assert readers["Unrated by readers"] is None


@pytest.mark.django_db
def test_without_javascript_the_form_posts_redirects_back_and_thanks(client, review):
    # The review page's form leads to the rating page, which has a CSRF token.
    page = BeautifulSoup(client.get(review.url).content, "html.parser")
    form = page.select_one("#reader-rating form")
    assert form["action"] == rate_url(review) and form["method"] == "get"
    rating_page = client.get(rate_url(review), {"value": "4"})
    soup = BeautifulSoup(rating_page.content, "html.parser")
    assert soup.select_one('form[method="post"] input[name="csrfmiddlewaretoken"]')["value"]
    assert soup.select_one('input[name="value"][value="4"]').has_attr("checked")

    response = client.post(rate_url(review), {"value": "4"})
    assert response.status_code == 302
    assert response["Location"] == f"{review.url}#reader-rating"
    followed = client.get(response["Location"].split("#")[0])
    assert "Thank you: you rated Dear Comrades! 4 stars." in followed.text
    assert ReaderRating.objects.get().value == 4
    again = client.get(rate_url(review))
    assert "You rated this film 4 stars." in again.text
    assert "How readers rated it" in again.text
    yours = BeautifulSoup(again.content, "html.parser").select_one(".bar--yours progress")
    assert yours["aria-label"] == "4 stars (your rating): 100%"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "6", "3.5", "abc", "", None])
def test_bad_values_are_refused_and_store_nothing(client, review, value):
    data = {} if value is None else {"value": value}
    response = client.post(rate_url(review), data, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Choose from 1 to 5 stars."
    html = client.post(rate_url(review), data)
    assert html.status_code == 400
    assert "Choose from 1 to 5 stars." in html.text
    assert not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_unknown_draft_and_deleted_reviews_are_404(client, review_index):
    draft = ReviewPageFactory(parent=review_index, live=False)
    gone = ReviewPageFactory(parent=review_index)
    gone_pk = gone.pk
    gone.delete()
    for pk in (999999, draft.pk, gone_pk):
        assert client.post(f"/ratings/{pk}/", {"value": 3}, **JSON).status_code == 404
        assert client.get(f"/ratings/{pk}/state/").status_code == 404
    assert client.get("/ratings/abc/").status_code == 404
    assert not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_other_methods_are_refused(client, review):
    assert client.put(rate_url(review), {"value": 3}).status_code == 405
    assert client.delete(rate_url(review)).status_code == 405
    assert client.post(f"/ratings/{review.pk}/state/").status_code == 405
    assert not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_csrf_token_is_required(review):
    client = Client(enforce_csrf_checks=True)
    assert client.post(rate_url(review), {"value": 3}, **JSON).status_code == 403
    token = client.get(f"/ratings/{review.pk}/state/").json()["csrf_token"]
    assert client.post(rate_url(review), {"value": 3, "csrfmiddlewaretoken": "x" * 64}, **JSON).status_code == 403
    assert not ReaderRating.objects.exists()
    assert client.post(rate_url(review), {"value": 3, "csrfmiddlewaretoken": token}, **JSON).status_code == 200


@pytest.mark.django_db
def test_one_address_cannot_stuff_a_review(review, settings):
    settings.READER_RATING_IP_LIMIT = 3
    for _ in range(3):  # a reader clearing cookies between votes
        assert vote(Client(REMOTE_ADDR="203.0.113.7"), review, 5).status_code == 200
    stuffed = vote(Client(REMOTE_ADDR="203.0.113.7"), review, 5)
    assert stuffed.status_code == 429
    assert "Too many ratings" in stuffed.json()["error"]
    assert summary(review).count == 3
    # Other readers, and other films, are unaffected.
    assert vote(Client(REMOTE_ADDR="198.51.100.1"), review, 1).status_code == 200


@pytest.mark.django_db
def test_existing_voter_may_still_change_vote_at_the_limit(client, review, settings):
    settings.READER_RATING_IP_LIMIT = 1
    vote(client, review, 5)
    assert vote(client, review, 2).status_code == 200
    assert summary(review).count == 1


@pytest.mark.django_db
def test_cast_vote_keeps_totals_exact(review):
    outcomes = [cast_vote(review, Reader(key=f"anon:{n}"), n % 5 + 1, ip=f"x{n}") for n in range(10)]
    assert outcomes == ["created"] * 10
    s = summary(review)
    assert (s.count, s.total) == (10, sum(n % 5 + 1 for n in range(10)))
    assert [getattr(s, f"star_{n}") for n in range(1, 6)] == [2, 2, 2, 2, 2]


@pytest.mark.django_db
def test_moderator_deletes_abusive_vote_and_aggregate_follows(moderator_client, review):
    for n, value in enumerate([5, 1, 1]):
        vote(Client(REMOTE_ADDR=f"10.0.2.{n}"), review, value)
    abusive = ReaderRating.objects.filter(value=1).first()
    url = f"/admin/ratings/votes/delete/{abusive.pk}/"
    assert moderator_client.get(url).status_code == 200
    assert moderator_client.post(url).status_code == 302
    s = summary(review)
    assert (s.count, s.total, s.star_1, s.average) == (2, 6, 1, Decimal("3.0"))


@pytest.mark.django_db
def test_nobody_can_type_in_or_edit_votes(admin_client, review):
    vote(Client(), review, 4)
    rating = ReaderRating.objects.get()
    assert admin_client.get("/admin/ratings/votes/new/").status_code == 302
    assert admin_client.post("/admin/ratings/votes/new/", {"value": 5}).status_code == 302
    assert admin_client.post(f"/admin/ratings/votes/edit/{rating.pk}/", {"value": 1}).status_code == 302
    assert admin_client.get(f"/admin/ratings/report/edit/{review.pk}/").status_code == 302
    assert list(ReaderRating.objects.values_list("value", flat=True)) == [4]
    listing = admin_client.get("/admin/ratings/votes/").text
    assert "/admin/ratings/votes/new/" not in listing


@pytest.mark.django_db
def test_admin_review_listing_and_report_show_reader_numbers(admin_client, review, review_index):
    popular = ReviewPageFactory(parent=review_index, title="Popular")
    for n in range(3):
        vote(Client(REMOTE_ADDR=f"10.0.3.{n}"), popular, 3)
    vote(Client(REMOTE_ADDR="10.0.4.1"), review, 5)

    listing = BeautifulSoup(admin_client.get("/admin/reviews/").content, "html.parser")
    rows = {
        r.select_one("td.title a, .title a").get_text(strip=True): r.get_text(" ", strip=True)
        for r in listing.select("tbody tr")
    }
    assert "3.0 from 3" in rows["Popular"]
    assert "5.0 from 1" in rows["Dear Comrades!"]

    most_rated = BeautifulSoup(admin_client.get("/admin/ratings/report/").content, "html.parser")
    assert [a.get_text(strip=True) for a in most_rated.select("tbody td a")][:2] == ["Popular", "Dear Comrades!"]
    top_rated = BeautifulSoup(
        admin_client.get("/admin/ratings/report/?ordering=-average_value").content, "html.parser"
    )
    assert [a.get_text(strip=True) for a in top_rated.select("tbody td a")][:2] == ["Dear Comrades!", "Popular"]
    csv = b"".join(admin_client.get("/admin/ratings/report/?export=csv").streaming_content).decode()
    assert "Popular,3,3.0" in csv


@pytest.mark.django_db
def test_not_even_a_superuser_can_delete_a_reviews_vote_totals(admin_client, review):
    vote(Client(REMOTE_ADDR="10.0.5.1"), review, 4)
    response = admin_client.post(f"/admin/ratings/report/delete/{review.pk}/")
    assert response.status_code in (302, 403)
    assert summary(review).count == 1
    assert "/delete/" not in admin_client.get(f"/admin/ratings/report/inspect/{review.pk}/").content.decode()


@pytest.mark.django_db
def test_editor_sees_report_but_not_votes(client, review):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/ratings/report/").status_code == 200
    assert client.get("/admin/ratings/votes/").status_code == 302


@pytest.mark.django_db
def test_csrf_failure_page_explains_and_saves_nothing(review):
    response = Client(enforce_csrf_checks=True).post(rate_url(review), {"value": 3})
    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_address_behind_trusted_proxy(review, settings):
    settings.READER_RATING_IP_LIMIT = 1
    settings.NUM_PROXIES = 1
    first = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.20")
    second = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.21")
    same_as_first = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20")
    assert vote(first, review, 4).status_code == 200
    assert vote(second, review, 4).status_code == 200  # a different reader behind the same proxy
    assert vote(same_as_first, review, 4).status_code == 429  # a spoofed left-hand entry does not help
