"""Editors see Wagtail's content checks (metrics, readability, accessibility and SEO) on a review."""

import pytest
from playwright.sync_api import expect

from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from core.factories import CaptionedImageBlockFactory, ImageFactory, SuperUserFactory
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_editor_shows_content_metrics_and_issues(live_server, page):
    index = ReviewIndexPageFactory(parent=site_home())
    still = ImageFactory()
    review = ReviewPageFactory(
        parent=index,
        title="Dear Comrades!",
        body=[
            (
                "paragraph",
                "<p>The strike starts on a hot morning. By the evening the square is full and the town is sealed."
                " Lyuda has believed in the party all her life; now she has to look for her daughter.</p>",
            ),
            # A file name is not a description: the checker flags it.
            (
                "image",
                CaptionedImageBlockFactory(image__image__image=still, image__alt_text="IMG_2041.jpg", caption=""),
            ),
        ],
    )
    SuperUserFactory(username="critic", password="a-long-test-password")
    log_in(page, live_server.url, "critic", "a-long-test-password")

    page.goto(f"{live_server.url}/admin/pages/{review.pk}/edit/")
    page.locator('[data-side-panel-toggle="checks"]').click()
    panel = page.locator('[data-side-panel="checks"]')
    expect(panel).to_be_visible()
    words = panel.locator("[data-content-word-count]")
    expect(words).not_to_have_text("-", timeout=30_000)
    # Words are counted in <main> only: the review, not the site's header and footer.
    assert 30 <= int(words.inner_text()) < 400
    expect(panel.locator("[data-content-reading-time]")).not_to_have_text("-")
    expect(panel.locator("[data-content-readability-score]")).not_to_have_text("-")
    issues = panel.locator("[data-checks-panel]")
    expect(issues.get_by_text("Image alt text has inappropriate pattern")).to_be_visible()
