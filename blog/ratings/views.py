from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from blog import readers
from blog.models import ReviewPage

from . import voting
from .forms import RatingForm


def get_review(review_id):
    """Only published, public reviews can be rated; anything else is a 404."""
    return get_object_or_404(ReviewPage.objects.live().public().select_related("rating_summary"), pk=review_id)


def state(review, voter):
    """What one reader may see: totals always; the spread of votes only once they have voted."""
    summary = voting.summary_for(review)
    your_vote = voting.current_vote(review, voter)
    data = summary.as_dict()
    if your_vote is None:
        data.pop("distribution")
    data["your_vote"] = your_vote
    return data


@never_cache
@require_GET
def rating_state(request, review_id):
    """JSON for the widget: the reader's own vote and a CSRF token, never cached."""
    review = get_review(review_id)
    data = state(review, readers.identify(request))
    data["csrf_token"] = get_token(request)
    return JsonResponse(data)


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, review_id):
    """The rating form. Without JavaScript the review page's stars lead here."""
    review = get_review(review_id)
    voter = readers.identify(request)
    if request.method == "GET":
        initial = {"value": request.GET.get("value")} if request.GET.get("value") in {"1", "2", "3", "4", "5"} else {}
        your_vote = voting.current_vote(review, voter)
        form = RatingForm(initial=initial or ({"value": your_vote} if your_vote else {}))
        return render_rate_page(request, review, form, voter)

    form = RatingForm(request.POST)
    if not form.is_valid():
        message = form.errors["value"][0]
        if readers.wants_json(request):
            return JsonResponse({"error": message}, status=400)
        return render_rate_page(request, review, form, voter, status=400)

    voter = voter or readers.identify(request, create=True)
    value = form.cleaned_data["value"]
    try:
        outcome = voting.cast_vote(review, voter, value, readers.ip_hash(request))
    except voting.TooManyVotesError:
        message = _("Too many ratings for this film from your network. Please try again later.")
        if readers.wants_json(request):
            return JsonResponse({"error": message}, status=429)
        form.add_error(None, message)
        return render_rate_page(request, review, form, voter, status=429)
    review = get_review(review_id)
    if readers.wants_json(request):
        data = state(review, voter)
        data["outcome"] = outcome
        return readers.remember(JsonResponse(data), voter)
    stars = ngettext("%(n)d star", "%(n)d stars", value) % {"n": value}
    if outcome == "created":
        messages.success(
            request, _("Thank you: you rated %(film)s %(stars)s.") % {"film": review.title, "stars": stars}
        )
    else:
        messages.success(
            request, _("Your rating of %(film)s is now %(stars)s.") % {"film": review.title, "stars": stars}
        )
    return readers.remember(redirect(f"{review.url}#reader-rating"), voter)


def render_rate_page(request, review, form, voter, status=200):
    context = {
        "review": review,
        "form": form,
        "summary": voting.summary_for(review),
        "rating_state": state(review, voter),
    }
    return TemplateResponse(request, "ratings/rate.html", context, status=status)
