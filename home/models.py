from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from blog.models import ReviewListingMixin
from core.blocks import ContentStreamBlock
from core.pages import BasePage
from core.seo import describe


class HomePage(ReviewListingMixin, BasePage):
    """The site root: a welcome line and the latest reviews."""

    intro = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("A sentence under the site name on the home page, e.g. “Film reviews since 2009.”"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.ReviewIndexPage", "lists.ListIndexPage", "lists.ListPage", "home.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_meta_description(self):
        return describe(self.search_description, self.intro) or _("Film reviews with star ratings, newest first.")

    def get_breadcrumbs(self, request):
        return []  # the site's root: nothing above it to lead back to


class ContentPage(BasePage):
    """A plain page such as About or Contact."""

    standfirst = models.CharField(max_length=300, blank=True, help_text=_("An optional opening line."))
    body = StreamField(ContentStreamBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("standfirst"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("standfirst"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def get_meta_description(self):
        return describe(self.search_description, self.standfirst, body=self.body)
