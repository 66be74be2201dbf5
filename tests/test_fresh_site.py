"""A new site: ``migrate`` alone gives Home and a Reviews section, and both importers work on it.

The last test follows the README's deployment steps on an empty database of the
suite's own kind (a new SQLite file, or a new PostgreSQL database beside the
test database), in subprocesses, as an operator would.
"""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from wagtail.models import Site

from blog.models import ReviewIndexPage
from tests.helpers import soup
from tests.stack import DEPLOY_ENV, ROOT, clean_env

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_migrate_makes_a_live_reviews_section_under_home_in_the_menu(client):
    index = ReviewIndexPage.objects.get()
    assert index.live and index.url == "/reviews/"
    assert index.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    menu = soup(client.get("/")).find("nav", attrs={"aria-label": True})
    assert [a["href"] for a in menu.find_all("a", string="Reviews")] == ["/reviews/"]
    assert client.get("/reviews/").status_code == 200


@pytest.fixture
def empty_database(tmp_path):
    """DATABASE_URL of a database nothing has touched, of the kind this suite runs on."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    params = connection.get_connection_params()
    server = {k: params[k] for k in ("host", "port", "user") if params.get(k)}
    name = f"marquee_fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server['user']}@{server.get('host', '127.0.0.1')}:{server.get('port', 5432)}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, *args, **env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env(), **DEPLOY_ENV, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


LIVE_REVIEWS = """
import json
from blog.models import ReviewPage
print(json.dumps(sorted(p.url_path for p in ReviewPage.objects.live())))
"""


def test_the_readme_deployment_steps_then_both_importers_on_an_empty_database(empty_database):
    manage(empty_database, "migrate", "--noinput")
    manage(
        empty_database,
        "createsuperuser",
        "--noinput",
        "--username=owner",
        "--email=owner@example.com",
        DJANGO_SUPERUSER_PASSWORD="a-long-owner-password",
    )
    wordpress = manage(empty_database, "import_wordpress", str(FIXTURES / "wordpress" / "film-blog.xml"))
    letterboxd = manage(empty_database, "import_letterboxd", str(FIXTURES / "letterboxd" / "export"), "--publish")

    assert "Failures" not in wordpress and "Failures" not in letterboxd
    live = json.loads(manage(empty_database, "shell", "-c", LIVE_REVIEWS).strip().splitlines()[-1])
    # WordPress's published posts and Letterboxd's reviews, all in the Reviews section that migrate made;
    # Dear Comrades! came from WordPress first, so Letterboxd's review of it is skipped, not doubled.
    assert "/home/reviews/dear-comrades/" in live
    assert {"/home/reviews/ivans-childhood/", "/home/reviews/aferim/", "/home/reviews/сталкер/"} <= set(live)
    assert len([path for path in live if "dear-comrades" in path]) == 1
    assert "the site already has a review of this film" in letterboxd
