from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

MAX_DEPTH = 2  # a comment, a reply, and a reply to that


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")

    review = models.ForeignKey("blog.ReviewPage", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of the thread (None for top-level comments), so a
    # page of threads loads all its replies in one query.
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown on the site."))
    website = models.URLField(_("website"), max_length=200, blank=True)
    text = models.TextField(_("comment"), max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Who wrote it, so they alone see it while it waits: "user:<id>" or the reader cookie.
    author_key = models.CharField(max_length=80, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_hash = models.CharField(max_length=64, editable=False, db_index=True)
    # The id in the signed token of the form it was sent from: a form sends one comment.
    form_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    panels = [
        HelpPanel(template="comments/admin/comment_preview.html"),
        FieldRowPanel([FieldPanel("status")]),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        indexes = [models.Index(fields=["review", "status", "created_at"], name="comments_review_status")]

    def __str__(self):
        excerpt = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.name}: {excerpt}"

    def save(self, *args, **kwargs):
        if self.parent_id and not self.root_id:
            self.root_id = self.parent.root_id or self.parent_id
            self.depth = self.parent.depth + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.review.url}#comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class CommentSender(models.Model):
    """One row per sending address (its keyed hash), locked while a new comment
    from that address is checked against the rate limit and stored, so comments
    arriving at the same instant are counted one after another."""

    ip_hash = models.CharField(max_length=64, primary_key=True)

    def __str__(self):
        return self.ip_hash


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Settings → Comments: when comments close, and whose are published without waiting."""

    auto_approve_known_commenters = models.BooleanField(
        default=False,
        help_text=_(
            "Publish comments at once from readers (the same account or browser) who already have an approved comment."
        ),
    )
    close_comments_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Close comments this many days after a review is published; empty: never.")
    )

    panels = [FieldPanel("auto_approve_known_commenters"), FieldPanel("close_comments_after_days")]

    class Meta:
        verbose_name = _("comments")
