"""What search engines and social networks read: descriptions, breadcrumbs, share cards.

``BasePage`` (core/pages.py) is built from these mixins; the templates render
``includes/head_meta.html`` through the ``{% head_meta %}`` tag, which asks the
page for its description, share image and structured data.
"""

from dataclasses import dataclass
from html import unescape

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.images import get_image_model_string
from wagtail.images.models import Filter

from .page_urls import page_url

#: Open Graph's and X's large card: 1.91:1, big enough for high-density screens.
#: Made once, as picture_tags.FILTERS are: parsing a spec costs more than finding a prefetched rendition.
SOCIAL_IMAGE = Filter(spec="fill-1200x630|exact-1200x630|format-jpeg")
DESCRIPTION_LENGTH = 160

# Blocks whose text may describe a page. Spoilers, trailers and quotes never do.
DESCRIBING_BLOCKS = {"paragraph"}


class SocialMetaMixin(models.Model):
    """Lets editors choose what a shared link shows; otherwise the page's own image and description."""

    social_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; cropped to 1200×630. Empty: the main image."),
    )
    social_text = models.CharField(
        _("social description"),
        max_length=200,
        blank=True,
        help_text=_("The text of the card when the page is shared. Empty: the search description or standfirst."),
    )

    social_panels = [
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_text")], heading=_("Social sharing")),
    ]

    class Meta:
        abstract = True


def describe(*candidates, body=None):
    """The first non-empty candidate, else the opening of the body's paragraphs.

    Only paragraph blocks count, so a spoiler section can never leak into a
    description, a share card or a search snippet.
    """
    for text in candidates:
        if text and text.strip():
            return " ".join(text.split())
    if body is None:
        return ""
    words = []
    for block in body:
        if block.block_type in DESCRIBING_BLOCKS:
            source = getattr(block.value, "source", str(block.value))
            words.extend(unescape(strip_tags(source.replace("<", " <"))).split())
            if len(" ".join(words)) > DESCRIPTION_LENGTH:
                break
    return Truncator(" ".join(words)).chars(DESCRIPTION_LENGTH)


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str


def page_breadcrumbs(page, request=None):
    """Home → … → this page (no query when routing found the ancestors)."""
    trail = [Crumb(_("Home") if a.depth == 2 else a.title, page_url(a, request)) for a in page.get_breadcrumb_pages()]
    return trail + [Crumb(page.title, page.get_url(request))]


class BreadcrumbsMixin:
    """Puts the page's breadcrumb trail in its context, for the visible nav and the JSON-LD."""

    def get_breadcrumbs(self, request):
        return page_breadcrumbs(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs(request)
        return context
