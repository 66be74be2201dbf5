"""A site owner changes a program's tag; readers' clicks follow it and are counted."""

import re

import pytest
from playwright.sync_api import expect

from blog.affiliates.factories import AffiliateLinkFactory, AffiliateProgramFactory
from blog.affiliates.models import ClickCount, ReviewAffiliateLink
from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from core.factories import SuperUserFactory
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READERS_CHROMIUM = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36"
)


def test_owner_changes_tag_and_click_is_redirected_and_counted(live_server, page):
    program = AffiliateProgramFactory(name="Amazon UK", tracking_parameters="tag=old-21")
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()), title="Dear Comrades!")
    link = AffiliateLinkFactory(program=program, product_url="https://www.amazon.co.uk/dp/B08TEST")
    ReviewAffiliateLink.objects.create(page=review, link=link)
    SuperUserFactory(username="owner", password="a-long-test-password")

    log_in(page, live_server.url, "owner", "a-long-test-password")
    page.goto(f"{live_server.url}/admin/snippets/affiliates/affiliateprogram/edit/{program.pk}/")
    page.get_by_role("textbox", name="Tracking parameters").fill("tag=new-21")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("updated")).to_be_visible()

    # The shop is not reachable from here: answer for it, and record where the click went.
    landed = []
    page.route(
        re.compile(r"https://www\.amazon\.co\.uk/.*"),
        lambda route: (
            landed.append(route.request.url),
            route.fulfill(body="<title>Shop</title>", content_type="text/html"),
        ),
    )
    page.goto(f"{live_server.url}{review.url}")
    shop_link = page.get_by_role("link", name="Watch it/buy it at Amazon")
    expect(shop_link).to_have_attribute("rel", "sponsored noopener")
    expect(page.locator(".where-to-watch .disclosure")).to_contain_text(
        "As an Amazon Associate I earn from qualifying purchases."
    )
    # Headless Chromium names itself "HeadlessChrome", which /go/ rightly does not
    # count; a reader's Chromium sends its usual name (and the same Sec-Fetch headers).
    page.set_extra_http_headers({"User-Agent": READERS_CHROMIUM})
    shop_link.click()
    page.wait_for_url(re.compile(r"https://www\.amazon\.co\.uk/.*"))
    assert landed == ["https://www.amazon.co.uk/dp/B08TEST?tag=new-21"]
    assert ClickCount.objects.get(link=link).clicks == 1

    page.goto(f"{live_server.url}/admin/reports/affiliate-clicks/?days=7")
    expect(page.locator(".click-total")).to_have_text("1 click in the last 7 days")
    expect(page.get_by_role("cell", name="Amazon UK").first).to_be_visible()
