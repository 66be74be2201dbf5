"""Reader comments: posting, threading, moderation, defences, privacy."""

import io
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from blog.comments.factories import CommentFactory
from blog.comments.forms import TIMESTAMP_SALT, CommentForm, form_token
from blog.comments.models import Comment, CommentSettings
from blog.factories import ReviewPageFactory
from blog.models import ReviewPage
from core.factories import UserFactory
from tests.helpers import JSON


def started(seconds_ago=10):
    return form_token(issued_at=time.time() - seconds_ago)


def form(**overrides):
    data = {
        "name": "Olga",
        "email": "olga@example.com",
        "website": "",
        "text": "The sniper scene stayed with me for days.",
        "started": started(),
        "homepage": "",
        "parent": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def review(review_index):
    return ReviewPageFactory(parent=review_index, title="Dear Comrades!")


def url(review):
    return f"/comments/{review.pk}/"


def post(client, review, **overrides):
    return client.post(url(review), form(**overrides), **JSON)


def page(client, review):
    return BeautifulSoup(client.get(review.url).content, "html.parser")


@pytest.mark.django_db
def test_new_comment_waits_for_moderation_and_only_its_author_sees_it(client, review):
    response = post(client, review)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert "Awaiting moderation" in response.json()["html"]
    comment = Comment.objects.get()
    assert comment.status == "pending"
    # Not in the shared page, for anyone.
    assert "sniper scene" not in client.get(review.url).text
    assert "sniper scene" not in Client().get(review.url).text
    # The author gets it from their private state; others do not.
    mine = client.get(f"/comments/{review.pk}/state/")
    assert "no-store" in mine["Cache-Control"]
    assert "The sniper scene" in mine.json()["pending"][0]["html"]
    assert Client().get(f"/comments/{review.pk}/state/").json()["pending"] == []


@pytest.mark.django_db
def test_moderators_are_emailed_about_pending_comments(client, review):
    moderator = UserFactory(email="mod@example.com")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    post(client, review)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.com"]
    assert "Dear Comrades!" in mail.outbox[0].subject
    assert "/admin/snippets/comments/comment/edit/" in mail.outbox[0].body


@pytest.mark.django_db
def test_approved_comments_show_threaded_with_dates_permalinks_and_counts(client, review, review_index):
    first = CommentFactory(review=review, name="Ann", text="First!")
    reply = CommentFactory(review=review, parent=first, name="Boris", text="A reply.")
    CommentFactory(review=review, parent=reply, name="Cleo", text="A reply to the reply.")
    CommentFactory(review=review, name="Spammer", text="Buy now", status="spam")
    CommentFactory(review=review, name="Waiting", text="Pending", status="pending")
    soup = page(client, review)
    assert soup.select_one("#comments-heading").text == "3 comments"
    top = soup.select("#comments > ol > li")
    assert len(top) == 1
    assert top[0]["id"] == f"comment-{first.pk}"
    assert top[0].select_one(".comment__permalink")["href"] == f"#comment-{first.pk}"
    assert top[0].select_one("time")["datetime"]
    nested = top[0].select_one(f"#comment-{reply.pk}")
    assert nested.select_one(".comment__author").text == "Boris"
    assert "A reply to the reply." in nested.text
    assert "Buy now" not in soup.text and "Pending" not in soup.select_one("#comments").text
    card = BeautifulSoup(client.get("/").content, "html.parser").select_one(".review-card__comments")
    assert card.text.strip() == "3 comments"


@pytest.mark.django_db
def test_more_than_fifty_threads_are_paginated(client, review):
    CommentFactory.create_batch(55, review=review)
    first = page(client, review)
    assert len(first.select("#comments > ol > li")) == 50
    assert "Comments page 1 of 2" in first.text
    second = BeautifulSoup(client.get(review.url, {"comments": 2}).content, "html.parser")
    assert len(second.select("#comments > ol > li")) == 5
    assert client.get(review.url, {"comments": "junk"}).status_code == 200


@pytest.mark.django_db
def test_text_is_escaped_line_breaks_kept_and_links_marked_ugc(client, review):
    CommentFactory(
        review=review,
        name="Ann",
        website="https://ann.example/",
        text='Line one\nsee www.example.com & "quotes" javascript:alert(1)',
    )
    comment = page(client, review).select_one(".comment")
    text = comment.select_one(".comment__text")
    assert text.find("br") is not None
    link = text.find("a")
    assert link["href"] == "http://www.example.com"
    assert link["rel"] == ["ugc", "nofollow", "noopener"]
    assert comment.select_one(".comment__author a")["rel"] == ["ugc", "nofollow", "noopener"]
    assert not text.find("script")
    assert "javascript:alert(1)" in text.text
    assert text.find("a", href=lambda h: h and h.startswith("javascript")) is None


@pytest.mark.django_db
def test_reply_goes_under_its_parent(client, review):
    parent = CommentFactory(review=review)
    response = post(client, review, parent=str(parent.pk))
    assert response.status_code == 201
    assert response.json()["parent"] == parent.pk
    reply = Comment.objects.get(parent=parent)
    assert (reply.root_id, reply.depth) == (parent.pk, 1)


@pytest.mark.django_db
def test_known_commenters_are_auto_approved_when_the_site_says_so(client, review):
    first = post(client, review).json()
    assert first["status"] == "pending"
    Comment.objects.update(status=Comment.Status.APPROVED)  # a moderator approves Olga's comment
    assert post(client, review).json()["status"] == "pending"  # the setting is off
    settings = CommentSettings.for_site(review.get_site())
    settings.auto_approve_known_commenters = True
    settings.save()
    assert post(client, review, text="And the score, too.").json()["status"] == "approved"
    # ...but never with a handful of links.
    links = "see https://a.example https://b.example https://c.example"
    assert post(client, review, text=links).json()["status"] == "pending"


@pytest.mark.django_db
def test_typing_a_known_commenters_email_earns_no_trust(client, review):
    settings = CommentSettings.for_site(review.get_site())
    settings.auto_approve_known_commenters = True
    settings.save()
    CommentFactory(review=review, email="olga@example.com", status=Comment.Status.APPROVED)
    impostor = post(Client(), review, name="Olga", email="OLGA@example.com", text="Buy followers here.")
    assert impostor.json()["status"] == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "x" * 20000}, "under 5,000 characters"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"name": "<script>alert(1)</script>"}, "Names cannot contain"),
        ({"text": "Nice <script>alert(1)</script>"}, "HTML tags are not allowed"),
        ({"homepage": "http://spam.example"}, "could not be accepted"),
        ({"started": lambda: started(0)}, "That was quick!"),
        ({"started": "forged"}, "This form has expired"),
        ({"started": lambda: started(60 * 60 * 25)}, "This form has expired"),
        ({"parent": "999999"}, "not on this review"),
    ],
)
def test_bad_comments_are_refused_and_nothing_is_stored(client, review, overrides, message):
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    response = post(client, review, **overrides)
    assert response.status_code == 400
    assert message in response.json()["error"]
    html = client.post(url(review), form(**overrides))
    assert html.status_code == 400
    assert message in html.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_reply_to_a_comment_of_another_review_is_refused(client, review, review_index):
    elsewhere = CommentFactory(review=ReviewPageFactory(parent=review_index))
    response = post(client, review, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_replies_stop_three_levels_deep(client, review):
    a = CommentFactory(review=review)
    b = CommentFactory(review=review, parent=a)
    c = CommentFactory(review=review, parent=b)
    assert post(client, review, parent=str(c.pk)).status_code == 400


@pytest.mark.django_db
def test_drafts_and_closed_reviews_take_no_comments(client, review, review_index):
    draft = ReviewPageFactory(parent=review_index, live=False)
    assert post(client, draft).status_code == 404
    assert client.get(f"/comments/{draft.pk}/state/").status_code == 404
    ReviewPage.objects.filter(pk=review.pk).update(comments_open=False)
    closed = post(client, review)
    assert closed.status_code == 403
    assert closed.json()["error"] == "Comments are closed for this review."
    assert "Comments are closed for this review." in client.get(review.url).text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_site_setting_closes_comments_after_n_days(client, review):
    settings = CommentSettings.for_site(review.get_site())
    settings.close_comments_after_days = 30
    settings.save()
    ReviewPage.objects.filter(pk=review.pk).update(first_published_at=timezone.now() - timedelta(days=31))
    assert post(client, review).status_code == 403
    ReviewPage.objects.filter(pk=review.pk).update(first_published_at=timezone.now() - timedelta(days=29))
    assert post(client, review).status_code == 201


@pytest.mark.django_db
def test_csrf_token_is_required(review):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(review), form(), **JSON).status_code == 403
    token = client.get(f"/comments/{review.pk}/state/").json()["csrf_token"]
    assert client.post(url(review), form(csrfmiddlewaretoken="x" * 64), **JSON).status_code == 403
    assert not Comment.objects.exists()
    assert client.post(url(review), form(csrfmiddlewaretoken=token), **JSON).status_code == 201


