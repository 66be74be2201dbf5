"""The editorial calendar in the admin: a report (Reports → Editorial calendar) and a dashboard panel."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from . import calendar


def calendar_report(request):
    context = {
        "page_title": _("Editorial calendar"),
        "header_icon": "date",
        "scheduled": calendar.scheduled_reviews(),
        "expiring": calendar.expiring_reviews(),
        "expired": calendar.recently_expired(),
        "expired_days": calendar.RECENTLY_EXPIRED_DAYS,
    }
    return TemplateResponse(request, "blog/admin/calendar_report.html", context)


class ThisWeekPanel(Component):
    """The dashboard's "Going out this week": scheduled reviews of the next seven days."""

    name = "editorial_calendar"
    order = 120
    template_name = "blog/admin/calendar_panel.html"

    def get_context_data(self, parent_context):
        return {"reviews": list(calendar.this_week()), "report_url": reverse("editorial_calendar")}
