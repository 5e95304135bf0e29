"""Write Rasa's endpoints.yml: where the action server is, where conversations are kept.

  python -m bot.endpoints --actions-url URL [--sqlite PATH] [--workers N] > endpoints.yml

By default conversations go to SQLite (`--sqlite`, conversations.db). With DATABASE_URL
set (postgresql://user:password@host:5432/db) they go to PostgreSQL instead, and with
REDIS_URL set (redis://:password@host:6379/0) Rasa instances share a Redis lock store, so
several of them can serve the same conversations (docs/deploy.md); it is Rasa's Redis lock
store with each change made atomic (components/conversation_locks.py). Without Redis, several
Sanic workers on one machine (`--workers` above 1) share a SQLite lock store instead. Either way the tracker
store is ours: redaction, retention and "forget me" (components/private_conversations.py).
The output may hold passwords: write it to a file only you can read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

from bot.masking import mask_passwords

TRACKER_STORE = "components.private_conversations.PrivateSQLTrackerStore"
# Rasa's Redis lock store, made atomic: Rasa's own can give two instances the same ticket.
LOCK_STORE = "components.conversation_locks.AtomicRedisLockStore"
# Several workers on one machine without Redis: locks in SQLite, beside the conversations.
LOCAL_LOCK_STORE = "components.conversation_locks.SQLiteLockStore"
DEFAULT_SQLITE = "conversations.db"
# Rasa sends the whole domain (every response in every language, about 96 KB of JSON) with each
# action call unless this is set; our actions never read it (tests/actions/test_selective_domain.py).
ACTION_ENDPOINT_OPTIONS = {"enable_selective_domain": True}
POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg2"}
REDIS_SCHEMES = {"redis": False, "rediss": True}  # scheme -> use TLS


def endpoints(
    actions_url: str,
    sqlite: str | os.PathLike = DEFAULT_SQLITE,
    database_url: str | None = None,
    redis_url: str | None = None,
    workers: int = 1,
) -> dict:
    """Rasa's endpoint configuration as a dict (see `endpoints_yaml`)."""
    config: dict = {"action_endpoint": {"url": actions_url, **ACTION_ENDPOINT_OPTIONS}}
    config["tracker_store"] = (
        tracker_store(database_url)
        if database_url
        else {"type": TRACKER_STORE, "dialect": "sqlite", "db": str(sqlite)}
    )
    if redis_url:
        config["lock_store"] = lock_store(redis_url)
    elif workers > 1:
        locks = Path(sqlite).with_name(Path(sqlite).stem + "_locks.db")
        config["lock_store"] = {"type": LOCAL_LOCK_STORE, "db": str(locks)}
    return config


def endpoints_yaml(
    actions_url: str,
    sqlite: str | os.PathLike = DEFAULT_SQLITE,
    database_url: str | None = None,
    redis_url: str | None = None,
    workers: int = 1,
) -> str:
    return yaml.safe_dump(
        endpoints(actions_url, sqlite, database_url, redis_url, workers), sort_keys=False
    )


def tracker_store(database_url: str) -> dict:
    """postgresql://user:password@host:port/db?sslmode=require -> our SQL tracker store.

    Rasa reads the database host from the key `url` (it passes it on as `host`).
    """
    parts = urlsplit(database_url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        return {
            "type": TRACKER_STORE,
            "dialect": "sqlite",
            "db": unquote(parts.path[1:] if parts.path.startswith("/") else parts.path),
        }
    if scheme not in POSTGRES_SCHEMES:
        raise ValueError(
            f"DATABASE_URL: expected postgresql://user:password@host:port/database, not a {scheme or 'schemeless'} URL"
        )
    db = unquote(parts.path.lstrip("/"))
    if not db:
        raise ValueError(
            "DATABASE_URL: name the database, e.g. postgresql://user:password@host:5432/rasa"
        )
    store: dict = {"type": TRACKER_STORE, "dialect": "postgresql"}
    if parts.hostname:
        store["url"] = parts.hostname
    if _port(parts, "DATABASE_URL"):
        store["port"] = parts.port
    store["db"] = db
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = unquote(parts.password)
    query = dict(parse_qsl(parts.query))
    if query:
        store["query"] = query
    return store


def lock_store(redis_url: str) -> dict:
    """redis://[user]:password@host:port/db -> the Redis lock store (Rasa's settings, our class)."""
    parts = urlsplit(redis_url)
    scheme = parts.scheme.lower()
    if scheme not in REDIS_SCHEMES:
        raise ValueError(
            f"REDIS_URL: expected redis://:password@host:port/db, not a {scheme or 'schemeless'} URL"
        )
    if not parts.hostname:
        raise ValueError("REDIS_URL: name the host, e.g. redis://:password@localhost:6379/0")
    path = parts.path.strip("/")
    if path and not path.isdigit():
        raise ValueError(f"REDIS_URL: the database must be a number, not {path!r}")
    store: dict = {
        "type": LOCK_STORE,
        "url": parts.hostname,
        "port": _port(parts, "REDIS_URL") or 6379,
        "db": int(path or 0),
    }
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = unquote(parts.password)
    if REDIS_SCHEMES[scheme]:
        store["use_ssl"] = True
    return store


def _port(parts, variable: str) -> int | None:
    """The URL's port; a bad one is named without quoting it (a password with a "/" ends up there)."""
    try:
        return parts.port
    except ValueError:
        raise ValueError(
            f"{variable}: the port is not a number (if the password has / # ? or @ in it, "
            "write them as %2F %23 %3F %40)"
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.endpoints",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--actions-url",
        required=True,
        help="the action server's webhook, e.g. http://127.0.0.1:5055/webhook",
    )
    parser.add_argument(
        "--sqlite", default=DEFAULT_SQLITE, help="SQLite file, when DATABASE_URL is not set"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Sanic workers Rasa will run (SANIC_WORKERS); above 1 without REDIS_URL, locks go to SQLite",
    )
    args = parser.parse_args(argv)
    try:
        text = endpoints_yaml(
            args.actions_url,
            args.sqlite,
            os.environ.get("DATABASE_URL") or None,
            os.environ.get("REDIS_URL") or None,
            args.workers,
        )
    except ValueError as error:  # the message names the variable, never its password
        print(mask_passwords(str(error)), file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
