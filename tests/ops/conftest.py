"""Fixtures for the operations tests (Celery, storage, health, backups).

`redis_url`: a Redis database on the local server for tests that need a real
one, given explicitly — the suite never depends on a global DTIS_REDIS_URL.
Tests that take it are skipped, with one line saying why, when no Redis answers.
"""

from __future__ import annotations

import os

import pytest

# Database 13 keeps the tests' keys away from a development cache on 0; every
# user of it names its own keys and queues (per test and per xdist worker).
TEST_REDIS_URL = os.environ.get("DTIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers(url: str) -> str | None:
    """None when the server answers a PING, else the reason it does not."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return str(exc).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    problem = _redis_answers(TEST_REDIS_URL)
    if problem:
        pytest.skip(f"no Redis answers at {TEST_REDIS_URL.rsplit('/', 1)[0]}: {problem}")
    return TEST_REDIS_URL
