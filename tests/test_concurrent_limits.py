"""Readers arriving at the same instant: every vote counted, and per-address limits exact.

These need real concurrent writers, so they run on PostgreSQL (CI does): on
SQLite one writer at a time would make them pass whatever the code does.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from blog.comments.forms import form_token
from blog.comments.models import Comment
from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from blog.ratings.models import RatingSummary, ReaderRating
from home.factories import site_home
from tests.helpers import JSON

VOTERS = 200
WORKERS = 40  # each worker holds its own database connection
SAME_INSTANT = 12  # fresh sessions from one address, released together
LIMIT = 5

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: run with DATABASE_URL=postgres://… (CI does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(requests):
    """Run each ``request()`` on its own thread and connection, all released together; their status codes."""
    start = threading.Barrier(len(requests))

    def run(request):
        try:
            start.wait()
            return request().status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(run, requests))


def test_200_simultaneous_voters_are_all_counted(settings):
    settings.READER_RATING_IP_LIMIT = VOTERS
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()))
    url = f"/ratings/{review.pk}/"
    start = threading.Barrier(WORKERS)
    values = [n % 5 + 1 for n in range(VOTERS)]

    def voter_batch(worker):
        statuses = []
        try:
            start.wait()  # release every worker at once
            for n in range(worker, VOTERS, WORKERS):
                client = Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}")
                response = client.post(url, {"value": values[n]}, HTTP_ACCEPT="application/json")
                statuses.append(response.status_code)
        finally:
            connections.close_all()
        return statuses

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = [s for batch in pool.map(voter_batch, range(WORKERS)) for s in batch]

    assert statuses == [200] * VOTERS
    summary = RatingSummary.objects.get(review=review)
    assert ReaderRating.objects.filter(review=review).count() == VOTERS
    assert summary.count == VOTERS
    assert summary.total == sum(values)
    assert [getattr(summary, f"star_{n}") for n in range(1, 6)] == [VOTERS // 5] * 5
    assert summary.average == 3


def test_one_address_voting_from_12_fresh_sessions_at_once_stores_exactly_the_limit(settings):
    settings.READER_RATING_IP_LIMIT = LIMIT
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()))

    def vote():
        return Client(REMOTE_ADDR="203.0.113.50").post(f"/ratings/{review.pk}/", {"value": 4}, **JSON)

    statuses = at_once([vote] * SAME_INSTANT)

    assert sorted(statuses) == [200] * LIMIT + [429] * (SAME_INSTANT - LIMIT)
    assert ReaderRating.objects.filter(review=review).count() == LIMIT
    assert RatingSummary.objects.get(review=review).count == LIMIT


def test_one_address_commenting_12_times_at_once_stores_exactly_the_limit(settings):
    settings.COMMENT_RATE_LIMIT = LIMIT
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()))

    def comment():
        token = form_token(time.time() - 10)
        data = {"name": "Olga", "email": "olga@example.com", "text": "Seen it twice.", "started": token}
        return Client(REMOTE_ADDR="203.0.113.51").post(f"/comments/{review.pk}/", data, **JSON)

    statuses = at_once([comment] * SAME_INSTANT)

    assert sorted(statuses) == [201] * LIMIT + [429] * (SAME_INSTANT - LIMIT)
    assert Comment.objects.filter(review=review).count() == LIMIT


def test_one_comment_form_sent_12_times_at_once_stores_one_comment():
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()))
    token = form_token(time.time() - 10)
    data = {"name": "Olga", "email": "olga@example.com", "text": "Seen it twice.", "started": token}
    # From different addresses, so only the form's one-use token stops the copies.
    posts = [
        lambda n=n: Client(REMOTE_ADDR=f"198.51.100.{n}").post(f"/comments/{review.pk}/", data, **JSON)
        for n in range(SAME_INSTANT)
    ]

    statuses = at_once(posts)

    assert sorted(statuses) == [201] + [400] * (SAME_INSTANT - 1)
    assert Comment.objects.filter(review=review).count() == 1
