"""Real PostgreSQL and Redis on loopback, in a temporary directory, for the scale tests.

PostgreSQL: Debian's `postgresql` package (initdb/pg_ctl, run as the `postgres` user when we
are root); Redis: `redis-server`. Both get a free port, a password and no persistence
beyond the test; everything is stopped and deleted afterwards.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import redis

from bot.tools.servers import free_port, wait_until

INSTALL = "install them with: apt-get install -y postgresql redis-server"


def binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise RuntimeError(f"{name} not found: {INSTALL}")
    return found


@contextmanager
def postgres():
    """Yields a DATABASE_URL for a fresh database `rasa` owned by user `rasa`."""
    initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
    as_root = os.geteuid() == 0
    user = {"user": "postgres", "group": "postgres"} if as_root else {}
    home = Path(tempfile.mkdtemp(prefix="scale-pg-"))
    password, port = secrets.token_hex(12), free_port()
    data = home / "data"
    try:
        (home / "pw").write_text(password)
        if as_root:
            for path in (home, home / "pw"):
                shutil.chown(path, "postgres", "postgres")
        subprocess.run(
            [
                initdb,
                "-D",
                str(data),
                "-U",
                "rasa",
                f"--pwfile={home / 'pw'}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            cwd=home,
            check=True,
            capture_output=True,
            **user,
        )
        subprocess.run(
            [
                pg_ctl,
                "start",
                "-D",
                str(data),
                "-w",
                "-t",
                "60",
                "-l",
                str(home / "postgres.log"),
                "-o",
                f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={home} "
                "-c fsync=off -c synchronous_commit=off -c max_connections=200",
            ],
            cwd=home,
            check=True,
            capture_output=True,
            **user,
        )
        connection = psycopg2.connect(
            host="127.0.0.1", port=port, user="rasa", password=password, dbname="postgres"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE rasa")
        connection.close()
        yield f"postgresql://rasa:{password}@127.0.0.1:{port}/rasa"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [pg_ctl, "stop", "-D", str(data), "-m", "fast", "-w"],
                cwd=home,
                capture_output=True,
                **user,
            )
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def redis_server():
    """Yields a REDIS_URL for a password-protected Redis that saves nothing to disk."""
    server = binary("redis-server")
    password, port = secrets.token_hex(12), free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--requirepass",
            password,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port, password=password)
        wait_until(lambda: _ping(client), 30, "Redis")
        yield f"redis://:{password}@127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _ping(client) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def has_table(database_url: str, table: str) -> bool:
    try:
        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", (table,))
            return cursor.fetchone()[0] is not None
    except psycopg2.OperationalError:
        return False


def rows(database_url: str, query: str, *args) -> list[tuple]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(query, args)
        return cursor.fetchall()


def stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 30
    for process in processes:
        try:
            process.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
