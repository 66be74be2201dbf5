"""Reader ratings in the admin: vote moderation, a report, and review-list columns.

Votes are read-only for everyone, superusers included: ratings written by the
site itself would be fake reviews. Moderators may delete abusive votes, and
the review's totals are rebuilt when they do.
"""

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Value, When
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.models import IndexView as ModelIndexView
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import register_permission_policy

from blog.extensions import REVIEW_CONTEXT_HOOK, REVIEW_READER_DATA_HOOK
from blog.models import ReviewPage
from blog.review_filters import ReviewFilterSet
from core.permissions import NoWritesPolicy, ReadOnlyPolicy
from core.roles import ROLE_PERMISSIONS_HOOK

from .forms import RatingForm
from .models import RatingSummary, ReaderRating
from .voting import summary_for

register_permission_policy(ReaderRating, NoWritesPolicy(ReaderRating))
register_permission_policy(RatingSummary, ReadOnlyPolicy(RatingSummary))


class VoteIndexView(ModelIndexView):
    def get_base_queryset(self):
        return ReaderRating.objects.select_related("review", "user")


class ReaderVoteViewSet(ModelViewSet):
    model = ReaderRating
    icon = "pick"
    menu_label = _("Reader votes")
    url_prefix = "ratings/votes"
    menu_hook = "register_reports_menu_item"
    menu_order = 710
    form_fields = ["value"]  # required by ModelViewSet; the policy denies editing
    inspect_view_enabled = True
    list_display = ["review", "value", "created_at", "updated_at", "user"]
    list_filter = ["value", "created_at"]
    search_fields = ["review__title"]
    ordering = ["-created_at"]
    copy_view_enabled = False

    index_view_class = VoteIndexView


def average_expression():
    return Case(
        When(count=0, then=Value(None)),
        default=ExpressionWrapper(
            F("total") * 1.0 / F("count"), output_field=DecimalField(max_digits=4, decimal_places=2)
        ),
    )


class ReportIndexView(ModelIndexView):
    def get_base_queryset(self):
        return (
            RatingSummary.objects.filter(count__gt=0)
            .select_related("review")
            .annotate(average_value=average_expression())
        )


class AverageColumn(Column):
    def get_value(self, instance):
        return instance.average


class RatingReportViewSet(ModelViewSet):
    """Most-rated and top-rated reviews (sort by either column), exportable."""

    model = RatingSummary
    icon = "order"
    menu_label = _("Reader ratings")
    url_prefix = "ratings/report"
    menu_hook = "register_reports_menu_item"
    menu_order = 700
    form_fields = ["count"]  # required by ModelViewSet; the policy denies editing
    inspect_view_enabled = True
    list_display = [
        TitleColumn(
            "review", label=_("Review"), accessor="review", url_name="wagtailadmin_pages:edit", id_accessor="pk"
        ),
        Column("count", label=_("Votes"), sort_key="count"),
        AverageColumn("average", label=_("Readers' average"), sort_key="average_value"),
    ]
    list_export = ["review", "count", "average", "star_5", "star_4", "star_3", "star_2", "star_1"]
    export_headings = {"review": "Review", "count": "Votes", "average": "Readers' average"}
    ordering = ["-count"]
    copy_view_enabled = False

    index_view_class = ReportIndexView


votes_viewset = ReaderVoteViewSet("reader_votes")
report_viewset = RatingReportViewSet("reader_rating_report")


class ReaderRatingColumn(Column):
    """Readers' average and vote count, read from the summaries fetched for the page."""

    def get_value(self, instance):
        summary = getattr(instance, "_reader_summary", None)
        if summary is None or not summary.count:
            return "—"
        return _("%(average)s from %(count)s") % {"average": summary.average, "count": summary.count}


class ReviewIndexView(PageIndexView):
    @cached_property
    def header_buttons(self):
        # blog.lists' admin view, named by its URL: this app does not import that one.
        year_end = HeaderButton(_("Draft a year-end list"), url=reverse("lists_draft_year_end"), icon_name="list-ol")
        return [*super().header_buttons, year_end]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = list(context["object_list"])
        summaries = RatingSummary.objects.in_bulk([page.pk for page in pages])
        for page in pages:
            page._reader_summary = summaries.get(page.pk)
        return context


class ReviewListingViewSet(PageListingViewSet):
    """Admin → Reviews: every review with the critic's and the readers' ratings, filtered by critic and status."""

    model = ReviewPage
    index_view_class = ReviewIndexView
    filterset_class = ReviewFilterSet
    icon = "doc-full"
    menu_label = _("Reviews")
    menu_order = 150
    add_to_admin_menu = True
    columns = PageListingViewSet.columns + [
        Column("rating", label=_("Critic")),
        ReaderRatingColumn("readers", label=_("Readers")),
    ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [votes_viewset, report_viewset, ReviewListingViewSet("reviews")]


@hooks.register(ROLE_PERMISSIONS_HOOK)
def rating_permissions():
    """Everyone in the admin sees the ratings report; Moderators see and delete single votes."""
    return {
        "Editors": ["ratings.view_ratingsummary"],
        "Moderators": ["ratings.view_ratingsummary", "ratings.view_readerrating", "ratings.delete_readerrating"],
    }


@hooks.register(REVIEW_CONTEXT_HOOK)
def readers_ratings(review, request):
    """The readers' totals (the page, its JSON-LD) and the voting form."""
    return {"reader_summary": summary_for(review), "rating_form": RatingForm()}


@hooks.register(REVIEW_READER_DATA_HOOK)
def votes_lost(review_ids):
    count = ReaderRating.objects.filter(review_id__in=review_ids).count()
    return ngettext("%(n)d reader vote", "%(n)d reader votes", count) % {"n": count} if count else None
