"""A reader comments and replies; a moderator approves from the admin queue; everyone sees them."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from blog.comments.factories import CommentFactory
from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from core.factories import UserFactory
from core.roles import sync_roles
from home.factories import site_home
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_comment_is_moderated_then_public(live_server, browser, page):
    review = ReviewPageFactory(parent=ReviewIndexPageFactory(parent=site_home()), title="Dear Comrades!")
    irina = CommentFactory(review=review, name="Irina", text="My grandmother never spoke about that summer.")
    sync_roles()  # the transactional test database starts without the groups
    moderator = UserFactory(username="mod", password="a-long-test-password")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    page.goto(f"{live_server.url}{review.url}")
    comments = page.locator("#comments")
    expect(comments.get_by_role("heading", level=2)).to_have_text("1 comment")

    # A new comment.
    form = comments.locator("form[data-comment-form]")
    expect(form).to_be_visible()
    form.get_by_label("Name").fill("Olga")
    form.get_by_label("Email").fill("olga@example.com")
    form.get_by_label("Comment").fill("The sniper scene stayed with me for days.")
    page.wait_for_timeout(2100)  # people take more than two seconds to write
    form.get_by_role("button", name="Post comment").click()
    expect(comments.get_by_role("status")).to_contain_text("awaiting moderation")
    mine = comments.locator(".comment--pending", has_text="The sniper scene")
    expect(mine).to_contain_text("Awaiting moderation")

    # A reply to Irina, from the same reader.
    comments.get_by_role("link", name="Reply to Irina").click()
    expect(form.locator("[data-replying]")).to_contain_text("Replying to Irina.")
    form.get_by_label("Comment").fill("Mine neither. Thank you for writing this.")
    # (No database query here while the server writes: SQLite's shared in-memory
    # database would refuse the write with "table is locked".)
    form.get_by_role("button", name="Post comment").click()
    expect(page.locator(f'[data-replies-for="{irina.pk}"] .comment--pending')).to_contain_text("Mine neither")

    # The reader sees both after a reload; another reader sees neither.
    page.reload()
    expect(comments.locator(".comment--pending")).to_have_count(2)
    stranger = browser.new_page()
    stranger.goto(f"{live_server.url}{review.url}")
    expect(stranger.locator("#comments")).not_to_contain_text("sniper scene")

    # The moderator approves both from the queue with a bulk action.
    admin = browser.new_page()
    log_in(admin, live_server.url, "mod", "a-long-test-password")
    admin.goto(f"{live_server.url}/admin/snippets/comments/comment/?status=pending")
    expect(admin.get_by_role("table")).to_contain_text("Olga")
    admin.get_by_label("Select all").first.check()
    admin.get_by_role("link", name="Approve selected comments").click()
    admin.get_by_role("button", name="Approve").click()
    expect(admin.get_by_text("2 comments updated.")).to_be_visible()

    stranger.reload()
    thread = stranger.locator("#comments")
    expect(thread.get_by_role("heading", level=2)).to_have_text("3 comments")
    expect(thread).to_contain_text("The sniper scene stayed with me for days.")
    expect(stranger.locator(f'[data-replies-for="{irina.pk}"]')).to_contain_text("Mine neither")
    expect(thread.locator(".comment--pending")).to_have_count(0)
