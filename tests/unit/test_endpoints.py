"""bot.endpoints: SQLite by default, PostgreSQL and a Redis lock store from the environment."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.endpoints import (
    LOCK_STORE,
    TRACKER_STORE,
    endpoints,
    endpoints_yaml,
    lock_store,
    tracker_store,
)

ACTIONS = "http://127.0.0.1:5055/webhook"
ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_by_default():
    config = endpoints(ACTIONS)
    assert config == {
        "action_endpoint": {"url": ACTIONS, "enable_selective_domain": True},
        "tracker_store": {"type": TRACKER_STORE, "dialect": "sqlite", "db": "conversations.db"},
    }
    assert "lock_store" not in config


def test_sqlite_path_is_written_as_given(tmp_path):
    config = yaml.safe_load(endpoints_yaml(ACTIONS, sqlite=tmp_path / "c.db"))
    assert config["tracker_store"]["db"] == str(tmp_path / "c.db")


def test_postgresql_from_database_url():
    store = endpoints(
        ACTIONS, database_url="postgresql://rasa:s3cr%40t@db.internal:5433/conversations"
    )["tracker_store"]
    # Rasa hands the key `url` to the tracker store as its host.
    assert store == {
        "type": TRACKER_STORE,
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "conversations",
        "username": "rasa",
        "password": "s3cr@t",
    }


def test_postgres_scheme_and_options():
    store = tracker_store("postgres://rasa@db/rasa?sslmode=require")
    assert (
        store["dialect"] == "postgresql"
        and store["url"] == "db"
        and "port" not in store
        and "password" not in store
    )
    assert store["query"] == {"sslmode": "require"}


def test_sqlite_database_url():
    assert (
        tracker_store("sqlite:///var/lib/assistant/conversations.db")["db"]
        == "var/lib/assistant/conversations.db"
    )


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "postgresql://u:p@h", "not a url"])
def test_unusable_database_urls_are_refused(url):
    with pytest.raises(ValueError, match="DATABASE_URL"):
        tracker_store(url)


def test_redis_lock_store_from_redis_url():
    config = endpoints(ACTIONS, redis_url="redis://:pa%3Ass@cache:6380/2")
    assert config["lock_store"] == {
        "type": LOCK_STORE,
        "url": "cache",
        "port": 6380,
        "db": 2,
        "password": "pa:ss",
    }
    assert (
        config["tracker_store"]["dialect"] == "sqlite"
    )  # Redis alone doesn't move the conversations


def test_redis_defaults_and_tls():
    assert lock_store("redis://localhost") == {
        "type": LOCK_STORE,
        "url": "localhost",
        "port": 6379,
        "db": 0,
    }
    store = lock_store("rediss://user:pw@cache.example:6390/0")
    assert store["use_ssl"] is True and store["username"] == "user" and store["password"] == "pw"


@pytest.mark.parametrize("url", ["http://cache:6379", "redis://:pw@/0", "redis://cache/zero"])
def test_unusable_redis_urls_are_refused(url):
    with pytest.raises(ValueError, match="REDIS_URL"):
        lock_store(url)


def run_cli(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "bot.endpoints", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_command_line_reads_the_environment(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgresql://rasa:pw@127.0.0.1:5432/rasa",
        "REDIS_URL": "redis://:pw@127.0.0.1:6379/0",
    }
    result = run_cli(env, "--actions-url", ACTIONS, "--sqlite", str(tmp_path / "x.db"))
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert config["action_endpoint"]["url"] == ACTIONS
    assert (
        config["tracker_store"]["dialect"] == "postgresql"
        and config["tracker_store"]["port"] == 5432
    )
    assert config["lock_store"]["type"] == LOCK_STORE


def test_command_line_without_environment_uses_sqlite(tmp_path):
    result = run_cli(
        {"PATH": "/usr/bin:/bin"}, "--actions-url", ACTIONS, "--sqlite", str(tmp_path / "x.db")
    )
    config = yaml.safe_load(result.stdout)
    assert config["tracker_store"] == {
        "type": TRACKER_STORE,
        "dialect": "sqlite",
        "db": str(tmp_path / "x.db"),
    }
    assert "lock_store" not in config


def test_a_bad_url_is_reported_without_its_password():
    result = run_cli(
        {"PATH": "/usr/bin:/bin", "DATABASE_URL": "mysql://u:hunter2@h/db"},
        "--actions-url",
        ACTIONS,
    )
    assert (
        result.returncode == 2
        and "DATABASE_URL" in result.stderr
        and "hunter2" not in result.stderr
    )
    assert result.stdout == ""


def test_the_lock_store_class_is_rasas_redis_lock_store():
    from rasa.core.lock_store import RedisLockStore
    from rasa.shared.utils.common import class_from_module_path

    assert issubclass(class_from_module_path(LOCK_STORE), RedisLockStore)
    assert class_from_module_path(TRACKER_STORE).__name__ == "PrivateSQLTrackerStore"


def test_several_workers_without_redis_share_sqlite_locks(tmp_path):
    config = endpoints(ACTIONS, sqlite=tmp_path / "conversations.db", workers=2)
    assert config["lock_store"] == {
        "type": "components.conversation_locks.SQLiteLockStore",
        "db": str(tmp_path / "conversations_locks.db"),
    }


def test_one_worker_keeps_rasas_in_memory_locks():
    assert "lock_store" not in endpoints(ACTIONS, workers=1)


def test_redis_wins_over_local_locks_for_several_workers():
    config = endpoints(ACTIONS, redis_url="redis://localhost:6379/0", workers=2)
    assert config["lock_store"]["type"] == "components.conversation_locks.AtomicRedisLockStore"
