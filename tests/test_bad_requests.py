"""Oversized, malformed and hostile requests get a 4xx and store nothing, from gunicorn to the admin."""

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.factories import ReviewPageFactory
from tests.stack import DEPLOY_ENV, ROOT, clean_env
from tests.varnish import free_port


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
        **DEPLOY_ENV,
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
        assert b" 400 " in send(b"GET / HTTP/1.1\r\n\r\n")  # HTTP/1.1 without a Host header
        assert b" 400 " in send(b"GET /search/suggest/?q=a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    finally:
        server.terminate()
        server.wait(timeout=10)


NUL_REQUESTS = [
    ("get", "/search/suggest/?q=a%00b", {}),
    ("get", "/search/?q=night%00", {}),
    ("get", "/api/v2/pages/?search=a%00b", {}),
    ("get", "/api/v2/reviews/?search=a%00b", {}),
    ("get", "/api/v2/pages/find/?html_path=/reviews/%00/", {}),
    ("get", "/reviews/%00/", {}),
    ("get", "/%00", {}),
    ("get", "/?page=%00", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), NUL_REQUESTS)
def test_a_nul_byte_in_a_path_or_parameter_is_a_400(client, review_index, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_field_or_cookie_is_a_400_and_stores_nothing(client, review_index):
    from blog.comments.models import Comment
    from blog.ratings.models import ReaderRating

    review = ReviewPageFactory(parent=review_index)
    comment = {"name": "Ann\x00", "email": "ann@example.com", "text": "A fine film."}
    assert client.post(f"/comments/{review.pk}/", comment).status_code == 400
    assert client.post(f"/ratings/{review.pk}/", {"value": "4\x00"}).status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 400
    assert not Comment.objects.exists() and not ReaderRating.objects.exists()


@pytest.mark.django_db
def test_healthz_carries_the_same_security_headers_as_every_page(client, review_index):
    page, health = client.get("/"), client.get("/healthz")
    assert health.status_code == 200
    for header in (
        "Content-Security-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ):
        if header in page.headers:
            assert health.headers.get(header) == page.headers[header], header
    assert "X-Content-Type-Options" in health.headers and "Permissions-Policy" in health.headers


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/images/add/", "/admin/images/multiple/add/"])
def test_a_truncated_image_is_a_form_error_and_stores_nothing(admin_client, url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    whole = io.BytesIO()
    PILImage.effect_noise((400, 300), 64).convert("RGB").save(whole, "PNG")
    cut = whole.getvalue()[: len(whole.getvalue()) // 2]  # a real PNG, cut short
    upload = SimpleUploadedFile("still.png", cut, content_type="image/png")
    data = {"files[]": upload} if "multiple" in url else {"title": "Still", "file": upload, "collection": 1}
    response = admin_client.post(url, data)
    assert response.status_code in (200, 400)
    assert b"This image file is truncated or corrupt" in response.content
    assert not get_image_model().objects.exists()


def test_the_host_check_follows_the_wsgi_rules_runserver_enforces():
    """runserver's wsgiref handler refuses hop-by-hop headers from the application
    (a 500), so the 400 for a missing Host must be valid WSGI, not only gunicorn's."""
    from wsgiref.handlers import SimpleHandler

    from core.request_checks import require_host

    def never_called(environ, start_response):
        raise AssertionError("the request went past the Host check")

    environ = {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", "SCRIPT_NAME": "", "PATH_INFO": "/"}
    environ.update({"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "QUERY_STRING": ""})
    out, errors = io.BytesIO(), io.StringIO()
    SimpleHandler(io.BytesIO(), out, errors, environ, multithread=False).run(require_host(never_called))
    assert out.getvalue().split(b"\r\n", 1)[0].endswith(b" 400 Bad Request"), errors.getvalue()
    assert b"HTTP/1.1 requires a Host header" in out.getvalue()
