import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from anyascii import anyascii
from django import forms
from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg, StringAgg
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import (
    Aggregate,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.models import Filter
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from core.blocks import SocialLinkBlock
from core.pages import BasePage, BasePageQuerySet
from core.seo import describe

from . import structured_data
from .api_fields import CriticsField, PeopleField
from .blocks import ReviewStreamBlock, RewatchBlock
from .extensions import fact_rows, review_card_annotations, review_context, review_facts
from .pagination import NEWEST_FIRST, paginate_ids

FIRST_FILM_YEAR = 1888  # Roundhay Garden Scene
RELATED_REVIEWS = 4
SITEMAP_IMAGE = Filter(spec="width-1200|format-jpeg")  # made once, as picture_tags.FILTERS are
RATING_CHOICES = [(None, _("Not rated"))] + [(Decimal(f"{n / 2:.1f}"), f"{n / 2:g} stars") for n in range(1, 11)]


def validate_release_year(value):
    latest = datetime.date.today().year + 5
    if not FIRST_FILM_YEAR <= value <= latest:
        raise ValidationError(
            _("Enter a year between %(first)s and %(latest)s."),
            params={"first": FIRST_FILM_YEAR, "latest": latest},
            code="year_out_of_range",
        )


def validate_half_star(value):
    if value is None:
        return
    if not (Decimal("0.5") <= value <= Decimal("5")) or (value * 2) % 1:
        raise ValidationError(
            _("Ratings go from 0.5 to 5 in half stars."),
            code="invalid_rating",
        )


def star_label(rating):
    """ "4 out of 5 stars", "4.5 out of 5 stars", or "Not rated"."""
    if rating is None:
        return _("Not rated")
    return _("%(rating)s out of 5 stars") % {"rating": f"{float(rating):g}"}


class UniqueSlugMixin:
    """Fills ``slug`` from ``name``, adding -2, -3… when it is taken."""

    def save(self, *args, **kwargs):
        if not self.slug:
            # Transliterate first, so "Paweł" becomes "pawel", not "pawe".
            base = slugify(anyascii(self.name))[:90] or "item"
            slug, n = base, 2
            siblings = type(self).objects.exclude(pk=self.pk)
            while siblings.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)


class Person(UniqueSlugMixin, index.Indexed, models.Model):
    """A director or actor, shared between every review they appear in."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Used in the person's address; filled in from the name when left empty."),
    )
    biography = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("biography")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("browse:person", args=[self.slug])


class Genre(UniqueSlugMixin, index.Indexed, models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("browse:genre", args=[self.slug])


class CriticQuerySet(models.QuerySet):
    def for_byline(self, name, bio="", user=None):
        """The critic called ``name`` (whatever the case), made if there is none; importers use it.

        A ``bio`` or ``user`` fills the critic's own only where it is empty: an editor's changes stay.
        """
        name = " ".join(name.split())[:100]
        if not name:
            raise ValueError("A critic needs a name.")
        critic = self.filter(name__iexact=name).first() or self.model(name=name)
        changed = critic.pk is None
        if bio and not critic.bio:
            critic.bio, changed = bio.strip()[:1000], True
        if user is not None and critic.user_id is None and not self.filter(user=user).exists():
            critic.user, changed = user, True
        if changed:
            critic.save()
        return critic


class Critic(UniqueSlugMixin, index.Indexed, models.Model):
    """Who wrote a review: a byline with a page of its own, with or without an account here.

    A guest critic is simply one with no ``user``. A review can have several.
    """

    name = models.CharField(max_length=100, help_text=_("As the byline shows it, e.g. “Maya Reed”."))
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Used in the critic's address (/critics/…/); filled in from the name when left empty."),
    )
    bio = models.TextField(blank=True, max_length=1000, help_text=_("A few sentences for the critic's page."))
    portrait = models.ForeignKey(get_image_model(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    portrait_alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("What the portrait shows, for readers who cannot see it, e.g. “Maya Reed at a festival”."),
    )
    links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        help_text=_("Letterboxd, Bluesky, Mastodon, a personal site: shown on the critic's page."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="critic",
        help_text=_("The admin account this critic writes with, if any: its reviews are their “My reviews”."),
    )

    objects = CriticQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("bio"),
        MultiFieldPanel([FieldPanel("portrait"), FieldPanel("portrait_alt_text")], heading=_("Portrait")),
        FieldPanel("links"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("critic")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("browse:critic", args=[self.slug])

    def clean(self):
        super().clean()
        if self.portrait_id and not self.portrait_alt_text.strip():
            raise ValidationError({"portrait_alt_text": _("Describe the portrait for readers who cannot see it.")})

    @property
    def same_as(self):
        """The critic's pages elsewhere, for search engines (schema.org ``sameAs``)."""
        return [link.value["url"] for link in self.links]


