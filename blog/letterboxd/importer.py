"""Importing a Letterboxd export: reviews (with re-watches from the diary), ratings, lists, the critic.

Every review is remembered in the shared ledger (``blog.imports``) by its
Letterboxd URI with a hash of what was exported, so a second run changes
nothing and a later export updates what changed. Each review is written in its
own transaction: a bad row is skipped with its reason and the rest carries on.

The profile becomes the reviews' critic (name, bio, a link to their Letterboxd
page). The diary's re-watches become each review's rating history; each list
becomes a list page (a draft unless ``--publish``), its films matched to the
site's reviews by title and year, the others kept as films not reviewed here.
"""

import contextlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify

from blog.imports import rich_text
from blog.imports.ledger import Ledger, digest
from blog.imports.pages import home_and_reviews_section, publish_as_of, save_draft, unique_slug
from blog.imports.report import Report
from blog.lists.models import ListEntry, ListPage, lists_section
from blog.lists.ranking import ASCENDING, UNRANKED
from blog.models import Critic, ReviewPage

# Longer than any review Letterboxd accepts; a longer field is not a real export's.
MAX_REVIEW_CHARS = 100_000
FIRST_FILM_YEAR = 1888
# A line on its own that warns of spoilers: what follows it is folded away.
SPOILER_WARNING = re.compile(
    r"^\W*(this review (may )?contains? spoilers|(contains |major )?spoilers?( ahead| below| warning| alert)?)\W*$",
    re.I,
)
YES = {"yes", "true", "1"}


@dataclass
class Options:
    publish: bool = False  # publish with the original dates; else drafts for the critic to check
    ratings_as_drafts: bool = False  # ratings without a review become draft reviews holding the rating
    dry_run: bool = False


class RowError(ValueError):
    """A row that cannot become a review: the message is the reason counted in the summary."""


def film_key(name, year):
    return (name.strip().casefold(), year)


def parse_rating(raw):
    """Letterboxd's ½–5 stars ("4.5") → Decimal; "" → None; anything else → RowError."""
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowError(f"rating “{raw[:20]}” is not a number of stars") from None
    if not Decimal("0.5") <= value <= 5 or value * 2 != int(value * 2):
        raise RowError(f"rating “{raw[:20]}” is not between ½ and 5 stars in halves")
    return value


def parse_year(raw):
    if not raw:
        return None
    if not raw.isdigit() or not FIRST_FILM_YEAR <= int(raw) <= timezone.now().year + 5:
        raise RowError(f"year “{raw[:20]}” is not a film's year")
    return int(raw)


def parse_date(raw):
    """A Letterboxd date ("2024-03-01") as an aware datetime at noon, or None."""
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise RowError(f"date “{raw[:20]}” is not a date") from None
    return timezone.make_aware(datetime.combine(day, time(12)))


def is_yes(raw):
    return raw.strip().lower() in YES


