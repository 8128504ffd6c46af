"""Stops `make test` at once, with a way forward, when PostgreSQL or Redis is not reachable."""

import os
import sys

import psycopg2
import redis

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stepping_up")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
HOW_TO_START = "Start them with `docker compose up -d db redis`, or set DATABASE_URL and REDIS_URL."


def main() -> int:
    problems = []
    # Connect to the server's maintenance database: the test database itself is created by the suite.
    dsn = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg2.connect(dsn, connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        problems.append(f"PostgreSQL is not reachable at {_safe(DATABASE_URL)}: {str(exc).strip().splitlines()[0]}")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis is not reachable at {_safe(REDIS_URL)}: {exc}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(HOW_TO_START, file=sys.stderr)
        return 1
    return 0


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"


if __name__ == "__main__":
    sys.exit(main())