@dataclass
class FilmFacts:
    """What a review page lists from other tables: the fact box's credits (with ``person`` and
    ``character``), genres and tags, the byline's critics, and what blog's apps add."""

    directors: list
    cast: list
    genres: list
    tags: list
    critics: list
    #: Template context from blog's apps' parts of the query (``REVIEW_FACTS_HOOK``).
    more: dict = field(default_factory=dict)


class ReviewListingMixin:
    """Pages that list the reviews below them, newest first, paginated."""

    reviews_per_page = 10

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Counted and paged on Wagtail's page table alone: every review is a page
        # of its type there, so the COUNT over the whole archive joins nothing.
        ids = (
            BasePageQuerySet(Page)
            .type(ReviewPage)
            .live()
            .public(self.restricted_paths)
            .descendant_of(self)
            .order_by(*NEWEST_FIRST)
            .values_list("pk", flat=True)
        )
        context["reviews"] = paginate_ids(request, ReviewPage, ids, self.reviews_per_page)
        return context


class ReviewIndexPage(ReviewListingMixin, BasePage):
    """The "Reviews" section: every review, newest first."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.ReviewPage"]
    max_count = 1

    class Meta:
        verbose_name = _("review index page")

    def get_meta_description(self):
        return describe(self.search_description, self.intro) or _("Every film review, newest first.")


class GroupConcat(Aggregate):
    """SQLite's GROUP_CONCAT(x, ', '): the rows in the order the database reads them."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = models.TextField()


class JSONGroupArray(Aggregate):
    """SQLite's JSON_GROUP_ARRAY(x): the rows in the order the database reads them."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()


def critic_bylines(vendor):
    """A review's critics as a list of {"name", "slug"}, computed by the database (see joined_director_names)."""
    critic = JSONObject(name=F("critic__name"), slug=F("critic__slug"))
    if vendor == "postgresql":
        return JSONBAgg(critic, order_by="sort_order")
    return JSONGroupArray(critic)


def byline_text(bylines):
    """``critic_bylines`` as plain text: "Ann Lee", "Ann Lee and Bo Chen", "" for none."""
    return str(get_text_list([critic["name"] for critic in bylines or []], _("and")))


def joined_director_names(vendor):
    """A review's directors as one line, "Ann Hui, Ho Yim", computed by the database.

    PostgreSQL keeps the editor's order with STRING_AGG … ORDER BY; SQLite reads
    a review's credits in the order they were saved, which is that order.
    """
    if vendor == "postgresql":
        return StringAgg("person__name", ", ", order_by="sort_order")
    return GroupConcat("person__name")


class ReviewQuerySet(BasePageQuerySet):
    def with_bylines(self):
        """Each review's critics as ``critic_bylines`` ([{"name", "slug"}, …]), in the same query."""
        bylines = (
            ReviewCritic.objects.filter(page=OuterRef("pk"))
            .order_by()
            .values("page")
            .annotate(critics=critic_bylines(connections[self.db].vendor))
            .values("critics")
        )
        return self.annotate(critic_bylines=Subquery(bylines, output_field=models.JSONField()))

    def for_listing(self):
        """Reviews ready for a listing card, newest first, in three queries: the cards, their renditions
        (the image comes in the cards' own query) and nothing per card."""
        # Correlated subqueries rather than joins, so the paginator's COUNT can
        # leave them out instead of grouping the whole archive.
        director_names = (
            ReviewDirector.objects.filter(page=OuterRef("pk"))
            .order_by()
            .values("page")
            .annotate(names=joined_director_names(connections[self.db].vendor))
            .values("names")
        )
        return (
            self.with_bylines()
            .order_by("-first_published_at", "-pk")
            .select_related("rating_summary", "hero_image")
            .annotate(director_names=Subquery(director_names), **review_card_annotations())
            .prefetch_related("hero_image__renditions")
        )


