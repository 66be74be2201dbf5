"""Re-watches: a later viewing sets the current rating, with a dated history; the form never overwrites it silently."""

import datetime
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.factories import ReviewPageFactory
from blog.models import ReviewPage
from tests.migrations import migrate
from tests.test_structured_data import json_ld, of_type

pytestmark = pytest.mark.django_db


def rewatch(watched_on, stars, addendum="", kind="rewatch"):
    return ("rewatch", {"watched_on": watched_on, "stars": stars, "kind": kind, "addendum": addendum})


@pytest.fixture
def nomadland(review_index):
    return ReviewPageFactory(parent=review_index, title="Nomadland", release_year=2020, rating=Decimal("3.5"))


def history(response):
    """The rating history as the page reads: one line per step."""
    section = BeautifulSoup(response.content, "html.parser").select_one(".rating-history")
    if section is None:
        return []
    lines = []
    for step in section.select(".rating-history__heading"):
        words = []
        for part in step.descendants:
            if getattr(part, "name", None) == "span" and "stars" in part.get("class", []):
                words.append(f"[{part.get('aria-label') or part.get_text(strip=True)}]")
            elif isinstance(part, str) and not part.find_parent(class_="stars"):
                words.append(part.strip())
        lines.append(" ".join(" ".join(words).split()))
    return lines


def test_a_rewatch_sets_the_rating_shown_everywhere_and_keeps_the_first(client, nomadland):
    nomadland.rewatches = [rewatch(datetime.date(2026, 3, 14), "4.5", "<p>Better on a big screen.</p>")]
    nomadland.save_revision().publish()
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("4.5") and nomadland.original_rating == Decimal("3.5")

    response = client.get(nomadland.url)
    verdict = BeautifulSoup(response.content, "html.parser").select_one(".verdict__item--critic")
    assert verdict.select_one(".stars")["aria-label"] == "4.5 out of 5 stars"
    assert "(revisited March 2026)" in verdict.get_text()
    first = timezone.localtime(nomadland.first_published_at).strftime("%B %Y")
    assert history(response) == [
        f"First reviewed in {first} : [3.5 out of 5 stars]",
        "Revisited in March 2026 : [4.5 out of 5 stars] — up from [3.5 out of 5 stars]",
    ]
    assert "Better on a big screen." in response.text

    # The archives by rating follow the current rating.
    assert "Nomadland" in client.get("/browse/rating/4.5/").text
    assert "Nomadland" not in client.get("/browse/rating/3.5/").text
    # The JSON-LD rates it as it stands now, and says when it changed.
    (review,) = of_type(json_ld(response.text), "Review")
    assert review["reviewRating"]["ratingValue"] == 4.5
    assert datetime.datetime.fromisoformat(review["dateModified"]) >= nomadland.first_published_at
    assert client.get("/api/v2/reviews/?fields=rating").json()["items"][0]["rating"] == 4.5


def test_the_latest_viewing_wins_whatever_the_order_they_were_entered(client, nomadland):
    nomadland.rewatches = [
        rewatch(datetime.date(2025, 6, 1), "2.5", "<p>Drifted this time.</p>"),
        rewatch(datetime.date(2024, 1, 1), "4"),
    ]
    nomadland.save_revision().publish()
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("2.5")
    lines = history(client.get(nomadland.url))
    assert lines[1:] == [
        "Revisited in January 2024 : [4 out of 5 stars] — up from [3.5 out of 5 stars]",
        "Revisited in June 2025 : [2.5 out of 5 stars] — down from [4 out of 5 stars]",
    ]


def test_removing_every_rewatch_in_the_form_brings_back_the_first_rating(admin_client, nomadland):
    nomadland.rewatches = [rewatch(datetime.date(2025, 6, 1), "2.5")]
    nomadland.save_revision().publish()
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("2.5")
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[nomadland.pk]), edit_form(nomadland, "2.5"))
    assert response.status_code == 302
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("3.5") and len(nomadland.rewatches) == 0
    assert history(admin_client.get(nomadland.url)) == []


def form_rewatch(watched_on, stars, addendum="", kind="rewatch"):
    """A re-watch as the editor's form posts it (the addendum in the rich text editor's format)."""
    return rewatch(watched_on, stars, rich_text(addendum), kind)


