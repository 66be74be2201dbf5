"""Every email leaves through the task queue, so no request waits on the mail server or fails with it.

``EMAIL_BACKEND`` is ``QueuedEmailBackend``: Django's ``send_mail``, Wagtail's
password resets and moderation notices, and Marquee's own mail all hand their
messages to it. It queues one ``deliver_email`` task per message, and the task
sends it with ``EMAIL_DELIVERY_BACKEND`` (SMTP in production). A delivery that
fails is queued again after each of ``EMAIL_RETRY_DELAYS`` seconds in turn and
logged as an error when the last one fails too.

With the database queue (``TASKS_BACKEND=database``) ``manage.py db_worker``
sends the mail and its retries. With the immediate backend (``make run``, tests)
the task runs at once; it cannot wait, so a failure is logged and not retried.

Task arguments must be JSON, so a message travels as a dict of its parts (the
text, any HTML alternative, attachments as base64), never pickled.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def as_parts(message):
    """A JSON-ready dict holding everything ``from_parts`` needs to rebuild ``message``."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment  # MIMEBase attachments are not used by any sender here
        data = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(data).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def from_parts(parts):
    message = EmailMultiAlternatives(
        subject=parts["subject"],
        body=parts["body"],
        from_email=parts["from_email"],
        to=parts["to"],
        cc=parts["cc"],
        bcc=parts["bcc"],
        reply_to=parts["reply_to"],
        headers=parts["headers"],
    )
    for content, mimetype in parts["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, data, mimetype in parts["attachments"]:
        message.attach(filename, base64.b64decode(data), mimetype)
    return message


@task()
def deliver_email(parts, attempt=0):
    """Send one message; on failure, queue the next attempt or, after the last, log it as lost."""
    try:
        get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False).send_messages([from_parts(parts)])
    except OSError as error:  # refused, timed out, or an SMTP error (smtplib's are OSErrors)
        delays = settings.EMAIL_RETRY_DELAYS
        recipients = ", ".join(parts["to"] + parts["cc"] + parts["bcc"])
        if attempt < len(delays) and deliver_email.get_backend().supports_defer:
            run_after = timezone.now() + timedelta(seconds=delays[attempt])
            deliver_email.using(run_after=run_after).enqueue(parts, attempt + 1)
            logger.warning(
                "Could not send %r to %s (%s); trying again at %s", parts["subject"], recipients, error, run_after
            )
        else:
            logger.error(
                "Gave up sending %r to %s after %d attempt(s): %s", parts["subject"], recipients, attempt + 1, error
            )


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message for ``deliver_email``; the request carries on at once."""

    def send_messages(self, email_messages):
        for message in email_messages:
            deliver_email.enqueue(as_parts(message))
        return len(email_messages)