@pytest.mark.django_db
def test_rate_limit_per_address(review, settings):
    settings.COMMENT_RATE_LIMIT = 2
    for _ in range(2):
        assert post(Client(REMOTE_ADDR="203.0.113.9"), review).status_code == 201
    burst = post(Client(REMOTE_ADDR="203.0.113.9"), review)
    assert burst.status_code == 429
    assert Comment.objects.count() == 2
    assert post(Client(REMOTE_ADDR="198.51.100.3"), review).status_code == 201


@pytest.mark.django_db
def test_a_form_sends_one_comment_and_a_resend_stores_nothing(client, review):
    token = started()
    first = post(client, review, started=token)
    assert first.status_code == 201
    again = post(client, review, started=token)  # a double click, or a retry after an error page
    assert again.status_code == 400
    assert "already been sent" in again.json()["error"]
    resent_html = client.post(url(review), form(started=token))
    assert resent_html.status_code == 400
    assert "already been sent" in resent_html.text
    assert Comment.objects.count() == 1
    # The success answer carries a fresh token for the page's next comment, usable at once: it keeps
    # the time the reader opened the form, so a quick reply is not taken for a bot's.
    fresh = first.json()["started"]
    assert fresh != token
    assert post(client, review, started=fresh, text="And the ending.").status_code == 201
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_token_from_before_tokens_carried_an_id_has_expired(client, review):
    old_style = signing.dumps(time.time() - 10, salt=TIMESTAMP_SALT)
    response = post(client, review, started=old_style)
    assert response.status_code == 400
    assert "This form has expired" in response.json()["error"]
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_other_methods_refused(client, review):
    assert client.put(url(review)).status_code == 405
    assert client.post(f"/comments/{review.pk}/state/").status_code == 405
    assert client.get("/comments/abc/").status_code == 404


