import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable
from wagtail.search import index


def validate_tracking_parameters(value):
    pairs = parse_qsl(value, keep_blank_values=False, strict_parsing=False)
    if value and (not pairs or any(not key for key, _ in pairs) or "://" in value or value.startswith("?")):
        raise ValidationError(_("Write the parameters as name=value pairs joined by &, e.g. “tag=example-21”."))


class FullURLFormField(forms.URLField):
    """Refuses addresses without a scheme instead of guessing "http://"."""

    def to_python(self, value):
        value = (value or "").strip()
        if value and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise ValidationError(_("Enter the full address, starting with https://."), code="invalid")
        return super().to_python(value)


class FullURLField(models.URLField):
    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": FullURLFormField, "assume_scheme": "https", **kwargs})


def domain_matches(host, allowed):
    host = (host or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


class AffiliateProgram(index.Indexed, models.Model):
    """A retailer's affiliate scheme: its tracking tag, domains and required disclosure."""

    name = models.CharField(max_length=100, unique=True, help_text=_("e.g. “Amazon UK”."))
    tracking_parameters = models.CharField(
        max_length=255,
        blank=True,
        validators=[validate_tracking_parameters],
        help_text=_(
            "Added to every link of this program, e.g. “tag=example-21”. Change it here and every link follows."
        ),
    )
    allowed_domains = models.TextField(
        help_text=_("One domain per line, e.g. “amazon.co.uk”. Links may point only here (subdomains included)."),
    )
    disclosure = models.TextField(
        help_text=_("Shown next to the links, e.g. “As an Amazon Associate I earn from qualifying purchases.”"),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switch off to hide every link of this program at once.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tracking_parameters"),
        FieldPanel("allowed_domains"),
        FieldPanel("disclosure"),
        FieldPanel("is_active"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("is_active")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("affiliate program")

    def __str__(self):
        return self.name

    @property
    def domains(self):
        return [line.strip().lower().lstrip(".") for line in self.allowed_domains.splitlines() if line.strip()]

    def clean(self):
        bad = [d for d in self.domains if "/" in d or ":" in d or " " in d or "." not in d]
        if bad:
            raise ValidationError({"allowed_domains": _("Enter bare domain names such as “amazon.co.uk”.")})
        if not self.domains:
            raise ValidationError({"allowed_domains": _("Enter at least one domain.")})

    def tracked_url(self, url):
        """``url`` with this program's tracking parameters set (replacing any already there)."""
        parts = urlsplit(url)
        ours = parse_qsl(self.tracking_parameters)
        keys = {key for key, _ in ours}
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in keys] + ours
        return urlunsplit(parts._replace(query=urlencode(query)))


class AffiliateLink(index.Indexed, models.Model):
    FORMATS = [
        ("stream", _("Stream")),
        ("rent", _("Rent")),
        ("buy", _("Buy")),
        ("dvd", _("DVD")),
        ("bluray", _("Blu-ray")),
    ]

    program = models.ForeignKey(AffiliateProgram, on_delete=models.PROTECT, related_name="links")
    product_url = FullURLField(
        max_length=1000,
        help_text=_("The product page, without a tracking tag: the program adds its own."),
    )
    label = models.CharField(max_length=120, help_text=_("The link text, e.g. “Watch it/buy it at Amazon”."))
    format = models.CharField(max_length=10, choices=FORMATS, default="buy")
    film = models.CharField(
        max_length=255, blank=True, help_text=_("What it is for, to find it again, e.g. “Dear Comrades! (DVD)”.")
    )

    panels = [
        FieldPanel("program"),
        FieldPanel("product_url"),
        FieldPanel("label"),
        FieldPanel("format"),
        FieldPanel("film"),
    ]
    search_fields = [
        index.SearchField("label"),
        index.SearchField("film"),
        index.AutocompleteField("film"),
        index.FilterField("program"),
        index.FilterField("format"),
    ]

    class Meta:
        ordering = ["film", "label"]
        verbose_name = _("affiliate link")

    def __str__(self):
        return f"{self.film or self.product_url} – {self.label} ({self.program})"

    def clean(self):
        if self.product_url and self.program_id:
            host = urlsplit(self.product_url).hostname
            if not domain_matches(host, self.program.domains):
                raise ValidationError(
                    {
                        "product_url": _("%(program)s links may only point to: %(domains)s.")
                        % {"program": self.program, "domains": ", ".join(self.program.domains)}
                    }
                )

    @property
    def destination(self):
        return self.program.tracked_url(self.product_url)


class ReviewAffiliateLink(Orderable):
    """A "where to watch" link on a review."""

    page = ParentalKey("blog.ReviewPage", on_delete=models.CASCADE, related_name="affiliate_links")
    link = models.ForeignKey(AffiliateLink, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("link")]

    class Meta(Orderable.Meta):
        verbose_name = _("where-to-watch link")


class ClickCount(models.Model):
    """Clicks on one link on one day. Nothing about the reader is kept."""

    link = models.ForeignKey(AffiliateLink, on_delete=models.CASCADE, related_name="click_counts")
    day = models.DateField(db_index=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="one_click_row_per_link_per_day")]

    def __str__(self):
        return f"{self.clicks} clicks on {self.day}"


@register_setting(icon="link")
class AffiliateSettings(BaseSiteSetting):
    """Settings → Affiliate disclosure: the site's own words shown with every group of affiliate links."""

    disclosure = models.TextField(
        blank=True,
        help_text=_(
            "Shown with every group of affiliate links, before the programs' own wording, e.g. "
            "“Marquee earns a commission when you buy through these links.”"
        ),
    )

    panels = [FieldPanel("disclosure")]

    class Meta:
        verbose_name = _("affiliate disclosure")
