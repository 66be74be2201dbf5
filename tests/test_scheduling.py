"""Scheduled publishing fires on its own: `manage.py run_scheduler` publishes and expires on time."""

import datetime
import io
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from blog.factories import ReviewPageFactory
from blog.models import ReviewPage
from core.scheduling import run_pass
from tests.stack import demo_behind_varnish, wait_until

WORDPRESS_EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "film-blog.xml"
# Run in the stack's own process: one review copied and scheduled a few seconds
# ahead, the newest demo review set to expire at the same moment.
SCHEDULE = """
import datetime
from django.utils import timezone
from blog.models import ReviewPage
soon = timezone.now() + datetime.timedelta(seconds=15)
embargoed = ReviewPage.objects.get(slug="ida").copy(
    update_attrs={"title": "An Embargoed Premiere", "slug": "an-embargoed-premiere"}, keep_live=False
)
embargoed.go_live_at = soon
embargoed.save_revision().publish()
leaving = ReviewPage.objects.get(slug="dear-comrades")
leaving.expire_at = soon
leaving.save_revision().publish()
"""
COUNT_SCHEDULED_ACTIONS = """
from wagtail.models import PageLogEntry, Revision
actions = PageLogEntry.objects.values_list("action", flat=True)
print(list(actions).count("wagtail.publish.scheduled"), list(actions).count("wagtail.unpublish.scheduled"))
"""


def test_scheduled_reviews_go_live_and_expire_through_the_running_scheduler_and_varnish(tmp_path, redis_url):
    """The README's stack with two schedulers running at once: Varnish keeps the home page until the
    scheduled time, then the next reader sees the new review and not the expired one; each change is
    made exactly once."""
    with demo_behind_varnish(
        tmp_path,
        REDIS_URL=f"{redis_url}/0",
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
    ) as (app, varnish):
        with (
            app.serving(),
            app.running("run_scheduler", "--interval", "1"),
            app.running("run_scheduler", "--interval", "1"),
        ):
            wait_until(lambda: varnish.get("/healthz").status == 200)
            varnish.get("/")  # the first render makes the cards' renditions: slow on a busy machine
            app.shell(SCHEDULE)
            # Varnish holds the home page as it is before the scheduled time.
            wait_until(lambda: varnish.get("/").headers["X-Cache"] == "hit", seconds=10)
            home = varnish.get("/")
            assert home.headers["X-Cache"] == "hit"
            assert "An Embargoed Premiere" not in home.body and "/reviews/dear-comrades/" in home.body
            assert varnish.get("/reviews/an-embargoed-premiere/").status == 404

            wait_until(lambda: "An Embargoed Premiere" in varnish.get("/").body, seconds=30)
            home = varnish.get("/")
            assert "/reviews/dear-comrades/" not in home.body  # expired at the same moment
            assert varnish.get("/reviews/an-embargoed-premiere/").status == 200
            assert varnish.get("/reviews/dear-comrades/").status == 404
            assert "An Embargoed Premiere" in varnish.get("/feeds/rss/").body
            assert "/reviews/dear-comrades/" not in varnish.get("/feeds/rss/").body
            assert '"scheduler": "ok"' in varnish.get("/healthz").body
        assert app.shell(COUNT_SCHEDULED_ACTIONS).splitlines()[-1].split() == ["1", "1"]


@pytest.mark.django_db
def test_a_pass_publishes_only_what_is_due_and_expires_only_what_has_passed(review_index):
    now = timezone.now()
    later = ReviewPageFactory(parent=review_index, live=False)
    later.go_live_at = now + datetime.timedelta(hours=1)
    later.save_revision().publish()
    staying = ReviewPageFactory(parent=review_index, expire_at=now + datetime.timedelta(hours=1))

    assert run_pass() == (0, 0)
    later.refresh_from_db()
    assert not later.live and later.get_latest_revision().approved_go_live_at is not None
    staying.refresh_from_db()
    assert staying.live


@pytest.mark.django_db
def test_a_go_live_time_already_past_publishes_at_once(review_index):
    review = ReviewPageFactory(parent=review_index, live=False)
    review.go_live_at = timezone.now() - datetime.timedelta(hours=1)
    review.save_revision().publish()
    review.refresh_from_db()
    assert review.live and review.get_latest_revision().approved_go_live_at is None
    assert run_pass() == (0, 0)


@pytest.mark.django_db
def test_the_scheduler_publishes_a_scheduled_wordpress_post_at_its_date(review_index, tmp_path):
    """WordPress's "future" posts arrive scheduled; run_scheduler publishes them when their date comes."""
    moment = (timezone.now() + datetime.timedelta(seconds=6)).replace(microsecond=0)
    export = tmp_path / "export.xml"
    export.write_text(WORDPRESS_EXPORT.read_text().replace("2030-01-01 09:00:00", f"{moment:%Y-%m-%d %H:%M:%S}"))
    call_command("import_wordpress", str(export), stdout=io.StringIO(), stderr=io.StringIO())
    hunt = ReviewPage.objects.get(slug="the-hunt")
    assert not hunt.live and hunt.go_live_at == moment

    call_command("run_scheduler", "--once")
    hunt.refresh_from_db()
    assert not hunt.live  # not yet

    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.2)
    call_command("run_scheduler", "--once")
    hunt.refresh_from_db()
    assert hunt.live and hunt.first_published_at >= moment
    assert Client().get(hunt.url).status_code == 200
    assert PageLogEntry.objects.filter(page=hunt, action="wagtail.publish.scheduled").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("interval", ["0", "-5", "86400"])
def test_run_scheduler_refuses_an_interval_it_cannot_keep(interval):
    with pytest.raises(CommandError, match="--interval"):
        call_command("run_scheduler", "--once", "--interval", interval, stdout=io.StringIO())


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: run with DATABASE_URL=postgres://… (CI does)",
)
@pytest.mark.django_db(transaction=True)
def test_schedulers_passing_at_the_same_instant_publish_each_review_once(review_index):
    schedulers, due = 4, 10
    drafts = [ReviewPageFactory(parent=review_index, live=False) for _ in range(due)]
    # Made first, then scheduled a few seconds ahead: a review scheduled for a time that
    # has passed by the time it is published goes live at once, and is no test of the schedulers.
    moment = timezone.now() + datetime.timedelta(seconds=5)
    for review in drafts:
        review.go_live_at = moment
        review.save_revision().publish()
    assert Revision.objects.filter(approved_go_live_at=moment).count() == due, "the machine was too slow"
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.1)
    start = threading.Barrier(schedulers)

    def scheduler(_):
        try:
            start.wait()
            return run_pass()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=schedulers) as pool:
        passes = list(pool.map(scheduler, range(schedulers)))

    assert sorted(published for published, _expired in passes) == [0] * (schedulers - 1) + [due]
    assert PageLogEntry.objects.filter(action="wagtail.publish.scheduled").count() == due
    assert ReviewPage.objects.live().count() == due
