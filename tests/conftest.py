import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests.factories import ReviewIndexPageFactory, SuperUserFactory, UserFactory, site_home


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths and renditions; tests start cold.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    return site_home()


@pytest.fixture
def review_index(home_page):
    return ReviewIndexPageFactory(parent=home_page)


@pytest.fixture
def admin_user(db):
    return SuperUserFactory(username="critic")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def moderator_client(client):
    """A client signed in as a member of the Moderators group."""
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    return client


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries, settings):
    """Query budgets measure rendering, so the page and fragment caches are off while they run."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    return django_assert_num_queries
