"""An editor logs in, writes a review with a captioned image, publishes it, and readers see it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from blog.factories import GenreFactory, ReviewIndexPageFactory
from blog.models import ReviewPage
from core.factories import SuperUserFactory
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), "#3d5a80").save(buffer, "PNG")
    return buffer.getvalue()


def test_editor_publishes_review_with_captioned_image(live_server, page):
    index = ReviewIndexPageFactory(parent=site_home())
    SuperUserFactory(username="critic", password="a-long-test-password")
    GenreFactory(name="War")

    log_in(page, live_server.url, "critic", "a-long-test-password")

    page.goto(f"{live_server.url}/admin/pages/add/blog/reviewpage/{index.pk}/")
    page.get_by_placeholder("Film title*").fill("Ivan's Childhood")
    page.locator("#id_rating").select_option(label="4.5 stars")
    page.locator("#id_standfirst").fill("Tarkovsky's first feature sees war through a child's eyes.")

    body = page.locator("[data-contentpath=body]")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    body.get_by_role("textbox").first.fill("A boy scout crosses the river at night.")
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Image with caption").click()
    body.get_by_role("button", name="Choose an image").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("tab", name="Upload").click()
    dialog.locator("input[type=file]").set_input_files(
        files=[{"name": "ivan.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    dialog.get_by_label("Title").fill("Ivan on the river")
    dialog.get_by_role("button", name="Upload").click()
    expect(body.get_by_text("Ivan on the river")).to_be_visible()
    body.get_by_role("textbox", name="Alt text", exact=True).fill("A boy watches the river at dusk")
    body.get_by_role("textbox", name="Caption", exact=True).fill("Nikolai Burlyayev as Ivan")

    page.get_by_role("tab", name="Film").click()
    page.locator("#id_release_year").fill("1962")
    page.get_by_label("War").check()

    # Wagtail autosaves the form as it is typed in; publishing in the middle of an autosave is refused (400).
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    # If an autosave already created the draft, the editor is on the edit view and Wagtail words it differently.
    expect(
        page.get_by_text(re.compile(r"Page 'Ivan's Childhood' (created and published|has been published)"))
    ).to_be_visible()

    review = ReviewPage.objects.get(title="Ivan's Childhood")
    assert review.live

    # The home page lists it first.
    page.goto(f"{live_server.url}/")
    first_card = page.locator(".review-card").first
    expect(first_card.get_by_role("link", name="Ivan's Childhood", exact=True)).to_be_visible()
    expect(first_card.get_by_role("img", name="4.5 out of 5 stars")).to_be_visible()

    # Its own page shows the text, the stars and the captioned image, loaded.
    first_card.get_by_role("link", name="Ivan's Childhood", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ivan's Childhood")
    expect(page.get_by_text("A boy scout crosses the river at night.")).to_be_visible()
    figure = page.locator(".article__body figure")
    expect(figure.locator("figcaption")).to_have_text("Nikolai Burlyayev as Ivan")
    image = figure.get_by_role("img", name="A boy watches the river at dusk")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
