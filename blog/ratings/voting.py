"""Casting votes and keeping each review's running totals exact."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from .models import STARS, RatingSummary, ReaderRating

VOTER_COOKIE = "marquee_voter"
VOTER_COOKIE_SALT = "marquee.ratings.voter"
VOTER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365 * 2  # two years


def ip_limit():
    """(votes, seconds): new votes one IP address may cast on one review per window."""
    return settings.READER_RATING_IP_LIMIT, settings.READER_RATING_IP_WINDOW


def client_ip(request):
    """The reader's address. With N trusted proxies in front, the Nth address from the right."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(request):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"ratings:{client_ip(request)}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Voter:
    key: str
    user: object = None
    new_token: str | None = None  # set when a cookie must be issued


def identify(request, create=False):
    """Who is voting: the account if signed in, else the long-lived signed cookie."""
    if request.user.is_authenticated:
        return Voter(key=f"user:{request.user.pk}", user=request.user)
    token = request.get_signed_cookie(VOTER_COOKIE, default=None, salt=VOTER_COOKIE_SALT, max_age=VOTER_COOKIE_MAX_AGE)
    if token:
        return Voter(key=f"anon:{token}")
    if create:
        token = secrets.token_urlsafe(24)
        return Voter(key=f"anon:{token}", new_token=token)
    return None


def remember_voter(response, voter):
    if voter and voter.new_token:
        response.set_signed_cookie(
            VOTER_COOKIE,
            voter.new_token,
            salt=VOTER_COOKIE_SALT,
            max_age=VOTER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    return response


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
    return "changed"


def recompute_summary(review_id):
    """Rebuild a review's totals from its votes (after a moderator deletes some)."""
    totals = ReaderRating.objects.filter(review_id=review_id).aggregate(
        count=Count("pk"),
        total=Sum("value", default=0),
        **{f"star_{n}": Count("pk", filter=Q(value=n)) for n in STARS},
    )
    RatingSummary.objects.update_or_create(review_id=review_id, defaults=totals)


def summary_for(review):
    try:
        return review.rating_summary
    except RatingSummary.DoesNotExist:
        return RatingSummary(review=review)
