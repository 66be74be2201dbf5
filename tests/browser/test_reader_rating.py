"""A reader rates a film in Chromium, reloads, and changes their mind."""

import pytest
from playwright.sync_api import expect

from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from blog.ratings.models import RatingSummary, ReaderRating
from home.factories import site_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_votes_sees_distribution_and_changes_vote(live_server, page):
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()), title="Dear Comrades!")
    page.goto(f"{live_server.url}{review.url}")
    widget = page.locator("#reader-rating")
    summary = page.locator("[data-reader-summary]")
    expect(summary).to_have_text("No reader ratings yet")
    expect(widget.locator("[data-distribution]")).to_be_hidden()

    # Keyboard: focus the first star and move with the arrow keys, as a screen-reader user would.
    widget.get_by_role("radio", name="1 star").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(widget.get_by_role("radio", name="4 stars")).to_be_checked()
    widget.get_by_role("button", name="Rate").click()

    expect(widget.get_by_role("status")).to_have_text("Thank you: your rating of 4 stars is saved.")
    expect(summary).to_have_text("4.0 from 1 reader")
    distribution = widget.locator("[data-distribution]")
    expect(distribution).to_be_visible()
    expect(distribution.get_by_role("progressbar", name="4 stars (your rating): 100%")).to_be_visible()
    assert page.url.endswith(review.url)  # no reload happened

    page.reload()
    expect(widget.get_by_role("radio", name="4 stars")).to_be_checked()
    expect(widget.locator("[data-your-vote]")).to_have_text("You rated this film 4 stars. Choose again to change it.")
    expect(distribution).to_be_visible()

    widget.locator("label[for=reader-star-2]").click()
    widget.get_by_role("button", name="Change rating").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you: your rating of 2 stars is saved.")
    expect(summary).to_have_text("2.0 from 1 reader")
    expect(distribution.get_by_role("progressbar", name="2 stars (your rating): 100%")).to_be_visible()
    assert ReaderRating.objects.get().value == 2
    assert RatingSummary.objects.get(review=review).count == 1


def test_rating_works_without_javascript(live_server, browser):
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()), title="Ida")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{review.url}")
    page.locator("label[for=reader-star-5]").click()
    page.get_by_role("button", name="Rate").click()
    # The rating page, with the choice carried over, confirms it with a real POST.
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate Ida")
    expect(page.get_by_role("radio", name="5 stars")).to_be_checked()
    page.get_by_role("button", name="Save my rating").click()
    expect(page.get_by_role("status").first).to_contain_text("Thank you: you rated Ida 5 stars.")
    expect(page.locator("[data-reader-summary]")).to_have_text("5.0 from 1 reader")
    context.close()