class Importer:
    def __init__(self, export, options, progress=None):
        self.export = export
        self.options = options
        self.report = Report()
        self.progress = progress or (lambda iterable, **kw: iterable)
        profile = export.profile
        self.username = (profile.get("Username") or "").strip()
        self.ledger = Ledger(f"letterboxd:{self.username or export.name}")
        full_name = " ".join(n.strip() for n in (profile.get("Given Name"), profile.get("Family Name")) if n)
        self.critic = (full_name.strip() or self.username)[:100]

    def run(self):
        outer = transaction.atomic() if self.options.dry_run else contextlib.nullcontext()
        with outer:
            self.home, self.index = home_and_reviews_section()
            self.report_what_is_not_imported()
            rewatches = self.rewatches_by_film()
            reviewed = {}  # film → (the date of the review's own viewing, what the import did)
            for row in self.progress(self.export.reviews, desc="Reviews", unit="review"):
                self.in_own_transaction("review", row, self.import_review, row, rewatches, reviewed)
            self.count_diary(rewatches, reviewed)
            for row in self.progress(self.export.ratings, desc="Ratings", unit="rating"):
                self.in_own_transaction("rating", row, self.import_rating, row, reviewed)
            for film_list in self.export.lists:
                self.import_list_in_own_transaction(film_list)
            if self.options.dry_run:
                transaction.set_rollback(True)
        return self.report

    def in_own_transaction(self, kind, row, handler, *args):
        label = f"{row.file} line {row.line} “{row['Name'][:60]}”"
        if row.error:
            self.report.skip(kind, f"row {row.error}")
            self.report.warnings.append(f"{label}: {row.error}")
            return
        try:
            with transaction.atomic():
                handler(*args)
        except RowError as error:
            self.report.skip(kind, str(error))
            self.report.warnings.append(f"{label}: skipped, {error}")
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the rest
            self.report.fail(kind, label, f"{type(error).__name__}: {error}")

    def report_what_is_not_imported(self):
        for name in self.export.other_files:
            self.report.skipped[f"file {name}: not something Marquee publishes"] += 1
        for name in self.export.unsafe_entries:
            self.report.skipped["ZIP entry outside the export (../ or absolute path): never read"] += 1
            self.report.warnings.append(f"ZIP entry “{name[:100]}” points outside the export; ignored")

    # -- reviews -------------------------------------------------------------

    def rewatches_by_film(self):
        """Diary rows marked as re-watches, by film: they become the review's viewing history."""
        found = {}
        for row in self.export.diary:
            if row.error or not is_yes(row["Rewatch"]):
                continue
            try:
                key = film_key(row["Name"], parse_year(row["Year"]))
                watched = parse_date(row["Watched Date"] or row["Date"])
                rating = parse_rating(row["Rating"])
            except RowError as error:
                self.report.skip("diary entry", str(error))
                continue
            if watched:
                found.setdefault(key, []).append((watched.date(), rating))
        return found

    def count_diary(self, rewatches, reviewed):
        for row in self.export.diary:
            if row.error:
                self.report.skip("diary entry", f"row {row.error}")
                continue
            try:
                key = film_key(row["Name"], parse_year(row["Year"]))
                watched = parse_date(row["Watched Date"] or row["Date"])
            except RowError:
                continue  # counted when the re-watches were read
            if key not in reviewed:
                self.report.skip("diary entry", "a viewing of a film with no review")
            elif is_yes(row["Rewatch"]) and watched and watched.date() != reviewed[key][0]:
                self.report.count("diary entry", "unchanged" if reviewed[key][1] == "unchanged" else "imported")
            else:
                self.report.skip("diary entry", "the reviewed viewing itself")

    def import_review(self, row, rewatches, reviewed):
        uri = row["Letterboxd URI"]
        if not uri.startswith(("https://boxd.it/", "https://letterboxd.com/")):
            raise RowError(f"Letterboxd URI “{uri[:60]}” is not a Letterboxd address")
        if not row["Name"]:
            raise RowError("the film has no name")
        year = parse_year(row["Year"])
        rating = parse_rating(row["Rating"])
        published = parse_date(row["Date"])
        text = row.fields.get("Review") or ""
        if len(text) > MAX_REVIEW_CHARS:
            raise RowError(f"review text is {len(text):,} characters; the limit is {MAX_REVIEW_CHARS:,}")
        key = film_key(row["Name"], year)
        seen = parse_date(row["Watched Date"] or row["Date"])
        seen_on = seen.date() if seen else None
        history = sorted(
            {entry for entry in rewatches.get(key, ()) if entry[0] != seen_on}, key=lambda e: (e[0], e[1] or 0)
        )
        fingerprint = digest(sorted(row.fields.items()), history, self.critic, self.options.publish)

        page, outcome = self.page_for("review", uri, fingerprint, row["Name"], year)
        if page is None:
            reviewed[key] = (seen_on, outcome)
            self.report.count("review", outcome)
            return
        self.fill(page, row["Name"], year, rating)
        page.body, page.standfirst = self.body(text, spoilers=is_yes(row["Spoilers"]), title=row["Name"])
        page.rewatches = rewatch_blocks(history, rating)
        page.tags.set([tag.strip()[:100] for tag in row["Tags"].split(",") if tag.strip()])
        if page.pk is None:
            self.index.add_child(instance=page)
        if self.options.publish:
            publish_as_of(page, published)
        else:
            save_draft(page, first_published_at=published)
        if year is None:
            self.report.warnings.append(f"review “{page.title}”: no year in the export; fill it in before publishing")
        self.ledger.remember("review", uri, page, fingerprint)
        reviewed[key] = (seen_on, outcome)
        self.report.count("review", outcome)

    def page_for(self, kind, uri, fingerprint, name, year):
        """(The review to write, "imported" or "updated"), or (None, "unchanged") when the row is as last time.

        Letterboxd is the source: a re-import rewrites what came from it, on top of the latest revision.
        """
        known = self.ledger.remembered(kind, uri)
        page = ReviewPage.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and known.digest == fingerprint:
            return None, "unchanged"
        if page is None:
            self.refuse_a_second_review(name, year)
            return ReviewPage(live=False, slug=self.new_slug(name, year)), "imported"
        return page.get_latest_revision_as_object(), "updated"

    def fill(self, page, name, year, rating):
        page.title = name[:255]
        page.release_year = year
        page.rating = page.original_rating = rating
        if self.critic:
            page.credit_critic(self.byline())

    def byline(self):
        """The profile's critic: name, bio, Letterboxd page and website (filled where the record has none).

        Looked up for each review, inside its transaction: a review rolled back takes nothing with it.
        """
        profile = self.export.profile
        critic = Critic.objects.for_byline(self.critic, bio=profile.get("Bio") or "")
        if not critic.links:
            links = [("letterboxd", f"https://letterboxd.com/{quote(self.username)}/")] if self.username else []
            website = (profile.get("Website") or "").strip()
            if website.startswith(("https://", "http://")) and len(website) <= 200:
                links.append(("website", website))
            critic.links = [("link", {"platform": kind, "url": url, "label": ""}) for kind, url in links]
            critic.save(update_fields=["links"])
        return critic

    def new_slug(self, name, year):
        """The film's title (``/reviews/aferim/``), with its year when another film took the title."""
        slug = unique_slug(self.index, name)
        if year and slug != (slugify(name, allow_unicode=True)[:200] or "imported"):
            slug = unique_slug(self.index, f"{name} {year}")
        return slug

    def refuse_a_second_review(self, name, year):
        """Films are matched by title and year: one the site already reviews (say, from WordPress) is left alone."""
        taken = ReviewPage.objects.filter(title__iexact=name, release_year=year).first()
        if taken is not None:
            raise RowError(f"the site already has a review of this film (page {taken.pk}, “{taken.title}”)")

    def body(self, text, spoilers, title):
        """(StreamField blocks, standfirst): the text before any spoiler warning, the rest folded away."""
        text = text.replace("\r\n", "\n")
        before, after = text, ""
        lines = text.split("\n")
        for n, line in enumerate(lines):
            if SPOILER_WARNING.match(line.strip()):
                before, after = "\n".join(lines[:n]), "\n".join(lines[n + 1 :])
                break
        if spoilers and not after.strip():
            before, after = "", text  # Letterboxd marked the whole review
        blocks = list(self.blocks(before, title))
        if after.strip():
            folded = "".join(value for kind, value in self.blocks(after, title) if kind == "paragraph")
            blocks.append(("spoiler", {"summary": "Spoilers", "text": folded}))
        first = next((value for kind, value in blocks if kind == "paragraph"), "") if before.strip() else ""
        standfirst = Truncator(html.unescape(strip_tags(first)).strip()).chars(300) if first else ""
        return blocks, standfirst

    def blocks(self, html, title):
        for kind, value in rich_text.convert(html).blocks:
            if kind == "image":
                continue  # Letterboxd reviews carry no pictures of their own
            if kind == "trailer":
                value = {"url": value["url"], "title": f"Video: {title}"[:100], "caption": value.get("caption", "")}
            yield kind, value

    # -- lists ---------------------------------------------------------------

    def import_list_in_own_transaction(self, film_list):
        label = f"lists/{film_list.slug}.csv “{film_list.name[:60]}”"
        try:
            with transaction.atomic():
                self.import_list(film_list)
        except RowError as error:
            self.report.skip("list", str(error))
            self.report.warnings.append(f"{label}: skipped, {error}")
        except Exception as error:  # noqa: BLE001 - one bad list must not stop the rest
            self.report.fail("list", label, f"{type(error).__name__}: {error}")

    def import_list(self, film_list):
        """The list as a list page: its films in Letterboxd's order, each a review here if the site has one."""
        if not film_list.name:
            raise RowError("the list has no name")
        uri = film_list.url or f"lists/{film_list.slug}"
        entries = []
        for row in film_list.entries:
            if row.error or not row["Name"]:
                raise RowError(f"line {row.line}: {row.error or 'a film with no name'}")
            year = parse_year(row["Year"])
            entries.append((row["Name"][:255], year, row["Description"][:2000]))
        ranked = any(row["Position"] for row in film_list.entries)
        fingerprint = digest(film_list.name, film_list.description, entries, ranked, self.options.publish)
        known = self.ledger.remembered("list", uri)
        page = ListPage.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and known.digest == fingerprint:
            self.report.count("list", "unchanged")
            return
        outcome = "imported" if page is None else "updated"
        page = ListPage(live=False) if page is None else page.get_latest_revision_as_object()
        page.title = film_list.name[:255]
        page.intro = f"<p>{escape(film_list.description)}</p>" if film_list.description else ""
        page.numbering = ASCENDING if ranked else UNRANKED
        page.entries.set([self.list_entry(place, *entry) for place, entry in enumerate(entries)])
        if page.pk is None:
            section = lists_section()
            page.slug = unique_slug(section, film_list.name)
            section.add_child(instance=page)
        if self.options.publish:
            publish_as_of(page, parse_date(film_list.date))
        else:
            save_draft(page, first_published_at=parse_date(film_list.date))
        self.ledger.remember("list", uri, page, fingerprint)
        self.report.count("list", outcome)

    def list_entry(self, place, name, year, description):
        review = ReviewPage.objects.filter(title__iexact=name, release_year=year).first()
        note = f"<p>{escape(description)}</p>" if description else ""
        if review is not None:
            entry = ListEntry(sort_order=place, review=review, note=note)
            entry.film_title, entry.film_year = review.title, review.release_year
            return entry
        return ListEntry(sort_order=place, film_title=name, film_year=year, note=note)

    # -- ratings without a review --------------------------------------------

    def import_rating(self, row, reviewed):
        year = parse_year(row["Year"])
        rating = parse_rating(row["Rating"])
        if film_key(row["Name"], year) in reviewed:
            self.report.skip("rating", "the film's review carries it")
            return
        if not self.options.ratings_as_drafts:
            self.report.skip("rating", "a rating without a review (--ratings-as-drafts imports them)")
            return
        uri = row["Letterboxd URI"]
        fingerprint = digest(sorted(row.fields.items()), self.critic)
        page, outcome = self.page_for("rating", uri, fingerprint, row["Name"], year)
        if page is None:
            self.report.count("rating", outcome)
            return
        self.fill(page, row["Name"], year, rating)
        if page.pk is None:
            self.index.add_child(instance=page)
        save_draft(page, first_published_at=parse_date(row["Date"]))
        self.ledger.remember("rating", uri, page, fingerprint)
        self.report.count("rating", outcome)


def rewatch_blocks(history, rating):
    """The diary's re-watches, oldest first, as the review's re-watches.

    Letterboxd logs a viewing without a rating when the critic gave none that
    time: the rating they had given before carries on, rather than the review
    becoming "not rated".
    """
    blocks = []
    for watched, rated in history:
        rating = rated or rating
        stars = f"{float(rating):g}" if rating is not None else ""
        blocks.append(("rewatch", {"watched_on": watched, "stars": stars, "kind": "rewatch", "addendum": ""}))
    return blocks
