"""Factories for test data. Pages are created under the real site tree."""

from datetime import timedelta
from decimal import Decimal

import factory
import wagtail_factories
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from blog.models import Genre, Person, ReviewCastMember, ReviewDirector, ReviewIndexPage, ReviewPage
from home.models import ContentPage, HomePage


def site_home():
    """The site's HomePage, rebuilding root, locale and site if a flush removed them."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Marquee", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "site_name": "Marquee", "root_page": home}
    )
    return home


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Morgan"
    last_name = "Reed"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ImageFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Still {n}")
    description = factory.LazyAttribute(lambda o: f"A still: {o.title}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(width=1200, height=675, color="#446688")

    class Meta:
        model = get_image_model()


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


class ReviewIndexPageFactory(wagtail_factories.PageFactory):
    title = "Reviews"
    slug = "reviews"
    parent = factory.LazyFunction(site_home)

    class Meta:
        model = ReviewIndexPage
        django_get_or_create = ("slug", "parent")


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    parent = factory.LazyFunction(site_home)

    class Meta:
        model = ContentPage


class ReviewPageFactory(wagtail_factories.PageFactory):
    """A published review. ``directors``/``cast`` take people or names."""

    title = factory.Sequence(lambda n: f"Film {n}")
    parent = factory.LazyFunction(lambda: ReviewIndexPageFactory())
    release_year = 2020
    runtime = 110
    country = "France"
    language = "French"
    rating = Decimal("4.0")
    standfirst = factory.LazyAttribute(lambda o: f"Why {o.title} is worth your evening.")
    hero_image = factory.SubFactory(ImageFactory)
    hero_caption = factory.LazyAttribute(lambda o: f"A scene from {o.title}")
    first_published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=365) + timedelta(minutes=n))

    class Meta:
        model = ReviewPage
        skip_postgeneration_save = True

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


class AffiliateProgramFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Amazon {n}")
    tracking_parameters = "tag=example-21"
    allowed_domains = "amazon.co.uk\namazon.com"
    disclosure = "As an Amazon Associate I earn from qualifying purchases."

    class Meta:
        model = "affiliates.AffiliateProgram"


class AffiliateLinkFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(AffiliateProgramFactory)
    product_url = factory.Sequence(lambda n: f"https://www.amazon.co.uk/dp/B0{n:08d}")
    label = "Watch it/buy it at Amazon"
    format = "buy"
    film = "Dear Comrades!"

    class Meta:
        model = "affiliates.AffiliateLink"


class CommentFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    text = "A thoughtful reply to the review."
    status = "approved"
    author_key = factory.Sequence(lambda n: f"anon:token{n}")
    ip_hash = "x" * 64

    class Meta:
        model = "comments.Comment"
