"""The rules a new comment goes through: open or closed, rate limit, one comment per form, moderation."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Comment, CommentSender

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def closed_reason(review, comment_settings):
    """Why ``review`` takes no comments, or None when it does."""
    if not review.comments_open:
        return _("Comments are closed for this review.")
    days = comment_settings.close_comments_after_days
    published = review.first_published_at
    if days and published and timezone.now() - published > timedelta(days=days):
        return _("Comments close %(days)d days after a review is published.") % {"days": days}
    return None


def over_rate_limit(ip_hash):
    since = timezone.now() - timedelta(seconds=settings.COMMENT_RATE_WINDOW)
    return Comment.objects.filter(ip_hash=ip_hash, created_at__gte=since).count() >= settings.COMMENT_RATE_LIMIT


class CommentRefusedError(Exception):
    """A comment that is not stored: ``message`` for the reader, ``status`` for the response."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


@transaction.atomic
def store(comment):
    """Save a reader's new comment, unless its address is over the rate limit or its form already sent one.

    Comments from one address queue on that address's CommentSender row, so
    the limit holds however many arrive at the same instant.
    """
    CommentSender.objects.bulk_create([CommentSender(ip_hash=comment.ip_hash)], ignore_conflicts=True)
    CommentSender.objects.select_for_update().filter(pk=comment.ip_hash).exists()
    if over_rate_limit(comment.ip_hash):
        message = _("You have sent several comments in a short time. Please wait a few minutes.")
        raise CommentRefusedError(message, 429)
    try:
        comment.save()
    except IntegrityError:
        # form_token is unique: this form's comment was stored already (a resend, a double click).
        message = _("This comment has already been sent. Reload the page to write another.")
        raise CommentRefusedError(message, 400) from None


def initial_status(comment, comment_settings):
    """Approved straight away only for known commenters, and never with many links.

    A known commenter is the same reader (their account, or the signed reader
    cookie) who wrote an approved comment before, never whoever types that
    reader's email address.
    """
    if len(LINK.findall(comment.text)) > settings.COMMENT_MAX_LINKS:
        return Comment.Status.PENDING
    if (
        comment_settings.auto_approve_known_commenters
        and Comment.objects.approved().filter(author_key=comment.author_key).exists()
    ):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def notify_moderators(comment):
    """Mail the Moderators about a comment awaiting them (queued: see core.mail)."""
    moderators = get_user_model().objects.filter(is_active=True, groups__name="Moderators").exclude(email="")
    recipients = sorted({user.email for user in moderators})
    if not recipients:
        return
    admin_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/comments/comment/edit/{comment.pk}/"
    send_mail(
        subject=_("New comment awaiting moderation on %(film)s") % {"film": comment.review.title},
        message=_("%(name)s wrote:\n\n%(text)s\n\nApprove or reject it: %(url)s")
        % {"name": comment.name, "text": comment.text, "url": admin_url},
        from_email=None,
        recipient_list=recipients,
    )
