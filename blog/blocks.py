"""Blocks that only make sense in a review body."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils import timezone
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


# The critic's scale as a re-watch stores it: "0.5" … "5"; blank for no rating.
HALF_STAR_CHOICES = [(f"{n / 2:g}", f"{n / 2:g} stars") for n in range(1, 11)]


class RewatchValue(StructValue):
    @property
    def rating(self):
        """The new rating as a number (what ``{% stars %}`` and the current rating take), or None."""
        return Decimal(self["stars"]) if self.get("stars") else None

    @property
    def is_revision(self):
        """A rating changed in the editor without a new viewing."""
        return self.get("kind") == "revised"


class RewatchBlock(blocks.StructBlock):
    """A later viewing of the film (or a rating changed on reflection), with the critic's new rating.

    The latest one sets the review's current rating (``ReviewPage.save``).
    """

    watched_on = blocks.DateBlock(label=_("Date"), help_text=_("When the critic saw the film again."))
    stars = blocks.ChoiceBlock(
        choices=HALF_STAR_CHOICES,
        required=False,
        label=_("New rating"),
        help_text=_("Leave empty for no rating."),
    )
    kind = blocks.ChoiceBlock(
        choices=[("rewatch", _("Re-watched")), ("revised", _("Rating revised"))],
        default="rewatch",
        help_text=_("“Rating revised” is recorded for you when the rating is changed without a re-watch."),
    )
    addendum = blocks.RichTextBlock(
        features=["bold", "italic", "link"],
        required=False,
        max_length=800,
        help_text=_("A few sentences shown under the review with the date, e.g. what changed on a second look."),
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("watched_on") and value["watched_on"] > timezone.localdate():
            raise blocks.StructBlockValidationError(
                block_errors={"watched_on": ValidationError(_("A re-watch cannot be dated in the future."))}
            )
        return value

    class Meta:
        icon = "history"
        label = _("Re-watch")
        template = "blocks/rewatch_block.html"
        value_class = RewatchValue
        preview_value = {
            "watched_on": "2026-03-14",
            "stars": "4.5",
            "kind": "rewatch",
            "addendum": "<p>The final sequence lands harder on a big screen.</p>",
        }
        description = _("A later viewing with the critic's new rating and a dated note.")
