"""Production settings: what check --deploy says, what the environment switches on, security headers."""

import json
import subprocess
import sys

import pytest

from blog.factories import ReviewPageFactory, TrailerBlockFactory
from tests.stack import DEPLOY_ENV, ROOT, clean_env, run_python


def test_check_deploy_is_clean_with_the_documented_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_env(), **DEPLOY_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_environment_switches_on_redis_storage_queue_search_and_cdn():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'cache': s.CACHES['default'], 'session': s.SESSION_ENGINE,"
        "'storage': s.STORAGES['default'], 'tasks': s.TASKS['default']['BACKEND'],"
        "'search': s.WAGTAILSEARCH_BACKENDS['default'], 'cdn': s.WAGTAILFRONTENDCACHE,"
        "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], 'serve_media': s.SERVE_MEDIA,"
        "'conn': [s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']]}))"
    )
    result = run_python(
        code,
        DATABASE_URL="postgres://marquee@db.internal:5432/marquee",
        REDIS_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="marquee-media",
        AWS_S3_CUSTOM_DOMAIN="media.films.example.com",
        TASKS_BACKEND="database",
        ELASTICSEARCH_URL="https://search.internal:9200",
        FRONTEND_CACHE_PURGE_URL="http://varnish.internal:6081",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["cache"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["cache"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert values["session"] == "django.contrib.sessions.backends.cached_db"
    assert values["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["storage"]["OPTIONS"]["bucket_name"] == "marquee-media"
    assert values["serve_media"] is False
    assert "https://media.films.example.com" in values["img"]
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["search"]["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert values["search"]["URLS"] == ["https://search.internal:9200"]
    assert values["cdn"]["proxy"]["LOCATION"] == "http://varnish.internal:6081"
    assert values["conn"] == [60, True]


def test_production_security_headers_and_cookies(tmp_path):
    code = (
        "import json, django; django.setup(); from django.test import Client;"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "call_command('collectstatic', '--noinput', verbosity=0);"
        "c = Client(HTTP_HOST='films.example.com');"
        "r = c.get('/', secure=True); login = c.get('/admin/login/', secure=True);"
        "plain = c.get('/', secure=False); wrong = Client(HTTP_HOST='evil.example').get('/', secure=True);"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers),"
        "'csrf': login.cookies['csrftoken'].output(), 'redirect': [plain.status_code, plain.get('Location')],"
        "'wrong_host': wrong.status_code}))"
    )
    result = run_python(code, DATABASE_URL="sqlite:///:memory:", STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    headers = values["headers"]
    assert values["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["frame-src"] == "https://www.youtube-nocookie.com https://player.vimeo.com"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "Secure" in values["csrf"]
    assert values["redirect"] == [301, "https://films.example.com/"]
    assert values["wrong_host"] == 400


@pytest.mark.django_db
def test_public_pages_work_under_the_content_security_policy(client, review_index):
    review = ReviewPageFactory(
        parent=review_index,
        body=[("trailer", TrailerBlockFactory())],
    )
    response = client.get(review.url)
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html  # nothing inline to allow
    assert "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" in html
    assert "Content-Security-Policy" not in client.get("/admin/login/")  # the admin is left out
