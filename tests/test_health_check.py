"""The load balancer's health check: answers whatever the host, reports a dead database."""

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_checks_database_and_cache_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["films.example.com"]
    response = Client(HTTP_HOST="10.0.0.5:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert Client(HTTP_HOST="10.0.0.5:8000").post("/healthz").status_code == 405
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400  # every other page checks the host


@pytest.mark.django_db
def test_healthz_reports_a_dead_database(client, monkeypatch):
    from delivery import health

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "down"
