"""JSON-LD, head tags and share cards, checked as search engines and social networks read them."""

import datetime
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.factories import CriticFactory, ReviewPageFactory, SpoilerBlockFactory
from blog.models import FeedSettings
from core.factories import ImageFactory, PullQuoteBlockFactory
from core.models import SiteIdentity
from home.factories import ContentPageFactory
from tests.helpers import vote

pytestmark = pytest.mark.django_db

# Google's review-snippet rules, for critic reviews and aggregate ratings
# (developers.google.com/search/docs/appearance/structured-data/review-snippet).
REVIEW_REQUIRED = ("author", "itemReviewed", "reviewRating")
REVIEW_RECOMMENDED = ("datePublished", "publisher")
RATING_REQUIRED = ("ratingValue",)
RATING_RECOMMENDED = ("bestRating", "worstRating")
AGGREGATE_REQUIRED = ("ratingValue", "ratingCount")
NOT_A_NAME = {"", "admin", "administrator", "editor", "staff", "anonymous"}


def review_snippet_problems(review):
    """What Google's Rich Results Test would flag in a critic review of a movie."""
    problems = []
    for key in REVIEW_REQUIRED:
        if key not in review:
            problems.append(f"Review: missing required {key}")
    for key in REVIEW_RECOMMENDED:
        if key not in review:
            problems.append(f"Review: missing recommended {key}")
    authors = review.get("author", {})
    for author in authors if isinstance(authors, list) else [authors]:
        if author.get("@type") not in ("Person", "Organization"):
            problems.append("author must be a Person or Organization")
        name = str(author.get("name", "")).strip()
        if name.lower() in NOT_A_NAME or len(name) >= 100 or "http" in name:
            problems.append(f"author name {name!r} is not a real name")
        for url in [author.get("url", "https://x/"), *author.get("sameAs", [])]:
            if not url.startswith(("https://", "http://")):
                problems.append(f"author link {url!r} is not a web address")
    if "datePublished" in review:
        try:
            datetime.datetime.fromisoformat(review["datePublished"])
        except ValueError:
            problems.append("datePublished is not ISO 8601")
    item = review.get("itemReviewed", {})
    if item.get("@type") != "Movie" or not item.get("name"):
        problems.append("itemReviewed must be a Movie with a name")
    rating = review.get("reviewRating", {})
    problems += rating_problems("reviewRating", rating, RATING_REQUIRED)
    if "aggregateRating" in item:
        problems += rating_problems("aggregateRating", item["aggregateRating"], AGGREGATE_REQUIRED)
        if not (
            isinstance(item["aggregateRating"].get("ratingCount"), int) and item["aggregateRating"]["ratingCount"] > 0
        ):
            problems.append("aggregateRating: ratingCount must be a positive whole number")
    return problems


def rating_problems(where, rating, required):
    problems = [f"{where}: missing required {key}" for key in required if key not in rating]
    problems += [f"{where}: missing recommended {key}" for key in RATING_RECOMMENDED if key not in rating]
    if {"ratingValue", "bestRating", "worstRating"} <= rating.keys():
        value, best, worst = (rating[k] for k in ("ratingValue", "bestRating", "worstRating"))
        if not all(isinstance(v, int | float) for v in (value, best, worst)) or not worst <= value <= best:
            problems.append(f"{where}: ratingValue {value!r} outside {worst!r}..{best!r}")
    return problems


def json_ld(html):
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def of_type(items, kind):
    return [item for item in items if item.get("@type") == kind]


def meta(soup, name):
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


