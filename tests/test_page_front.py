"""The production front door (settings/asgi.py): page-cache hits answered before Django runs.

Each worker keeps local copies of pages it fetched from Redis; every change is
announced on a Redis channel and drops them. These tests drive the ASGI app
in-process against a real Redis server; test_production.py runs it under
gunicorn with two workers.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client

from home import pagefront
from home.models import SiteSettings
from home.pagefront import CachedPagesFirst
from tests.caches import use_redis, use_test_redis
from tests.factories import ReviewPageFactory
from tests.test_ratings import vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings, worker_id):
    use_test_redis(settings, worker_id)
    settings.PAGE_CACHE_ENABLED = True
    yield
    cache.clear()


class Django:
    """Django behind the front, in this thread (so it sees the test's transaction); counts the requests it gets."""

    def __init__(self):
        self.client = Client()
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        headers = {
            "HTTP_" + name.decode().upper().replace("-", "_"): value.decode() for name, value in scope["headers"]
        }
        response = self.client.generic(scope["method"], scope["path"], **headers)
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [(name.lower().encode(), value.encode()) for name, value in response.items()],
            }
        )
        await send({"type": "http.response.body", "body": response.content})


def request(app, path, method="GET", headers=((b"host", b"localhost"),)):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": list(headers),
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # Stepped by hand rather than on an event loop: nothing in it waits, and Django
    # (the stand-in for a2wsgi's thread) then shares the test's database connection.
    coroutine = app(scope, receive, send)
    with pytest.raises(StopIteration):
        coroutine.send(None)
    head = {name.decode(): value.decode() for name, value in sent[0]["headers"]}
    return sent[0]["status"], head, b"".join(message.get("body", b"") for message in sent[1:])


@pytest.fixture
def review(review_index):
    SiteSettings.for_site(review_index.get_site())
    return ReviewPageFactory(parent=review_index, title="Dear Comrades!", directors=["Andrey Konchalovsky"])


def warm(app, django, url):
    """Miss (Django renders), hit from Redis (now copied), hit from the worker's copy."""
    status, head, first = request(app, url)
    assert (status, head.get("x-page-cache"), django.calls) == (200, "miss", 1)
    for _ in range(2):
        status, head, body = request(app, url)
        assert (status, head["x-page-cache"], body, django.calls) == (200, "hit", first, 1)
    return first


def test_hits_skip_django_and_come_from_the_workers_own_copy(redis_cache, review):
    django = Django()
    app = CachedPagesFirst(django)
    first = warm(app, django, review.url)
    assert b"Dear Comrades!" in first
    # The shared entry is gone without an announcement (Redis evicting it, say): the local copy still answers.
    cache.delete_many(list(app.copies.entries))
    status, head, body = request(app, review.url)
    assert (status, head["x-page-cache"], body, django.calls) == (200, "hit", first, 1)
    # Headers survive: type, length, security headers.
    assert head["content-type"].startswith("text/html")
    assert int(head["content-length"]) == len(first)
    assert head["x-content-type-options"] == "nosniff"
    status, head, body = request(app, review.url, method="HEAD")
    assert (status, head["x-page-cache"], body) == (200, "hit", b"")


def test_a_published_edit_drops_every_local_copy_at_once(redis_cache, review, home_page):
    django = Django()
    app = CachedPagesFirst(django)
    warm(app, django, review.url)
    # Another app (another worker, another server) sees the announcement too.
    other_django = Django()
    other = CachedPagesFirst(other_django)
    warm(other, other_django, "/")
    review.title = "Dear Comrades! (restored)"
    review.save_revision().publish()
    status, head, body = request(app, review.url)
    assert (status, head["x-page-cache"], django.calls) == (200, "miss", 2)
    assert b"Dear Comrades! (restored)" in body
    status, head, body = request(other, "/")
    assert (head["x-page-cache"], other_django.calls) == ("miss", 2)
    assert b"Dear Comrades! (restored)" in body


def test_a_readers_vote_drops_the_reviews_copy(redis_cache, review):
    django = Django()
    app = CachedPagesFirst(django)
    warm(app, django, review.url)
    assert vote(Client(), review, 4).status_code == 200
    status, head, body = request(app, review.url)
    assert (head["x-page-cache"], django.calls) == ("miss", 2)
    assert b"4.0 from 1 reader" in body


def test_readers_with_a_session_editors_and_wrong_hosts_go_to_django(redis_cache, review):
    django = Django()
    app = CachedPagesFirst(django)
    warm(app, django, review.url)
    request(app, review.url, headers=[(b"host", b"localhost"), (b"cookie", b"sessionid=abc")])
    assert django.calls == 2
    request(app, "/admin/", headers=[(b"host", b"localhost")])
    assert django.calls == 3


def test_a_wrong_host_never_gets_a_cached_page(redis_cache, review, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    django = Django()
    app = CachedPagesFirst(django)
    warm(app, django, review.url)
    status, _head, _body = request(app, review.url, headers=[(b"host", b"evil.example")])
    assert (status, django.calls) == (400, 2)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(settings, monkeypatch):
    """A Redis server of this test's own, which it can stop and start again."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (Debian's redis-server package)"
    port = free_port()

    def start():
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return process
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    use_redis(settings, f"redis://127.0.0.1:{port}/0")
    settings.PAGE_CACHE_ENABLED = True
    monkeypatch.setattr(pagefront, "RETRY_SECONDS", 0)
    server = {"process": start()}

    def stop():
        server["process"].terminate()
        server["process"].wait(timeout=10)

    def restart():
        server["process"] = start()

    yield stop, restart
    stop()


def test_while_redis_is_down_nothing_is_served_from_local_copies(own_redis, review, home_page):
    stop, restart = own_redis
    django = Django()
    app = CachedPagesFirst(django)
    warm(app, django, review.url)
    stop()
    # An edit made now cannot be announced; the copy must not be trusted any more.
    review.title = "Dear Comrades! (restored)"
    review.save_revision().publish()
    status, head, body = request(app, review.url)
    assert (status, django.calls) == (200, 2)
    assert b"Dear Comrades! (restored)" in body
    assert app.copies.entries == {}
    restart()
    status, head, body = request(app, review.url)
    assert (status, head["x-page-cache"], django.calls) == (200, "miss", 3)
    for _ in range(2):
        status, head, again = request(app, review.url)
        assert (head["x-page-cache"], again, django.calls) == ("hit", body, 3)
