"""Mail goes out through the task queue: a mail server that is down never breaks a request,
and the mail is sent once it is back. The SMTP server here is real (aiosmtpd)."""

import io
import logging
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from blog.comments.forms import form_token
from blog.comments.models import Comment
from blog.factories import ReviewPageFactory
from core.factories import UserFactory
from tests.helpers import JSON

QUEUED = "core.mail.QueuedEmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_settings(settings):
    """Mail queued and sent over SMTP to a port where, for now, nothing listens."""
    settings.EMAIL_BACKEND = QUEUED
    settings.EMAIL_DELIVERY_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    return settings


def moderator():
    UserFactory(email="mod@example.com").groups.add(Group.objects.get_or_create(name="Moderators")[0])


def post_comment(client, review):
    data = {
        "name": "Olga",
        "email": "olga@example.com",
        "text": "Seen it twice.",
        "started": form_token(time.time() - 10),
    }
    return client.post(f"/comments/{review.pk}/", data, **JSON)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


# Real commits: the worker reads the queue from its own connection.
@pytest.mark.django_db(transaction=True)
def test_a_comment_sent_while_the_mail_server_is_down_is_answered_normally_and_mailed_when_it_is_back(
    mail_server_settings, review_index, client, caplog
):
    mail_server_settings.TASKS = DATABASE_QUEUE
    mail_server_settings.EMAIL_RETRY_DELAYS = (1, 1)
    moderator()
    review = ReviewPageFactory(parent=review_index, title="Dear Comrades!")

    response = post_comment(client, review)

    assert response.status_code == 201
    assert "awaiting moderation" in response.json()["message"]
    assert Comment.objects.count() == 1

    with caplog.at_level(logging.WARNING, logger="core.mail"):
        run_worker()  # the server is down: the attempt fails and the next is queued
    assert "trying again" in caplog.text

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=mail_server_settings.EMAIL_PORT)
    server.start()
    try:
        time.sleep(1.2)  # the retry's delay
        run_worker()
    finally:
        server.stop()

    assert [envelope.rcpt_tos for envelope in inbox.received] == [["mod@example.com"]]
    assert b"New comment awaiting moderation on Dear Comrades!" in inbox.received[0].content
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_the_last_failed_attempt_is_logged_and_the_reader_is_answered_normally(
    mail_server_settings, review_index, client, caplog
):
    mail_server_settings.TASKS = IMMEDIATE  # as under make run: no queue to wait in, so no retry
    moderator()
    review = ReviewPageFactory(parent=review_index)

    with caplog.at_level(logging.ERROR, logger="core.mail"):
        response = post_comment(client, review)

    assert response.status_code == 201
    assert Comment.objects.count() == 1
    assert "Gave up sending 'New comment awaiting moderation" in caplog.text
    assert "mod@example.com after 1 attempt(s)" in caplog.text


@pytest.mark.django_db
def test_a_queued_message_arrives_whole(settings):
    settings.EMAIL_BACKEND = QUEUED
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = IMMEDIATE
    message = mail.EmailMultiAlternatives(
        "Your password", "Plain text", "site@example.com", ["reader@example.com"], reply_to=["help@example.com"]
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("notes.txt", "Attached text", "text/plain")
    message.send()

    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email, sent.to, sent.reply_to) == (
        "Your password",
        "Plain text",
        "site@example.com",
        ["reader@example.com"],
        ["help@example.com"],
    )
    assert [(content, mimetype) for content, mimetype in sent.alternatives] == [("<p>HTML</p>", "text/html")]
    assert [(name, content, mimetype) for name, content, mimetype in sent.attachments] == [
        ("notes.txt", "Attached text", "text/plain")
    ]