def edit_form(review, rating, rewatches=(), **fields):
    data = {
        "title": review.title,
        "slug": review.slug,
        "release_year": str(review.release_year),
        "rating": rating,
        "rewatches": streamfield([form_rewatch(*item) for item in rewatches]),
        "critic_credits": inline_formset([]),
        "director_credits": inline_formset([]),
        "cast_credits": inline_formset([]),
        "affiliate_links": inline_formset([]),
        "body": streamfield([]),
        "action-publish": "publish",
        **fields,
    }
    return nested_form_data(data)


def rewatches_in_the_form(response):
    """The re-watches the admin's form shows: (date, [stars], [kind]) as Wagtail's block widget gets them."""
    widget = BeautifulSoup(response.content, "html.parser").select_one("#rewatches[data-w-block-arguments-value]")
    value = json.loads(widget["data-w-block-arguments-value"])[0]
    return [(child["value"]["watched_on"], child["value"]["stars"], child["value"]["kind"]) for child in value]


def stored_rewatches(review):
    return [
        (child.value["watched_on"], child.value["stars"], child.value["kind"])
        for child in ReviewPage.objects.get(pk=review.pk).rewatches
    ]


def test_a_rating_changed_in_the_form_is_recorded_with_its_date(admin_client, nomadland):
    edit = reverse("wagtailadmin_pages:edit", args=[nomadland.pk])
    response = admin_client.post(edit, edit_form(nomadland, "4.0"))
    assert response.status_code == 302
    today = timezone.localdate()
    assert stored_rewatches(nomadland) == [(today, "4", "revised")]
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("4") and nomadland.original_rating == Decimal("3.5")
    # The editor sees it in the form, under Re-watches.
    assert rewatches_in_the_form(admin_client.get(edit)) == [(today.isoformat(), ["4"], ["revised"])]

    # A re-watch that brings its own rating: recorded once, as the re-watch.
    watched = (today - datetime.timedelta(days=1)).isoformat()
    recorded = [(today, "4", "", "revised"), (watched, "4.5", "<p>Again.</p>")]
    admin_client.post(edit, edit_form(nomadland, "4.0", recorded))
    assert [kind for *_rest, kind in stored_rewatches(nomadland)] == ["revised", "rewatch"]
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("4")  # today's revision is still the latest


def test_a_draft_never_published_changes_its_rating_without_history(admin_client, review_index):
    draft = ReviewPageFactory(parent=review_index, live=False, first_published_at=None, rating=Decimal("3"))
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]), edit_form(draft, "4.0", **{"action-publish": ""})
    )
    assert response.status_code == 302
    saved = ReviewPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert saved.rating == Decimal("4") and len(saved.rewatches) == 0


@pytest.mark.parametrize(
    ("rating", "rewatches", "message"),
    [
        ("7", [], "Select a valid choice."),
        ("3.3", [], "Select a valid choice."),
        ("3.5", [("2019-05-01", "4")], "The film came out in 2020: a re-watch cannot be dated before that."),
        ("3.5", [("2999-01-01", "4")], "A re-watch cannot be dated in the future."),
        ("3.5", [("2025-01-01", "7")], "Select a valid choice."),
        ("3.5", [("2025-01-01", "3.3")], "Select a valid choice."),
        ("3.5", [("not a date", "4")], "Enter a valid date."),
    ],
)
def test_bad_ratings_and_dates_are_form_errors_and_store_nothing(admin_client, nomadland, rating, rewatches, message):
    revisions = nomadland.revisions.count()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[nomadland.pk]), edit_form(nomadland, rating, rewatches)
    )
    assert response.status_code == 200
    assert message in response.text
    assert nomadland.revisions.count() == revisions
    nomadland.refresh_from_db()
    assert nomadland.rating == Decimal("3.5") and len(nomadland.rewatches) == 0
    assert rewatches_in_the_form(response) == [(day, [stars], ["rewatch"]) for day, stars in rewatches]


@pytest.mark.django_db(transaction=True)
def test_the_ratings_so_far_become_the_first_ratings_of_their_history(review_index, migrations_undone_after):
    rated = ReviewPageFactory(parent=review_index, rating=Decimal("3.5"))
    unrated = ReviewPageFactory(parent=review_index, rating=None)
    old = migrate([("blog", "0008_remove_reviewpage_critic")])
    assert old.get_model("blog", "ReviewPage").objects.get(pk=rated.pk).rating == Decimal("3.5")
    new = migrate([("blog", "0009_rewatches")])
    first = dict(new.get_model("blog", "ReviewPage").objects.values_list("pk", "original_rating"))
    assert first == {rated.pk: Decimal("3.5"), unrated.pk: None}
