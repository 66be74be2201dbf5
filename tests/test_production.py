"""Running in production: security headers, deploy checks, object storage, task queue, CDN purges, bad requests."""

import io
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.factories import ReviewPageFactory
from tests.stack import demo_app, wait_until
from tests.varnish import running_varnish

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "settings.production",
    "SECRET_KEY": "p" * 20 + "-not-a-real-secret-" + "q" * 20,
    "ALLOWED_HOSTS": "films.example.com",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    """This process's environment without what tests set for themselves."""
    test_only = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in test_only}


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_env(), **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
    )


# -- settings and headers ------------------------------------------------------


def test_check_deploy_is_clean_with_the_documented_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_env(), **PRODUCTION_ENV},
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
        body=[("trailer", {"url": "https://youtu.be/aqz-KE-bpKQ", "title": "Trailer", "caption": ""})],
    )
    response = client.get(review.url)
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html  # nothing inline to allow
    assert "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" in html
    assert "Content-Security-Policy" not in client.get("/admin/login/")  # the admin is left out


# -- health check -------------------------------------------------------------


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


# -- object storage ------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server (moto's), on a local port, for the session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def object_storage(s3_endpoint, settings, tmp_path):
    bucket = f"marquee-{int(time.time() * 1000)}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "local-media"
    return client, bucket


def png(size=(1200, 675)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#446688").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_uploads_and_renditions_live_in_object_storage(
    object_storage, admin_client, client, review_index, s3_endpoint
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s3, bucket = object_storage
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Lyuda", "file": SimpleUploadedFile("lyuda.png", png(), content_type="image/png"), "collection": 1},
    )
    assert response.status_code == 302, response.content[:500]
    image = get_image_model().objects.get(title="Lyuda")
    review = ReviewPageFactory(parent=review_index, hero_image=image)
    html = client.get(review.url).content.decode()
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert any(key.startswith("original_images/lyuda") for key in keys)
    assert any(key.startswith("images/") and ".fill-1200x630" in key for key in keys)  # the share card
    assert f"{s3_endpoint}/{bucket}/images/lyuda" in html
    # The bytes come back from the object store, and nothing was written locally.
    body = s3.get_object(Bucket=bucket, Key=next(k for k in keys if k.startswith("original_images/")))["Body"].read()
    assert body.startswith(b"\x89PNG")
    from django.conf import settings

    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


# -- background tasks ------------------------------------------------------------


def found(client, query):
    """The titles the search lists as results (not its "did you mean" suggestions)."""
    soup = BeautifulSoup(client.get(f"/search/?q={query}").content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".review-card__title a")]


# Real commits: tasks are queued when the transaction commits, and the worker
# closes its database connections when it is done.
@pytest.mark.django_db(transaction=True)
def test_search_indexing_runs_on_the_database_queue_and_its_worker(settings, review_index, client):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ReviewPageFactory(parent=review_index, title="Zabriskie Point")
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert found(client, "zabriskie") == []  # queued, not yet indexed
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").exists()
    assert found(client, "zabriskie") == ["Zabriskie Point"]


# -- CDN / caching proxy purges -------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_purges_a_caching_proxy_when_configured(
    caching_proxy, review_index, django_capture_on_commit_callbacks
):
    review = ReviewPageFactory(parent=review_index, title="Purged")
    review.title = "Purged again"
    with django_capture_on_commit_callbacks(execute=True):
        review.save_revision().publish()
    assert review.url in caching_proxy


# -- bad requests ----------------------------------------------------------------


