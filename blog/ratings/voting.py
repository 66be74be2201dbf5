"""Casting votes and keeping each review's running totals exact."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
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


class TooManyVotesError(Exception):
    """The reader's address has cast its limit of new votes on this review for now."""


def over_ip_limit(review, ip):
    limit, window = ip_limit()
    since = timezone.now() - timedelta(seconds=window)
    return ReaderRating.objects.filter(review=review, ip_hash=ip, created_at__gte=since).count() >= limit


def lock_totals(review_id):
    """Create the review's totals row if it is missing, and lock it until the transaction ends.

    Every vote on a review takes this lock first, so the address limit is
    checked and the vote stored with no other vote on the review in between.
    """
    RatingSummary.objects.bulk_create([RatingSummary(review_id=review_id)], ignore_conflicts=True)
    RatingSummary.objects.select_for_update().filter(pk=review_id).exists()


def _apply(review_id, **changes):
    RatingSummary.objects.filter(pk=review_id).update(**changes)


def announce_totals(review):
    """Pages showing the review's totals go out of date (the review's delivery purges them once this commits)."""
    reader_totals_changed.send(sender=RatingSummary, review_id=review.pk)


@transaction.atomic
def cast_vote(review, voter, value, ip):
    """Record ``voter``'s ``value`` for ``review``; a second vote replaces the first.

    Returns "created", "changed" or "unchanged"; raises TooManyVotesError when a
    new vote would take ``ip`` over its limit. Votes on one review queue on
    the lock of its totals row, so concurrent votes are counted one by one.
    """
    lock_totals(review.pk)
    existing = ReaderRating.objects.filter(review=review, voter_key=voter.key).first()
    if existing is None:
        if over_ip_limit(review, ip):
            raise TooManyVotesError
        ReaderRating.objects.create(review=review, voter_key=voter.key, user=voter.user, value=value, ip_hash=ip)
        _apply(review.pk, count=F("count") + 1, total=F("total") + value, **{f"star_{value}": F(f"star_{value}") + 1})
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
