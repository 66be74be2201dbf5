"""Test data for lists: the Lists section, lists and their entries."""

import factory
import wagtail_factories
from django.utils import timezone

from core.factories import default_site_root

from .models import ListEntry, ListIndexPage, ListPage


class ListIndexPageFactory(wagtail_factories.PageFactory):
    title = "Lists"
    slug = "lists"
    parent = factory.LazyFunction(default_site_root)

    class Meta:
        model = ListIndexPage
        django_get_or_create = ("slug", "parent")


class ListPageFactory(wagtail_factories.PageFactory):
    """A published list. ``entries`` takes reviews, and dicts of ListEntry fields (a film not reviewed here)."""

    title = factory.Sequence(lambda n: f"Best of {2000 + n}")
    parent = factory.LazyFunction(lambda: ListIndexPageFactory())
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ListPage
        skip_postgeneration_save = True

    @factory.post_generation
    def entries(self, create, extracted, **kwargs):
        for place, item in enumerate(extracted or []):
            fields = item if isinstance(item, dict) else {"review": item}
            self.entries.add(ListEntry(sort_order=place, **fields))
        if extracted:
            self.save()  # entries are written, ranked and given their films' details on save