@pytest.mark.django_db
def test_oversized_and_malformed_bodies_get_4xx_and_store_nothing(client, review_index):
    from blog.comments.models import Comment
    from blog.ratings.models import ReaderRating

    review = ReviewPageFactory(parent=review_index)
    huge = "x" * (3 * 1024 * 1024)
    assert (
        client.post(f"/comments/{review.pk}/", {"name": "A", "email": "a@example.com", "text": huge}).status_code
        == 400
    )
    assert client.post(f"/ratings/{review.pk}/", huge, content_type="application/json").status_code == 400
    assert (
        client.post(f"/ratings/{review.pk}/", b"\xff\xfe{not json", content_type="application/json").status_code == 400
    )
    assert client.get("/" + "a" * 8000 + "/").status_code == 404
    assert client.get("/?page=" + "9" * 5000).status_code == 200
    assert not Comment.objects.exists() and not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_non_images_and_decompression_bombs(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("still.jpg", b"<?php echo 'not an image'; ?>", content_type="image/jpeg")
    response = admin_client.post("/admin/images/add/", {"title": "Fake", "file": fake, "collection": 1})
    assert response.status_code == 200
    assert b"Upload a valid image. The file you uploaded was either not an image" in response.content
    bomb = io.BytesIO()
    PILImage.new("1", (9000, 9000)).save(bomb, "PNG")  # 81 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 200_000
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Bomb",
            "file": SimpleUploadedFile("bomb.png", bomb.getvalue(), content_type="image/png"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    assert b"This file has too many pixels (81000000). Maximum pixels 50000000." in response.content
    assert not get_image_model().objects.exists()


def test_gunicorn_refuses_oversized_request_lines_and_headers(tmp_path):
    """The shipped gunicorn.conf.py, running the app, answers 4xx before Django sees the request."""
    port = free_port()
    env = {
        **clean_env(),
        **PRODUCTION_ENV,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "settings.wsgi"], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )

    def send(raw):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(raw)
            return conn.recv(200).split(b"\r\n", 1)[0]

    try:
        for _ in range(100):
            try:
                status = send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                break
            except OSError:
                time.sleep(0.1)
        assert b" 200 " in status
        assert b" 414 " in send(b"GET /" + b"a" * 6000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        big_header = send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n")
        assert big_header.split(b" ")[1] in (b"400", b"431"), big_header
        many = b"".join(b"X-H%d: v\r\n" % n for n in range(150))
        assert b" 4" in send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n")
        assert b" 400 " in send(b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        assert b" 400 " in send(b"NOT A REQUEST\r\n\r\n")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_production_stack_serves_cached_pages_and_a_published_edit_at_once(tmp_path):
    """The README's stack end to end: Varnish with the shipped VCL in front of gunicorn (two workers,
    production settings, Redis). Readers get cached pages; an edit an editor publishes from another
    process purges Varnish, and is what the very next request shows."""
    app_port = free_port()
    with running_varnish(app_port) as varnish:
        app = demo_app(
            tmp_path,
            app_port,
            REDIS_URL=os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379") + "/0",
            CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
            FRONTEND_CACHE_PURGE_URL=varnish.base_url,
        )
        app.shell(f"from wagtail.models import Site; Site.objects.update(hostname='127.0.0.1', port={varnish.port})")
        path = "/reviews/dear-comrades/"
        with app.serving():
            wait_until(lambda: varnish.get("/healthz").status == 200)  # Varnish's probe has seen gunicorn
            states = [varnish.get(path).headers.get("X-Cache") for _ in range(10)]
            assert states[0] == "miss" and states[1:] == ["hit"] * 9, states
            response = varnish.get(path)
            assert "Dear Comrades!" in response.body and "(restored)" not in response.body
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "Content-Security-Policy" in response.headers
            app.shell(
                "from blog.models import ReviewPage; page = ReviewPage.objects.get(slug='dear-comrades');"
                "page.title = 'Dear Comrades! (restored)'; page.save_revision().publish()"
            )
            first, *rest = [varnish.get(path) for _ in range(10)]
            assert first.headers["X-Cache"] == "miss" and "Dear Comrades! (restored)" in first.body
            assert all(r.headers["X-Cache"] == "hit" and "Dear Comrades! (restored)" in r.body for r in rest)
