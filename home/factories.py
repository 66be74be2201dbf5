"""Test data for the site's own pages: the home page (rebuilt when a test emptied the database) and content pages."""

import factory
import wagtail_factories
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from core.factories import ContentStreamBlockFactory

from .models import ContentPage, HomePage


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


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    parent = factory.LazyFunction(site_home)
    body = wagtail_factories.StreamFieldFactory(ContentStreamBlockFactory)

    class Meta:
        model = ContentPage
