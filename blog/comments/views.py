from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from blog import readers
from blog.models import ReviewPage

from . import posting
from .forms import CommentForm, form_token
from .models import Comment, CommentSettings


def get_review(review_id):
    return get_object_or_404(ReviewPage.objects.live().public(), pk=review_id)


def first_error(form):
    for errors in form.errors.values():
        return errors[0]
    return _("Please check your comment.")


@never_cache
@require_GET
def comment_state(request, review_id):
    """Per-reader data for the comment form, never cached: a CSRF token, a fresh
    form timestamp, and the reader's own comments still awaiting moderation."""
    review = get_review(review_id)
    reader = readers.identify(request)
    pending = Comment.objects.pending().filter(review=review, author_key=reader.key) if reader else []
    return JsonResponse(
        {
            "csrf_token": get_token(request),
            "started": form_token(),
            "pending": [
                {"parent": c.parent_id, "html": render_to_string("comments/comment.html", {"comment": c}, request)}
                for c in pending
            ],
        }
    )


@never_cache
@require_http_methods(["GET", "POST"])
def comment(request, review_id):
    """The comment form. Without JavaScript, "Leave a comment" and "Reply" come here."""
    review = get_review(review_id)
    comment_settings = CommentSettings.for_request(request)
    closed = posting.closed_reason(review, comment_settings)
    if request.method == "GET":
        initial = {"started": form_token(), "parent": request.GET.get("reply_to", "")}
        form = CommentForm(review=review, initial=initial)
        return render_page(request, review, form, closed)

    def refuse(message, status, form=None):
        if readers.wants_json(request):
            return JsonResponse({"error": message}, status=status)
        form = form or CommentForm(request.POST, review=review)
        if not form.errors:
            form.add_error(None, message)
        return render_page(request, review, form, closed, status=status)

    if closed:
        return refuse(closed, 403)
    form = CommentForm(request.POST, review=review)
    if not form.is_valid():
        return refuse(first_error(form), 400, form)
    reader = readers.identify(request, create=True)
    new = form.save(commit=False)
    new.author_key = reader.key
    new.user = reader.user
    new.ip_hash = readers.ip_hash(request)
    new.status = posting.initial_status(new, comment_settings)
    try:
        posting.store(new)
    except posting.CommentRefusedError as refusal:
        return refuse(refusal.message, refusal.status)
    if not new.is_approved:
        posting.notify_moderators(new)

    message = (
        _("Thank you: your comment is published.")
        if new.is_approved
        else _("Thank you: your comment is awaiting moderation. Only you can see it until it is approved.")
    )
    if readers.wants_json(request):
        html = render_to_string("comments/comment.html", {"comment": new}, request)
        data = {"status": new.status, "message": message, "html": html, "parent": new.parent_id}
        # A fresh token, so the same page can send another comment: from the time the reader
        # opened the form, since a quick reply after a first comment is a person's, not a bot's.
        data["started"] = form_token(issued_at=form.issued_at)
        return readers.remember(JsonResponse(data, status=201), reader)
    messages.success(request, message)
    anchor = f"comment-{new.pk}" if new.is_approved else "comments"
    return readers.remember(redirect(f"{review.url}#{anchor}"), reader)


def render_page(request, review, form, closed, status=200):
    context = {"review": review, "form": form, "closed": closed}
    return TemplateResponse(request, "comments/new.html", context, status=status)
