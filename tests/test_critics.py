"""Critics: a page and feeds of their own, bylines that lead there, and today's bylines kept."""

import json
from datetime import timedelta
from decimal import Decimal

import feedparser
import pytest
from django.utils import timezone

from blog.factories import CriticFactory, ReviewPageFactory
from blog.models import Critic, ReviewPage
from blog.ratings.voting import cast_vote
from blog.readers import Reader
from core.factories import ImageFactory, UserFactory
from tests.helpers import card_titles, soup
from tests.migrations import migrate

PER_PAGE = 10
# The archive's 8, less the genre lookup, plus the critic, their portrait's renditions and their totals.
CRITIC_QUERIES = 10


def json_ld(response):
    return [json.loads(script.string) for script in soup(response).find_all("script", type="application/ld+json")]


def reviews_by(critic, review_index, count, **fields):
    start = timezone.now() - timedelta(days=count)
    return [
        ReviewPageFactory(
            parent=review_index, title=f"Film {n:02}", critics=[critic], first_published_at=start + timedelta(days=n)
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_a_critics_page_lists_their_reviews_newest_first_with_both_ratings_and_their_average(client, review_index):
    critic = CriticFactory(name="Maya Reed", bio="Writes about slow cinema.")
    reviews = reviews_by(critic, review_index, 12)
    ReviewPage.objects.filter(pk=reviews[0].pk).update(rating=None)  # not rated: left out of the average
    ReviewPage.objects.filter(pk=reviews[1].pk).update(rating=Decimal("2.5"))
    cast_vote(reviews[-1], Reader(key="anon:a"), 5, "10.0.0.1")
    ReviewPageFactory(parent=review_index, title="Someone Else's", critics=[CriticFactory()])

    response = client.get("/critics/maya-reed/")
    assert response.status_code == 200
    assert card_titles(response) == [f"Film {n:02}" for n in range(11, 1, -1)]
    page = soup(response)
    assert page.h1.text == "Maya Reed" and "Writes about slow cinema." in page.select_one(".critic").text
    # 10 rated reviews at 4 stars and one at 2.5: an average of 3.85, shown as 3.9, over 11 rated.
    assert "12 reviews · average rating 3.9 out of 5 over 11 rated" in " ".join(
        page.select_one(".critic__totals").text.split()
    )
    newest = page.select_one(".review-card")
    assert newest.select_one(".stars")["aria-label"] == "4 out of 5 stars"
    assert "Readers: 5" in newest.select_one(".review-card__readers").text
    assert [a["href"] for a in newest.select(".review-card__byline a")] == ["/critics/maya-reed/"]

    # Page 2 holds the rest; junk and out-of-range pages give a real page, never an error.
    assert card_titles(client.get("/critics/maya-reed/", {"page": "2"})) == ["Film 01", "Film 00"]
    for junk, expected in (("abc", "Film 11"), ("-3", "Film 11"), ("99", "Film 01"), ("1" + "0" * 30, "Film 01")):
        response = client.get("/critics/maya-reed/", {"page": junk})
        assert response.status_code == 200 and card_titles(response)[0] == expected, junk
    assert client.get("/critics/nobody/").status_code == 404


@pytest.mark.django_db
def test_a_critic_with_no_published_reviews_has_a_page_saying_so_and_is_not_in_the_index(client, review_index):
    CriticFactory(name="New Voice")
    draft = ReviewPageFactory(parent=review_index, critics=["New Voice"])
    draft.unpublish()
    response = client.get("/critics/new-voice/")
    assert response.status_code == 200
    assert "New Voice has no published reviews yet." in response.text
    assert "0 reviews" in soup(response).select_one(".critic__totals").text
    assert "New Voice" not in soup(client.get("/critics/")).select_one("main").text


@pytest.mark.django_db
def test_two_critics_share_a_byline_and_each_lists_the_review(client, review_index):
    staff = CriticFactory(name="Maya Reed", user=UserFactory())
    guest = CriticFactory(name="Bo Chen")  # a guest: no account
    review = ReviewPageFactory(parent=review_index, title="Drive My Car", critics=[staff, guest])
    ReviewPageFactory(parent=review_index, title="Tenet", critics=[staff])

    page = soup(client.get(review.url))
    byline = page.select_one(".byline")
    assert byline.get_text(" ", strip=True).startswith("By Maya Reed and Bo Chen ·")
    assert [a["href"] for a in byline.select("a[rel=author]")] == ["/critics/maya-reed/", "/critics/bo-chen/"]
    [data] = [item for item in json_ld(client.get(review.url)) if item["@type"] == "Review"]
    assert [author["url"] for author in data["author"]] == [
        "http://localhost/critics/maya-reed/",
        "http://localhost/critics/bo-chen/",
    ]
    assert card_titles(client.get("/critics/bo-chen/")) == ["Drive My Car"]
    assert card_titles(client.get("/critics/maya-reed/")) == ["Tenet", "Drive My Car"]
    home_card = soup(client.get("/")).find("a", string="Drive My Car").find_parent("article")
    assert home_card.select_one(".review-card__byline").get_text(" ", strip=True) == "Review by Maya Reed and Bo Chen"
    result = soup(client.get("/search/", {"q": "Drive My Car"})).select_one(".review-card")
    assert [a["href"] for a in result.select(".review-card__byline a")] == ["/critics/maya-reed/", "/critics/bo-chen/"]
    assert card_titles(client.get("/search/", {"q": "Bo Chen"})) == ["Drive My Car"]  # a critic's name finds them
    index = [li.get_text(" ", strip=True) for li in soup(client.get("/critics/")).select(".browse-links li")]
    assert index == ["Bo Chen (1 review)", "Maya Reed (2 reviews)"]


@pytest.mark.django_db
def test_the_critic_page_carries_a_profile_page_with_the_critic_as_its_person(client, review_index):
    links = [
        ("link", {"platform": "letterboxd", "url": "https://letterboxd.com/mayareed/", "label": ""}),
        ("link", {"platform": "website", "url": "https://mayareed.example/", "label": ""}),
    ]
    critic = CriticFactory(
        name="Maya Reed", bio="Slow cinema.", links=links, portrait=ImageFactory(), portrait_alt_text="Maya, smiling"
    )
    ReviewPageFactory(parent=review_index, critics=[critic])
    response = client.get("/critics/maya-reed/")
    [profile] = [item for item in json_ld(response) if item["@type"] == "ProfilePage"]
    person = profile["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Maya Reed"
    assert person["url"] == "http://localhost/critics/maya-reed/"
    assert person["sameAs"] == ["https://letterboxd.com/mayareed/", "https://mayareed.example/"]
    assert person["description"] == "Slow cinema." and person["image"].startswith("http://localhost/media/")
    page = soup(response)
    assert page.select_one(".critic__portrait")["alt"] == "Maya, smiling"
    assert [a["href"] for a in page.select(".critic .social-links a")] == [
        "https://letterboxd.com/mayareed/",
        "https://mayareed.example/",
    ]
    assert page.find("link", type="application/rss+xml", href="/feeds/critic/maya-reed/rss/")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_critics_feed_holds_their_reviews_with_them_as_author(client, review_index, kind):
    critic = CriticFactory(name="Maya Reed")
    ReviewPageFactory(parent=review_index, title="Ida", release_year=2013, critics=[critic])
    ReviewPageFactory(parent=review_index, title="Tenet", critics=[CriticFactory(name="Bo Chen")])
    feed = feedparser.parse(client.get(f"/feeds/critic/maya-reed/{kind}/").content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Ida (2013)"]
    assert feed.entries[0].author == "Maya Reed"
    assert "Maya Reed" in feed.feed.title
    site_feed = feedparser.parse(client.get(f"/feeds/{kind}/").content)
    assert [entry.author for entry in site_feed.entries] == ["Bo Chen", "Maya Reed"]
    assert client.get(f"/feeds/critic/nobody/{kind}/").status_code == 404


@pytest.mark.django_db
def test_critic_page_query_count_is_the_same_for_one_review_or_twelve(client, review_index, django_assert_num_queries):
    critic = CriticFactory(name="Busy Critic", portrait=ImageFactory(), portrait_alt_text="A portrait")
    for n in (1, 12):
        while ReviewPage.objects.count() < n:
            ReviewPageFactory(parent=review_index, critics=[critic, CriticFactory()])
        client.get("/critics/busy-critic/")  # the first view makes the renditions
        with django_assert_num_queries(CRITIC_QUERIES):
            response = client.get("/critics/busy-critic/")
        assert len(card_titles(response)) == min(n, PER_PAGE)


@pytest.mark.django_db
def test_critics_named_alike_get_their_own_addresses(review_index):
    slugs = [CriticFactory(name=name).slug for name in ("Maya Reed", "Maya Reed", "Maya  Réed", "!!!")]
    assert slugs == ["maya-reed", "maya-reed-2", "maya-reed-3", "item"]
    assert Critic.objects.for_byline("  MAYA   reed ") == Critic.objects.get(slug="maya-reed")
    with pytest.raises(ValueError, match="needs a name"):
        Critic.objects.for_byline(" \n ")
    assert Critic.objects.count() == 4


# -- the data migration ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_todays_bylines_become_critics_and_come_back_when_migrated_back(review_index, migrations_undone_after):
    owner = UserFactory(first_name="Sam", last_name="Okafor")
    nameless = UserFactory(first_name="", last_name="")
    typed = ReviewPageFactory(parent=review_index, title="Typed", owner=nameless)
    same_name = ReviewPageFactory(parent=review_index, title="Same name, other case", owner=nameless)
    owned = ReviewPageFactory(parent=review_index, title="Owner only", owner=owner)
    owner_typed = ReviewPageFactory(parent=review_index, title="Owner typed", owner=owner)
    neither = ReviewPageFactory(parent=review_index, title="Neither", owner=nameless)

    old = migrate([("blog", "0006_critics")])
    old_reviews = old.get_model("blog", "ReviewPage").objects
    old_reviews.filter(pk=typed.pk).update(critic="Maya Reed")
    old_reviews.filter(pk=same_name.pk).update(critic=" maya reed ")
    old_reviews.filter(pk=owner_typed.pk).update(critic="Sam Okafor")

    new = migrate([("blog", "0008_remove_reviewpage_critic")])
    critics = new.get_model("blog", "Critic").objects
    credits = new.get_model("blog", "ReviewCritic").objects

    def byline(review):
        return [(c.critic.name, c.critic.user_id) for c in credits.filter(page_id=review.pk).select_related("critic")]

    assert byline(typed) == byline(same_name) == [("Maya Reed", None)]
    assert byline(owned) == byline(owner_typed) == [("Sam Okafor", owner.pk)]
    assert byline(neither) == []
    assert sorted(critics.values_list("slug", flat=True)) == ["maya-reed", "sam-okafor"]

    old = migrate([("blog", "0006_critics")])
    texts = dict(old.get_model("blog", "ReviewPage").objects.values_list("title", "critic"))
    assert texts["Typed"] == texts["Same name, other case"] == "Maya Reed"
    assert texts["Owner only"] == "Sam Okafor" and texts["Neither"] == ""
