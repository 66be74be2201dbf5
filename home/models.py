import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index

from blog.models import ReviewListingMixin
from core.blocks import ContentStreamBlock, SocialLinkBlock
from core.pages import BasePage
from core.seo import BreadcrumbsMixin, SocialMetaMixin, describe


class HomePage(ReviewListingMixin, BasePage):
    """The site root: a welcome line and the latest reviews."""

    intro = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("A sentence under the site name on the home page, e.g. “Film reviews since 2009.”"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.ReviewIndexPage", "home.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_meta_description(self):
        return describe(self.search_description, self.intro) or _("Film reviews with star ratings, newest first.")


class ContentPage(SocialMetaMixin, BreadcrumbsMixin, BasePage):
    """A plain page such as About or Contact."""

    standfirst = models.CharField(max_length=300, blank=True, help_text=_("An optional opening line."))
    body = StreamField(ContentStreamBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("standfirst"), FieldPanel("body")]
    promote_panels = Page.promote_panels + SocialMetaMixin.social_panels
    search_fields = Page.search_fields + [index.SearchField("standfirst"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def get_meta_description(self):
        return describe(self.search_description, self.standfirst, body=self.body)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Site-wide text that site owners edit in Settings → Site settings.

    The site name itself is Wagtail's own (Settings → Sites) and is shown in
    the header; everything else the public pages need lives here.
    """

    tagline = models.CharField(max_length=150, blank=True, help_text=_("Shown under the site name."))
    copyright_holder = models.CharField(
        max_length=150,
        blank=True,
        help_text=_("Named in the copyright line under every review and in the footer, e.g. “Jane Critic”."),
    )
    copyright_start_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the site started; the footer then reads “© 2009–this year”."),
    )
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    auto_approve_known_commenters = models.BooleanField(
        default=False,
        help_text=_("Publish comments at once from email addresses that already have an approved comment."),
    )
    close_comments_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Close comments this many days after a review is published; empty: never.")
    )
    feed_full_text = models.BooleanField(
        _("full text in feeds"),
        default=False,
        help_text=_(
            "Put whole reviews in the RSS and Atom feeds (spoiler sections left out); otherwise the standfirst."
        ),
    )
    default_social_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when a page without an image of its own is shared (cropped to 1200×630)."),
    )
    affiliate_disclosure = models.TextField(
        blank=True,
        help_text=_(
            "Shown with every group of affiliate links, before the programs' own wording, e.g. "
            "“Marquee earns a commission when you buy through these links.”"
        ),
    )

    panels = [
        HelpPanel(content=_("The site name is set under Settings → Sites.")),
        MultiFieldPanel([FieldPanel("tagline"), FieldPanel("default_social_image")], heading=_("Identity")),
        MultiFieldPanel([FieldPanel("copyright_holder"), FieldPanel("copyright_start_year")], heading=_("Copyright")),
        FieldPanel("social_links"),
        FieldPanel("affiliate_disclosure"),
        FieldPanel("feed_full_text"),
        MultiFieldPanel(
            [FieldPanel("auto_approve_known_commenters"), FieldPanel("close_comments_after_days")],
            heading=_("Comments"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    def copyright_years(self, year=None):
        """The years for the footer's copyright line, e.g. "2009–2026"."""
        year = year or datetime.date.today().year
        start = self.copyright_start_year
        if start and start < year:
            return f"{start}–{year}"
        return str(year)
