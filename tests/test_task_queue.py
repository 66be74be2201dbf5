"""Background work on the database task queue and its worker."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from blog.factories import ReviewPageFactory


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
