"""Test data for reviews: critics, people, genres, the Reviews section, reviews and their body blocks."""

from datetime import timedelta
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone

from core.factories import ContentStreamBlockFactory, ImageFactory, ParagraphBlockFactory, default_site_root

from .blocks import ReviewStreamBlock, SpoilerBlock, TrailerBlock
from .models import Critic, Genre, Person, ReviewCastMember, ReviewCritic, ReviewDirector, ReviewIndexPage, ReviewPage


class CriticFactory(factory.django.DjangoModelFactory):
    """A guest critic (no account) unless given a ``user``."""

    name = factory.Sequence(lambda n: f"Critic {n}")

    class Meta:
        model = Critic


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Person {n}")

    class Meta:
        model = Person


def person_named(name):
    """The one person of that name (people are shared between reviews)."""
    return Person.objects.filter(name=name).first() or PersonFactory(name=name)


class GenreFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Genre {n}")

    class Meta:
        model = Genre
        django_get_or_create = ("name",)


class TrailerBlockFactory(wagtail_factories.StructBlockFactory):
    url = "https://youtu.be/aqz-KE-bpKQ"
    title = "Trailer"
    caption = ""

    class Meta:
        model = TrailerBlock


class SpoilerBlockFactory(wagtail_factories.StructBlockFactory):
    summary = "How it ends"
    text = factory.SubFactory(ParagraphBlockFactory, value="<p>She keeps searching.</p>")

    class Meta:
        model = SpoilerBlock


class ReviewStreamBlockFactory(ContentStreamBlockFactory):
    """``ReviewPageFactory(body__0__paragraph__value="<p>…</p>", body__1="trailer")``: a review's body."""

    trailer = factory.SubFactory(TrailerBlockFactory)
    spoiler = factory.SubFactory(SpoilerBlockFactory)

    class Meta:
        model = ReviewStreamBlock


class ReviewIndexPageFactory(wagtail_factories.PageFactory):
    title = "Reviews"
    slug = "reviews"
    parent = factory.LazyFunction(default_site_root)

    class Meta:
        model = ReviewIndexPage
        django_get_or_create = ("slug", "parent")


class ReviewPageFactory(wagtail_factories.PageFactory):
    """A published review. ``critics``/``directors``/``cast`` take records or names; ``genres`` genres or names."""

    title = factory.Sequence(lambda n: f"Film {n}")
    parent = factory.LazyFunction(lambda: ReviewIndexPageFactory())
    release_year = 2020
    runtime = 110
    country = "France"
    language = "French"
    rating = Decimal("4.0")
    standfirst = factory.LazyAttribute(lambda o: f"Why {o.title} is worth your evening.")
    body = wagtail_factories.StreamFieldFactory(ReviewStreamBlockFactory)
    hero_image = factory.SubFactory(ImageFactory)
    hero_caption = factory.LazyAttribute(lambda o: f"A scene from {o.title}")
    first_published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=365) + timedelta(minutes=n))

    class Meta:
        model = ReviewPage
        skip_postgeneration_save = True

    @factory.post_generation
    def critics(self, create, extracted, **kwargs):
        for i, critic in enumerate(extracted or []):
            if isinstance(critic, str):
                critic = Critic.objects.for_byline(critic)
            ReviewCritic.objects.create(page=self, critic=critic, sort_order=i)
        if extracted:
            self.save()  # indexed again for search, with its critics

    @factory.post_generation
    def directors(self, create, extracted, **kwargs):
        for i, person in enumerate(extracted or []):
            if isinstance(person, str):
                person = person_named(person)
            ReviewDirector.objects.create(page=self, person=person, sort_order=i)

    @factory.post_generation
    def cast(self, create, extracted, **kwargs):
        for i, credit in enumerate(extracted or []):
            person, character = credit
            if isinstance(person, str):
                person = person_named(person)
            ReviewCastMember.objects.create(page=self, person=person, character=character, sort_order=i)

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if extracted:
            self.genres.set([GenreFactory(name=g) if isinstance(g, str) else g for g in extracted])
            self.save()  # parental many-to-many values are written on save

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.add(*extracted)
            self.save()  # cluster tags are written on save
