"""`/healthz` for load balancers: is the database answering, is the cache?

Answered by a middleware just below the security headers, so it works whatever Host
the balancer sends and costs no session, CSRF or page lookup. The database is
essential (503 without it); the cache is not — pages are served uncached while
it is down — so a cache failure is reported but still answers 200, and a Redis
outage never takes every server out of the pool at once.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

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


def run_checks():
    results = {}
    for name, check in (("database", check_database), ("cache", check_cache)):
        try:
            results[name] = "ok" if check() else "failing"
        except Exception as error:  # noqa: BLE001 - any failure is the answer
            results[name] = f"failing: {type(error).__name__}"
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
        body = {"status": ("ok" if results["cache"] == "ok" else "degraded") if healthy else "down", **results}
        response = JsonResponse(body, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
