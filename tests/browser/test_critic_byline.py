"""An editor adds a guest critic from the review form, publishes, and the byline leads to the critic's page."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.factories import ReviewIndexPageFactory
from blog.models import Critic, ReviewPage
from core.factories import UserFactory
from core.roles import sync_roles
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_adds_a_guest_critic_from_the_chooser_and_readers_follow_the_byline(live_server, page):
    index = ReviewIndexPageFactory(parent=site_home())
    sync_roles()  # the transactional test database starts without the groups' page permissions
    editor = UserFactory(username="sam", password="a-long-test-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    log_in(page, live_server.url, "sam", "a-long-test-password")

    page.goto(f"{live_server.url}/admin/pages/add/blog/reviewpage/{index.pk}/")
    page.get_by_placeholder("Film title*").fill("Burning")
    page.locator("#id_rating").select_option(label="4.5 stars")
    page.locator("#id_critic_credits-ADD").click()
    critics = page.locator("#id_critic_credits-FORMS")
    critics.get_by_role("button", name="Choose critic").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("tab", name="Add critic").click()
    dialog.get_by_label("Name").fill("Priya Nair")
    dialog.get_by_role("button", name="Add critic").click()
    expect(critics.get_by_text("Priya Nair")).to_be_visible()
    page.get_by_role("tab", name="Film").click()
    page.locator("#id_release_year").fill("2018")

    page.wait_for_load_state("networkidle")  # not in the middle of an autosave
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(r"Page 'Burning' (created and published|has been published)"))).to_be_visible()
    guest = Critic.objects.get(name="Priya Nair")
    assert guest.user is None and guest.slug == "priya-nair"

    page.goto(f"{live_server.url}{ReviewPage.objects.get(title='Burning').url}")
    page.locator(".byline").get_by_role("link", name="Priya Nair").click()
    expect(page).to_have_url(f"{live_server.url}/critics/priya-nair/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Nair")
    expect(page.locator(".review-card").get_by_role("link", name="Burning", exact=True)).to_be_visible()
    expect(page.locator(".critic__totals")).to_contain_text("average rating 4.5 out of 5")
