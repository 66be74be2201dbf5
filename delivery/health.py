"""`/healthz` for load balancers: is the database answering, is the cache, is the scheduler keeping time?

Answered by a middleware just below the security headers, so it works whatever Host
the balancer sends and costs no session, CSRF or page lookup. The database is
essential (503 without it); the cache is not — pages are served uncached while
it is down — so a cache failure is reported but still answers 200, and a Redis
outage never takes every server out of the pool at once. The scheduler is
reported "late" when scheduled publishing is more than five minutes overdue
(``run_scheduler`` is not running, or failing): every server would say the
same, so that too is "degraded", never a 503.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from core.scheduling import overdue_count

PATH = "/healthz"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    key = "healthz"
    token = str(time.monotonic_ns())
    cache.set(key, token, 10)
    return cache.get(key) == token


def check_scheduler():
    overdue = overdue_count()
    return f"late: {overdue} overdue" if overdue else "ok"


def run(check):
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return f"failing: {type(error).__name__}"


def run_checks():
    results = {
        "database": run(lambda: "ok" if check_database() else "failing"),
        "cache": run(lambda: "ok" if check_cache() else "failing"),
    }
    if results["database"] == "ok":  # the scheduler's work is read from the database
        results["scheduler"] = run(check_scheduler)
    return results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "GET only"}, status=405)
        results = run_checks()
        healthy = results["database"] == "ok"
        all_ok = all(result == "ok" for result in results.values())
        body = {"status": ("ok" if all_ok else "degraded") if healthy else "down", **results}
        response = JsonResponse(body, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
