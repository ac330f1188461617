"""The real servers the tests talk to: PostgreSQL (and, as features need it, Redis) on 127.0.0.1.

The machine's own server is used when one answers on its standard port (CI machines start PostgreSQL on 5432 and
Redis on 6379 before every run). Where none answers (a contributor's laptop), a throwaway server is started from
Debian's packages for the session. When neither works, the tests skip saying why, except in CI (``CI=true``), where a
missing server fails the run: a feature nobody tested must not look green.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["postgres_url", "redis_url", "unavailable"]

POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432
REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing server, or fail it in CI, where every server must be there."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: a missing server fails the run instead of skipping)", pytrace=False)
    pytest.skip(reason)


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


async def _admin(port: int, user: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(host=POSTGRES_HOST, port=port, user=user, database="postgres")
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def _database_on(port: int, user: str) -> Iterator[str]:
    """A fresh database on the server at ``port``, dropped afterwards: parallel runs never share tables."""
    name = f"outpour_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(port, user, f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+asyncpg://{user}@{POSTGRES_HOST}:{port}/{name}"
    finally:
        asyncio.run(_admin(port, user, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((POSTGRES_HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _own_postgres() -> Iterator[int]:
    """Start a throwaway cluster from Debian's binaries on a free port; yield the port."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        unavailable(
            f"No PostgreSQL answers on {POSTGRES_HOST}:{POSTGRES_PORT} and none is installed "
            "(no initdb in /usr/lib/postgresql/*/bin or on PATH): `apt-get install postgresql`"
        )
    workdir = Path(tempfile.mkdtemp(prefix="outpour-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres (or nobody) user
        import pwd

        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            account = pwd.getpwnam("nobody")
        os.chown(workdir, account.pw_uid, account.pw_gid)
        prefix = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--"]
    data, log, port = workdir / "data", workdir / "server.log", _free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            shutil.rmtree(workdir, ignore_errors=True)
            unavailable(f"Could not start PostgreSQL ({args[0]}): {result.stdout}{result.stderr}")

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
    options = f"-p {port} -k {workdir} -c listen_addresses={POSTGRES_HOST} -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
    try:
        yield port
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """An asyncpg SQLAlchemy URL of a fresh, empty database, on the machine's server or on one started for the run."""
    if _answers(POSTGRES_HOST, POSTGRES_PORT):
        with _database_on(POSTGRES_PORT, "postgres") as url:
            yield url
        return
    with _own_postgres() as port, _database_on(port, "postgres") as url:
        yield url


@contextlib.contextmanager
def _own_redis() -> Iterator[int]:
    """Start a throwaway ``redis-server`` (Debian's ``redis-server`` package) on a free port; yield the port."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable(
            f"No Redis answers on {REDIS_HOST}:{REDIS_PORT} and none is installed: `apt-get install redis-server`"
        )
    workdir = Path(tempfile.mkdtemp(prefix="outpour-redis-"))
    port = _free_port()
    command = [binary, "--port", str(port), "--bind", REDIS_HOST, "--save", "", "--dir", str(workdir)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if _answers(REDIS_HOST, port):
                break
            if process.poll() is not None:
                unavailable(f"`redis-server` exited with code {process.returncode} on port {port}")
            time.sleep(0.05)
        else:
            unavailable(f"`redis-server` did not listen on port {port} within 5 seconds")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_url() -> Iterator[str]:
    """The URL of a Redis server: the machine's on 127.0.0.1:6379, or one started for the run.

    Tests share the server: each uses keys under a namespace of its own (``uuid4``) and deletes them afterwards.
    """
    if _answers(REDIS_HOST, REDIS_PORT):
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
        return
    with _own_redis() as port:
        yield f"redis://{REDIS_HOST}:{port}/0"
