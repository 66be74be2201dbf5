"""A seeded run of mixed changes while readers read through Varnish: nothing stale, ever.

After every change (and every burst of changes on one review while another
reader keeps reading it) each page read through Varnish must equal a fresh
render by the app. A page Varnish had to fetch is one; a page it answered from
its cache is compared with a render made there and then. Dropping any one of
the purge rules makes this fail.
"""

import os
import random
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from wagtail.models import Site

from blog.comments.factories import CommentFactory
from blog.comments.models import Comment
from blog.factories import ReviewIndexPageFactory, ReviewPageFactory
from blog.models import Genre, Person, ReviewPage
from blog.ratings.voting import cast_vote
from blog.readers import Reader
from core.models import SiteIdentity
from home.factories import ContentPageFactory, site_home
from tests.varnish import running_varnish

pytestmark = pytest.mark.django_db(transaction=True)

# The whole sequence on PostgreSQL (CI runs it there); SQLite's shared in-memory test database makes the live
# server and the test take turns, so there the first 40 changes of the same sequence.
CHANGES = int(os.environ.get("CONSISTENCY_CHANGES", "0")) or None
SEED = 20201102


@pytest.fixture
def stack(live_server, settings):
    backend_port = int(live_server.url.rsplit(":", 1)[1])
    with running_varnish(backend_port) as varnish:
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish.base_url}
        }
        home = site_home()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "127.0.0.1", "port": varnish.port, "root_page": home}
        )
        yield varnish