@pytest.mark.django_db
def test_without_javascript_the_comment_page_posts_and_redirects_back(client, review):
    fallback = page(client, review).select_one("[data-comment-fallback] a")
    assert fallback["href"] == url(review)
    soup = BeautifulSoup(client.get(url(review)).content, "html.parser")
    assert soup.select_one('input[name="csrfmiddlewaretoken"]')["value"]
    assert soup.select_one('input[name="started"]')["value"]
    assert soup.select_one("label[for=id_name]").text == "Name"
    response = client.post(url(review), form())
    assert response.status_code == 302
    assert response["Location"] == f"{review.url}#comments"
    assert "awaiting moderation" in client.get(review.url).text


@pytest.mark.django_db
def test_shared_page_html_has_no_token_or_pending_comment(client, review):
    post(client, review)
    client.get(review.url)  # the thank-you message
    soup = page(client, review)
    form_el = soup.select_one("[data-comment-form]")
    assert form_el.select_one('[name="csrfmiddlewaretoken"]')["value"] == ""
    assert form_el.select_one('[name="started"]').get("value", "") == ""
    assert soup.select(".comment--pending") == []


@pytest.mark.django_db
def test_moderation_queue_filters_and_search(moderator_client, review):
    CommentFactory(review=review, text="Pending about snipers", status="pending")
    CommentFactory(review=review, text="Approved about music", status="approved")
    listing = moderator_client.get("/admin/snippets/comments/comment/?status=pending").text
    assert "Pending about snipers" in listing and "Approved about music" not in listing
    found = moderator_client.get("/admin/snippets/comments/comment/?q=music").text
    assert "Approved about music" in found and "Pending about snipers" not in found
    dashboard = BeautifulSoup(moderator_client.get("/admin/").content, "html.parser")
    assert dashboard.select_one("[data-pending-count]").text == "1"


