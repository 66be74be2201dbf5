"""``manage.py run_scheduler``: publish and expire scheduled pages on time, until stopped."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from core.scheduling import run_pass

logger = logging.getLogger("marquee.scheduler")


class Command(BaseCommand):
    help = "Publish and expire scheduled pages every --interval seconds (SIGTERM or Ctrl-C stops it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.SCHEDULER_INTERVAL,
            help="Seconds between passes (default: SCHEDULER_INTERVAL, %(default)s).",
        )
        parser.add_argument("--once", action="store_true", help="Run one pass and stop.")

    def handle(self, *args, interval, once, **options):
        if not 0 < interval <= 3600:
            raise CommandError("--interval must be more than 0 and at most 3600 seconds")
        stopping = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stopping.set())
        if not once:
            self.stdout.write(f"Scheduled publishing: a pass every {interval:g} s.")
        while not stopping.is_set():
            try:
                published, expired = run_pass()
            except DatabaseError:
                logger.exception("Scheduled publishing pass failed; the next one tries again")
            else:
                if published or expired:
                    logger.info("Scheduled publishing: %d published, %d expired", published, expired)
            if once:
                break
            stopping.wait(interval)
            # A long-running process sees no request boundaries: drop a connection
            # the database has closed (a restart, CONN_MAX_AGE) before the next pass.
            close_old_connections()
