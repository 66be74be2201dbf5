"""Helpers the tests share: reading pages, voting as a reader, signing in through the browser."""

from bs4 import BeautifulSoup

#: Ask for the JSON answer the page's scripts get.
JSON = {"HTTP_ACCEPT": "application/json"}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def card_titles(response):
    """The film titles of a listing's review cards, in order."""
    return [a.text for a in soup(response).select(".review-card__title a")]


def vote(client, review, value, **extra):
    """A reader's star rating, sent as ratings.js sends it."""
    return client.post(f"/ratings/{review.pk}/", {"value": value}, **JSON, **extra)


def log_in(page, base_url, username, password):
    """Sign in to the Wagtail admin through its login form (a Playwright page)."""
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