@pytest.mark.django_db
def test_bulk_approve_spam_and_delete(moderator_client, review):
    a, b, c = (CommentFactory(review=review, status="pending", text=t) for t in ("one", "two", "three"))
    base = "/admin/bulk/comments/comment"
    ids = f"id={a.pk}&id={b.pk}"
    assert moderator_client.get(f"{base}/approve/?{ids}").status_code == 200
    assert moderator_client.post(f"{base}/approve/?{ids}").status_code == 302
    assert set(Comment.objects.approved().values_list("text", flat=True)) == {"one", "two"}
    moderator_client.post(f"{base}/spam/?id={c.pk}")
    assert Comment.objects.get(pk=c.pk).status == "spam"
    moderator_client.post(f"{base}/delete/?id={c.pk}")
    assert not Comment.objects.filter(pk=c.pk).exists()
    assert "one" in Client().get(review.url).text


@pytest.mark.django_db
def test_moderator_approves_one_comment_from_its_edit_view(moderator_client, review):
    comment = CommentFactory(review=review, status="pending", text="Hello there")
    edit = f"/admin/snippets/comments/comment/edit/{comment.pk}/"
    assert "Hello there" in moderator_client.get(edit).text
    assert moderator_client.post(edit, {"status": "approved"}).status_code == 302
    assert "Hello there" in Client().get(review.url).text


@pytest.mark.django_db
def test_erase_every_comment_of_an_email(review):
    CommentFactory(review=review, email="olga@example.com")
    CommentFactory(review=review, email="OLGA@example.com", status="pending")
    keep = CommentFactory(review=review, email="ann@example.com")
    out = io.StringIO()
    call_command("erase_comments", "olga@example.com", "--dry-run", stdout=out)
    assert "2 comment(s)" in out.getvalue() and Comment.objects.count() == 3
    call_command("erase_comments", "olga@example.com", stdout=io.StringIO())
    assert list(Comment.objects.all()) == [keep]


@pytest.mark.django_db
def test_approving_or_deleting_refreshes_the_cached_review(review, caching_proxy, django_capture_on_commit_callbacks):
    comment = CommentFactory(review=review, status="pending")
    assert caching_proxy == []
    with django_capture_on_commit_callbacks(execute=True):
        comment.status = "approved"
        comment.save()
    assert review.url in caching_proxy
    caching_proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()
    assert review.url in caching_proxy


def form_controls(html):
    """Every input and textarea of ``html`` with the attributes a reader's browser acts on, and the labels."""
    soup = BeautifulSoup(html, "html.parser")
    shown = ("type", "maxlength", "required", "autocomplete", "rows", "tabindex")
    controls = {
        tag["name"]: (tag.name, tag.get("id"), {name: tag.get(name) for name in shown})
        for tag in soup.find_all(["input", "textarea"])
    }
    labels = {label["for"]: label.get_text(" ", strip=True) for label in soup.find_all("label")}
    return controls, labels


@pytest.mark.django_db
def test_the_review_pages_written_out_form_matches_the_comment_form(client, review):
    """The review page's empty form is written out by hand; it must ask for what CommentForm checks."""
    rendered = render_to_string(
        "comments/form_fields.html", {"form": CommentForm(review=review, auto_id="id_comment_%s")}
    )
    on_the_page = str(page(client, review).select_one("[data-comment-form]"))
    shown_controls, shown_labels = form_controls(on_the_page)
    checked_controls, form_labels = form_controls(rendered)
    shown_controls.pop("csrfmiddlewaretoken")  # comments.js fills it in
    assert shown_controls == checked_controls
    assert shown_labels == form_labels
