"""Who the site is: the name's companions in the header and footer, links to its social accounts.

The site name itself is Wagtail's own (Settings → Sites). The other settings live
with what they govern: comments (``blog.comments``), feeds (``blog``) and affiliate
disclosure (``blog.affiliates``), each with its own entry under Settings.
"""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string

from .blocks import SocialLinkBlock


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Settings → Site identity: tagline, copyright line, social links, the default share image."""

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
    default_social_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when a page without an image of its own is shared (cropped to 1200×630)."),
    )

    panels = [
        HelpPanel(content=_("The site name is set under Settings → Sites.")),
        MultiFieldPanel([FieldPanel("tagline"), FieldPanel("default_social_image")], heading=_("Identity")),
        MultiFieldPanel([FieldPanel("copyright_holder"), FieldPanel("copyright_start_year")], heading=_("Copyright")),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("site identity")

    def copyright_years(self, year=None):
        """The years for the footer's copyright line, e.g. "2009–2026"."""
        year = year or datetime.date.today().year
        start = self.copyright_start_year
        if start and start < year:
            return f"{start}–{year}"
        return str(year)


class SchedulerLock(models.Model):
    """The one row every scheduled-publishing pass updates first (core.scheduling).

    Updating it takes the row's lock (on SQLite, the database's write lock) until
    the pass commits, so two schedulers never publish the same revision twice.
    """

    last_pass_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scheduler lock")

    def __str__(self):
        return f"Scheduled publishing, last pass {self.last_pass_at or 'never'}"
