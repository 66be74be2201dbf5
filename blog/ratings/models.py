from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

STARS = range(1, 6)


class ReaderRating(models.Model):
    """One reader's star rating of one review. Readers create these; nobody edits them."""

    review = models.ForeignKey("blog.ReviewPage", on_delete=models.CASCADE, related_name="reader_ratings")
    value = models.PositiveSmallIntegerField(_("stars"), choices=[(n, n) for n in STARS])
    # "user:<id>" for signed-in readers, "anon:<token>" from a signed cookie otherwise.
    voter_key = models.CharField(max_length=80, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A keyed hash of the reader's IP address: enough to limit floods, not to identify anyone.
    ip_hash = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reader vote")
        verbose_name_plural = _("reader votes")
        constraints = [
            models.UniqueConstraint(fields=["review", "voter_key"], name="one_rating_per_reader_per_review"),
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=5), name="rating_between_1_and_5"),
        ]
        indexes = [models.Index(fields=["review", "ip_hash", "created_at"], name="ratings_ip_window")]

    def __str__(self):
        return f"{self.value}★ for {self.review_id}"


class RatingSummary(models.Model):
    """Running totals of a review's reader ratings, kept in step with every vote.

    Pages read these instead of counting votes. They live beside the review,
    not on it, so publishing an old revision can never roll them back.
    """

    review = models.OneToOneField(
        "blog.ReviewPage", on_delete=models.CASCADE, primary_key=True, related_name="rating_summary"
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    star_1 = models.PositiveIntegerField(default=0)
    star_2 = models.PositiveIntegerField(default=0)
    star_3 = models.PositiveIntegerField(default=0)
    star_4 = models.PositiveIntegerField(default=0)
    star_5 = models.PositiveIntegerField(default=0)
    # Votes brought over from another system (e.g. a WordPress rating plugin),
    # included in count and total; their spread over the stars is unknown.
    imported_count = models.PositiveIntegerField(default=0, editable=False)
    imported_total = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("reader rating")
        verbose_name_plural = _("reader ratings")

    def __str__(self):
        return f"{self.average} from {self.count}"

    @property
    def average(self):
        """Mean rating to one decimal place, or None with no votes."""
        if not self.count:
            return None
        return (Decimal(self.total) / self.count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def distribution(self):
        """[(stars, votes, percent)] from five stars down to one."""
        rows = []
        for n in reversed(STARS):
            votes = getattr(self, f"star_{n}")
            counted = self.count - self.imported_count
            rows.append((n, votes, round(100 * votes / counted) if counted else 0))
        return rows

    def as_dict(self):
        return {
            "average": float(self.average) if self.count else None,
            "count": self.count,
            "distribution": {str(n): getattr(self, f"star_{n}") for n in STARS},
        }
