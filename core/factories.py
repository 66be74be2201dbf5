"""Test data for what every app builds on: users, images and the shared content blocks.

Used by the tests (factory_boy and wagtail-factories come with the development
requirements). Block factories build native StreamField values, so a test asks
for "a captioned image with this caption" instead of spelling out block data.
"""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Site
from wagtail.rich_text import RichText
from wagtail_factories.blocks import BlockFactory

from .blocks import (
    AccessibleImageBlock,
    CaptionedImageBlock,
    ContentStreamBlock,
    HeadingBlock,
    ParagraphBlock,
    PullQuoteBlock,
)


def default_site_root():
    """The root page of the default site (the home page)."""
    return Site.objects.select_related("root_page").get(is_default_site=True).root_page.specific


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


class ParagraphBlockFactory(BlockFactory):
    """``ParagraphBlockFactory(value="<p>…</p>")``: rich text as the editor would save it."""

    value = "<p>A film that trusts its audience.</p>"

    class Meta:
        model = ParagraphBlock

    @classmethod
    def _construct_block(cls, block_class, *args, value, **kwargs):
        return RichText(value)


class HeadingBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.Sequence(lambda n: f"Heading {n}")
    level = "h2"

    class Meta:
        model = HeadingBlock


class ImageChooserBlockFactory(wagtail_factories.ImageChooserBlockFactory):
    image = factory.SubFactory(ImageFactory)


class AccessibleImageBlockFactory(wagtail_factories.ImageBlockFactory):
    """An image with its alt text; ``decorative=True`` for one that needs none."""

    image = factory.SubFactory(ImageChooserBlockFactory)
    decorative = False
    alt_text = factory.Sequence(lambda n: f"A still from the film, number {n}")

    class Meta:
        model = AccessibleImageBlock


class CaptionedImageBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(AccessibleImageBlockFactory)
    caption = "The lead actor in a quiet moment"
    credit = ""
    alignment = "centre"

    class Meta:
        model = CaptionedImageBlock


class PullQuoteBlockFactory(wagtail_factories.StructBlockFactory):
    quote = "A crack has appeared."
    attribution = "The critic"

    class Meta:
        model = PullQuoteBlock


class ContentStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    paragraph = factory.SubFactory(ParagraphBlockFactory)
    heading = factory.SubFactory(HeadingBlockFactory)
    image = factory.SubFactory(CaptionedImageBlockFactory)
    pull_quote = factory.SubFactory(PullQuoteBlockFactory)

    class Meta:
        model = ContentStreamBlock
