"""Importing a WordPress export: attachments, posts (reviews), pages, comments, ratings, links, redirects.

Every WordPress object is remembered in the shared ledger (`blog.imports`) by
the site's URL, its kind and its WordPress ID, with a hash of what was exported: a second run with
the same file changes nothing, a later export updates what changed. Each post
(with its comments, links and redirects) is written in its own transaction,
so a failure leaves nothing half-imported and the rest carries on.
"""

import contextlib
import html
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from blog.affiliates.models import AffiliateLink, AffiliateProgram, ReviewAffiliateLink, domain_matches
from blog.comments.models import Comment
from blog.imports import rich_text as converter
from blog.imports.ledger import Ledger, digest
from blog.imports.pages import home_and_reviews_section, publish_as_of, save_draft, schedule, unique_slug
from blog.imports.report import Report
from blog.models import Critic, Genre, Person, ReviewCastMember, ReviewDirector, ReviewPage
from blog.ratings.voting import set_imported_votes

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
KNOWN_TYPES = {"post", "page", "attachment"}
# WordPress's own bookkeeping: not content, so neither used nor reported.
INTERNAL_META = {
    "_edit_last",
    "_edit_lock",
    "_wp_page_template",
    "_wp_old_slug",
    "_wp_old_date",
    "_pingme",
    "_encloseme",
    "_wp_attached_file",
    "_wp_attachment_metadata",
    "_wp_attachment_image_alt",
    "_thumbnail_id",
    "_wp_trash_meta_status",
    "_wp_trash_meta_time",
}
STATUS_FOR_COMMENT = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING, "spam": Comment.Status.SPAM}
DEFAULT_DISCLOSURE = "As an Amazon Associate I earn from qualifying purchases."


@dataclass
class Options:
    uploads: Path | None = None
    dry_run: bool = False
    # Post meta holding the critic's rating ("4.5", "9/10"), tried in order.
    rating_keys: tuple = ("rating", "critic_rating", "_critic_rating", "yasr_overall_rating", "film_rating")
    # (count, sum) meta pairs of readers' votes: WP-PostRatings, kk Star Ratings, Rate My Post.
    vote_keys: tuple = (
        ("ratings_users", "ratings_score"),
        ("_kksr_casts", "_kksr_ratings"),
        ("vote_count", "total_rating"),
    )
    year_keys: tuple = ("release_year", "film_year", "year")
    rating_scale: int = 5


