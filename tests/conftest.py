import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from blog.factories import ReviewIndexPageFactory
from core.factories import SuperUserFactory, UserFactory
from home.factories import site_home
from tests.caches import require_redis
from tests.migrations import migrate_to_latest
from tests.purges import recording_purges


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


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries, settings):
    """Query budgets measure a full render: every cache alias is Django's DummyCache while they run,
    so neither Wagtail's caches (site root paths, renditions) nor any other can help."""
    settings.CACHES = dict.fromkeys(settings.CACHES, NO_CACHE["default"])
    return django_assert_num_queries


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries, settings):
    """As ``django_assert_num_queries``: a budget for a full render, every cache off."""
    settings.CACHES = dict.fromkeys(settings.CACHES, NO_CACHE["default"])
    return django_assert_max_num_queries


@pytest.fixture
def caching_proxy(settings):
    """The paths purged from a caching proxy (a real HTTP server recording PURGE requests)."""
    with recording_purges() as (location, purged):
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
        }
        yield purged


@pytest.fixture
def purges(caching_proxy, django_capture_on_commit_callbacks):
    """``purges(change)``: run ``change()`` in a committed transaction, return the paths purged."""

    def run(change):
        caching_proxy.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return set(caching_proxy)

    return run


@pytest.fixture
def redis_url():
    """The real Redis the test needs (skipped with the reason outside CI when there is none)."""
    return require_redis()


@pytest.fixture
def migrations_undone_after():
    """For tests that migrate backwards: the schema is brought back to the latest, even when the test failed."""
    yield
    migrate_to_latest()
