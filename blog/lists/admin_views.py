"""Admin → Reviews → "Add to list…" (a bulk action) and "Draft a year-end list"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.models import Site

from blog.models import ReviewPage

from .drafting import add_reviews, draft_year_end_list, new_list
from .forms import AddToListForm, YearEndListForm
from .models import ListIndexPage


def can_add_lists(user):
    """Whether ``user`` may add a list (the Lists section is made, under the home page, if there is none)."""
    section = ListIndexPage.objects.first()
    if section is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        section = site.root_page if site else None
    return section is not None and section.permissions_for_user(user).can_add_subpage()


class AddToListBulkAction(PageBulkAction):
    """Select reviews in a page listing, then add them to a list's draft, new or not."""

    display_name = _("Add to list…")
    action_type = "add_to_list"
    aria_label = _("Add the selected reviews to a list")
    template_name = "lists/admin/confirm_add_to_list.html"
    action_priority = 50
    form_class = AddToListForm

    def check_perm(self, page):
        model = page.specific_class
        return model is not None and issubclass(model, ReviewPage)

    def get_execution_context(self):
        existing = self.cleaned_form.cleaned_data["existing"]
        user = self.request.user
        if existing is not None:
            if not existing.permissions_for_user(user).can_edit():
                raise PermissionDenied
            self.target = existing
        else:
            if not can_add_lists(user):
                raise PermissionDenied
            self.target = new_list(self.cleaned_form.cleaned_data["new_title"].strip(), user)
        # In the order the reviews were chosen (Wagtail reads them back in the tree's order).
        order = [int(pk) for pk in self.request.GET.getlist("id") if pk.isdigit()]
        return {"list_page": self.target, "user": user, "order": order}

    @classmethod
    def execute_action(cls, objects, list_page=None, user=None, order=(), **kwargs):
        chosen = {page.pk for page in objects}
        return add_reviews(list_page, [pk for pk in order if pk in chosen], user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(n)d review added to the draft of “%(list)s”: order and annotate it, then publish.",
            "%(n)d reviews added to the draft of “%(list)s”: order and annotate them, then publish.",
            num_parent_objects,
        ) % {"n": num_parent_objects, "list": self.target.title}

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302 and getattr(self, "target", None) is not None:
            return redirect("wagtailadmin_pages:edit", self.target.pk)
        return response


def draft_year_end(request):
    """A form (year, how many), then a new draft list of that year's best-rated reviews, opened in the editor."""
    if not can_add_lists(request.user):
        raise PermissionDenied
    form = YearEndListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, size = form.cleaned_data["year"], form.cleaned_data["size"]
        list_page = draft_year_end_list(year, size, request.user)
        if list_page is not None:
            ready = _("A draft “%(title)s” is ready: reorder it, add notes, then publish.")
            messages.success(request, ready % {"title": list_page.title})
            return redirect("wagtailadmin_pages:edit", list_page.pk)
        form.add_error("year", _("No published review of a %(year)s film has a rating yet.") % {"year": year})
    return TemplateResponse(
        request,
        "lists/admin/draft_year_end.html",
        {
            "form": form,
            "reviews_url": reverse("reviews:index"),
            "page_title": _("Draft a year-end list"),
            "header_icon": "list-ol",
        },
        status=400 if form.errors else 200,
    )
