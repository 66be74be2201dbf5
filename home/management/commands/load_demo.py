"""Fill the site with demo reviews, critics, people, genres, pages and two logins.

Safe to run again: existing records are kept and nothing is duplicated.
"""

import io
import json
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote_plus

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Site

from blog.affiliates.models import AffiliateLink, AffiliateProgram, AffiliateSettings, ReviewAffiliateLink
from blog.comments.models import Comment
from blog.lists.models import ListEntry, ListIndexPage, ListPage
from blog.models import (
    Critic,
    Genre,
    Person,
    ReviewCastMember,
    ReviewCritic,
    ReviewDirector,
    ReviewIndexPage,
    ReviewPage,
)
from core.artwork import draw_still
from core.models import SiteIdentity
from core.roles import sync_roles
from home.models import ContentPage, HomePage

DATA = Path(__file__).resolve().parents[2] / "demo" / "reviews.json"
CRITIC = {"first_name": "Morgan", "last_name": "Reed"}
# The demo's critics: the two logins, and a guest with no account. (name, login or None, bio, links, palette)
CRITICS = [
    (
        "Morgan Reed",
        "admin",
        "Has written about films here since 2019, with a weakness for slow Eastern European cinema.",
        [("letterboxd", "https://letterboxd.com/"), ("bluesky", "https://bsky.app/")],
        ["#1d3557", "#e9c46a"],
    ),
    (
        "Sam Okafor",
        "editor",
        "Edits the site and reviews the films Morgan would rather not.",
        [("mastodon", "https://mastodon.social/")],
        ["#3a5a40", "#dad7cd"],
    ),
    (
        "Priya Nair",
        None,
        "A guest critic who writes about Korean and Japanese cinema.",
        [("website", "https://example.com/")],
        ["#6d2e46", "#f2e9e4"],
    ),
]
# Who wrote which demo review (by slug); Morgan Reed wrote the rest.
BYLINES = {
    "parasite": ["Sam Okafor"],
    "tenet": ["Sam Okafor"],
    "the-favourite": ["Sam Okafor"],
    "burning": ["Priya Nair"],
    "drive-my-car": ["Priya Nair", "Morgan Reed"],
}
# The demo's ranked list: reviews by slug, and two films not reviewed here, each with a note.
BEST_OF_2020 = [
    ("dear-comrades", "A massacre told through one mother's search, and the year's most controlled filmmaking."),
    (
        {"film_title": "Another Round", "film_year": 2020, "director": "Thomas Vinterberg"},
        "Four teachers test a theory about drink; Mads Mikkelsen's last dance earns every cheer.",
    ),
    ("nomadland", "Better on a second look: the quiet is the point."),
    (
        {"film_title": "Minari", "film_year": 2020, "director": "Lee Isaac Chung"},
        "An Arkansas farm, a Korean grandmother, and no villain but the weather.",
    ),
    ("mank", "Gorgeous to look at, and more fun for those who know the history."),
]
REVISIT_NOTE = (
    "<p>Seen again on a big screen, the long silences no longer feel like drift. "
    "Fern's road is the film's argument, and it holds.</p>"
)

ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "marquee-admin")
EDITOR_PASSWORD = os.environ.get("DEMO_EDITOR_PASSWORD", "marquee-editor")


