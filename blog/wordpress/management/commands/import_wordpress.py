"""manage.py import_wordpress EXPORT.xml --uploads DIR [--dry-run] [--rating-key KEY …]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.imports.pages import NoSiteError
from blog.imports.report import progress_bar, write_summary
from blog.wordpress import wxr
from blog.wordpress.importer import Importer, Options


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.1/1.2) and its wp-content/uploads folder: posts become "
        "reviews, pages content pages, with images, categories (genres), tags, comments, ratings, affiliate links "
        "and redirects from the old addresses. Running it again updates what changed and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the WXR file WordPress exported")
        parser.add_argument("--uploads", type=Path, help="the site's wp-content/uploads folder")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen and write nothing")
        parser.add_argument(
            "--rating-key",
            action="append",
            dest="rating_keys",
            metavar="KEY",
            help="post meta key holding the critic's rating (repeatable; default: "
            + ", ".join(Options.rating_keys)
            + ")",
        )
        parser.add_argument(
            "--votes-keys",
            action="append",
            dest="vote_keys",
            metavar="COUNT_KEY:SUM_KEY",
            help="post meta keys holding readers' vote count and sum of stars (repeatable; default: "
            + ", ".join(f"{c}:{s}" for c, s in Options.vote_keys)
            + ")",
        )
        parser.add_argument(
            "--year-key",
            action="append",
            dest="year_keys",
            metavar="KEY",
            help="post meta key holding the film's year",
        )
        parser.add_argument(
            "--rating-scale", type=int, default=5, help="the top of the old site's rating scale (default 5)"
        )

    def handle(self, *args, export, uploads, dry_run, rating_keys, vote_keys, year_keys, rating_scale, **options):
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads {uploads} is not a folder")
        if rating_scale not in range(1, 101):
            raise CommandError("--rating-scale must be between 1 and 100")
        settings = Options(uploads=uploads, dry_run=dry_run, rating_scale=rating_scale)
        if rating_keys:
            settings.rating_keys = tuple(rating_keys)
        if year_keys:
            settings.year_keys = tuple(year_keys)
        if vote_keys:
            try:
                settings.vote_keys = tuple(tuple(pair.split(":", 1)) for pair in vote_keys if pair.count(":") == 1)
            except ValueError:
                raise CommandError("--votes-keys takes COUNT_KEY:SUM_KEY") from None
            if len(settings.vote_keys) != len(vote_keys):
                raise CommandError("--votes-keys takes COUNT_KEY:SUM_KEY")

        try:
            data = wxr.read(export)
        except wxr.WXRError as error:
            raise CommandError(str(error)) from None
        if uploads is None:
            self.stderr.write("No --uploads folder given: posts are imported without their images.")

        try:
            report = Importer(data, settings, progress=progress_bar(self, options["verbosity"])).run()
        except NoSiteError as error:
            raise CommandError(str(error)) from None

        title = f"WordPress import of “{data.title or data.base_site_url}” (WXR {data.version})"
        write_summary(self, report, title + (" — DRY RUN, nothing was written" if dry_run else ""))
