"""The README's production stack, started for a test: gunicorn (production settings) on a demo database."""

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.varnish import free_port, running_varnish

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "settings.production",
    "SECRET_KEY": "a-production-like-secret-key-for-tests-only-0123456789",
    "SECURE_SSL_REDIRECT": "0",
}


# The production settings with the environment the README documents, for checks run in a subprocess.
DEPLOY_ENV = {
    "DJANGO_SETTINGS_MODULE": "settings.production",
    "SECRET_KEY": "p" * 20 + "-not-a-real-secret-" + "q" * 20,
    "ALLOWED_HOSTS": "films.example.com",
}


def run_python(code, **env):
    """Python code run in a fresh interpreter under DEPLOY_ENV (and ``env``)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_env(), **DEPLOY_ENV, **env},
        capture_output=True,
        text=True,
    )


def clean_env():
    """This process's environment without what tests set for themselves."""
    test_only = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in test_only}


@dataclass
class App:
    env: dict
    port: int

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "-c", code)

    @contextlib.contextmanager
    def running(self, *args):
        """``manage.py *args`` in the background until the block ends; it must stop cleanly on SIGTERM."""
        process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env)
        try:
            yield process
        finally:
            process.terminate()
            assert process.wait(timeout=20) == 0, f"manage.py {' '.join(args)} exited with {process.returncode}"

    @contextlib.contextmanager
    def serving(self, workers=2):
        """gunicorn with the shipped gunicorn.conf.py until the block ends."""
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {**self.env, "WEB_CONCURRENCY": str(workers)}
        server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "settings.wsgi"], cwd=ROOT, env=env)
        try:
            yield server
        finally:
            server.terminate()
            server.wait(timeout=20)


def demo_app(tmp_path, port, **env):
    """A migrated demo database and the environment to serve it on ``port`` (``env`` added)."""
    app = App(
        env={
            **clean_env(),
            **PRODUCTION_ENV,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            **env,
        },
        port=port,
    )
    app.manage("migrate", "--noinput", "-v0")
    app.manage("collectstatic", "--noinput", "-v0")
    app.manage("load_demo")
    return app


@contextlib.contextmanager
def demo_behind_varnish(tmp_path, **env):
    """(app, varnish): a demo site whose purges go to a Varnish in front of it, which the site calls home."""
    app_port = free_port()
    with running_varnish(app_port) as varnish:
        app = demo_app(tmp_path, app_port, FRONTEND_CACHE_PURGE_URL=varnish.base_url, **env)
        app.shell(f"from wagtail.models import Site; Site.objects.update(hostname='127.0.0.1', port={varnish.port})")
        yield app, varnish


def wait_until(check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    raise AssertionError("timed out waiting")
