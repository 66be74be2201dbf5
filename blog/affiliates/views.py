import csv

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.admin.auth import permission_denied

from . import clicks
from .models import AffiliateLink


@never_cache
@require_safe
def go(request, link_id):
    """Count a click and send the reader to the link's stored destination.

    Only the stored product URL (with its program's tracking parameters) is
    ever used, so this can never redirect anywhere a request asks for.
    """
    link = get_object_or_404(AffiliateLink.objects.select_related("program"), pk=link_id, program__is_active=True)
    if request.method == "GET" and clicks.is_a_readers_click(request):
        clicks.count_click(link)
    response = HttpResponseRedirect(link.destination)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    return response


def period_from(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    return days if days in clicks.PERIODS else 30


def click_report(request):
    if not request.user.has_perm("affiliates.view_clickcount"):
        return permission_denied(request)
    days = period_from(request)
    links = list(clicks.per_link(days))
    if request.GET.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="affiliate-clicks-{days}-days.csv"'
        writer = csv.writer(response)
        writer.writerow(["Link", "For", "Program", "Clicks"])
        for row in links:
            writer.writerow([row["link__label"], row["link__film"], row["link__program__name"], row["total"]])
        return response
    if request.GET.get("export"):
        raise Http404
    daily = clicks.per_day(days)
    peak = max([n for _, n in daily] + [1])
    chart = [
        {"day": day, "clicks": n, "height": round(100 * n / peak), "x": i * 10, "y": 100 - round(100 * n / peak)}
        for i, (day, n) in enumerate(daily)
    ]
    context = {
        "page_title": _("Affiliate clicks"),
        "header_icon": "link-external",
        "days": days,
        "periods": clicks.PERIODS,
        "links": links,
        "programs": list(clicks.per_program(days)),
        "chart": chart,
        "chart_width": len(chart) * 10,
        "total": sum(n for _, n in daily),
    }
    return TemplateResponse(request, "affiliates/click_report.html", context)
