"""An editor builds a three-film list from the Reviews listing, reorders it, publishes; a reader follows it."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from blog.lists.factories import ListIndexPageFactory
from blog.lists.models import ListPage
from core.factories import UserFactory
from core.roles import sync_roles
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_builds_a_list_from_the_reviews_listing_and_readers_follow_it(live_server, page):
    home = site_home()
    index = ReviewIndexPageFactory(parent=home)
    ListIndexPageFactory(parent=home)
    for title, rating in (("Dear Comrades!", "4.5"), ("Nomadland", "3.5"), ("Mank", "3.0"), ("Tenet", "2.5")):
        ReviewPageFactory(parent=index, title=title, rating=Decimal(rating))
    sync_roles()  # the transactional test database starts without the groups' page permissions
    editor = UserFactory(username="sam", password="a-long-test-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    log_in(page, live_server.url, "sam", "a-long-test-password")

    page.goto(f"{live_server.url}/admin/reviews/")
    for title in ("Dear Comrades!", "Nomadland", "Mank"):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
        row.get_by_role("checkbox").check()
    page.get_by_role("link", name="Add the selected reviews to a list").click()
    page.get_by_label("New list's title").fill("Best of 2020")
    page.get_by_role("button", name="Add to the list").click()

    expect(page.get_by_text(re.compile(r"3 reviews added to the draft of “Best of 2020”"))).to_be_visible()
    entries = page.locator("#id_entries-FORMS > [data-inline-panel-child]:visible")
    expect(entries).to_have_count(3)
    # Mank up to the top.
    entries.nth(2).get_by_role("button", name="Move up").click()
    entries.nth(1).get_by_role("button", name="Move up").click()

    page.wait_for_load_state("networkidle")  # not in the middle of an autosave
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(r"Page 'Best of 2020' has been published"))).to_be_visible()

    page.goto(f"{live_server.url}{ListPage.objects.get(title='Best of 2020').url}")
    titles = page.locator(".list-entry__title a")
    expect(titles).to_have_text(["Mank", "Dear Comrades!", "Nomadland"])
    expect(page.locator(".list-entry__rank")).to_have_text(["Number 1", "Number 2", "Number 3"])
    titles.nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dear Comrades!")
    on_lists = page.locator(".on-lists")
    expect(on_lists.get_by_role("link", name="Best of 2020")).to_be_visible()
    expect(on_lists.locator(".on-lists__rank")).to_have_text(re.compile(r"#\s*number\s*2"))
