"""Every body block renders what readers should see, and previews in the editor."""

import pytest
from bs4 import BeautifulSoup

from blog.blocks import ReviewStreamBlock, parse_video_url
from core.blocks import ContentStreamBlock, SocialLinkBlock
from core.factories import CaptionedImageBlockFactory, ImageFactory

ALL_BLOCKS = list(ReviewStreamBlock().child_blocks.values()) + list(ContentStreamBlock().child_blocks.values())


def render(block_name, value):
    """The block rendered from its stored (JSON) form, as a page read from the database gives it."""
    block = ReviewStreamBlock().child_blocks[block_name]
    return BeautifulSoup(block.render(block.to_python(value)), "html.parser")


def render_value(block_name, value):
    """The block rendered from a value built by its factory."""
    return BeautifulSoup(ReviewStreamBlock().child_blocks[block_name].render(value), "html.parser")


def test_paragraph_renders_rich_text():
    html = render("paragraph", "<p>Shot in <b>monochrome</b>.</p>")
    assert html.select_one(".prose b").text == "monochrome"


@pytest.mark.parametrize("level", ["h2", "h3"])
def test_heading_renders_at_chosen_level(level):
    html = render("heading", {"text": "Behind the camera", "level": level})
    assert html.find(level).text == "Behind the camera"


@pytest.mark.django_db
def test_captioned_image_renders_figure_with_alt_caption_credit_and_srcset():
    image = ImageFactory()
    html = render(
        "image",
        {
            "image": {"image": image.pk, "decorative": False, "alt_text": "Lyuda at the window"},
            "caption": "Julia Vysotskaya as Lyuda",
            "credit": "© Demo Films",
            "alignment": "right",
        },
    )
    figure = html.select_one("figure.figure--right")
    img = figure.find("img")
    assert img["alt"] == "Lyuda at the window"
    assert img["width"] and img["height"]
    assert img["loading"] == "lazy"
    assert len(img["srcset"].split(",")) == 3
    assert {s["type"] for s in figure.find_all("source")} == {"image/avif", "image/webp"}
    assert figure.select_one(".figure__caption").text == "Julia Vysotskaya as Lyuda"
    assert figure.select_one(".figure__credit").text == "© Demo Films"


@pytest.mark.django_db
def test_decorative_image_has_empty_alt():
    image = CaptionedImageBlockFactory(image__decorative=True, image__alt_text="", caption="")
    html = render_value("image", image)
    assert html.find("img")["alt"] == ""
    assert html.find("figcaption") is None


def test_pull_quote_with_attribution():
    html = render("pull_quote", {"quote": "A crack has appeared.", "attribution": "Morgan Reed"})
    assert html.select_one("blockquote").text.strip() == "A crack has appeared."
    assert html.select_one("figcaption").text == "— Morgan Reed"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://youtu.be/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_trailer_renders_privacy_enhanced_player(url, src):
    html = render("trailer", {"url": url, "title": "Trailer for Ida", "caption": "Official trailer"})
    iframe = html.find("iframe")
    assert iframe["src"] == src
    assert iframe["title"] == "Trailer for Ida"
    assert iframe["loading"] == "lazy"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://example.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com/watch?v=<script>",
        "https://vimeo.com/channels/staff",
        "ftp://youtu.be/aqz-KE-bpKQ",
    ],
)
def test_only_real_video_addresses_are_trailers(url):
    assert parse_video_url(url) is None


def test_spoiler_renders_collapsed():
    html = render("spoiler", {"summary": "How it ends", "text": "<p>She keeps searching.</p>"})
    details = html.find("details")
    assert details is not None
    assert not details.has_attr("open")
    assert details.find("summary").text == "How it ends"
    assert "She keeps searching." in details.text


def test_social_link_uses_platform_name():
    block = SocialLinkBlock()
    value = block.to_python({"platform": "letterboxd", "url": "https://letterboxd.com/x"})
    html = BeautifulSoup(block.render(value), "html.parser")
    assert html.find("a").text == "Letterboxd"
    assert html.find("a")["href"] == "https://letterboxd.com/x"


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=lambda b: b.name)
def test_every_block_declares_icon_template_and_preview(block):
    assert block.meta.icon not in (None, "placeholder")
    assert block.meta.template.startswith("blocks/")
    assert block.is_previewable


@pytest.mark.django_db
@pytest.mark.parametrize("block_name", list(ReviewStreamBlock().child_blocks))
def test_block_preview_renders_in_the_editor(admin_client, block_name):
    ImageFactory()
    block = ReviewStreamBlock().child_blocks[block_name]
    # The block picker's preview: Wagtail renders the block's preview value in our stylesheet.
    response = admin_client.get("/admin/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    assert "css/marquee.css" in response.text
    assert f'class="w-block-{block_name}' in response.text
    if block_name == "image":
        assert "<img" in response.text