ReviewPageManager = PageManager.from_queryset(ReviewQuerySet)


class ReviewPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "release_year" in self.fields:
            self.fields["release_year"].required = True

    def clean(self):
        cleaned_data = super().clean()
        rewatches = cleaned_data.get("rewatches")
        if rewatches is None or "rating" not in self.fields:
            return cleaned_data
        self.check_rewatch_dates(rewatches, cleaned_data.get("release_year"))
        if not self.errors:  # a form shown again with its errors gets no history row added
            self.record_rating_change(rewatches, cleaned_data["rating"])
        return cleaned_data

    def check_rewatch_dates(self, rewatches, release_year):
        """A film cannot be re-watched before the year it came out."""
        if not release_year:
            return
        errors = {
            index: StructBlockValidationError(
                block_errors={
                    "watched_on": ValidationError(
                        _("The film came out in %(year)s: a re-watch cannot be dated before that."),
                        params={"year": release_year},
                    )
                }
            )
            for index, child in enumerate(rewatches)
            if child.value.get("watched_on") and child.value["watched_on"].year < release_year
        }
        if errors:
            self.add_error("rewatches", StreamBlockValidationError(block_errors=errors))

    def record_rating_change(self, rewatches, rating):
        """A rating changed by hand on a published review goes into its history, dated today.

        The current rating is the latest re-watch's (``ReviewPage.save``), so a
        new rating typed over the old one would otherwise be lost, or undone by
        that re-watch. Before the review is first published there is no history to keep.
        """
        before = self.instance.rating if self.instance.pk else None
        if self.instance.pk and len(self.instance.rewatches) and not len(rewatches) and rating == before:
            # Every re-watch removed, the rating left as they had it: back to the rating first given.
            self.cleaned_data["rating"] = self.instance.original_rating
            return
        latest = latest_viewing([child.value for child in rewatches])
        # Untouched, or changed along with a re-watch that gives the same rating: nothing to record.
        if rating in (before, latest.rating if latest is not None else before):
            return
        if latest is None and not self.instance.first_published_at:
            return
        block = rewatches.stream_block.child_blocks["rewatch"]
        stars = f"{float(rating):g}" if rating is not None else ""
        revised = {"watched_on": timezone.localdate(), "stars": stars, "kind": "revised", "addendum": ""}
        value = block.normalize(revised)
        rewatches.append(("rewatch", value))


def latest_viewing(rewatches):
    """The latest of these re-watch values (the later in the editor's order on the same day), or None."""
    return max(reversed(rewatches), key=lambda value: value["watched_on"], default=None)


@dataclass
class RatingStep:
    """One point of a review's rating history: the first review, a re-watch, or a revised rating."""

    date: datetime.date
    rating: Decimal | None
    previous: Decimal | None
    kind: str  # "review", "rewatch" or "revised"
    addendum: object = None

    @property
    def change(self):
        """ "up", "down" or "same" against the step before (None for the first review, or to or from no rating)."""
        if self.kind == "review" or self.rating is None or self.previous is None:
            return None
        return "up" if self.rating > self.previous else "down" if self.rating < self.previous else "same"


class ReviewPageTag(TaggedItemBase):
    content_object = ParentalKey("blog.ReviewPage", on_delete=models.CASCADE, related_name="tagged_items")


