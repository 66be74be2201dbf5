"""The load balancer's health check: answers whatever the host, reports a dead database."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from blog.factories import ReviewPageFactory
from core.scheduling import run_pass
from tests.stack import run_python
from tests.varnish import free_port


@pytest.mark.django_db
def test_healthz_checks_database_and_cache_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["films.example.com"]
    response = Client(HTTP_HOST="10.0.0.5:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "scheduler": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert Client(HTTP_HOST="10.0.0.5:8000").post("/healthz").status_code == 405
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400  # every other page checks the host


@pytest.mark.django_db
def test_healthz_reports_the_scheduler_late_when_scheduled_work_is_five_minutes_overdue(client, review_index):
    """No scheduler running: a review due six minutes ago makes the check "degraded", never a 503."""
    review = ReviewPageFactory(parent=review_index, live=False)
    review.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    review.save_revision().publish()
    revision = review.get_latest_revision()
    for minutes_ago, expected in ((4, "ok"), (6, "late: 1 overdue")):
        revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        revision.save(update_fields=["approved_go_live_at"])
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["scheduler"] == expected
    assert response.json()["status"] == "degraded"

    run_pass()
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", "scheduler": "ok"}


def test_healthz_reports_a_dead_database(tmp_path):
    """The production settings pointed at a PostgreSQL port nothing listens on: 503, "down"."""
    result = run_python(
        "import django, json; django.setup(); from django.test import Client;"
        "response = Client(HTTP_HOST='films.example.com').get('/healthz');"
        "print(response.status_code, json.dumps(response.json()))",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/marquee",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["status"] == "down" and json.loads(body)["database"].startswith("failing")