@pytest.fixture
def dear_comrades(review_index, admin_user):
    letterboxd = {"platform": "letterboxd", "url": "https://letterboxd.com/morganreed/", "label": ""}
    critic = CriticFactory(name="Morgan Reed", user=admin_user, links=[("link", letterboxd)])
    review = ReviewPageFactory(
        critics=[critic],
        parent=review_index,
        title="Dear Comrades!",
        original_title="Dorogie tovarishchi!",
        release_year=2020,
        rating=Decimal("4.5"),
        standfirst="A party loyalist searches a locked-down town for her daughter.",
        directors=["Andrey Konchalovsky"],
        cast=[("Julia Vysotskaya", "Lyuda"), ("Yulia Burova", "Svetka")],
        genres=["Drama"],
        owner=admin_user,
    )
    return review


def test_checker_flags_what_google_rejects():
    """The rule check used below is not a rubber stamp."""
    good = {
        "author": {"@type": "Person", "name": "Morgan Reed"},
        "itemReviewed": {"@type": "Movie", "name": "Dear Comrades!"},
        "reviewRating": {"@type": "Rating", "ratingValue": 4.5, "bestRating": 5, "worstRating": 0.5},
        "datePublished": "2026-11-24T18:22:18+00:00",
        "publisher": {"@type": "Organization", "name": "Marquee"},
    }
    assert review_snippet_problems(good) == []
    assert review_snippet_problems({**good, "author": {"@type": "Person", "name": "admin"}})
    assert review_snippet_problems({**good, "author": [good["author"], {"@type": "Person", "name": "admin"}]})
    assert review_snippet_problems({**good, "author": {**good["author"], "sameAs": ["javascript:alert(1)"]}})
    assert review_snippet_problems({**good, "reviewRating": {"ratingValue": 6, "bestRating": 5, "worstRating": 1}})
    assert review_snippet_problems({k: v for k, v in good.items() if k != "itemReviewed"})
    movie = {**good["itemReviewed"], "aggregateRating": {"ratingValue": 3.8, "bestRating": 5, "worstRating": 1}}
    assert review_snippet_problems({**good, "itemReviewed": movie})