def parse_rating(raw, scale=5):
    """ "4.5", "4,5", "9/10" → Decimal on Marquee's half-star scale, or None."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        if "/" in text:
            value, out_of = (Decimal(part) for part in text.split("/", 1))
        else:
            value, out_of = Decimal(text), Decimal(scale)
    except (InvalidOperation, ValueError):
        return None
    if out_of <= 0 or value <= 0 or value > out_of:
        return None
    halves = (value / out_of * 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(Decimal("0.5"), halves / 2)


class Importer:
    def __init__(self, export, options, progress=None):
        self.export = export
        self.options = options
        self.report = Report()
        self.ledger = Ledger(export.base_site_url or export.base_blog_url or export.title or "wordpress")
        self.progress = progress or (lambda iterable, **kw: iterable)
        self.images = {}  # WordPress attachment ID → Wagtail image
        self.images_by_path = {}  # uploads path without size suffix → Wagtail image
        self.attachments = {}  # WordPress attachment ID → Item
        self.pages = {}  # WordPress page ID → its page (settings.WORDPRESS_PAGE_MODEL)
        self.page_model = apps.get_model(settings.WORDPRESS_PAGE_MODEL)
        self.owners = {}  # WordPress login → Marquee user (or None)
        # The post meta this run reads; everything else is reported as skipped.
        self.used_meta = {*options.rating_keys, *options.year_keys, *(k for pair in options.vote_keys for k in pair)}
        # What, besides the export itself, decides how a post is imported.
        self.settings_fingerprint = (
            options.rating_keys,
            options.vote_keys,
            options.year_keys,
            options.rating_scale,
        )

    # -- the run -------------------------------------------------------------

    def run(self):
        items = self.export.items
        outer = transaction.atomic() if self.options.dry_run else contextlib.nullcontext()
        with outer:
            self.home, self.index = home_and_reviews_section()
            self.programs = list(AffiliateProgram.objects.all())
            self.program_domains = [d for p in self.programs for d in p.domains]
            order = {"attachment": 0, "page": 1, "post": 2}
            known = sorted((i for i in items if i.post_type in KNOWN_TYPES), key=lambda i: order[i.post_type])
            for item in items:
                if item.post_type not in KNOWN_TYPES:
                    self.report.skip("other", f"post type “{item.post_type or '?'}”")
            for item in self.progress(known, desc="Importing", unit="item"):
                handler = getattr(self, f"import_{item.post_type}")
                try:
                    with transaction.atomic():
                        handler(item)
                except Exception as error:  # noqa: BLE001 - one bad post must not stop the rest
                    kind = {"post": "review", "attachment": "image"}.get(item.post_type, item.post_type)
                    label = f"{item.wp_id} “{item.title[:60]}”"
                    self.report.fail(kind, label, f"{type(error).__name__}: {error}")
            if self.options.dry_run:
                transaction.set_rollback(True)
        return self.report

    # -- attachments ---------------------------------------------------------

    def import_attachment(self, item):
        self.attachments[item.wp_id] = item
        relative = item.meta.get("_wp_attached_file") or converter.image_key(item.attachment_url)
        label = f"{item.wp_id} ({relative or item.attachment_url})"
        if Path(relative).suffix.lower() not in IMAGE_EXTENSIONS:
            self.report.skip("image", "not an image file")
            return
        path = self.options.uploads / relative if self.options.uploads else None
        if path is None or not path.is_file():
            self.report.count("image", "skipped")
            self.report.warnings.append(
                f"image {label}: file not found in the uploads folder; posts import without it"
            )
            return
        try:
            with PILImage.open(path) as picture:
                picture.verify()
        except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for bad files
            self.report.fail("image", label, f"not a readable image ({error})")
            return
        fingerprint = digest(item.raw, path.stat().st_size)
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()
        title = (item.title or path.stem)[:255]
        Image = get_image_model()
        known = self.ledger.remembered("attachment", item.wp_id)
        image = Image.objects.filter(pk=known.object_id).first() if known else None
        if image is not None and known.digest == fingerprint:
            self.report.count("image", "unchanged")
        elif self.options.dry_run:
            self.report.count("image", "updated" if image else "imported")
        else:
            outcome = "updated" if image else "imported"
            if image is None:
                image = Image(collection=Collection.get_first_root_node())
            image.title, image.description = title, alt[:255]
            if outcome == "imported" or image.file.size != path.stat().st_size:
                with path.open("rb") as handle:
                    image.file = ImageFile(handle, name=path.name)
                    image.file_size = path.stat().st_size
                    image.file_hash = hash_filelike(handle)
                    handle.seek(0)
                    image.save()
            else:
                image.save()
            self.ledger.remember("attachment", item.wp_id, image, fingerprint)
            self.report.count("image", outcome)
        if image is not None:
            self.images[item.wp_id] = image
            self.images_by_path[converter.image_key(relative)] = image
            self.images_by_path[converter.image_key(item.attachment_url)] = image

    # -- shared by posts and pages -------------------------------------------

    def find_image(self, block):
        if block.get("wp_id") in self.images:
            return self.images[block["wp_id"]]
        return self.images_by_path.get(converter.image_key(block.get("src")))

    def body(self, item, allowed, title=""):
        found = converter.convert(item.content, self.program_domains)
        blocks = []
        for kind, value in found.blocks:
            if kind == "image":
                image = self.find_image(value)
                if image is None:
                    if not self.options.dry_run:
                        self.report.warnings.append(
                            f"{item.post_type} {item.wp_id}: image {value['src'] or '?'} not found; left out"
                        )
                    continue
                alt = value["alt"] or image.description or image.title
                value = {
                    "image": {"image": image, "decorative": False, "alt_text": alt[:255]},
                    "caption": value["caption"],
                    "credit": "",
                    "alignment": "centre",
                }
            elif kind == "trailer":
                if "trailer" not in allowed:
                    kind, value = (
                        "paragraph",
                        converter.clean_rich_text(f'<p><a href="{html.escape(value["url"])}">Video</a></p>'),
                    )
                else:
                    value = {
                        "url": value["url"],
                        "title": f"Video: {title or item.title}"[:100],
                        "caption": value.get("caption", ""),
                    }
            blocks.append((kind, value))
        return blocks, found

    def owner(self, login):
        if login not in self.owners:
            self.owners[login] = get_user_model().objects.filter(username=login).first() if login else None
        return self.owners[login]

    def critic(self, login):
        """The post author's Critic record: their display name, and their bio where the export has one."""
        author = self.export.authors.get(login)
        if author is None and not login:
            return None
        name = author.byline if author else login
        return Critic.objects.for_byline(name, bio=author.description if author else "", user=self.owner(login))

    def publish(self, page, item, owner):
        """Save the page as WordPress had it: published (at its date), scheduled or draft."""
        if item.status == "future" and item.date and item.date > timezone.now():
            schedule(page, item.date, owner)
        elif item.status == "publish":
            publish_as_of(page, item.date, owner)
        else:
            if page.live:
                page.unpublish(user=owner, log_action=False)
            save_draft(page, owner)

    def redirect(self, item, page):
        """Old permalinks (pretty and ?p=ID) lead to the new page."""
        paths = set()
        if item.link:
            parts = urlsplit(item.link)
            paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
        paths.add(f"/?p={item.wp_id}" if item.post_type == "post" else f"/?page_id={item.wp_id}")
        for path in paths:
            old = Redirect.normalise_path(path)
            if old in ("", "/") or old == Redirect.normalise_path(page.url_path[len(self.home.url_path) - 1 :]):
                continue
            Redirect.objects.update_or_create(
                old_path=old, site=None, defaults={"redirect_page": page, "is_permanent": True, "redirect_link": ""}
            )

    # -- posts → reviews -----------------------------------------------------

    def import_post(self, item):
        label = f"{item.wp_id} “{item.title[:60]}”"
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.skip("review", f"status “{item.status}”")
            return
        fingerprint = digest(item.raw, sorted(self.images_by_path), self.settings_fingerprint)
        known = self.ledger.remembered("post", item.wp_id)
        page = ReviewPage.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and known.digest == fingerprint:
            self.report.count("review", "unchanged")
            return
        outcome = "updated" if page else "imported"
        for key in item.meta:
            if key not in INTERNAL_META and key not in self.used_meta:
                self.report.skipped[f"post meta: {key}"] += 1

        title, year = self.title_and_year(item)
        blocks, found = self.body(item, allowed={"trailer"}, title=title)
        # WordPress is the source: a re-import rewrites what came from it, on top of the latest revision.
        page = page.get_latest_revision_as_object() if page else ReviewPage(owner=self.owner(item.creator))
        page.title = title[:255]
        page.slug = unique_slug(self.index, item.slug or title, page)
        page.release_year = year
        page.rating = self.rating(item, label)
        page.standfirst = strip_tags(html.unescape(item.excerpt)).strip()[:300]
        if critic := self.critic(item.creator):
            page.credit_critic(critic)
        page.body = blocks
        thumbnail = item.meta.get("_thumbnail_id")
        hero = self.images.get(int(thumbnail)) if thumbnail and thumbnail.isdigit() else None
        page.hero_image = hero
        hero_item = self.attachments.get(int(thumbnail)) if hero else None
        page.hero_caption = strip_tags(html.unescape(hero_item.excerpt)).strip()[:250] if hero_item else ""
        page.genres = self.genres(item)
        page.tags.set([t.name[:100] for t in item.terms if t.domain == "post_tag" and t.name])
        # Credits and links go on the page itself, so its revisions carry them.
        self.credits(page, item)
        self.affiliate_links(page, found, title)
        if page.pk is None:
            self.index.add_child(instance=page)
        self.publish(page, item, self.owner(item.creator))
        page.refresh_from_db()
        if year is None:
            self.report.warnings.append(f"review {label}: no release year found; fill it in before the next edit")
        self.comments(page, item)
        self.reader_votes(page, item)
        self.redirect(item, page)
        self.ledger.remember("post", item.wp_id, page, fingerprint)
        self.report.count("review", outcome)

    def title_and_year(self, item):
        title = html.unescape(item.title).strip() or f"Untitled {item.wp_id}"
        year = None
        for key in self.options.year_keys:
            if item.meta.get(key, "").strip().isdigit():
                year = int(item.meta[key])
                break
        found = re.search(r"\s*\((\d{4})\)\s*$", title)
        if found:
            title = title[: found.start()].strip()
            year = year or int(found.group(1))
        if year is not None and not 1888 <= year <= timezone.now().year + 5:
            year = None
        return title, year

    def rating(self, item, label):
        for key in self.options.rating_keys:
            if item.meta.get(key, "").strip():
                value = parse_rating(item.meta[key], self.options.rating_scale)
                if value is None:
                    self.report.warnings.append(f"review {label}: rating “{item.meta[key]}” in {key} not understood")
                return value
        return None

    def genres(self, item):
        genres = []
        for term in item.terms:
            if term.domain != "category" or not term.name or term.slug == "uncategorized":
                continue
            name = html.unescape(term.name)[:60]
            genre = Genre.objects.filter(name__iexact=name).first() or Genre.objects.create(name=name)
            genres.append(genre)
        return genres

    def credits(self, page, item):
        """Tags naming a known person become credits: directors stay directors, anyone else is cast."""
        credited = {c.person_id for c in page.director_credits.all()} | {c.person_id for c in page.cast_credits.all()}
        for term in item.terms:
            if term.domain != "post_tag":
                continue
            person = Person.objects.filter(name__iexact=html.unescape(term.name).strip()).first()
            if person is None or person.pk in credited:
                continue
            credited.add(person.pk)
            if person.directing_credits.exists() and not person.acting_credits.exists():
                page.director_credits.add(ReviewDirector(person=person, sort_order=len(page.director_credits.all())))
            else:
                page.cast_credits.add(ReviewCastMember(person=person, sort_order=len(page.cast_credits.all())))

    # -- what hangs off a review ---------------------------------------------

    def affiliate_links(self, page, found, title):
        for hit in found.affiliate_links:
            parts = urlsplit(hit.url)
            host = (parts.hostname or "").lower()
            program = next((p for p in self.programs if domain_matches(host, p.domains)), None)
            params = parse_qsl(parts.query, keep_blank_values=True)
            if program is None:
                domain = host.removeprefix("www.")
                tracking = urlencode([(k, v) for k, v in params if k == "tag"])
                program, _ = AffiliateProgram.objects.get_or_create(
                    name=f"Amazon ({domain})"[:100],
                    defaults={
                        "allowed_domains": domain,
                        "tracking_parameters": tracking,
                        "disclosure": found.disclosure or DEFAULT_DISCLOSURE,
                    },
                )
                self.programs.append(program)
                self.program_domains += program.domains
            ours = {k for k, _ in parse_qsl(program.tracking_parameters)} | converter.TRACKING_KEYS
            product_url = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in params if k not in ours])))
            label = hit.text if 0 < len(hit.text) <= 120 else "Watch it/buy it at Amazon"
            link, created = AffiliateLink.objects.get_or_create(
                program=program, product_url=product_url, defaults={"label": label, "film": title[:255]}
            )
            self.report.count("affiliate link", "imported" if created else "unchanged")
            attached = [item.link_id for item in page.affiliate_links.all()]
            if link.pk not in attached:
                page.affiliate_links.add(ReviewAffiliateLink(link=link, sort_order=len(attached)))

    def comments(self, page, item):
        by_wp_id = {}
        for wp in sorted(item.comments, key=lambda c: (c.parent != 0, c.date or timezone.now(), c.wp_id)):
            if wp.type in ("pingback", "trackback"):
                self.report.skip("comment", wp.type)
                continue
            status = STATUS_FOR_COMMENT.get(wp.approved)
            if status is None:
                self.report.skip("comment", f"status “{wp.approved or '?'}”")
                continue
            fingerprint = digest(wp.__dict__)
            known = self.ledger.remembered("comment", wp.wp_id)
            comment = Comment.objects.filter(pk=known.object_id).first() if known else None
            if comment is not None and known.digest == fingerprint:
                by_wp_id[wp.wp_id] = comment
                self.report.count("comment", "unchanged")
                continue
            outcome = "updated" if comment else "imported"
            comment = comment or Comment(review=page)
            parent = by_wp_id.get(wp.parent)
            if wp.parent and parent is None:
                self.report.warnings.append(
                    f"comment {wp.wp_id}: its parent {wp.parent} was not imported; kept as a thread"
                )
            comment.parent = parent
            comment.name = (html.unescape(wp.author).strip() or "Anonymous")[:80]
            comment.email = wp.email[:254]
            website = wp.url if wp.url.startswith(("http://", "https://")) else ""
            comment.website = website[:200]
            text = html.unescape(strip_tags(re.sub(r"<br\s*/?>|</p>", "\n", wp.content)))
            comment.text = re.sub(r"\n{3,}", "\n\n", text).strip()[:5000] or "…"
            comment.status = status
            comment.author_key = f"wordpress:{wp.wp_id}"
            comment.ip_hash = ""
            comment.save()
            if wp.date:
                Comment.objects.filter(pk=comment.pk).update(created_at=wp.date)
            by_wp_id[wp.wp_id] = comment
            self.ledger.remember("comment", wp.wp_id, comment, fingerprint)
            self.report.count("comment", outcome)

    def reader_votes(self, page, item):
        for count_key, sum_key in self.options.vote_keys:
            count, total = item.meta.get(count_key, "").strip(), item.meta.get(sum_key, "").strip()
            if not count:
                continue
            try:
                count, total = int(count), Decimal(total or "0")
            except (ValueError, InvalidOperation):
                self.report.warnings.append(f"review {item.wp_id}: reader votes {count_key}/{sum_key} not understood")
                return
            scale = self.options.rating_scale
            total = int((total * 5 / scale).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
            if count < 0 or not count <= total <= 5 * count:
                self.report.warnings.append(f"review {item.wp_id}: {count} votes totalling {total} is impossible")
                return
            set_imported_votes(page.pk, count, total)
            self.report.count("reader votes", "imported", count)
            return

    # -- pages → content pages -----------------------------------------------

    def import_page(self, item):
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.skip("page", f"status “{item.status}”")
            return
        fingerprint = digest(item.raw, sorted(self.images_by_path))
        known = self.ledger.remembered("page", item.wp_id)
        page = self.page_model.objects.filter(pk=known.object_id).first() if known else None
        if page is not None and known.digest == fingerprint:
            self.pages[item.wp_id] = page
            self.report.count("page", "unchanged")
            return
        outcome = "updated" if page else "imported"
        blocks, _found = self.body(item, allowed=set())
        parent = self.pages.get(item.parent) or self.home
        title = html.unescape(item.title).strip() or f"Untitled {item.wp_id}"
        if page is None:
            page = self.page_model(owner=self.owner(item.creator), live=False)
        else:
            page = page.get_latest_revision_as_object()
        page.title = title[:255]
        page.slug = unique_slug(parent if page.pk is None else page.get_parent(), item.slug or title, page)
        page.standfirst = strip_tags(html.unescape(item.excerpt)).strip()[:300]
        page.body = blocks
        if page.pk is None:
            parent.add_child(instance=page)
        self.publish(page, item, self.owner(item.creator))
        page.refresh_from_db()
        self.pages[item.wp_id] = page
        self.redirect(item, page)
        self.ledger.remember("page", item.wp_id, page, fingerprint)
        self.report.count("page", outcome)
