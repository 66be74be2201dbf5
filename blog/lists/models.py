"""Ranked lists ("The ten best films of 2020"): ordered entries, each a film reviewed here or one not reviewed yet."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from blog.extensions import fact_rows
from blog.imports.pages import unique_slug
from blog.models import ReviewPage, validate_release_year
from blog.pagination import NEWEST_FIRST, paginate
from core.pages import BasePage
from core.seo import describe

from . import ranking, structured_data
from .api_fields import EntriesField

NOTE_FEATURES = ["bold", "italic", "link"]


class ListIndexPage(BasePage):
    """The "Lists" section: every published list, newest first."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["lists.ListPage"]
    max_count = 1
    lists_per_page = 12

    class Meta:
        verbose_name = _("list index page")

    def get_meta_description(self):
        return describe(self.search_description, self.intro) or _("Ranked lists of films, newest first.")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lists = (
            ListPage.objects.live()
            .public(self.restricted_paths)
            .child_of(self)
            .order_by(*NEWEST_FIRST)
            .select_related("cover_image")
            .annotate(entry_count=models.Count("entries"))
        )
        context["lists"] = paginate(request, lists, self.lists_per_page)
        prefetch_related_objects([page.cover_image for page in context["lists"] if page.cover_image], "renditions")
        return context


class ListPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if "entries" in self.formsets:
            self.refuse_duplicate_films(self.formsets["entries"])
        return cleaned_data

    def refuse_duplicate_films(self, formset):
        """One film appears once in a list: the same review twice, or an unreviewed film matching another entry."""
        if not formset.is_valid():
            return
        forms = [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        forms.sort(key=lambda form: form.cleaned_data.get("ORDER") or 0)  # as the editor ordered them
        reviews = {
            review.pk: review
            for review in ReviewPage.objects.filter(
                pk__in=[form.cleaned_data["review"].pk for form in forms if form.cleaned_data.get("review")]
            ).only("title", "release_year")
        }
        seen = {}  # title → [(year, entry number)]
        for number, form in enumerate(forms, start=1):
            review = form.cleaned_data.get("review")
            if review is not None and review.pk in reviews:
                title, year = reviews[review.pk].title, reviews[review.pk].release_year
            else:
                title, year = form.cleaned_data.get("film_title") or "", form.cleaned_data.get("film_year")
            title = " ".join(title.casefold().split())
            if not title:
                continue
            # The same title is the same film unless both entries give it different years (a remake).
            earlier = [n for other_year, n in seen.get(title, []) if None in (year, other_year) or year == other_year]
            if earlier:
                field = "review" if review is not None else "film_title"
                form.add_error(field, _("This film is already on the list (entry %(n)s).") % {"n": earlier[0]})
            seen.setdefault(title, []).append((year, number))


class ListPage(BasePage):
    """A ranked list of films: its entries in the editor's order, numbered up, down, or not at all."""

    og_type = "article"

    intro = RichTextField(
        features=NOTE_FEATURES,
        blank=True,
        help_text=_("What the list is and how it was chosen: shown above the entries and in feeds."),
    )
    cover_image = models.ForeignKey(
        get_image_model(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: shown at the top and on the Lists page."),
    )
    numbering = models.CharField(
        max_length=12,
        choices=ranking.NUMBERING_CHOICES,
        default=ranking.ASCENDING,
        help_text=_("Entries stay in the order you give them; this decides the numbers they show."),
    )

    base_form_class = ListPageForm
    route_related = ("cover_image",)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("numbering"),
        InlinePanel(
            "entries",
            heading=_("Entries"),
            label=_("Entry"),
            help_text=_("Drag to reorder. Choose a review, or type the film's details for one not reviewed yet."),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields("entries", [index.SearchField("film_title", boost=2), index.SearchField("note")]),
    ]
    api_fields = [
        APIField("intro"),
        APIField("numbering"),
        APIField("cover_image"),
        # Not "entries": the API would take ?entries= as a filter on the relation.
        APIField("films", serializer=EntriesField(source="*")),
    ]

    parent_page_types = ["lists.ListIndexPage", "home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("list")

    def get_meta_description(self):
        return describe(self.search_description, self.intro)

    def get_social_image(self):
        return self.social_image or self.cover_image

    def save(self, *args, **kwargs):
        """Each entry keeps its rank (for the "On these lists" box) and its film's details (for when the
        review is unpublished or deleted). Saves of a few fields (a move, an unpublish) change neither."""
        if kwargs.get("update_fields"):
            return super().save(*args, **kwargs)
        entries = sorted(self.entries.all(), key=lambda entry: entry.sort_order or 0)
        for entry, rank in zip(entries, ranking.ranks([e.tied for e in entries], self.numbering), strict=True):
            entry.rank = rank
        chosen = [entry.review_id for entry in entries if entry.review_id]
        films = {}
        if chosen:
            films = {review.pk: review for review in ReviewPage.objects.filter(pk__in=chosen).for_listing()}
        for entry in entries:
            if entry.review_id in films:
                entry.keep_details_of(films[entry.review_id])
        # Held in memory, so the page's save writes them (as it does the editor's entries when publishing).
        self.entries.set(entries)
        return super().save(*args, **kwargs)

    def shown_entries(self, preview=False):
        """The entries as the page shows them, in order, each with its live review (or None), in four queries.

        Whatever the number of entries: the entries with their images, those
        images' renditions, the live reviews with what a card shows, and their
        pictures' renditions.
        """
        if preview or self.pk is None:
            entries = list(self.entries.all())
        else:
            entries = list(ListEntry.objects.filter(page=self).select_related("image"))
        entries.sort(key=lambda entry: entry.sort_order or 0)
        prefetch_related_objects([entry for entry in entries if entry.image_id], "image__renditions")
        reviews = {
            review.pk: review
            for review in ReviewPage.objects.live()
            .public(self.restricted_paths)
            .filter(pk__in=[entry.review_id for entry in entries if entry.review_id])
            .for_listing()
        }
        numbers = ranking.ranks([entry.tied for entry in entries], self.numbering)
        return [
            ShownEntry(
                entry=entry,
                rank=rank,
                review=reviews.get(entry.review_id),
                tied=rank is not None and numbers.count(rank) > 1,
            )
            for entry, rank in zip(entries, numbers, strict=True)
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = self.shown_entries(preview=getattr(request, "is_preview", False))
        return context

    def get_structured_data(self, request, context, *, site_name, image_url):
        return structured_data.item_list(self, request, context["entries"])


class ListEntry(Orderable):
    """One film on a list: a review here, or the details of a film not reviewed yet."""

    page = ParentalKey(ListPage, on_delete=models.CASCADE, related_name="entries")
    review = models.ForeignKey(
        ReviewPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_entries",
        help_text=_("The film's title, year, poster, director and ratings come from the review."),
    )
    film_title = models.CharField(
        max_length=255, blank=True, help_text=_("For a film not reviewed here; filled in from the review otherwise.")
    )
    film_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[validate_release_year])
    director = models.CharField(max_length=255, blank=True)
    image = models.ForeignKey(
        get_image_model(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A poster, for a film not reviewed here (a review's own image is used otherwise)."),
    )
    note = RichTextField(features=NOTE_FEATURES, blank=True, max_length=2000)
    tied = models.BooleanField(
        _("tied with the entry above"), default=False, help_text=_("Shares the number of the entry above.")
    )
    rank = models.PositiveSmallIntegerField(null=True, editable=False)

    panels = [
        FieldPanel("review"),
        MultiFieldPanel(
            [
                FieldPanel("film_title"),
                FieldRowPanel([FieldPanel("film_year"), FieldPanel("director")]),
                FieldPanel("image"),
            ],
            heading=_("Or a film not reviewed here"),
        ),
        FieldPanel("note"),
        FieldPanel("tied"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def clean(self):
        super().clean()
        if not self.review_id and not self.film_title.strip():
            raise ValidationError({"film_title": _("Choose a review, or give the title of the film.")})

    def keep_details_of(self, review):
        """Copy the film's details from its review, so the entry still names it if the review goes."""
        self.film_title = review.title
        self.film_year = review.release_year
        self.director = review.director_names or ""


@dataclass
class ShownEntry:
    """An entry as the list page shows it: its live review's details where there is one, its own otherwise."""

    entry: ListEntry
    rank: int | None
    review: ReviewPage | None
    tied: bool = False  # shares its rank with another entry

    @property
    def title(self):
        return self.review.title if self.review else self.entry.film_title

    @property
    def year(self):
        return self.review.release_year if self.review else self.entry.film_year

    @property
    def director(self):
        return (self.review.director_names or "") if self.review else self.entry.director

    @property
    def image(self):
        return self.review.hero_image if self.review and self.review.hero_image else self.entry.image


def lists_featuring(review, restricted_paths):
    """For the review page's one facts query: the live, public lists ``review`` is on, as fact rows."""
    shown = ListPage.objects.live().public(restricted_paths).values("pk")
    entries = ListEntry.objects.filter(review=review, page__in=shown)
    return fact_rows(entries, "list", order="rank", ref=F("page_id"), name=F("page__title"), slug=F("page__url_path"))


def lists_section():
    """The site's Lists section, made under the home page the first time a list is drafted from the admin."""
    section = ListIndexPage.objects.first()
    if section is not None:
        return section
    home = Site.objects.get(is_default_site=True).root_page
    section = ListIndexPage(title="Lists", slug=unique_slug(home, "lists"), show_in_menus=True)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section