def test_review_json_ld_meets_googles_review_snippet_rules(client, dear_comrades):
    for n, stars in enumerate([4, 3, 4, 4, 4]):
        vote(Client(REMOTE_ADDR=f"10.0.2.{n}"), dear_comrades, stars)
    response = client.get(dear_comrades.url)
    items = json_ld(response.content)
    [review] = of_type(items, "Review")
    assert review_snippet_problems(review) == []
    assert review["author"] == {
        "@type": "Person",
        "name": "Morgan Reed",
        "url": "http://localhost/critics/morgan-reed/",
        "sameAs": ["https://letterboxd.com/morganreed/"],
    }
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 4.5, "bestRating": 5, "worstRating": 0.5}
    assert review["url"] == dear_comrades.full_url
    assert review["description"] == dear_comrades.standfirst
    movie = review["itemReviewed"]
    assert movie["name"] == "Dear Comrades!"
    assert movie["alternateName"] == "Dorogie tovarishchi!"
    assert movie["dateCreated"] == "2020"
    assert [p["name"] for p in movie["director"]] == ["Andrey Konchalovsky"]
    assert [p["name"] for p in movie["actor"]] == ["Julia Vysotskaya", "Yulia Burova"]
    assert movie["image"].startswith("http") and movie["image"].endswith(".jpg")
    # The readers' rating matches what the page prints: "3.8 from 5 readers".
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-reader-summary]").get_text(strip=True) == "3.8 from 5 readers"
    assert movie["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 3.8,
        "ratingCount": 5,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_no_aggregate_rating_before_any_reader_votes(client, dear_comrades):
    [review] = of_type(json_ld(client.get(dear_comrades.url).content), "Review")
    assert "aggregateRating" not in review["itemReviewed"]
    assert review_snippet_problems(review) == []


def test_not_rated_review_carries_no_rating_markup(client, review_index):
    review = ReviewPageFactory(parent=review_index, title="Stalker", rating=None, directors=["Andrei Tarkovsky"])
    vote(Client(REMOTE_ADDR="10.0.3.1"), review, 5)
    html = client.get(review.url).content.decode()
    items = json_ld(html)
    assert of_type(items, "Review") == []
    [article] = of_type(items, "Article")
    assert article["about"]["@type"] == "Movie" and article["about"]["name"] == "Stalker"
    assert "Rating" not in json.dumps(items)  # neither Rating nor AggregateRating


def test_home_page_has_website_search_action_that_works(client, home_page, review_index):
    ReviewPageFactory(parent=review_index, title="Dear Comrades!")
    [site] = of_type(json_ld(client.get("/").content), "WebSite")
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert "{search_term_string}" in template
    assert action["query-input"] == "required name=search_term_string"
    path = template.replace("{search_term_string}", "comrades").split("://", 1)[1]
    results = client.get(path[path.index("/") :])
    assert results.status_code == 200
    assert b"Dear Comrades!" in results.content
    # Only the home page carries it; inner pages have breadcrumbs instead.
    assert of_type(json_ld(client.get(review_index.url).content), "WebSite") == []


@pytest.mark.parametrize("where", ["review", "index", "about", "person", "genre"])
def test_inner_pages_have_breadcrumbs_matching_the_visible_trail(client, home_page, dear_comrades, where):
    about = ContentPageFactory(parent=home_page, title="About")
    path = {
        "review": dear_comrades.url,
        "index": dear_comrades.get_parent().url,
        "about": about.url,
        "person": "/people/andrey-konchalovsky/",
        "genre": "/browse/genre/drama/",
    }[where]
    response = client.get(path)
    assert response.status_code == 200
    [trail] = of_type(json_ld(response.content), "BreadcrumbList")
    elements = trail["itemListElement"]
    assert [e["position"] for e in elements] == list(range(1, len(elements) + 1))
    assert all(e["@type"] == "ListItem" and e["item"].startswith("http") for e in elements)
    soup = BeautifulSoup(response.content, "html.parser")
    visible = [li.get_text(strip=True) for li in soup.select("nav.breadcrumbs li")]
    assert [e["name"] for e in elements] == visible
    assert visible[0] == "Home"
    assert elements[-1]["item"] == soup.find("link", rel="canonical")["href"]


def test_review_head_tags_describe_and_share_the_review(client, dear_comrades):
    soup = BeautifulSoup(client.get(dear_comrades.url).content, "html.parser")
    assert soup.title.string == "Dear Comrades! (2020) review · Marquee"
    standfirst = dear_comrades.standfirst
    assert meta(soup, "description") == standfirst
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical == dear_comrades.full_url and canonical.startswith("http")
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Dear Comrades! (2020) review"
    assert meta(soup, "og:description") == standfirst
    assert meta(soup, "og:url") == canonical
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:description") == standfirst
    image_url = meta(soup, "og:image")
    assert image_url.startswith("http://") and meta(soup, "twitter:image") == image_url
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == dear_comrades.hero_image.description
    # The card is a real 1200×630 JPEG of the review's own still.
    rendition = dear_comrades.hero_image.renditions.get(file__endswith=image_url.rsplit("/", 1)[1])
    with PILImage.open(rendition.file.path) as card:
        assert (card.format, card.size) == ("JPEG", (1200, 630))
    assert client.get("/" + image_url.split("://", 1)[1].split("/", 1)[1]).status_code == 200


def test_editors_can_override_the_share_image_and_text(client, dear_comrades):
    poster = ImageFactory(title="Poster", description="The poster: Lyuda in the square")
    dear_comrades.social_image = poster
    dear_comrades.social_text = "Konchalovsky at his fiercest. Our review."
    dear_comrades.save_revision().publish()
    soup = BeautifulSoup(client.get(dear_comrades.url).content, "html.parser")
    assert meta(soup, "og:description") == "Konchalovsky at his fiercest. Our review."
    assert meta(soup, "twitter:description") == "Konchalovsky at his fiercest. Our review."
    assert meta(soup, "description") == dear_comrades.standfirst  # search engines still get the standfirst
    card = poster.renditions.get()
    assert meta(soup, "og:image").endswith(card.url) and (card.width, card.height) == (1200, 630)
    assert meta(soup, "og:image:alt") == "The poster: Lyuda in the square"
    # The film's own image in the JSON-LD stays the still, not the poster.
    [review] = of_type(json_ld(soup.decode()), "Review")
    assert "Poster" not in review["itemReviewed"]["image"] and review["itemReviewed"]["image"] != meta(
        soup, "og:image"
    )


def test_pages_without_an_image_use_the_sites_default_card(client, home_page):
    settings = SiteIdentity.for_site(home_page.get_site())
    settings.default_social_image = ImageFactory(title="Marquee card")
    settings.save()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert meta(soup, "og:image").startswith("http")
    assert meta(soup, "og:type") == "website"
    assert meta(soup, "twitter:card") == "summary_large_image"


def test_spoilers_never_reach_a_description(client, home_page, review_index):
    settings = FeedSettings.for_site(home_page.get_site())
    settings.full_text = True
    settings.save()
    review = ReviewPageFactory(
        parent=review_index,
        standfirst="",
        body=[
            (
                "spoiler",
                SpoilerBlockFactory(summary="The ending", text__value="<p>The daughter is SECRETLY alive.</p>"),
            ),
            ("paragraph", "<p>A tense, <b>unsparing</b> film &amp; a great lead.</p>"),
            ("pull_quote", PullQuoteBlockFactory(quote="Quoted line", attribution="")),
        ],
    )
    response = client.get(review.url)
    soup = BeautifulSoup(response.content, "html.parser")
    assert meta(soup, "description") == "A tense, unsparing film & a great lead."
    head = str(soup.head)
    assert "SECRETLY" not in head and "Quoted line" not in head
    assert "SECRETLY" in response.content.decode()  # it is on the page, inside its <details>
    feed = client.get("/feeds/rss/").content.decode()
    assert "SECRETLY" not in feed


def test_hostile_titles_and_missing_fields_still_give_valid_escaped_markup(client, review_index):
    title = 'The "Best" & </script><script>alert(1)</script> <!-- film'
    review = ReviewPageFactory(
        parent=review_index,
        title=title,
        standfirst="",
        hero_image=None,
        original_title="",
        runtime=None,
        country="",
    )
    get_image_model().objects.all().delete()
    html = client.get(review.url).content.decode()
    assert "<script>alert(1)" not in html
    items = json_ld(html)
    [data] = of_type(items, "Review")
    assert data["itemReviewed"]["name"] == title
    assert "director" not in data["itemReviewed"] and "image" not in data["itemReviewed"]
    assert "description" not in data
    # No critic named: the site itself is the author, which Google accepts.
    assert data["author"] == {"@type": "Organization", "name": "Marquee", "url": "http://localhost/"}
    assert review_snippet_problems(data) == []
    soup = BeautifulSoup(html, "html.parser")
    assert meta(soup, "og:title") == f"{title} (2020) review"
    assert meta(soup, "og:image") is None and meta(soup, "twitter:card") == "summary"
    assert soup.title.string.startswith(title)
    [trail] = of_type(items, "BreadcrumbList")
    assert trail["itemListElement"][-1]["name"] == title


def test_listing_pages_are_their_own_canonical(client, review_index):
    for _ in range(12):
        ReviewPageFactory(parent=review_index)
    canonical = {
        path: BeautifulSoup(client.get(path).content, "html.parser").find("link", rel="canonical")["href"]
        for path in ("/", "/?page=2", "/?page=abc", "/?page=999")
    }
    assert canonical["/"].endswith("/") and "page" not in canonical["/"]
    assert canonical["/?page=2"].endswith("/?page=2")
    assert "page" not in canonical["/?page=abc"]
    assert canonical["/?page=999"].endswith("/?page=2")  # clamped to the last page, which is what is shown