class ReviewPage(BasePage):
    """One film review: the film's details, the critic's verdict and the text."""

    og_type = "article"

    original_title = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The title in the film's own language, if different, e.g. “Dorogie tovarishchi!”."),
    )
    release_year = models.PositiveSmallIntegerField(
        null=True,
        # Required in the editor's form (ReviewPageForm); reviews imported from
        # elsewhere may arrive without one.
        blank=True,
        validators=[validate_release_year],
        help_text=_("The year of first release."),
    )
    runtime = models.PositiveSmallIntegerField(
        _("runtime (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1500)],
    )
    country = models.CharField(
        max_length=120, blank=True, help_text=_("Separate co-productions with commas, e.g. “France, Belgium”.")
    )
    language = models.CharField(max_length=120, blank=True, help_text=_("e.g. “Russian”."))
    genres = ParentalManyToManyField(Genre, blank=True, related_name="reviews")
    tags = ClusterTaggableManager(
        through=ReviewPageTag, blank=True, help_text=_("Themes, places, series: anything readers may browse by.")
    )

    rating = models.DecimalField(
        _("critic's rating"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        choices=RATING_CHOICES,
        validators=[validate_half_star],
        help_text=_(
            "The critic's current verdict, from half a star to five; “Not rated” shows no stars. "
            "Changed on a published review, it is recorded with today's date under Re-watches."
        ),
    )
    original_rating = models.DecimalField(
        _("rating when first reviewed"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
        choices=RATING_CHOICES,
        help_text=_("Kept as it was when re-watches change the rating: the start of the rating history."),
    )
    rewatches = StreamField(
        [("rewatch", RewatchBlock())],
        blank=True,
        verbose_name=_("re-watches"),
        help_text=_(
            "Later viewings, each with its date, new rating and a note shown under the review. "
            "The latest sets the critic's rating."
        ),
    )
    standfirst = models.TextField(
        max_length=300,
        blank=True,
        help_text=_(
            "One or two sentences that sell the review. Shown in listings and used as the "
            "description for search engines unless the Promote tab has one."
        ),
    )
    hero_image = models.ForeignKey(
        get_image_model(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A poster or still, shown at the top and in listings."),
    )
    hero_caption = models.CharField(max_length=250, blank=True)
    hero_credit = models.CharField(max_length=120, blank=True)
    body = StreamField(ReviewStreamBlock(), blank=True)
    comments_open = models.BooleanField(
        _("allow comments"), default=True, help_text=_("Untick to close comments on this review.")
    )

    objects = ReviewPageManager()
    base_form_class = ReviewPageForm
    # Loaded with the review when it is routed to: what the page shows of them costs no query of its own.
    route_related = ("rating_summary", "hero_image", "social_image")

    api_fields = [
        APIField("original_title"),
        APIField("release_year"),
        APIField("runtime"),
        APIField("country"),
        APIField("language"),
        APIField("genre_names"),
        APIField("critics", serializer=CriticsField(source="critic_credits")),
        APIField("directors", serializer=PeopleField(source="director_credits")),
        APIField("cast", serializer=PeopleField(source="cast_credits")),
        APIField("rating"),
        APIField("standfirst"),
        APIField("hero_image"),
        APIField("hero_image_thumbnail", serializer=ImageRenditionField("fill-480x270", source="hero_image")),
        APIField("hero_image_large", serializer=ImageRenditionField("width-1200", source="hero_image")),
        APIField("hero_caption"),
        APIField("body"),
    ]

    content_panels = [
        TitleFieldPanel(
            "title",
            heading=_("Film title"),
            placeholder=_("Film title*"),
            help_text=_("As released in English-speaking countries."),
        ),
        FieldPanel("rating"),
        FieldPanel("rewatches"),
        InlinePanel(
            "critic_credits",
            heading=_("Critics"),
            label=_("Critic"),
            help_text=_("Who wrote it: the byline. Add a guest critic from the chooser."),
        ),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption"), FieldPanel("hero_credit")],
            heading=_("Main image"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "affiliate_links",
            heading=_("Where to watch"),
            label=_("Affiliate link"),
            help_text=_("Shop links shown under the review with their programs' disclosures."),
        ),
    ]
    film_panels = [
        FieldPanel("original_title"),
        FieldRowPanel([FieldPanel("release_year"), FieldPanel("runtime")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("language")]),
        FieldPanel("genres", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        InlinePanel("director_credits", heading=_("Directors"), label=_("Director"), min_num=0),
        InlinePanel("cast_credits", heading=_("Cast"), label=_("Cast member")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Review")),
            ObjectList(film_panels, heading=_("Film")),
            ObjectList(
                BasePage.promote_panels + [FieldPanel("comments_open")],
                heading=_("Promote"),
            ),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    # Film titles weigh most (the title is in Page.search_fields), then people,
    # genres, standfirst and body; a critic's name finds their reviews.
    search_fields = Page.search_fields + [
        index.SearchField("original_title", boost=8),
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.FilterField("release_year"),
        index.FilterField("rating"),
        index.RelatedFields("genres", [index.SearchField("name", boost=2)]),
        index.RelatedFields("director_credits", [index.RelatedFields("person", [index.SearchField("name", boost=4)])]),
        index.RelatedFields("cast_credits", [index.RelatedFields("person", [index.SearchField("name", boost=3)])]),
        index.RelatedFields("critic_credits", [index.RelatedFields("critic", [index.SearchField("name")])]),
    ]

    parent_page_types = ["blog.ReviewIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("review")

    @property
    def rating_label(self):
        return star_label(self.rating)

    def save(self, *args, **kwargs):
        """The latest re-watch sets the current rating; with none, the rating is the one first given.

        A review made with its re-watches already (by hand or by an importer) was first given its ``rating``.
        """
        latest = self.latest_rewatch
        if latest is None or self.pk is None:
            self.original_rating = self.rating
        if latest is not None:
            self.rating = latest.rating
        return super().save(*args, **kwargs)

    @property
    def latest_rewatch(self):
        """The re-watch that set the current rating, or None."""
        return latest_viewing([child.value for child in self.rewatches])

    def rating_history(self):
        """The rating from the first review through every re-watch, oldest first; empty with no re-watch."""
        viewings = sorted((child.value for child in self.rewatches), key=lambda value: value["watched_on"])
        if not viewings:
            return []
        reviewed = self.first_published_at or self.latest_revision_created_at or timezone.now()
        steps = [RatingStep(timezone.localdate(reviewed), self.original_rating, None, "review")]
        for value in viewings:
            previous = steps[-1].rating
            steps.append(RatingStep(value["watched_on"], value.rating, previous, value["kind"], value["addendum"]))
        return steps

    def credit_critic(self, critic):
        """Add ``critic`` to the byline (kept, unsaved, with the page's other changes) unless already there."""
        if critic.pk not in {credit.critic_id for credit in self.critic_credits.all()}:
            self.critic_credits.add(ReviewCritic(critic=critic))

    @property
    def excerpt(self):
        return self.standfirst or self.search_description

    def get_meta_description(self):
        """Promote tab's description, else the standfirst, else the opening paragraphs (never a spoiler)."""
        return describe(self.search_description, self.standfirst, body=self.body)

    @property
    def share_title(self):
        """“Dear Comrades! (2020) review”: what the browser tab, search results and share cards say."""
        year = f" ({self.release_year})" if self.release_year else ""
        return f"{self.title}{year} review"

    @cached_property
    def hero(self):
        """The hero image with its renditions (one query): the picture, the share card and the JSON-LD use them."""
        if self.hero_image is None:
            return None
        prefetch_related_objects([self.hero_image], "renditions")
        return self.hero_image

    def film_facts(self, preview=False):
        """Directors, cast, genres, tags, critics and what blog's apps add (``REVIEW_FACTS_HOOK``), in one query.

        A preview shows the editor's unsaved credits, so it reads the form's
        in-memory relations instead (and the apps' parts in queries of their own).
        """
        parts = review_facts(self, self.restricted_paths) if self.pk else []
        if preview or self.pk is None:
            facts = FilmFacts(
                directors=list(self.director_credits.all()),
                cast=list(self.cast_credits.all()),
                genres=list(self.genres.all()),
                tags=list(self.tags.all()),
                critics=[credit.critic for credit in self.critic_credits.all()],
            )
            for part in parts:
                facts.more.update(part.read(list(part.rows)))
            return facts
        own = [template.filter(**{relation: self}) for relation, template in fact_queries()]
        rows = own[0].union(*own[1:], *(part.rows for part in parts), all=True)
        facts = FilmFacts([], [], [], [], [])
        others = {part.kind: [] for part in parts}
        for row in sorted(rows, key=lambda row: (row[1] or 0, row[3])):
            kind, _order, ref, name, slug, role = row
            if kind == "director":
                facts.directors.append(ReviewDirector(person=Person(pk=ref, name=name, slug=slug)))
            elif kind == "cast":
                facts.cast.append(ReviewCastMember(person=Person(pk=ref, name=name, slug=slug), character=role))
            elif kind == "genre":
                facts.genres.append(Genre(pk=ref, name=name, slug=slug))
            elif kind == "critic":
                facts.critics.append(Critic(pk=ref, name=name, slug=slug, links=role or "[]"))
            elif kind == "tag":
                facts.tags.append(Tag(pk=ref, name=name, slug=slug))
            else:
                others[kind].append(row)
        for part in parts:
            facts.more.update(part.read(others[part.kind]))
        return facts

    @cached_property
    def directors(self):
        return [credit.person for credit in self.director_credits.all()]

    @property
    def genre_names(self):
        return [genre.name for genre in self.genres.all()]

    @property
    def publication_year(self):
        published = self.first_published_at or self.go_live_at
        return (published or datetime.datetime.now(tz=datetime.UTC)).year

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if self.hero_image_id:
            rendition = self.hero_image.get_rendition(SITEMAP_IMAGE)
            urls[0]["images"] = [rendition.full_url if request is None else request.build_absolute_uri(rendition.url)]
        return urls

    def related_reviews(self, director_ids, genre_ids, limit=RELATED_REVIEWS):
        """Other reviews of the same director first, then of the same genre, in one query.

        Within each, the reviews published just before this one come first
        (the latest of them first), then, for the earliest reviews, those just
        after. Anchoring the choice at the review rather than at the newest
        reviews site-wide keeps the pages a review appears on few and known
        (``reviews_showing_as_related``): publishing one purges a handful of
        pages, not every review of its genre.

        The candidates are the director's reviews and up to ``limit`` of the
        same genre on each side of this one in time: those walk the
        publication-date index and stop early, so the cost does not grow with
        a genre's size. They are ranked here.
        """
        if not director_ids and not genre_ids:
            return []
        anchor = self.first_published_at or timezone.now()
        same_director = ReviewDirector.objects.filter(page=OuterRef("pk"), person_id__in=director_ids)
        same_genre = ReviewPage.genres.through.objects.filter(reviewpage=OuterRef("pk"), genre_id__in=genre_ids)
        shown = ("title", "url_path", "path", "release_year", "rating", "first_published_at")
        others = ReviewPage.objects.live().public(self.restricted_paths).exclude(pk=self.pk).order_by()

        def candidates(reviews):
            """Every review of the same director (a director's films are few), of the genre only the nearest."""
            parts = [reviews.filter(Exists(same_director)).annotate(by_director=Value(True))] if director_ids else []
            if genre_ids:
                in_genre = reviews.filter(Exists(same_genre)).annotate(by_director=Value(False))
                parts.append(in_genre.filter(first_published_at__lt=anchor).order_by("-first_published_at")[:limit])
                parts.append(in_genre.filter(first_published_at__gte=anchor).order_by("first_published_at")[:limit])
            return parts

        if connections[ReviewPage.objects.db].features.supports_slicing_ordering_in_compound:
            parts = candidates(others.only(*shown))
            found = parts[0].union(*parts[1:], all=True)
        else:
            # SQLite cannot LIMIT the parts of a UNION: each part is an IN over ids instead.
            matching = Q(pk__in=[])
            for part in candidates(others.values("pk")):
                matching |= Q(pk__in=part.values("pk"))
            found = (
                ReviewPage.objects.filter(matching)
                .annotate(by_director=Exists(same_director) if director_ids else Value(False))
                .only(*shown)
            )
        best = {}
        for review in found:  # a review of the same director and genre comes twice
            if review.pk not in best or review.by_director:
                best[review.pk] = review

        def rank(review):
            published = review.first_published_at.timestamp()
            if review.first_published_at < anchor:
                return (not review.by_director, 0, -published)
            return (not review.by_director, 1, published)

        return sorted(best.values(), key=rank)[:limit]

    def reviews_showing_as_related(self):
        """The live reviews whose "Related reviews" may list this one now (a few more, never fewer).

        Every review sharing a director; per genre, the reviews published just
        after this one (which look back at it) and the genre's earliest ones
        (which look forward). Twice the list's length on each side covers the
        places that same-director reviews take first.
        """
        reach = 2 * RELATED_REVIEWS
        live = ReviewPage.objects.live().exclude(pk=self.pk).only("url_path", "path")
        found = list(live.filter(director_credits__person__in=self.director_credits.values("person")).distinct())
        anchor = self.first_published_at or timezone.now()
        for genre_id in self.genres.through.objects.filter(reviewpage=self).values_list("genre_id", flat=True):
            in_genre = live.filter(genres=genre_id)
            found += in_genre.filter(first_published_at__gt=anchor).order_by("first_published_at")[:reach]
            found += in_genre.order_by("first_published_at")[:reach]
        return found

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        facts = self.film_facts(preview=getattr(request, "is_preview", False))
        context.update(
            director_credits=facts.directors,
            cast_credits=facts.cast,
            genres=facts.genres,
            tags=facts.tags,
            critics=facts.critics,
            **facts.more,
            related_reviews=self.related_reviews(
                [credit.person.pk for credit in facts.directors], [genre.pk for genre in facts.genres]
            ),
        )
        context.update(review_context(self, request))  # comments, ratings, affiliate links: blog/extensions.py
        return context

    def get_structured_data(self, request, context, *, site_name, image_url):
        """The review as schema.org JSON-LD, from what the page's context already loaded."""
        return structured_data.review(
            self,
            request,
            site_name=site_name,
            critics=context["critics"],
            description=self.get_meta_description(),
            image_url=image_url,
            director_credits=context["director_credits"],
            cast_credits=context["cast_credits"],
            genres=context["genres"],
            summary=context.get("reader_summary"),
        )


@functools.cache
def fact_queries():
    """The review page's own parts of its fact-box query, as (relation to the review, values queryset).

    Built once per process and filtered to a review by ``film_facts``: resolving
    their annotations across relations costs several times what compiling and
    running the query does, and only the review changes. They are templates,
    never evaluated: ``film_facts`` always filters a copy.
    """
    people = {"ref": F("person_id"), "name": F("person__name"), "slug": F("person__slug")}
    return (
        ("page", fact_rows(ReviewDirector.objects, "director", **people)),
        ("page", fact_rows(ReviewCastMember.objects, "cast", role=F("character"), **people)),
        (
            "reviewpage",
            fact_rows(
                ReviewPage.genres.through.objects,
                "genre",
                order="position",
                position=Value(0, output_field=IntegerField()),  # genres come in name order
                ref=F("genre_id"),
                name=F("genre__name"),
                slug=F("genre__slug"),
            ),
        ),
        (
            "content_object",
            fact_rows(
                ReviewPageTag.objects, "tag", order="pk", ref=F("tag_id"), name=F("tag__name"), slug=F("tag__slug")
            ),
        ),
        (
            # The critic's links (their JSON) ride in the "role" column: the byline's sameAs needs them.
            "page",
            fact_rows(
                ReviewCritic.objects,
                "critic",
                ref=F("critic_id"),
                name=F("critic__name"),
                slug=F("critic__slug"),
                role=Cast("critic__links", models.TextField()),
            ),
        ),
    )


class ReviewDirector(Orderable):
    page = ParentalKey(ReviewPage, on_delete=models.CASCADE, related_name="director_credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="directing_credits")

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("director")


class ReviewCastMember(Orderable):
    page = ParentalKey(ReviewPage, on_delete=models.CASCADE, related_name="cast_credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acting_credits")
    character = models.CharField(max_length=150, blank=True, help_text=_("e.g. “Lyuda”."))

    panels = [FieldRowPanel([FieldPanel("person"), FieldPanel("character")])]

    class Meta(Orderable.Meta):
        verbose_name = _("cast member")


class ReviewCritic(Orderable):
    page = ParentalKey(ReviewPage, on_delete=models.CASCADE, related_name="critic_credits")
    critic = models.ForeignKey(Critic, on_delete=models.PROTECT, related_name="review_credits")

    panels = [FieldPanel("critic")]

    class Meta(Orderable.Meta):
        verbose_name = _("critic")
        constraints = [models.UniqueConstraint(fields=["page", "critic"], name="one_byline_per_critic")]


@register_setting(icon="rss")
class FeedSettings(BaseSiteSetting):
    """Settings → Feeds: what the RSS and Atom feeds carry of each review."""

    full_text = models.BooleanField(
        _("full text in feeds"),
        default=False,
        help_text=_(
            "Put whole reviews in the RSS and Atom feeds (spoiler sections left out); otherwise the standfirst."
        ),
    )

    panels = [FieldPanel("full_text")]

    class Meta:
        verbose_name = _("feeds")
