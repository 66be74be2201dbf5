"""Recognising readers without accounts, for ratings and comments.

A signed-in reader is their account. Anyone else gets a random token in a
long-lived, signed, HttpOnly cookie the first time they vote or comment.
Addresses are only ever stored as a keyed hash.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings

READER_COOKIE = "marquee_reader"
READER_COOKIE_SALT = "marquee.reader"
READER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365 * 2  # two years


@dataclass
class Reader:
    key: str
    user: object = None
    new_token: str | None = None  # set when a cookie must be issued


def identify(request, create=False):
    """The account if signed in, else the signed cookie; a new token when ``create``."""
    if request.user.is_authenticated:
        return Reader(key=f"user:{request.user.pk}", user=request.user)
    token = request.get_signed_cookie(
        READER_COOKIE, default=None, salt=READER_COOKIE_SALT, max_age=READER_COOKIE_MAX_AGE
    )
    if token:
        return Reader(key=f"anon:{token}")
    if create:
        token = secrets.token_urlsafe(24)
        return Reader(key=f"anon:{token}", new_token=token)
    return None


def remember(response, reader):
    """Set the reader's cookie on ``response`` if ``identify`` just created one."""
    if reader and reader.new_token:
        response.set_signed_cookie(
            READER_COOKIE,
            reader.new_token,
            salt=READER_COOKIE_SALT,
            max_age=READER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def wants_json(request):
    """True for the enhanced forms' fetch() calls, which ask for JSON back."""
    return "application/json" in request.headers.get("Accept", "")


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
    return hmac.new(key, f"reader-ip:{client_ip(request)}".encode(), hashlib.sha256).hexdigest()
