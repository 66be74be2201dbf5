"""200 readers vote on one review at the same moment; not one vote is lost."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from blog.ratings.models import RatingSummary, ReaderRating
from home.factories import site_home

VOTERS = 200
WORKERS = 40  # each worker holds its own database connection


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: run with DATABASE_URL=postgres://… (CI does)",
)
@pytest.mark.django_db(transaction=True)
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
