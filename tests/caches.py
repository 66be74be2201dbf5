"""The real Redis the tests use: REDIS_TEST_URL, the local Redis by default.

Outside CI a machine without Redis skips the tests that need it, saying so; in CI
(``CI`` set) a missing Redis fails them, so the suite can never pass by skipping.
"""

import os

import pytest
import redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379")


def redis_answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except redis.RedisError:
        return False


def require_redis():
    """The test Redis's address once it answers a PING; else skip (fail in CI) with the reason."""
    if not redis_answers(REDIS_TEST_URL):
        reason = f"needs Redis at {REDIS_TEST_URL} (start redis-server, or set REDIS_TEST_URL); CI runs these"
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {REDIS_TEST_URL} in CI")
        pytest.skip(reason)
    return REDIS_TEST_URL
