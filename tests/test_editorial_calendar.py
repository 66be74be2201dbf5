"""What goes out when: the admin's Reviews filters, the editorial calendar report and the dashboard panel."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.factories import CriticFactory, ReviewPageFactory
from blog.models import Critic, ReviewPage
from core.factories import UserFactory
from core.scheduling import run_pass
from tests.helpers import soup


def schedule(review, when):
    review.go_live_at = when
    review.save_revision().publish()  # in the future: Wagtail schedules it instead


@pytest.fixture
def newsroom(review_index):
    """An editor who is also a critic, a guest critic, and reviews live, draft, scheduled and expired."""
    now = timezone.now()
    editor = UserFactory(username="sam", first_name="Sam", last_name="Okafor")
    editor.groups.add(Group.objects.get(name="Editors"))
    sam = CriticFactory(name="Sam Okafor", user=editor)
    guest = CriticFactory(name="Priya Nair")
    live = ReviewPageFactory(parent=review_index, title="Live One", critics=[sam])
    draft = ReviewPageFactory(parent=review_index, title="Draft One", critics=[guest], live=False)
    tomorrow = ReviewPageFactory(parent=review_index, title="Tomorrow", critics=[sam, guest], live=False)
    schedule(tomorrow, now + datetime.timedelta(days=1))
    next_month = ReviewPageFactory(parent=review_index, title="Next Month", critics=[guest], live=False)
    schedule(next_month, now + datetime.timedelta(days=30))
    gone = ReviewPageFactory(parent=review_index, title="Gone", critics=[guest])
    ReviewPage.objects.filter(pk=gone.pk).update(expire_at=now - datetime.timedelta(days=2))
    run_pass()  # the scheduler takes "Gone" down
    leaving = ReviewPageFactory(
        parent=review_index, title="Leaving Soon", critics=[sam], expire_at=now + datetime.timedelta(days=3)
    )
    return {"editor": editor, "live": live, "draft": draft, "tomorrow": tomorrow, "leaving": leaving}


def listed(client, **filters):
    response = client.get("/admin/reviews/", filters)
    assert response.status_code == 200
    return sorted(a.text.strip() for a in soup(response).select("table.listing .title-wrapper a, table.listing h2 a"))


@pytest.mark.django_db
def test_the_reviews_listing_filters_by_my_reviews_critic_and_status(client, newsroom):
    client.force_login(newsroom["editor"])
    everything = listed(client)
    assert {"Live One", "Draft One", "Tomorrow", "Next Month", "Gone", "Leaving Soon"} <= set(everything)
    assert listed(client, mine="yes") == ["Leaving Soon", "Live One", "Tomorrow"]
    guest = Critic.objects.get(name="Priya Nair")
    assert listed(client, critic=guest.pk) == ["Draft One", "Gone", "Next Month", "Tomorrow"]
    assert listed(client, status="scheduled") == ["Next Month", "Tomorrow"]
    assert listed(client, status="draft") == ["Draft One"]
    assert listed(client, status="expired") == ["Gone"]
    assert listed(client, status="live", mine="yes") == ["Leaving Soon", "Live One"]
    # Junk values are a form error in the filter panel, not a 500.
    for junk in ({"status": "burnt"}, {"critic": "x"}, {"critic": "99999"}, {"mine": "\u202e"}):
        assert client.get("/admin/reviews/", junk).status_code == 200


@pytest.mark.django_db
def test_the_editorial_calendar_lists_scheduled_expiring_and_recently_expired_reviews(client, newsroom):
    client.force_login(newsroom["editor"])
    response = client.get("/admin/reports/editorial-calendar/")
    assert response.status_code == 200
    going, expiring, expired = (
        [[cell.get_text(" ", strip=True) for cell in row.select("td")[1:]] for row in table.select("tbody tr")]
        for table in soup(response).select("table.listing")
    )
    assert going == [["Tomorrow", "Sam Okafor and Priya Nair"], ["Next Month", "Priya Nair"]]
    assert expiring == [["Leaving Soon", "Sam Okafor"]]
    assert expired == [["Gone", "Priya Nair"]]
    assert soup(response).find("a", string="Tomorrow")["href"] == f"/admin/pages/{newsroom['tomorrow'].pk}/edit/"


@pytest.mark.django_db
def test_the_dashboard_shows_what_goes_out_this_week(client, newsroom):
    client.force_login(newsroom["editor"])
    panel = soup(client.get("/admin/")).find(id="editorial-calendar-heading").find_parent("section")
    rows = [row.select("td")[1].get_text(strip=True) for row in panel.select("tbody tr")]
    assert rows == ["Tomorrow"]  # next month's is on the calendar, not this week's list
    assert panel.find("a", string="Editorial calendar")["href"] == "/admin/reports/editorial-calendar/"