class Command(BaseCommand):
    help = "Load demo reviews, people, genres, an About page and admin/editor logins (idempotent)."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None or not isinstance(site.root_page.specific, HomePage):
            raise CommandError("No default site with a home page: run `manage.py migrate` first.")
        home = site.root_page.specific
        with transaction.atomic():
            sync_roles()
            admin, editor = self.users()
            self.site_settings(site)
            index = self.review_index(home)
            self.content_pages(home, admin)
            critics = self.critics()
            created = self.reviews(index, admin, critics)
            self.affiliate_links()
            self.comments()
            self.revisit("nomadland", admin)
            self.best_of_2020(home, admin)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {created} new reviews."))
        self.stdout.write(
            f"Admin login: admin / {ADMIN_PASSWORD}    Editor login: editor / {EDITOR_PASSWORD}\n"
            "(passwords are only set when the accounts are first created)"
        )

    def revisit(self, slug, admin):
        """One review the critic has seen again: a re-watch that raises its rating, with a dated note."""
        review = ReviewPage.objects.filter(slug=slug).first()
        if review is None or len(review.rewatches):
            return
        watched = timezone.localdate() - timedelta(days=14)
        review.rewatches = [
            ("rewatch", {"watched_on": watched, "stars": "4", "kind": "rewatch", "addendum": REVISIT_NOTE})
        ]
        review.save_revision(user=admin, log_action=False).publish(log_action=False)

    def best_of_2020(self, home, admin):
        """The Lists section and its "Best of 2020": reviewed films and two that are not, each with a note."""
        section = ListIndexPage.objects.child_of(home).first()
        if section is None:
            section = ListIndexPage(title="Lists", slug="lists", show_in_menus=True, intro="Ranked lists of films.")
            home.add_child(instance=section)
            section.save_revision(user=admin, log_action=False).publish(log_action=False)
        if ListPage.objects.filter(slug="best-of-2020").exists():
            return
        reviews = {review.slug: review for review in ReviewPage.objects.filter(slug__in=[s for s, _ in BEST_OF_2020])}
        ranked = ListPage(
            title="Best of 2020",
            slug="best-of-2020",
            owner=admin,
            intro="<p>A year of closed cinemas still gave us these. Ranked, with one revisited.</p>",
        )
        for place, (film, note) in enumerate(BEST_OF_2020):
            fields = {"review": reviews[film]} if isinstance(film, str) else film
            ranked.entries.add(ListEntry(sort_order=place, note=f"<p>{escape(note)}</p>", **fields))
        section.add_child(instance=ranked)
        ranked.save_revision(user=admin, log_action=False).publish(log_action=False)

    def users(self):
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin", defaults={**CRITIC, "email": "admin@example.com", "is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(ADMIN_PASSWORD)
            admin.save()
        editor, created = User.objects.get_or_create(
            username="editor", defaults={"first_name": "Sam", "last_name": "Okafor", "email": "editor@example.com"}
        )
        if created:
            editor.set_password(EDITOR_PASSWORD)
            editor.save()
        editor.groups.add(Group.objects.get(name="Editors"))
        return admin, editor

    def site_settings(self, site):
        if (site.hostname, site.port) == ("localhost", 80):
            # The address `make run` serves, so canonical links, feeds and the sitemap point there.
            site.hostname, site.port = "127.0.0.1", 8000
            site.save()
        identity = SiteIdentity.for_site(site)
        if not identity.copyright_holder:
            identity.tagline = "Film reviews by Morgan Reed"
            identity.copyright_holder = "Morgan Reed"
            identity.copyright_start_year = 2019
            identity.social_links = [
                ("link", {"platform": "letterboxd", "url": "https://letterboxd.com/", "label": ""}),
                ("link", {"platform": "bluesky", "url": "https://bsky.app/", "label": ""}),
            ]
            identity.save()
        affiliates = AffiliateSettings.for_site(site)
        if not affiliates.disclosure:
            affiliates.disclosure = "Marquee earns a small commission when you buy through these links."
            affiliates.save()

    def review_index(self, home):
        """The Reviews section ``migrate`` made (or a new one), with the demo's introduction."""
        index = ReviewIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(instance=ReviewIndexPage(title="Reviews", slug="reviews", show_in_menus=True))
        if not index.intro:
            index.intro = "Every review, newest first."
            index.save_revision(log_action=False).publish(log_action=False)
        return index

    def content_pages(self, home, admin):
        pages = [
            (
                "About",
                "about",
                "Marquee is one critic's notebook of films old and new.",
                [
                    "Reviews here are written after a full viewing, usually in a cinema. Ratings run from half a "
                    "star to five; classics revisited carry no stars at all.",
                    "Readers can rate every film themselves, and the two verdicts are always shown side by side.",
                ],
            ),
            (
                "Contact",
                "contact",
                "Press screenings, corrections and letters are all welcome.",
                ["Write to the editor at editor@example.com. We read everything and answer most of it."],
            ),
        ]
        for title, slug, standfirst, paragraphs in pages:
            if ContentPage.objects.child_of(home).filter(slug=slug).exists():
                continue
            page = ContentPage(
                title=title,
                slug=slug,
                standfirst=standfirst,
                show_in_menus=True,
                owner=admin,
                body=[("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs))],
            )
            home.add_child(instance=page)
            page.save_revision(user=admin).publish()

    def image(self, title, artwork_title, subtitle, palette, description):
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        if image is None:
            data = draw_still(artwork_title, subtitle, palette)
            image = Image(title=title, description=description)
            image.file = ImageFile(io.BytesIO(data), name=f"{slugify(title)[:60]}.jpg")
            image.save()
        return image

    def critics(self):
        """The demo's critics by name, each with a portrait (an illustration) and links."""
        User = get_user_model()
        found = {}
        for name, login, bio, links, palette in CRITICS:
            user = User.objects.filter(username=login).first() if login else None
            critic = Critic.objects.for_byline(name, bio=bio, user=user)
            if critic.portrait is None:
                critic.portrait = self.image(f"{name} – demo portrait", name, "Critic", palette, f"Portrait of {name}")
                critic.portrait_alt_text = f"An illustrated card with {name}'s name"
                critic.links = [("link", {"platform": kind, "url": url, "label": ""}) for kind, url in links]
                critic.save()
            found[name] = critic
        return found

    def person(self, name):
        return Person.objects.filter(name=name).first() or Person.objects.create(name=name)

    def reviews(self, index, admin, critics):
        created = 0
        now = timezone.now()
        for item in json.loads(DATA.read_text()):
            if ReviewPage.objects.child_of(index).filter(slug=item["slug"]).exists():
                continue
            hero = self.image(
                f"{item['title']} ({item['year']}) – demo still",
                item["title"],
                str(item["year"]),
                item["palette"],
                f"Illustration with the title {item['title']}",
            )
            page = ReviewPage(
                title=item["title"],
                slug=item["slug"],
                original_title=item["original_title"],
                release_year=item["year"],
                runtime=item["runtime"],
                country=item["country"],
                language=item["language"],
                rating=Decimal(item["rating"]) if item["rating"] else None,
                standfirst=item["standfirst"],
                hero_image=hero,
                hero_caption=item["hero_caption"],
                hero_credit="Demo illustration",
                body=self.body(item),
                owner=admin,
            )
            page.genres.set([Genre.objects.get_or_create(name=name)[0] for name in item["genres"]])
            page.director_credits = [
                ReviewDirector(person=self.person(name), sort_order=i) for i, name in enumerate(item["directors"])
            ]
            page.cast_credits = [
                ReviewCastMember(person=self.person(name), character=role, sort_order=i)
                for i, (name, role) in enumerate(item["cast"])
            ]
            page.critic_credits = [
                ReviewCritic(critic=critics[name], sort_order=i)
                for i, name in enumerate(BYLINES.get(item["slug"], ["Morgan Reed"]))
            ]
            index.add_child(instance=page)
            page.save_revision(user=admin).publish()
            published = now - timedelta(days=item["days_ago"])
            ReviewPage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
            created += 1
        return created

    def affiliate_links(self):
        program, _ = AffiliateProgram.objects.get_or_create(
            name="Amazon UK",
            defaults={
                "tracking_parameters": "tag=marquee-demo-21",
                "allowed_domains": "amazon.co.uk\namazon.com",
                "disclosure": "As an Amazon Associate I earn from qualifying purchases.",
            },
        )
        for review in ReviewPage.objects.filter(slug__in=["dear-comrades", "come-and-see", "ida"]):
            if review.affiliate_links.exists():
                continue
            link, _ = AffiliateLink.objects.get_or_create(
                program=program,
                product_url=f"https://www.amazon.co.uk/s?k={quote_plus(review.title)}",
                defaults={"label": "Watch it/buy it at Amazon", "format": "buy", "film": review.title},
            )
            ReviewAffiliateLink.objects.create(page=review, link=link, sort_order=0)

    def comments(self):
        """A short approved conversation under Dear Comrades!, for readers to reply to."""
        review = ReviewPage.objects.filter(slug="dear-comrades").first()
        if review is None or review.comments.exists():
            return
        first = Comment.objects.create(
            review=review,
            name="Irina",
            email="irina@example.com",
            text="My grandmother lived near Novocherkassk and never spoke about that summer. This film explained why.",
            status=Comment.Status.APPROVED,
            author_key="demo:irina",
        )
        Comment.objects.create(
            review=review,
            parent=first,
            name="Tom",
            email="tom@example.com",
            text="The scene with the resurfaced road is the one I keep thinking about.",
            status=Comment.Status.APPROVED,
            author_key="demo:tom",
        )

    def body(self, item):
        blocks = []
        for kind, *values in item["body"]:
            if kind == "paragraph":
                blocks.append(("paragraph", f"<p>{escape(values[0])}</p>"))
            elif kind == "heading":
                blocks.append(("heading", {"text": values[0], "level": "h2"}))
            elif kind == "pull_quote":
                blocks.append(("pull_quote", {"quote": values[0], "attribution": ""}))
            elif kind == "spoiler":
                blocks.append(("spoiler", {"summary": values[0], "text": f"<p>{escape(values[1])}</p>"}))
            elif kind == "image":
                caption, credit = values
                image = self.image(
                    f"{item['title']} ({item['year']}) – demo still 2",
                    caption,
                    item["title"],
                    list(reversed(item["palette"])),
                    f"Illustration captioned {caption}",
                )
                blocks.append(
                    (
                        "image",
                        {
                            "image": {"image": image, "decorative": False, "alt_text": f"Still: {caption}"},
                            "caption": caption,
                            "credit": credit,
                            "alignment": "wide",
                        },
                    )
                )
        return blocks
