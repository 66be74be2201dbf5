"""manage.py import_letterboxd EXPORT.zip [--publish] [--ratings-as-drafts] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.imports.pages import NoSiteError
from blog.imports.report import progress_bar, write_summary
from blog.letterboxd import export as letterboxd
from blog.letterboxd.importer import Importer, Options


class Command(BaseCommand):
    help = (
        "Import a Letterboxd data export (Settings → Import & Export → Export your data): the ZIP, or the folder "
        "it unpacks to. Reviews become draft reviews (or published ones with --publish) with their ratings, tags, "
        "dates and re-watches. Running it again updates what changed and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the ZIP Letterboxd sent, or its unpacked folder")
        parser.add_argument(
            "--publish", action="store_true", help="publish the reviews at their Letterboxd dates (default: drafts)"
        )
        parser.add_argument(
            "--ratings-as-drafts",
            action="store_true",
            help="make a draft review for each film rated without a review (default: skip them)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would happen and write nothing")

    def handle(self, *args, export, publish, ratings_as_drafts, dry_run, **options):
        try:
            data = letterboxd.read(export)
        except letterboxd.ExportError as error:
            raise CommandError(str(error)) from None
        settings = Options(publish=publish, ratings_as_drafts=ratings_as_drafts, dry_run=dry_run)
        importer = Importer(data, settings, progress=progress_bar(self, options["verbosity"]))
        try:
            report = importer.run()
        except NoSiteError as error:
            raise CommandError(str(error)) from None
        title = f"Letterboxd import of {importer.critic or data.name}" + (" (published)" if publish else " (drafts)")
        write_summary(self, report, title + (" — DRY RUN, nothing was written" if dry_run else ""))
