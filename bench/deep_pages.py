"""Listing speed on a large archive: first page against the deepest page.

Run on demand, not in the test suite, after seeding a database:

    .venv/bin/python manage.py seed_bench --reviews 20000
    .venv/bin/python bench/deep_pages.py            # or DATABASE_URL=postgres://… for PostgreSQL

For each listing it prints the median time and the SQL query count of page 1
and of the last page, rendered in-process (no HTTP server, no page cache).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from blog.models import ReviewPage  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
RUNS = 7


def measure(client, url):
    client.get(url)  # renditions and caches warm
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main():
    total = ReviewPage.objects.live().count()
    client = Client()
    print(f"{connection.vendor}, {total} published reviews, {RUNS} runs each (median)")
    print(f"{'listing':28} {'page 1':>10} {'last page':>12} {'queries':>9}")
    published = ReviewPage.objects.live().public()
    for name, url, reviews in [
        ("home", "/", published),
        ("genre archive (Drama)", "/browse/genre/drama/", published.filter(genres__slug="drama")),
        ("decade archive (1990s)", "/browse/decade/1990s/", published.filter(release_year__range=(1990, 1999))),
        ("A–Z (S)", "/browse/a-z/s/", published.filter(title__istartswith="s")),
    ]:
        last_page = max(1, (reviews.count() + 9) // 10)
        first_ms, first_q = measure(client, url)
        deep_ms, deep_q = measure(client, f"{url}?page={last_page}")
        print(f"{name:28} {first_ms:8.1f} ms {deep_ms:8.1f} ms {first_q:>4}/{deep_q:<4}  (last page {last_page})")


if __name__ == "__main__":
    main()
