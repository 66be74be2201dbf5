"""Faults behind Varnish: Redis down, the app stopped. Pages keep being served, and all recovers by itself."""

import pytest

from tests.stack import demo_behind_varnish, wait_until
from tests.varnish import free_port

REVIEW = "/reviews/dear-comrades/"


@pytest.fixture
def stack(tmp_path):
    """Varnish in front of a demo site whose Redis is unreachable (nothing listens on its port)."""
    with demo_behind_varnish(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
    ) as (app, varnish):
        yield app, varnish


def test_with_redis_down_pages_are_served_fresh_and_never_shared(stack):
    """Without the shared cache a render cannot tell whether it raced a change: it is served, not stored."""
    app, varnish = stack
    with app.serving():
        wait_until(lambda: varnish.get("/healthz").status == 200)
        health = varnish.get("/healthz")
        assert '"cache": "failing' in health.body and '"status": "degraded"' in health.body
        for _ in range(3):
            response = varnish.get(REVIEW)
            assert response.status == 200 and "Dear Comrades!" in response.body
            assert response.headers["X-Cache"] == "miss" and "private" in response.headers["Cache-Control"]


def test_with_the_app_stopped_varnish_serves_what_it_has_and_recovers_without_a_restart(stack):
    app, varnish = stack
    app.env["REDIS_URL"] = ""  # the local-memory cache: pages may be shared
    with app.serving():
        wait_until(lambda: varnish.get("/healthz").status == 200)
        varnish.get(REVIEW)
        assert varnish.get(REVIEW).headers["X-Cache"] == "hit"
    # gunicorn is gone; once Varnish's probe notices, it keeps serving the page it has.
    wait_until(lambda: varnish.get("/healthz").status == 503)
    for _ in range(5):
        response = varnish.get(REVIEW)
        assert response.status == 200 and "Dear Comrades!" in response.body
    assert varnish.get("/reviews/").status == 503  # never cached: nothing to serve
    with app.serving():
        wait_until(lambda: varnish.get("/healthz").status == 200)
        assert varnish.get("/reviews/").status == 200
        assert varnish.get(REVIEW).status == 200
