"""Search from the header, pick a suggestion, filter, open a review, follow its director."""

import pytest
from playwright.sync_api import expect

from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from home.factories import site_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_typeahead_filter_and_person_page(live_server, page):
    index = ReviewIndexPageFactory(parent=site_home())
    ReviewPageFactory(
        parent=index,
        title="Dear Comrades!",
        release_year=2020,
        directors=["Andrey Konchalovsky"],
        genres=["Drama", "History"],
    )
    ReviewPageFactory(parent=index, title="Comrades in Arms", release_year=1995, genres=["War"])
    ReviewPageFactory(parent=index, title="Paradise", release_year=2016, directors=["Andrey Konchalovsky"])

    page.goto(f"{live_server.url}/")
    box = page.get_by_role("combobox", name="Search reviews")
    box.press_sequentially("comr", delay=50)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox.get_by_role("option")).to_have_count(2)
    box.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Comrades in Arms")
    box.press("ArrowDown")
    box.press("Enter")  # picks "Dear Comrades!" and searches for it
    page.wait_for_url("**/search/?q=Dear+Comrades%21")
    results = page.locator(".review-card__title a")
    expect(results.first).to_have_text("Dear Comrades!")

    # Narrow a broader search with a filter.
    page.goto(f"{live_server.url}/search/?q=comrades")
    expect(results).to_have_count(2)
    page.get_by_label("Genre").select_option(label="Drama")
    page.locator(".search-filters").get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)
    expect(results.first).to_have_text("Dear Comrades!")

    results.first.click()
    page.locator(".film-facts").get_by_role("link", name="Andrey Konchalovsky").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Andrey Konchalovsky")
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(["Dear Comrades!", "Paradise"])
