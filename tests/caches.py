"""A real Redis server for the cache tests: REDIS_TEST_URL, the local Redis by default."""

import os
import uuid

from django.core.cache import cache

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379")


def use_redis(settings, location):
    """Point the default cache at ``location`` with production's options and a key prefix of its own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


def use_test_redis(settings, worker_id):
    """The test Redis, in a database of this test process's own (clearing the cache empties it)."""
    database = 15 - (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    use_redis(settings, f"{REDIS_TEST_URL}/{database}")
    cache.set("ping", "pong")
    assert cache.get("ping") == "pong", f"Redis is not answering at {REDIS_TEST_URL}"
