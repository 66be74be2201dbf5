"""Deleting reviews that readers voted on or commented on asks first, naming what goes with them.

Wagtail's own confirmation says only "Are you sure?". Votes and comments are
the readers' work and cannot be brought back, so before Wagtail's delete view
or bulk delete action goes ahead, these hooks show a page that names them
("12 reader votes and 3 comments") and continues only when that page's button
is pressed. Only Moderators may delete pages at all (core.permissions).
"""

from django.template.response import TemplateResponse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from wagtail.models import Page

from .extensions import reader_data_on
from .models import ReviewPage

CONFIRMED = "delete_reader_data"


def confirm_reader_data(request, pages):
    """The confirmation page, or None once it was confirmed or when readers left nothing on ``pages``."""
    if request.method == "POST" and request.POST.get(CONFIRMED) == "yes":
        return None
    review_ids = [page.pk for page in pages if isinstance(page.specific_deferred, ReviewPage)]
    lost = reader_data_on(review_ids) if review_ids else []
    if not lost:
        return None
    context = {
        "pages": pages,
        "lost": get_text_list(lost, _("and")),
        "action_url": request.get_full_path(),
        "next": request.GET.get("next") or request.POST.get("next", ""),
        "confirmed_field": CONFIRMED,
    }
    return TemplateResponse(request, "blog/admin/confirm_delete_reader_data.html", context)


def before_delete_page(request, page):
    return confirm_reader_data(request, [page])


def before_bulk_action(request, action_type, objects, action):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return confirm_reader_data(request, objects)
    return None
