"""Casting votes and keeping each review's running totals exact."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from blog.models import ReviewPage

from .events import reader_totals_changed
from .models import STARS, RatingSummary, ReaderRating


def ip_limit():
    """(votes, seconds): new votes one IP address may cast on one review per window."""
    return settings.READER_RATING_IP_LIMIT, settings.READER_RATING_IP_WINDOW


def current_vote(review, voter):
    if voter is None:
        return None
    return ReaderRating.objects.filter(review=review, voter_key=voter.key).values_list("value", flat=True).first()


def over_ip_limit(review, ip):
    limit, window = ip_limit()
    since = timezone.now() - timedelta(seconds=window)
    return ReaderRating.objects.filter(review=review, ip_hash=ip, created_at__gte=since).count() >= limit


def _apply(review_id, **changes):
    RatingSummary.objects.bulk_create([RatingSummary(review_id=review_id)], ignore_conflicts=True)
    RatingSummary.objects.filter(pk=review_id).update(**changes)


def announce_totals(review):
    """Pages showing the review's totals go out of date (the review's delivery purges them once this commits)."""
    reader_totals_changed.send(sender=RatingSummary, review_id=review.pk)


@transaction.atomic
def cast_vote(review, voter, value, ip):
    """Record ``voter``'s ``value`` for ``review``; a second vote replaces the first.

    Returns "created", "changed" or "unchanged". Totals move with single
    UPDATE ... SET x = x + n statements, so concurrent votes never lose one.
    """
    existing = ReaderRating.objects.select_for_update().filter(review=review, voter_key=voter.key).first()
    if existing is None:
        try:
            with transaction.atomic():
                ReaderRating.objects.create(
                    review=review, voter_key=voter.key, user=voter.user, value=value, ip_hash=ip
                )
        except IntegrityError:
            # The same reader voted twice at once; treat this one as a change.
            existing = ReaderRating.objects.select_for_update().get(review=review, voter_key=voter.key)
        else:
            _apply(
                review.pk, count=F("count") + 1, total=F("total") + value, **{f"star_{value}": F(f"star_{value}") + 1}
            )
            announce_totals(review)
            return "created"
    if existing.value == value:
        return "unchanged"
    old = existing.value
    existing.value = value
    existing.save(update_fields=["value", "updated_at"])
    _apply(
        review.pk,
        total=F("total") + (value - old),
        **{f"star_{old}": F(f"star_{old}") - 1, f"star_{value}": F(f"star_{value}") + 1},
    )
    announce_totals(review)
    return "changed"


def recompute_summary(review_id):
    """Rebuild a review's totals from its votes (after a moderator deletes some)."""
    totals = ReaderRating.objects.filter(review_id=review_id).aggregate(
        count=Count("pk"),
        total=Sum("value", default=0),
        **{f"star_{n}": Count("pk", filter=Q(value=n)) for n in STARS},
    )
    imported = RatingSummary.objects.filter(review_id=review_id).values("imported_count", "imported_total").first()
    if imported:
        totals["count"] += imported["imported_count"]
        totals["total"] += imported["imported_total"]
    RatingSummary.objects.update_or_create(review_id=review_id, defaults=totals)
    review = ReviewPage.objects.filter(pk=review_id).first()
    if review is not None:
        announce_totals(review)


@transaction.atomic
def set_imported_votes(review_id, count, total):
    """Record votes cast elsewhere (count and sum of stars), replacing any recorded before."""
    recompute_summary(review_id)
    summary = RatingSummary.objects.select_for_update().get(review_id=review_id)
    summary.count += count - summary.imported_count
    summary.total += total - summary.imported_total
    summary.imported_count, summary.imported_total = count, total
    summary.save()


def summary_for(review):
    try:
        return review.rating_summary
    except RatingSummary.DoesNotExist:
        return RatingSummary(review=review)
