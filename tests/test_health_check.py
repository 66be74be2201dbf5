"""The load balancer's health check: answers whatever the host, reports a dead database."""

import json

import pytest
from django.test import Client

from tests.stack import run_python
from tests.varnish import free_port


@pytest.mark.django_db
def test_healthz_checks_database_and_cache_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["films.example.com"]
    response = Client(HTTP_HOST="10.0.0.5:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert Client(HTTP_HOST="10.0.0.5:8000").post("/healthz").status_code == 405
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400  # every other page checks the host


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
