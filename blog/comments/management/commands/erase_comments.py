from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from blog.comments.models import Comment


class Command(BaseCommand):
    help = "Erase every comment written with an email address (a reader's erasure request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--dry-run", action="store_true", help="Only say how many comments would go.")

    def handle(self, email, dry_run=False, **options):
        try:
            validate_email(email)
        except Exception as error:
            raise CommandError(f"Not an email address: {email}") from error
        comments = Comment.objects.filter(email__iexact=email.strip())
        count = comments.count()
        if dry_run:
            self.stdout.write(f"{count} comment(s) by {email} would be erased (with the replies under them).")
            return
        with transaction.atomic():
            deleted, _ = comments.delete()
        self.stdout.write(self.style.SUCCESS(f"Erased {count} comment(s) by {email} ({deleted} rows with replies)."))
