"""Content blocks shared by every StreamField on the site."""

import copy

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


def latest_image():
    """An image for block previews in the editor: the newest in the library."""
    return get_image_model().objects.order_by("-created_at").first()


def captioned_image_preview():
    return {
        "image": latest_image(),
        "caption": "The lead actor in a quiet moment",
        "credit": "© The distributor",
        "alignment": "centre",
    }


class RenditionImageChooserBlock(ImageChooserBlock):
    """Loads every image of a stream in one query, with its renditions.

    StreamField converts all blocks of one type together through
    ``bulk_to_python``; prefetching renditions here means rendering a body
    costs the same handful of queries however many images it holds.
    """

    def bulk_to_python(self, values):
        objects = self.model_class.objects.prefetch_renditions().in_bulk(
            [value for value in values if value is not None]
        )
        result = []
        seen = set()
        for pk in values:
            obj = objects.get(pk)
            if obj is not None and pk in seen:
                # Each use of an image needs its own instance (alt text is set
                # per use); the copy shares the prefetched renditions.
                obj = copy.copy(obj)
            result.append(obj)
            seen.add(pk)
        return result


class AccessibleImageBlock(ImageBlock):
    """Wagtail's ImageBlock (image + alt text or "decorative") with prefetching."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        chooser = RenditionImageChooserBlock(required=required)
        chooser.set_name("image")
        self.child_blocks["image"] = chooser


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph_block.html"
        preview_value = (
            "<p>A film that trusts its audience: long takes, few explanations and "
            "a final shot that lingers for days.</p>"
        )
        description = _("Running text with bold, italic, lists and links.")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        help_text=_("Use sub-headings only inside a section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Behind the camera", "level": "h2"}
        description = _("A section heading that also appears in the page outline.")


class CaptionedImageBlock(blocks.StructBlock):
    image = AccessibleImageBlock()
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text=_("Shown under the image, e.g. who is in the still.")
    )
    credit = blocks.CharBlock(
        required=False, max_length=120, help_text=_("Photographer or distributor, e.g. © Curzon.")
    )
    alignment = blocks.ChoiceBlock(
        choices=[
            ("centre", _("In the text column")),
            ("wide", _("Wider than the text")),
            ("left", _("Floated left")),
            ("right", _("Floated right")),
        ],
        default="centre",
    )

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "blocks/captioned_image_block.html"
        preview_value = staticmethod(captioned_image_preview)
        description = _("A still or poster with alt text, caption and credit.")


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=400)
    attribution = blocks.CharBlock(
        required=False, max_length=120, help_text=_("Who said it; leave empty to quote the review itself.")
    )

    class Meta:
        icon = "openquote"
        label = _("Pull quote")
        template = "blocks/pull_quote_block.html"
        preview_value = {
            "quote": "Every frame looks like it was composed by a photographer.",
            "attribution": "The critic",
        }
        description = _("A short quotation set large, to break up a long read.")


class ContentStreamBlock(blocks.StreamBlock):
    """The body of plain content pages (About, Contact)."""

    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()


class SocialLinkValue(blocks.StructValue):
    @property
    def display_label(self):
        if self.get("platform") == "other":
            return self.get("label") or self.get("url")
        return dict(SocialLinkBlock.PLATFORMS).get(self.get("platform"), self.get("url"))


class SocialLinkBlock(blocks.StructBlock):
    PLATFORMS = [
        ("bluesky", "Bluesky"),
        ("mastodon", "Mastodon"),
        ("instagram", "Instagram"),
        ("letterboxd", "Letterboxd"),
        ("youtube", "YouTube"),
        ("facebook", "Facebook"),
        ("x", "X"),
        ("website", _("Website")),
        ("other", _("Other")),
    ]

    platform = blocks.ChoiceBlock(choices=PLATFORMS)
    # Web addresses only: Django's URL check also lets ftp:// through.
    url = blocks.URLBlock(label=_("Address"), validators=[URLValidator(schemes=["http", "https"])])
    label = blocks.CharBlock(required=False, max_length=60, help_text=_("Only needed for “Other”."))

    class Meta:
        icon = "link-external"
        label = _("Social link")
        template = "blocks/social_link_block.html"
        value_class = SocialLinkValue
        preview_value = {"platform": "letterboxd", "url": "https://letterboxd.com/", "label": ""}
