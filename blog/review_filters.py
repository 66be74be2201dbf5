"""Filters for the admin's Reviews listing: "My reviews", by critic, by status (draft, scheduled, live, expired)."""

from django.forms import CheckboxSelectMultiple, RadioSelect
from django.utils.translation import gettext_lazy as _
from django_filters.filters import ChoiceFilter, ModelMultipleChoiceFilter
from wagtail.admin.views.pages.listing import PageFilterSet

from .models import Critic, ReviewPage

STATUSES = [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("live", _("Live")), ("expired", _("Expired"))]


class ReviewFilterSet(PageFilterSet):
    mine = ChoiceFilter(
        label=_("My reviews"),
        empty_label=_("Everyone's"),
        choices=[("yes", _("Only mine"))],
        widget=RadioSelect,
        method="filter_mine",
    )
    critic = ModelMultipleChoiceFilter(
        label=_("Critic"),
        queryset=Critic.objects.filter(review_credits__isnull=False).distinct(),
        field_name="critic_credits__critic",
        widget=CheckboxSelectMultiple,
        distinct=True,
    )
    status = ChoiceFilter(
        label=_("Status"), empty_label=_("Any"), choices=STATUSES, widget=RadioSelect, method="filter_status"
    )

    class Meta:
        model = ReviewPage
        fields = []

    def filter_mine(self, queryset, name, value):
        """The reviews whose byline names the signed-in user's critic (a user has one critic at most)."""
        return queryset.filter(critic_credits__critic__user=self.request.user)

    def filter_status(self, queryset, name, value):
        # Wagtail keeps a scheduled publication on the latest revision until it goes live.
        scheduled = {"latest_revision__approved_go_live_at__isnull": False}
        if value == "scheduled":
            return queryset.filter(**scheduled)
        if value == "draft":
            return queryset.filter(live=False, expired=False).exclude(**scheduled)
        if value == "expired":  # taken down at its expiry time, and not scheduled again
            return queryset.filter(live=False, expired=True).exclude(**scheduled)
        return queryset.filter(live=True)
