"""Test data for affiliate programs and their links."""

import factory

from .models import AffiliateLink, AffiliateProgram


class AffiliateProgramFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Amazon {n}")
    tracking_parameters = "tag=example-21"
    allowed_domains = "amazon.co.uk\namazon.com"
    disclosure = "As an Amazon Associate I earn from qualifying purchases."

    class Meta:
        model = AffiliateProgram


class AffiliateLinkFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(AffiliateProgramFactory)
    product_url = factory.Sequence(lambda n: f"https://www.amazon.co.uk/dp/B0{n:08d}")
    label = "Watch it/buy it at Amazon"
    format = "buy"
    film = "Dear Comrades!"

    class Meta:
        model = AffiliateLink
