"""Ranked lists: the page, its entries and ranks, "On these lists", search, feeds, the API, JSON-LD and the admin."""

from decimal import Decimal

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from blog.factories import ReviewPageFactory
from blog.lists.factories import ListIndexPageFactory, ListPageFactory
from blog.lists.models import ListPage
from blog.lists.ranking import ranks
from blog.models import ReviewPage
from core.factories import ImageFactory, UserFactory
from home.factories import ContentPageFactory, site_home
from tests.test_structured_data import json_ld, of_type

pytestmark = pytest.mark.django_db

# A full render of a list page (every cache off), however many entries: the site, routing (three),
# the restricted paths, the entries with their images, those images' renditions, the live reviews,
# their pictures' renditions, the site identity and the menu.
LIST_PAGE_QUERIES = 11
# A review page with no comments or shop links (tests.test_public_pages has the budget for a busy one),
# on no list or on three.
PLAIN_REVIEW_QUERIES = 13


@pytest.fixture
def section(home_page):
    return ListIndexPageFactory(parent=home_page)


@pytest.fixture
def films(review_index):
    return [
        ReviewPageFactory(
            parent=review_index, title=title, release_year=year, rating=Decimal(rating), directors=[director]
        )
        for title, year, rating, director in [
            ("Dear Comrades!", 2020, "4.5", "Andrei Konchalovsky"),
            ("Nomadland", 2020, "3.5", "Chloé Zhao"),
            ("Mank", 2020, "3.0", "David Fincher"),
        ]
    ]


def entry_rows(response):
    """[(rank text, title, linked?)] of the list page's entries, top to bottom."""
    rows = []
    for item in BeautifulSoup(response.content, "html.parser").select(".list-entry"):
        rank = item.select_one(".list-entry__rank")
        title = item.select_one(".list-entry__title")
        rows.append(
            (
                " ".join(rank.get_text(" ").split()) if rank else None,
                title.get_text(" ", strip=True).split(" (")[0],
                title.find("a") is not None,
            )
        )
    return rows


def test_ranks_count_up_or_down_and_ties_share_a_number():
    assert ranks([False, False, False, False], "ascending") == [1, 2, 3, 4]
    assert ranks([False, False, True, False], "ascending") == [1, 2, 2, 4]
    assert ranks([False, False, True, False], "descending") == [4, 2, 2, 1]
    assert ranks([False, True, True], "descending") == [1, 1, 1]
    assert ranks([True, False], "ascending") == [1, 2]  # the first entry has nobody above to tie with
    assert ranks([False, True], "unranked") == [None, None]


def test_list_page_shows_reviewed_and_unreviewed_films_in_order(client, section, films):
    comrades, nomadland, _mank = films
    ranked = ListPageFactory(
        parent=section,
        title="Best of 2020",
        entries=[
            comrades,
            {
                "film_title": "Another Round",
                "film_year": 2020,
                "director": "Thomas Vinterberg",
                "note": "<p>Cheers.</p>",
            },
            nomadland,
        ],
    )
    response = client.get(ranked.url)
    assert response.status_code == 200
    assert entry_rows(response) == [
        ("Number 1", "Dear Comrades!", True),
        ("Number 2", "Another Round", False),
        ("Number 3", "Nomadland", True),
    ]
    page = BeautifulSoup(response.content, "html.parser")
    entries = page.select("ol.ranked-list__entries > li")
    assert [item["value"] for item in entries] == ["1", "2", "3"]
    assert entries[0].select_one(".list-entry__title a")["href"] == comrades.url
    assert "Directed by Andrei Konchalovsky" in entries[0].get_text()
    assert entries[0].select_one(".stars")["aria-label"] == "4.5 out of 5 stars"
    assert "Directed by Thomas Vinterberg" in entries[1].get_text() and "Cheers." in entries[1].get_text()
    assert entries[0].select_one(".list-entry__poster img") is not None  # the review's picture, cut to a poster
    assert "fill-160x240" in entries[0].select_one(".list-entry__poster img")["src"]


