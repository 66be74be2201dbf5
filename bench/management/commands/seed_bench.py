"""Fill the database with many reviews, fast, for benchmarks and scale checks.

    manage.py seed_bench --reviews 20000

Pages, people, credits, genres, reader votes and comments are written with bulk
inserts (tree paths computed here, as Wagtail's tree would compute them), so
20,000 reviews take a minute or two, not hours. Images are a handful of
generated stills shared between reviews. Run ``manage.py update_index``
afterwards to make the new reviews searchable.
"""

import io
import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog.comments.models import Comment
from blog.models import Genre, Person, ReviewCastMember, ReviewDirector, ReviewIndexPage, ReviewPage
from blog.ratings.models import STARS, RatingSummary, ReaderRating
from core.artwork import draw_still

BATCH = 1000
WORDS = [
    "night",
    "river",
    "city",
    "winter",
    "summer",
    "letter",
    "garden",
    "silence",
    "mirror",
    "station",
    "road",
    "house",
    "war",
    "song",
]


def child_path(parent_path, n):
    """The tree path of a parent's n-th child, in treebeard's encoding (``Page.alphabet``, ``Page.steplen``)."""
    digits = ""
    while n:
        n, digit = divmod(n, len(Page.alphabet))
        digits = Page.alphabet[digit] + digits
    return parent_path + digits.rjust(Page.steplen, Page.alphabet[0])


class Command(BaseCommand):
    help = "Bulk-create N reviews (with people, genres, images, votes, comments) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--reviews", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, reviews, seed, no_progress, **options):
        if not 1 <= reviews <= 1_000_000:
            raise CommandError("--reviews must be between 1 and 1,000,000.")
        if not Site.objects.filter(is_default_site=True).exists():
            raise CommandError("No home page: run `manage.py migrate` first.")
        self.random = random.Random(seed)
        self.progress = not no_progress
        call_command("load_demo", stdout=io.StringIO())  # site, index, settings, logins
        index = ReviewIndexPage.objects.get()
        with transaction.atomic():
            images = self.images()
            people = self.people(max(10, reviews // 5))
            genres = list(Genre.objects.all())
            page_ids = self.pages(index, reviews, images)
            self.credits(page_ids, people, genres)
            self.votes_and_comments(page_ids)
        self.stdout.write(self.style.SUCCESS(f"Created {reviews} reviews under {index.url}."))

    def bar(self, total, label):
        return tqdm(total=total, desc=label, unit="rows", disable=not self.progress, file=self.stderr)

    def images(self):
        Image = get_image_model()
        images = list(Image.objects.filter(title__startswith="Bench still"))
        for n in range(len(images), 12):
            data = draw_still(f"Bench {n}", "Marquee", ["#223344", "#ccaa66"], size=(800, 450))
            image = Image(title=f"Bench still {n}", description=f"Benchmark still {n}")
            image.file = ImageFile(io.BytesIO(data), name=f"bench-{n}.jpg")
            image.save()
            images.append(image)
        return images

    def people(self, count):
        start = Person.objects.count()
        with self.bar(count, "people") as bar:
            for offset in range(0, count, BATCH):
                batch = [
                    Person(name=f"Bench Person {start + i}", slug=f"bench-person-{start + i}")
                    for i in range(offset, min(count, offset + BATCH))
                ]
                Person.objects.bulk_create(batch)
                bar.update(len(batch))
        return list(Person.objects.filter(slug__startswith="bench-person-").values_list("pk", flat=True))

    def pages(self, index, count, images):
        content_type = ContentType.objects.get_for_model(ReviewPage)
        first = index.numchild + 1
        now = timezone.now()
        local_fields = ReviewPage._meta.local_concrete_fields
        ids = []
        with self.bar(count, "reviews") as bar:
            for offset in range(0, count, BATCH):
                numbers = range(first + offset, first + min(count, offset + BATCH))
                pages, details = [], []
                for n in numbers:
                    title = f"{self.random.choice(WORDS).title()} {self.random.choice(WORDS)} {n}"
                    slug = f"bench-review-{n}"
                    published = now - timedelta(hours=n)
                    pages.append(
                        Page(
                            title=title,
                            draft_title=title,
                            slug=slug,
                            content_type=content_type,
                            path=child_path(index.path, n),
                            depth=index.depth + 1,
                            numchild=0,
                            url_path=f"{index.url_path}{slug}/",
                            live=True,
                            first_published_at=published,
                            last_published_at=published,
                            latest_revision_created_at=published,
                            locale_id=index.locale_id,
                            translation_key=uuid.uuid4(),
                        )
                    )
                Page.objects.bulk_create(pages)
                for page in pages:
                    rating = self.random.choice([None] + [Decimal(s) / 2 for s in range(1, 11)])
                    details.append(
                        ReviewPage(
                            page_ptr_id=page.pk,
                            release_year=self.random.randint(1920, 2025),
                            runtime=self.random.randint(70, 200),
                            country="France",
                            language="French",
                            rating=rating,
                            standfirst=f"A benchmark review of {page.title}.",
                            hero_image=self.random.choice(images),
                            hero_caption=f"A still from {page.title}",
                            body=[("paragraph", f"<p>Benchmark text for {page.title}.</p>")],
                        )
                    )
                # Multi-table inheritance: the parent rows exist, so insert only the review's own columns.
                ReviewPage._base_manager._insert(details, fields=local_fields)
                ids.extend(page.pk for page in pages)
                bar.update(len(pages))
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
        return ids

    def credits(self, page_ids, people, genres):
        through = ReviewPage.genres.through
        with self.bar(len(page_ids), "credits") as bar:
            for offset in range(0, len(page_ids), BATCH):
                batch = page_ids[offset : offset + BATCH]
                ReviewDirector.objects.bulk_create(
                    ReviewDirector(page_id=pk, person_id=self.random.choice(people), sort_order=0) for pk in batch
                )
                ReviewCastMember.objects.bulk_create(
                    ReviewCastMember(page_id=pk, person_id=person, character="Lead", sort_order=i)
                    for pk in batch
                    for i, person in enumerate(self.random.sample(people, 3))
                )
                through.objects.bulk_create(
                    through(reviewpage_id=pk, genre_id=genre.pk)
                    for pk in batch
                    for genre in self.random.sample(genres, min(2, len(genres)))
                )
                bar.update(len(batch))

    def votes_and_comments(self, page_ids):
        with self.bar(len(page_ids), "votes and comments") as bar:
            for offset in range(0, len(page_ids), BATCH):
                batch = page_ids[offset : offset + BATCH]
                votes, summaries, comments = [], [], []
                for pk in batch:
                    values = [self.random.choice(STARS) for _ in range(self.random.randint(0, 4))]
                    votes += [
                        ReaderRating(review_id=pk, value=v, voter_key=f"bench:{pk}:{i}", ip_hash="bench")
                        for i, v in enumerate(values)
                    ]
                    if values:
                        counts = {f"star_{s}": values.count(s) for s in STARS}
                        summaries.append(RatingSummary(review_id=pk, count=len(values), total=sum(values), **counts))
                    if pk % 4 == 0:
                        comments.append(
                            Comment(
                                review_id=pk,
                                name="Bench reader",
                                email="bench@example.com",
                                text="A benchmark comment.",
                                status=Comment.Status.APPROVED,
                                author_key="bench",
                                ip_hash="bench",
                            )
                        )
                ReaderRating.objects.bulk_create(votes)
                RatingSummary.objects.bulk_create(summaries)
                Comment.objects.bulk_create(comments)
                bar.update(len(batch))
