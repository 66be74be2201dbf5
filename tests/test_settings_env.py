"""Settings come from the environment; production refuses to start unconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def load_settings(module, **env):
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "db = settings.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'hosts': settings.ALLOWED_HOSTS,"
        "'cache': settings.CACHES['default']['BACKEND'], 'debug': settings.DEBUG,"
        "'admin_url': settings.WAGTAILADMIN_BASE_URL, 'shared_seconds': settings.CACHE_SHARED_SECONDS}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )


def test_dev_defaults_to_sqlite_in_the_project_and_local_memory_cache():
    import json

    result = load_settings("settings.dev")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["cache"].endswith("LocMemCache")
    assert values["debug"] is True


def test_production_reads_database_redis_hosts_and_admin_url():
    import json

    result = load_settings(
        "settings.production",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="films.example.com,www.films.example.com",
        DATABASE_URL="postgres://marquee:pw@db.internal:5432/marquee",
        REDIS_URL="redis://127.0.0.1:6379/1",
        WAGTAILADMIN_BASE_URL="https://films.example.com",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "marquee"
    assert values["hosts"] == ["films.example.com", "www.films.example.com"]
    assert values["cache"].endswith("RedisCache")
    assert values["debug"] is False
    assert values["admin_url"] == "https://films.example.com"
    assert values["shared_seconds"] == 24 * 3600


def test_production_refuses_to_start_without_secret_key():
    result = load_settings("settings.production", ALLOWED_HOSTS="films.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY environment variable must be set" in result.stderr


def test_production_serves_fingerprinted_static_files_with_debug_off(tmp_path):
    """collectstatic + WhiteNoise: hashed, compressed, cached for a year, no DEBUG."""
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('collectstatic', '--noinput', verbosity=0);"
        "from django.templatetags.static import static; from django.test import Client;"
        "url = static('css/marquee.css'); assert '.css' in url and url != '/static/css/marquee.css', url;"
        "r = Client().get(url, secure=True, HTTP_ACCEPT_ENCODING='gzip');"
        "print(r.status_code, r.headers.get('Content-Encoding'), r.headers.get('Cache-Control'), sep='|')"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "settings.production",
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "testserver",
            "STATIC_ROOT": str(tmp_path / "static"),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    status, encoding, cache_control = result.stdout.strip().split("|")
    assert status == "200"
    assert "max-age=315360000" in cache_control
    assert encoding == "gzip"


@pytest.mark.django_db
def test_postgresql_connections_reuse_plans_and_never_jit_compile():
    """A page's queries are planned once per connection, and no plan waits for JIT compilation."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL connection options: CI runs this suite on PostgreSQL as well")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        for _ in range(3):
            cursor.execute("SELECT count(*) FROM wagtailcore_page WHERE depth = %s", [1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
