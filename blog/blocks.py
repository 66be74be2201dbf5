"""Blocks that only make sense in a review body."""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructValue

from core.blocks import CaptionedImageBlock, HeadingBlock, ParagraphBlock, PullQuoteBlock

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{6,12}$")


def parse_video_url(url):
    """Return ``(provider, video_id)`` for a YouTube or Vimeo address, else None."""
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    candidate = None
    if host == "youtu.be":
        candidate = ("youtube", path.split("/")[0])
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "watch":
            candidate = ("youtube", parse_qs(parts.query).get("v", [""])[0])
        elif path.startswith(("embed/", "shorts/", "live/")):
            candidate = ("youtube", path.split("/")[1])
    elif host == "vimeo.com":
        candidate = ("vimeo", path.split("/")[0])
    elif host == "player.vimeo.com" and path.startswith("video/"):
        candidate = ("vimeo", path.split("/")[1])
    if candidate is None:
        return None
    provider, video_id = candidate
    pattern = YOUTUBE_ID if provider == "youtube" else VIMEO_ID
    return candidate if pattern.match(video_id) else None


class TrailerValue(StructValue):
    @cached_property
    def embed_url(self):
        provider, video_id = parse_video_url(self.get("url"))
        if provider == "youtube":
            # The privacy-enhanced player sets no cookies until the reader plays.
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return f"https://player.vimeo.com/video/{video_id}?dnt=1"


class TrailerBlock(blocks.StructBlock):
    """A YouTube or Vimeo trailer, embedded with the privacy-enhanced players.

    The player address is built from the link itself: nothing is fetched from
    the video site when the page is saved or shown.
    """

    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("A YouTube or Vimeo link, e.g. https://www.youtube.com/watch?v=…"),
    )
    title = blocks.CharBlock(
        max_length=120,
        help_text=_("Read out by screen readers, e.g. “Trailer for Dear Comrades!”."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if value.get("url") and parse_video_url(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Enter a YouTube or Vimeo video address."))}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Trailer")
        template = "blocks/trailer_block.html"
        value_class = TrailerValue
        preview_value = {
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "title": "Trailer",
            "caption": "The official trailer",
        }
        description = _("An embedded YouTube or Vimeo trailer.")


class SpoilerBlock(blocks.StructBlock):
    summary = blocks.CharBlock(
        max_length=120,
        default="Spoilers: what happens at the end",
        help_text=_("The line readers click to open the section."),
    )
    text = ParagraphBlock()

    class Meta:
        icon = "warning"
        label = _("Spoiler section")
        template = "blocks/spoiler_block.html"
        preview_value = {
            "summary": "Spoilers: the ending",
            "text": "<p>The last scene returns to the square, now silent.</p>",
        }
        description = _("Text about the plot that stays folded until the reader opens it.")


class ReviewStreamBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    trailer = TrailerBlock()
    spoiler = SpoilerBlock()