def test_a_countdown_with_a_tie_and_an_unranked_selection(client, section, films):
    comrades, nomadland, mank = films
    countdown = ListPageFactory(
        parent=section, numbering="descending", entries=[comrades, nomadland, {"review": mank, "tied": True}]
    )
    assert [row[0] for row in entry_rows(client.get(countdown.url))] == [
        "Number 3",
        "Number 1 (tied)",
        "Number 1 (tied)",
    ]
    assert list(countdown.entries.order_by("sort_order").values_list("rank", flat=True)) == [3, 1, 1]

    selection = ListPageFactory(parent=section, numbering="unranked", entries=[mank, comrades])
    response = client.get(selection.url)
    page = BeautifulSoup(response.content, "html.parser")
    assert (
        page.select_one("ul.ranked-list__entries") is not None and page.select_one("ol.ranked-list__entries") is None
    )
    assert entry_rows(response) == [(None, "Mank", True), (None, "Dear Comrades!", True)]


def test_list_page_query_count_is_the_same_for_three_entries_or_thirty(
    client, section, review_index, django_assert_num_queries
):
    reviews = [ReviewPageFactory(parent=review_index, directors=[f"Director {n}"]) for n in range(27)]
    unreviewed = [{"film_title": f"Film not reviewed {n}", "image": ImageFactory()} for n in range(3)]
    short = ListPageFactory(parent=section, entries=[reviews[0], reviews[1], unreviewed[0]])
    long = ListPageFactory(parent=section, entries=[*reviews, *unreviewed])
    for ranked, count in ((short, 3), (long, 30)):
        client.get(ranked.url)  # the first view makes the posters' renditions
        with django_assert_num_queries(LIST_PAGE_QUERIES):
            response = client.get(ranked.url)
        assert len(entry_rows(response)) == count


def test_an_entry_whose_review_is_unpublished_or_deleted_still_names_the_film(client, section, films):
    comrades, nomadland, mank = films
    ranked = ListPageFactory(parent=section, entries=[comrades, nomadland, mank])
    nomadland.unpublish()
    ReviewPage.objects.get(pk=mank.pk).delete()
    response = client.get(ranked.url)
    assert response.status_code == 200
    assert entry_rows(response) == [
        ("Number 1", "Dear Comrades!", True),
        ("Number 2", "Nomadland", False),
        ("Number 3", "Mank", False),
    ]
    assert "Directed by Chloé Zhao" in response.text  # kept from the review when the list was saved
    item_list = of_type(json_ld(response.text), "ItemList")
    assert item_list == []  # one live review left: no carousel


def test_item_list_markup_names_each_reviewed_film_in_order_on_this_site(client, section, films):
    comrades, nomadland, mank = films
    ranked = ListPageFactory(parent=section, entries=[mank, {"film_title": "Minari", "film_year": 2020}, comrades])
    response = client.get(ranked.url)
    (item_list,) = of_type(json_ld(response.text), "ItemList")
    elements = item_list["itemListElement"]
    assert [element["position"] for element in elements] == list(range(1, len(elements) + 1))
    assert [element["url"] for element in elements] == [mank.get_full_url(), comrades.get_full_url()]
    assert all(element["url"].startswith(ranked.get_site().root_url) for element in elements)
    assert all(element["@type"] == "ListItem" for element in elements)
    # Each linked page carries the Movie markup, with a 2:3 poster.
    (review,) = of_type(json_ld(client.get(mank.url).text), "Review")
    poster = review["itemReviewed"]["image"]
    assert "fill-600x900" in poster and poster.startswith(ranked.get_site().root_url)

    single = ListPageFactory(parent=section, entries=[nomadland])
    assert of_type(json_ld(client.get(single.url).text), "ItemList") == []


def test_reviews_name_the_live_public_lists_they_are_on_with_their_rank(client, section, films):
    comrades, nomadland, mank = films
    ListPageFactory(parent=section, title="Best of 2020", entries=[comrades, nomadland])
    ListPageFactory(parent=section, title="Russian cinema", numbering="unranked", entries=[comrades])
    hidden = ListPageFactory(parent=section, title="Draft list", entries=[comrades])
    hidden.unpublish()
    private = ListPageFactory(parent=section, title="Members only", entries=[comrades])
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    box = BeautifulSoup(client.get(comrades.url).content, "html.parser").select_one(".on-lists")
    items = [" ".join(item.get_text("").split()) for item in box.select("li")]
    assert items == ["Best of 2020, #number 1", "Russian cinema"]
    assert box.select_one("a")["href"] == ListPage.objects.get(title="Best of 2020").url
    box = BeautifulSoup(client.get(nomadland.url).content, "html.parser").select_one(".on-lists")
    assert " ".join(box.get_text().split()).endswith("Best of 2020, #number 2")
    assert BeautifulSoup(client.get(mank.url).content, "html.parser").select_one(".on-lists") is None