class ChangingSite:
    """The demo-sized site the run changes, and the pages it reads."""

    def __init__(self, rng):
        self.rng = rng
        index = ReviewIndexPageFactory(parent=site_home())
        self.people = [Person.objects.create(name=name) for name in ("Ann Hui", "Ho Yim", "Lav Diaz", "Mia Hansen")]
        genres = ["Drama", "War", "Comedy"]
        self.reviews = []
        for n in range(5):
            review = ReviewPageFactory(
                parent=index,
                title=f"{'ABCDEF'[n]}-film {n}",
                release_year=1990 + 7 * n,
                rating=Decimal(rng.choice(["2.5", "3", "4", "4.5"])),
                directors=[self.people[n % 4]],
                cast=[(self.people[(n + 1) % 4], f"Role {n}")],
                genres=[genres[n % 3], genres[(n + 1) % 3]],
            )
            for k in range(2):
                CommentFactory(review=review, text=f"Comment {k} on {n}", status=Comment.Status.APPROVED)
            CommentFactory(review=review, text=f"Waiting on {n}", status=Comment.Status.PENDING)
            self.reviews.append(review)
        self.about = ContentPageFactory(parent=site_home(), title="About", show_in_menus=True)
        self.team = ContentPageFactory(parent=site_home(), title="Team")
        self.voter = 0

    def paths(self):
        live = list(ReviewPage.objects.live())
        paths = {"/", "/reviews/", "/feeds/rss/", "/sitemap.xml", "/browse/genres/"}
        paths |= {review.url for review in live}
        paths |= {person.get_absolute_url() for person in Person.objects.all()}
        paths |= {genre.get_absolute_url() for genre in Genre.objects.all()}
        paths |= {f"/browse/rating/{r}/" for r in ("3", "5")}
        paths |= {"/browse/decade/2020s/", "/browse/a-z/a/"}
        paths |= {page.url for page in (self.about.specific, self.team.specific) if page.live}
        return sorted(paths)

    # -- the changes ----------------------------------------------------------

    def review(self):
        return ReviewPage.objects.get(pk=self.rng.choice(self.reviews).pk)

    def edit(self, review=None):
        review = review or self.review()
        choice = self.rng.randrange(4)
        if choice == 0:
            review.title = f"{review.title[0]}-film {self.rng.randrange(1000)}"
        elif choice == 1:
            review.rating = Decimal(self.rng.choice(["2.5", "3", "4", "4.5", "5"]))
        elif choice == 2:
            review.release_year = self.rng.choice([1991, 2004, 2015, 2022])
        else:
            review.genres.set(self.rng.sample(list(Genre.objects.all()), 2))
        review.save_revision().publish()

    def unpublish_or_republish(self, review=None):
        review = review or self.review()
        if review.live:
            review.unpublish()
        else:
            review.save_revision().publish()

    def vote(self, review=None):
        review = review or self.review()
        self.voter += 1
        cast_vote(review, Reader(key=f"anon:{self.voter}"), self.rng.randint(1, 5), f"ip{self.voter}")

    def comment(self, review=None):
        review = review or self.review()
        comment = self.rng.choice(list(Comment.objects.filter(review=review)) or [None])
        if comment is None or self.rng.random() < 0.3:
            CommentFactory(review=review, text=f"New {self.rng.randrange(1000)}", status=Comment.Status.APPROVED)
        elif comment.is_approved and self.rng.random() < 0.5:
            comment.delete()
        else:
            comment.status = Comment.Status.APPROVED if not comment.is_approved else Comment.Status.PENDING
            comment.save()

    def rename_person(self):
        person = self.rng.choice(list(Person.objects.all()))
        person.name = f"{person.name.split(' ')[0]} {self.rng.choice(['Lee', 'Park', 'Ito', 'Sato'])}"
        person.save()

    def rename_genre(self):
        genre = self.rng.choice(list(Genre.objects.all()))
        genre.description = f"About {genre.name} ({self.rng.randrange(100)})"
        genre.save()

    def edit_settings(self):
        settings_row = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
        settings_row.tagline = f"Films since {self.rng.randrange(1990, 2020)}"
        settings_row.save()

    def move_page(self):
        team = self.team.specific.__class__.objects.get(pk=self.team.pk)
        about = self.about.specific.__class__.objects.get(pk=self.about.pk)
        if team.get_parent().pk == about.pk:
            team.move(site_home(), pos="last-child")
        else:
            team.move(about, pos="last-child")

    def burst(self, read):
        """Two or three changes to one review while another reader keeps reading it.

        On PostgreSQL the reader reads in a thread of its own, at the same time
        as the changes; SQLite's shared test database cannot read while it
        writes, so there the reads come between the changes.
        """
        review = self.review()
        stop = threading.Event()
        concurrent = connection.vendor == "postgresql"
        reader = threading.Thread(target=lambda: [read(review.url) for _ in iter(stop.is_set, True)])
        if concurrent:
            reader.start()
        try:
            for _ in range(self.rng.randint(2, 3)):
                self.rng.choice([self.edit, self.vote, self.comment])(review)
                review = ReviewPage.objects.get(pk=review.pk)
                if not concurrent:
                    read(review.url)
        finally:
            stop.set()
            if concurrent:
                reader.join()


def test_every_page_read_through_varnish_equals_a_fresh_render_after_every_change(stack, settings):
    settings.PURGE_SETTLE_SECONDS = 0.05
    rng = random.Random(SEED)
    site = ChangingSite(rng)
    fresh = Client(HTTP_HOST=f"127.0.0.1:{stack.port}")

    def through_varnish(path):
        response = stack.get(path)
        return response.status, response.body, response.headers.get("X-Cache")

    def freshly(path):
        response = fresh.get(path)
        return response.status_code, response.content.decode()

    changes = [
        site.edit,
        site.edit,
        site.unpublish_or_republish,
        site.vote,
        site.vote,
        site.comment,
        site.comment,
        site.rename_person,
        site.rename_genre,
        site.edit_settings,
        site.move_page,
    ]
    for path in site.paths():
        through_varnish(path)
    for step in range(CHANGES or (200 if connection.vendor == "postgresql" else 40)):
        change = rng.choice([*changes, "burst"])
        if change == "burst":
            site.burst(through_varnish)
            name = "burst"
        else:
            change()
            name = change.__name__
        for path in site.paths():
            status, body, state = through_varnish(path)
            if state == "hit":
                assert (status, body) == freshly(path), f"step {step} ({name}): {path} is stale"
