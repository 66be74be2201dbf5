"""What readers see: review pages, listings, pagination, settings, errors."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.models import PageViewRestriction

from blog.affiliates.factories import AffiliateLinkFactory
from blog.affiliates.models import AffiliateSettings, ReviewAffiliateLink
from blog.comments.factories import CommentFactory
from blog.factories import ReviewPageFactory, SpoilerBlockFactory, TrailerBlockFactory
from blog.templatetags.review_tags import stars
from core.factories import CaptionedImageBlockFactory, HeadingBlockFactory, ImageFactory, PullQuoteBlockFactory
from core.models import SiteIdentity
from tests.helpers import card_titles, soup


@pytest.mark.parametrize(
    ("rating", "label", "css"),
    [
        (Decimal("4.0"), "4 out of 5 stars", "stars--8"),
        (Decimal("4.5"), "4.5 out of 5 stars", "stars--9"),
        (Decimal("0.5"), "0.5 out of 5 stars", "stars--1"),
        (Decimal("5.0"), "5 out of 5 stars", "stars--10"),
    ],
)
def test_star_rating_has_text_equivalent(rating, label, css):
    shown = BeautifulSoup(stars(rating), "html.parser").span
    assert shown["role"] == "img" and shown["aria-label"] == label
    assert css in shown["class"]
    assert [star["aria-hidden"] for star in shown.find_all("span")] == ["true", "true"]


def test_a_review_without_a_rating_says_so_in_words():
    shown = BeautifulSoup(stars(None), "html.parser").span
    assert shown.get_text() == "Not rated" and "stars--none" in shown["class"] and not shown.get("role")


@pytest.mark.django_db
def test_review_page_shows_every_element(client, review_index):
    image = ImageFactory(title="Lyuda still")
    review = ReviewPageFactory(
        parent=review_index,
        title="Dear Comrades!",
        original_title="Dorogie tovarishchi!",
        release_year=2020,
        runtime=121,
        country="Russia",
        language="Russian",
        rating=Decimal("4.5"),
        standfirst="A believer's faith cracks.",
        hero_caption="Novocherkassk, 1962",
        directors=["Andrey Konchalovsky"],
        cast=[("Julia Vysotskaya", "Lyuda"), ("Andrei Gusev", "Viktor")],
        genres=["Drama", "History"],
        body=[
            ("paragraph", "<p>The strike starts on a hot morning.</p>"),
            (
                "image",
                CaptionedImageBlockFactory(
                    image__image__image=image,
                    image__alt_text="Lyuda",
                    caption="Julia Vysotskaya as Lyuda",
                    credit="Demo",
                    alignment="wide",
                ),
            ),
        ],
    )
    settings = SiteIdentity.for_site(review.get_site())
    settings.copyright_holder = "Morgan Reed"
    settings.save()

    page = soup(client.get(review.url))
    assert page.h1.text.startswith("Dear Comrades!")
    assert "Dorogie tovarishchi!" in page.select_one(".review__original-title").text
    assert page.select_one(".verdict .stars")["aria-label"] == "4.5 out of 5 stars"
    facts = {
        dt.text: dt.find_next_sibling("dd").get_text(" ", strip=True).replace(" ,", ",")
        for dt in page.select(".film-facts dt")
    }
    assert facts == {
        "Director": "Andrey Konchalovsky",
        "Cast": "Julia Vysotskaya as Lyuda Andrei Gusev as Viktor",
        "Year": "2020",
        "Runtime": "121 minutes",
        "Country": "Russia",
        "Language": "Russian",
        "Genres": "Drama, History",
    }
    assert page.select_one(".standfirst").text == "A believer's faith cracks."
    assert page.find("meta", attrs={"name": "description"})["content"] == "A believer's faith cracks."
    assert "The strike starts on a hot morning." in page.select_one(".article__body").text
    assert page.select_one(".article__body figcaption").get_text(" ", strip=True) == "Julia Vysotskaya as Lyuda Demo"
    assert page.select_one(".review__hero figcaption").text.startswith("Novocherkassk, 1962")
    year = review.first_published_at.year
    assert page.select_one(".review__copyright").text == f"© Morgan Reed {year}"


@pytest.mark.django_db
def test_not_rated_review_says_so(client, review_index):
    review = ReviewPageFactory(parent=review_index, rating=None)
    page = soup(client.get(review.url))
    assert page.select_one(".verdict .stars").text == "Not rated"
    assert page.select_one(".verdict [role=img]") is None


@pytest.mark.django_db
def test_unknown_review_gives_custom_404(client, review_index):
    response = client.get("/reviews/no-such-film/")
    assert response.status_code == 404
    assert "Page not found" in soup(response).h1.text
    assert soup(response).find("form", role="search") is not None


def test_custom_500_page_renders_without_a_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.fixture
def twelve_reviews(review_index):
    return [ReviewPageFactory(parent=review_index, title=f"Film {n:02d}") for n in range(12)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected_page", "count"),
    [
        ("", 1, 10),
        ("?page=2", 2, 2),
        ("?page=abc", 1, 10),
        ("?page=-1", 1, 10),
        ("?page=0", 1, 10),
        ("?page=99999", 2, 2),
        ("?page=1.5", 1, 10),
    ],
)
def test_home_pagination_never_errors(client, twelve_reviews, query, expected_page, count):
    response = client.get("/" + query)
    assert response.status_code == 200
    assert len(card_titles(response)) == count
    assert f"Page {expected_page} of 2" in response.text


@pytest.mark.django_db
def test_home_lists_newest_first_with_card_details(client, twelve_reviews):
    response = client.get("/")
    assert card_titles(response)[:3] == ["Film 11", "Film 10", "Film 09"]
    card = soup(response).select_one(".review-card")
    assert card.find("img")["alt"] == twelve_reviews[-1].hero_image.description
    assert card.find("figcaption").text == "A scene from Film 11"
    assert card.select_one(".stars")["aria-label"] == "4 out of 5 stars"
    assert card.select_one(".review-card__excerpt").text == "Why Film 11 is worth your evening."
    assert card.select_one(".review-card__more a")["href"] == twelve_reviews[-1].url
    next_link = soup(response).select_one(".pagination a[rel=next]")
    assert next_link["href"] == "?page=2"


@pytest.mark.django_db
def test_drafts_are_not_listed(client, review_index):
    ReviewPageFactory(parent=review_index, title="Published")
    ReviewPageFactory(parent=review_index, title="Draft", live=False)
    assert card_titles(client.get("/")) == ["Published"]
    assert card_titles(client.get(review_index.url)) == ["Published"]


@pytest.mark.django_db
def test_private_reviews_are_not_listed_and_ask_for_their_password(client, review_index):
    ReviewPageFactory(parent=review_index, title="Open film")
    private = ReviewPageFactory(parent=review_index, title="Private film", standfirst="Only for subscribers.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    for path in ("/", review_index.url):
        assert card_titles(client.get(path)) == ["Open film"]
    response = client.get(private.url)
    assert soup(response).select_one("input[name=password]") is not None
    assert "Only for subscribers." not in response.text
    # A restriction on the whole section hides every review below it.
    PageViewRestriction.objects.create(page=review_index, restriction_type=PageViewRestriction.LOGIN)
    assert card_titles(client.get("/")) == []


@pytest.mark.django_db
def test_site_settings_appear_on_every_page(client, twelve_reviews):
    settings = SiteIdentity.for_site(twelve_reviews[0].get_site())
    settings.tagline = "Films, seen properly"
    settings.copyright_holder = "Morgan Reed"
    settings.copyright_start_year = 2009
    settings.social_links = [("link", {"platform": "bluesky", "url": "https://bsky.app/profile/x", "label": ""})]
    settings.save()
    for url in ("/", twelve_reviews[0].url, "/search/?q=film"):
        page = soup(client.get(url))
        assert page.select_one(".site-header__tagline").text == "Films, seen properly"
        footer = page.select_one(".site-footer")
        assert footer.select_one(".site-footer__copyright").text.startswith("© Morgan Reed 2009–")
        assert footer.select_one(".social-links a")["href"] == "https://bsky.app/profile/x"


@pytest.mark.django_db
def test_static_files_served_by_whitenoise_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/css/marquee.css")
    assert response.status_code == 200
    assert b".review-card" in b"".join(response.streaming_content)


def rich_review(review_index, n_blocks):
    """A review whose body holds ``n_blocks`` of every kind, with images and people."""
    body = []
    for i in range(n_blocks):
        image = ImageFactory()
        body += [
            ("paragraph", f"<p>Paragraph {i}</p>"),
            ("heading", HeadingBlockFactory(text=f"Heading {i}")),
            (
                "image",
                CaptionedImageBlockFactory(image__image__image=image, image__alt_text=f"Still {i}", caption="c"),
            ),
            ("pull_quote", PullQuoteBlockFactory(quote=f"Quote {i}", attribution="A")),
            ("trailer", TrailerBlockFactory()),
            ("spoiler", SpoilerBlockFactory(summary="Ending", text__value=f"<p>Spoiler {i}</p>")),
        ]
    review = ReviewPageFactory(
        parent=review_index,
        body=body,
        directors=[f"Director {n_blocks}-{i}" for i in range(n_blocks)],
        cast=[(f"Actor {n_blocks}-{i}", "Role") for i in range(n_blocks)],
        genres=[f"Genre {i}" for i in range(n_blocks)],
    )
    for i in range(n_blocks):
        thread = CommentFactory(review=review, text=f"Comment {i}")
        CommentFactory(review=review, parent=thread)
    return review


# Fixed query budgets for a full render (every cache off). They hold however
# many blocks, images, people, comments and reviews there are; a change that
# adds a per-item query breaks them.
REVIEW_PAGE_QUERIES = 15
HOME_PAGE_QUERIES = 9


@pytest.mark.django_db
def test_review_page_query_count_is_fixed(client, review_index, django_assert_num_queries):
    small, large = rich_review(review_index, 1), rich_review(review_index, 6)
    for n in range(60):
        CommentFactory(review=large, text=f"Another comment {n}")
    for _ in range(3):  # where to watch: the links and the site's disclosure come in one query
        ReviewAffiliateLink.objects.create(page=large, link=AffiliateLinkFactory())
    disclosure = AffiliateSettings.for_site(large.get_site())
    disclosure.disclosure = "Marquee earns a commission from these links."
    disclosure.save()
    for _ in range(5):  # related reviews through the director and through a genre
        ReviewPageFactory(parent=review_index, directors=["Director 6-0"], genres=["Genre 1"])
    for review in (small, large):
        client.get(review.url)  # the first view generates the renditions
        with django_assert_num_queries(REVIEW_PAGE_QUERIES):
            response = client.get(review.url)
        assert response.status_code == 200
    assert "62 comments" in response.text or "72 comments" in response.text
    assert len(BeautifulSoup(response.content, "html.parser").select(".related__list li")) == 4
    assert "Marquee earns a commission from these links." in response.text


@pytest.mark.django_db
def test_home_page_query_count_is_fixed(client, review_index, django_assert_num_queries):
    for _ in range(3):
        ReviewPageFactory(parent=review_index, directors=["A", "B"])
    client.get("/")
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        client.get("/")
    for _ in range(27):
        ReviewPageFactory(parent=review_index, directors=["C", "D"])
    client.get("/")
    client.get("/?page=3")
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/")
    assert len(card_titles(response)) == 10
    assert "Directed by C, D" in response.text
    with django_assert_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/?page=3")
    assert len(card_titles(response)) == 10