def test_lists_are_found_by_search_listed_in_the_sitemap_and_feeds_and_served_by_the_api(client, section, films):
    comrades, nomadland, _mank = films
    ranked = ListPageFactory(
        parent=section, title="Best of the festival year", entries=[comrades, {"film_title": "Minari"}, nomadland]
    )
    results = BeautifulSoup(client.get("/search/?q=festival").content, "html.parser")
    assert [a.get_text() for a in results.select(".search-lists a")] == ["Best of the festival year"]
    assert "3 films" in results.select_one(".search-lists").get_text()
    assert (
        BeautifulSoup(client.get("/search/?q=festival&genre=1").content, "html.parser").select_one(".search-lists")
        is None
    )

    assert f"<loc>{ranked.get_full_url()}</loc>" in client.get("/sitemap.xml").text
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    item = next(entry for entry in feed.entries if entry.title == "Best of the festival year")
    assert item.link == f"http://testserver{ranked.url}" and "Minari" in item.description
    assert "Best of the festival year" not in client.get("/feeds/genre/drama/rss/").text

    listing = client.get("/api/v2/lists/").json()
    assert [found["title"] for found in listing["items"]] == ["Best of the festival year"]
    detail = client.get(f"/api/v2/lists/{ranked.pk}/").json()
    assert [film["title"] for film in detail["films"]] == ["Dear Comrades!", "Minari", "Nomadland"]
    assert detail["films"][0]["review"] == {
        "id": comrades.pk,
        "url": comrades.get_full_url(),
        "rating": 4.5,
    }
    assert detail["films"][1]["review"] is None and detail["films"][1]["rank"] == 2
    assert client.get(f"/api/v2/lists/{comrades.pk}/").status_code == 404  # a review is not a list
    assert client.get("/api/v2/lists/?type=blog.ReviewPage").status_code == 400


def test_feed_query_count_stays_fixed_with_lists(client, section, review_index, films, django_assert_num_queries):
    for count in (1, 6):
        while ListPage.objects.count() < count:
            ListPageFactory(parent=section, cover_image=ImageFactory(), entries=films)
        client.get("/feeds/rss/")  # renditions are made on the first view
        with django_assert_num_queries(9):  # the feed's 7, the lists' entries and their covers' renditions
            feed = feedparser.parse(client.get("/feeds/rss/").content)
        assert len(feed.entries) == 3 + count


def test_publishing_a_list_purges_it_its_section_and_its_films_reviews(section, films, purges):
    comrades, nomadland, mank = films
    ranked = ListPageFactory(parent=section, entries=[comrades, nomadland])

    paths = purges(lambda: ranked.save_revision().publish())
    assert {ranked.url, section.url, comrades.url, nomadland.url, "/feeds/rss/", "/sitemap.xml"} <= paths
    assert mank.url not in paths and "/*" not in paths
    # A review that changes purges the lists it is on (their entries show its title and ratings).
    assert ranked.url in purges(lambda: comrades.save_revision().publish())
    assert ranked.url not in purges(lambda: mank.save_revision().publish())


# -- the admin ----------------------------------------------------------------


def list_form_data(title, entries, **overrides):
    data = {
        "title": title,
        "slug": slugify(title),
        "intro": rich_text(""),
        "numbering": "ascending",
        "entries": inline_formset(
            [
                {
                    "review": str(entry.pk) if isinstance(entry, Page) else "",
                    "film_title": "" if isinstance(entry, Page) else entry,
                    "film_year": "",
                    "director": "",
                    "note": rich_text(""),
                }
                for entry in entries
            ]
        ),
        "action-publish": "publish",
        **overrides,
    }
    return nested_form_data(data)


def test_the_same_film_twice_on_one_list_is_a_form_error(admin_client, section, films):
    comrades, nomadland, _mank = films
    add = reverse("wagtailadmin_pages:add", args=["lists", "listpage", section.pk])
    for entries in ([comrades, nomadland, comrades], [comrades, "Dear  comrades!"], ["Minari", "minari"]):
        response = admin_client.post(add, list_form_data("Doubles", entries))
        assert response.status_code == 200
        assert "This film is already on the list (entry 1)." in response.text
    assert not ListPage.objects.exists()
    response = admin_client.post(add, list_form_data("Three films", [comrades, "Minari", nomadland]))
    assert response.status_code == 302
    assert list(ListPage.objects.get().entries.values_list("film_title", "rank")) == [
        ("Dear Comrades!", 1),
        ("Minari", 2),
        ("Nomadland", 3),
    ]
    data = list_form_data("Not a film", [""])
    data["entries-0-film_year"] = "2020"  # a year, and nothing to say which film
    response = admin_client.post(add, data)
    assert "Choose a review, or give the title of the film." in response.text
    assert ListPage.objects.get().title == "Three films"


def bulk_url(action, *pages, **params):
    ids = "&".join(f"id={page.pk}" for page in pages)
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    return f"/admin/bulk/wagtailcore/page/{action}/?{ids}{extra}"


def test_reviews_chosen_in_the_reviews_listing_go_to_a_new_or_existing_lists_draft(admin_client, section, films):
    comrades, nomadland, mank = films
    listing = admin_client.get("/admin/reviews/")
    assert "Add to list…" in listing.text and "Draft a year-end list" in listing.text

    about = ContentPageFactory(parent=site_home(), title="About")
    url = bulk_url("add_to_list", mank, comrades, about, next="/admin/reviews/")
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Only reviews can go on a list" in confirm.text
    response = admin_client.post(url, {"existing": "", "new_title": "Festival favourites"})
    made = ListPage.objects.get(title="Festival favourites")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[made.pk])
    assert not made.live  # a draft, for the editor to order and publish
    draft = made.get_latest_revision_as_object()
    assert [entry.review_id for entry in sorted(draft.entries.all(), key=lambda e: e.sort_order)] == [
        mank.pk,
        comrades.pk,
    ]

    admin_client.post(bulk_url("add_to_list", comrades, nomadland), {"existing": str(made.pk), "new_title": ""})
    draft = ListPage.objects.get(pk=made.pk).get_latest_revision_as_object()
    assert [entry.film_title for entry in sorted(draft.entries.all(), key=lambda e: e.sort_order)] == [
        "Mank",
        "Dear Comrades!",
        "Nomadland",
    ]

    response = admin_client.post(bulk_url("add_to_list", comrades), {"existing": "", "new_title": "  "})
    assert response.status_code == 200 and "Choose a list, or give the new list a title." in response.text
    assert ListPage.objects.count() == 1


def test_a_year_end_list_is_drafted_from_the_years_best_rated_reviews(admin_client, section, review_index, films):
    comrades, nomadland, mank = films
    ReviewPageFactory(parent=review_index, title="Older film", release_year=2019, rating=Decimal("5"))
    ReviewPageFactory(parent=review_index, title="Unrated film", release_year=2020, rating=None)
    url = reverse("lists_draft_year_end")
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"year": "2020", "size": "2"})
    drafted = ListPage.objects.get(title="Best of 2020")
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[drafted.pk]
    )
    draft = drafted.get_latest_revision_as_object()
    assert [entry.review_id for entry in sorted(draft.entries.all(), key=lambda e: e.sort_order)] == [
        comrades.pk,
        nomadland.pk,
    ]
    assert not drafted.live

    for bad in ({"year": "1999", "size": "10"}, {"year": "abc", "size": "10"}, {"year": "2020", "size": "500"}):
        response = admin_client.post(url, bad)
        assert response.status_code == 400
    assert (
        "No published review of a 1999 film has a rating yet."
        in admin_client.post(url, {"year": "1999", "size": "3"}).text
    )
    assert ListPage.objects.count() == 1


def test_only_those_who_may_add_pages_draft_lists(client, section):
    staff = UserFactory(username="staff", password="a-long-test-password", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    # Wagtail's admin answers a refused view with a redirect to the dashboard and a message.
    assert client.get(reverse("lists_draft_year_end"))["Location"] == "/admin/"
    assert client.post(reverse("lists_draft_year_end"), {"year": "2020", "size": "3"})["Location"] == "/admin/"
    assert not ListPage.objects.exists()


def test_the_on_these_lists_box_adds_no_query_to_the_review_page(client, section, films, django_assert_num_queries):
    """The lists come in the review's one fact-box query (blog.extensions.REVIEW_FACTS_HOOK)."""
    comrades, nomadland, mank = films
    for n in range(3):
        ListPageFactory(parent=section, title=f"List {n}", entries=[comrades, nomadland])
    for review, lists in ((mank, 0), (comrades, 3)):
        client.get(review.url)
        with django_assert_num_queries(PLAIN_REVIEW_QUERIES):
            response = client.get(review.url)
        assert len(BeautifulSoup(response.content, "html.parser").select(".on-lists li")) == lists
