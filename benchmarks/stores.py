"""Stores and response caching: ``python -m benchmarks.stores [--rounds N] [--write-results]``.

Two measurements, each in rounds that interleave the cases in a shuffled order (the figure is the median over rounds):

- **Response cache**, in process (no server): ``GET /uncached`` (a handler returning a small dict) against
  ``GET /cached`` (the same handler with ``cache=60``: every timed request is a hit), for outpour and Litestar, with the
  cache in a ``MemoryStore`` and in a ``RedisStore`` (each framework its own store class over its own
  ``redis.asyncio`` client). Every response is checked (the first one decoded, the others byte for byte), and the
  cached handlers must have run once only.
- **Stores**: ``set`` (with an expiry) and ``get`` of a 100-byte value, awaited one after the other, on outpour's and
  Litestar's ``MemoryStore`` and ``RedisStore``, and as raw redis-py calls (``SET key value EX 60`` / ``GET key``) on
  the same kind of client. Every ``get`` is checked.

Redis keys live under a namespace of their own (``outpour-bench-<random>``) and are deleted at the end, even on
failure. ``--redis-url`` (default: ``$REDIS_URL`` or ``redis://127.0.0.1:6379/0``) picks the server.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import shlex
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks import report
from benchmarks.endpoints import JSON_PAYLOAD, Endpoint, Reply
from benchmarks.inprocess import AsgiHarness, CheckFailed

__all__ = ["CacheCase", "StoreCase", "main", "run_cache", "run_stores"]

DEFAULT_REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
VALUE = bytes(range(100))
EXPIRY = 60

Progress = Callable[[str], None]


def _check_payload(reply: Reply) -> str | None:
    try:
        decoded = json.loads(reply.body)
    except ValueError:
        return f"body `{reply.body[:80]!r}` is not JSON"
    return None if decoded == JSON_PAYLOAD else f"body `{decoded!r}` is not the payload"


UNCACHED = Endpoint("GET /uncached", "GET", "/uncached", check=_check_payload)
CACHED = Endpoint("GET /cached", "GET", "/cached", check=_check_payload)


def litestar_available() -> bool:
    """Whether Litestar (the ``bench`` dependency group) is installed."""
    return importlib.util.find_spec("litestar") is not None


# --- apps ---------------------------------------------------------------------------------------------------------


@dataclass
class CacheApp:
    """One framework's app with a cached and an uncached handler, and how often each handler ran."""

    framework: str
    store: str
    app: Any
    calls: dict[str, int]
    close: Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


def _redis_client(url: str) -> Any:
    from redis.asyncio import Redis

    return Redis.from_url(url)


def outpour_cache_app(store: str, redis_url: str, namespace: str) -> CacheApp:
    """Build outpour's app; ``store`` is ``"memory"`` or ``"redis"``."""
    from outpour import Outpour, get
    from outpour.stores.memory import MemoryStore
    from outpour.stores.redis import RedisStore

    calls = {"cached": 0, "uncached": 0}

    @get("/uncached")
    async def uncached() -> dict[str, Any]:
        calls["uncached"] += 1
        return JSON_PAYLOAD

    @get("/cached", cache=EXPIRY)
    async def cached() -> dict[str, Any]:
        calls["cached"] += 1
        return JSON_PAYLOAD

    close: Callable[[], Awaitable[None]] = _nothing
    if store == "redis":
        client = _redis_client(redis_url)
        backing: Any = RedisStore(client, namespace=f"{namespace}-outpour-cache")
        close = client.aclose
    else:
        backing = MemoryStore()
    app = Outpour([uncached, cached], stores={"response_cache": backing})
    return CacheApp("outpour", store, app, calls, close)


def litestar_cache_app(store: str, redis_url: str, namespace: str) -> CacheApp:
    """Build Litestar's app; ``store`` is ``"memory"`` or ``"redis"``."""
    from litestar import Litestar, get
    from litestar.stores.memory import MemoryStore
    from litestar.stores.redis import RedisStore

    calls = {"cached": 0, "uncached": 0}

    @get("/uncached")
    async def uncached() -> dict[str, Any]:
        calls["uncached"] += 1
        return JSON_PAYLOAD

    @get("/cached", cache=EXPIRY)
    async def cached() -> dict[str, Any]:
        calls["cached"] += 1
        return JSON_PAYLOAD

    close: Callable[[], Awaitable[None]] = _nothing
    if store == "redis":
        client = _redis_client(redis_url)
        backing: Any = RedisStore(client, namespace=f"{namespace}-litestar-cache")
        close = client.aclose
    else:
        backing = MemoryStore()
    app = Litestar([uncached, cached], stores={"response_cache": backing}, logging_config=None)
    return CacheApp("litestar", store, app, calls, close)


# --- response cache -----------------------------------------------------------------------------------------------


@dataclass
class CacheCase:
    """One framework, store and endpoint of the response-cache measurement."""

    framework: str
    store: str
    endpoint: str
    per_request_ns: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median_ns(self) -> float | None:
        """The median per-request time over rounds."""
        return statistics.median(self.per_request_ns) if self.per_request_ns and self.error is None else None


async def _run_cache(
    frameworks: Sequence[str], stores: Sequence[str], rounds: int, requests: int, redis_url: str, progress: Progress
) -> list[CacheCase]:
    namespace = f"outpour-bench-{uuid.uuid4().hex[:12]}"
    builders = {"outpour": outpour_cache_app, "litestar": litestar_cache_app}
    apps: list[CacheApp] = []
    harnesses: dict[tuple[str, str], AsgiHarness] = {}
    references: dict[tuple[str, str, str], Reply] = {}
    cases = {
        (fw, st, ep.name): CacheCase(fw, st, ep.name) for fw in frameworks for st in stores for ep in (UNCACHED, CACHED)
    }
    try:
        for framework in frameworks:
            for store in stores:
                built = builders[framework](store, redis_url, namespace)
                apps.append(built)
                harness = AsgiHarness(built.app)
                await harness.startup()
                harnesses[framework, store] = harness
                for endpoint in (UNCACHED, CACHED):
                    references[framework, store, endpoint.name] = await harness.validate(endpoint, framework)
                    await harness.timed_batch(endpoint, references[framework, store, endpoint.name], 100)
        rng = random.Random()
        for number in range(1, rounds + 1):
            progress(f"response cache: round {number}/{rounds}")
            order = list(cases.values())
            rng.shuffle(order)
            for case in order:
                if case.error is not None:
                    continue
                endpoint = CACHED if case.endpoint == CACHED.name else UNCACHED
                try:
                    elapsed = await harnesses[case.framework, case.store].timed_batch(
                        endpoint, references[case.framework, case.store, case.endpoint], requests
                    )
                except CheckFailed as exc:
                    case.error = str(exc)
                    continue
                case.per_request_ns.append(elapsed / requests)
        for built in apps:
            if built.calls["cached"] != 1:
                for case in cases.values():
                    if (case.framework, case.store, case.endpoint) == (built.framework, built.store, CACHED.name):
                        case.error = f"the cached handler ran {built.calls['cached']} times, expected once"
    finally:
        for harness in harnesses.values():
            await harness.shutdown()
        for built in apps:
            await built.close()
        if "redis" in stores:
            await _delete_namespace(redis_url, namespace)
    return list(cases.values())


def run_cache(
    frameworks: Sequence[str],
    stores: Sequence[str],
    rounds: int,
    requests: int,
    redis_url: str = DEFAULT_REDIS_URL,
    progress: Progress | None = None,
) -> list[CacheCase]:
    """Measure cached against uncached responses; one case per framework, store and endpoint."""
    return asyncio.run(_run_cache(frameworks, stores, rounds, requests, redis_url, progress or (lambda _m: None)))


def cache_table(cases: Sequence[CacheCase]) -> str:
    """Return the markdown table of the response-cache measurement."""
    by_key = {(c.framework, c.store, c.endpoint): c for c in cases}
    rows: list[list[str]] = []
    footnotes: list[str] = []
    for store in dict.fromkeys(c.store for c in cases):
        for framework in dict.fromkeys(c.framework for c in cases):
            hit, miss = by_key.get((framework, store, CACHED.name)), by_key.get((framework, store, UNCACHED.name))
            if hit is None or miss is None:
                continue
            errors = [c.error for c in (hit, miss) if c.error]
            if errors:
                footnotes.extend(f"{framework} {store}: {error}" for error in errors)
                rows.append([framework, store, "error", "error", "", ""])
                continue
            hit_ns, miss_ns = hit.median_ns, miss.median_ns
            assert hit_ns is not None
            assert miss_ns is not None
            peer = by_key.get(("litestar", store, CACHED.name))
            versus = (
                f"{peer.median_ns / hit_ns:.2f}x"
                if framework == "outpour" and peer is not None and peer.median_ns is not None
                else ""
            )
            rows.append(
                [
                    framework,
                    store,
                    f"{miss_ns / 1000:.2f} µs ({1e9 / miss_ns:,.0f}/s)",
                    f"{hit_ns / 1000:.2f} µs ({1e9 / hit_ns:,.0f}/s)",
                    f"{miss_ns / hit_ns:.2f}x",
                    versus,
                ]
            )
    table = report.markdown_table(
        ["framework", "store", "uncached", "cache hit", "hit speed / uncached", "hit: outpour vs Litestar"],
        rows,
        ["l", "l", "r", "r", "r", "r"],
    )
    notes = "".join(f"\n\n[{i}] {note}" for i, note in enumerate(footnotes, 1))
    return table + notes


# --- stores -------------------------------------------------------------------------------------------------------


@dataclass
class StoreCase:
    """One store implementation and operation."""

    implementation: str
    operation: str
    per_op_ns: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median_ns(self) -> float | None:
        """The median per-operation time over rounds."""
        return statistics.median(self.per_op_ns) if self.per_op_ns and self.error is None else None


Operation = Callable[[str], Awaitable[Any]]


class _RawRedis:
    """redis-py called directly: what a store over Redis cannot beat."""

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    async def set(self, key: str, value: bytes, expires_in: int) -> None:
        await self._client.set(self._prefix + key, value, ex=expires_in)

    async def get(self, key: str) -> bytes | None:
        value = await self._client.get(self._prefix + key)
        return None if value is None else bytes(value)


def _implementations(wanted: Sequence[str], redis_url: str, namespace: str) -> tuple[dict[str, Any], list[Any]]:
    """Build the stores (name -> object) and the Redis clients to close."""
    built: dict[str, Any] = {}
    clients: list[Any] = []
    for name in wanted:
        client: Any = None
        if name.endswith(" redis"):
            client = _redis_client(redis_url)
            clients.append(client)
        if name == "outpour memory":
            from outpour.stores.memory import MemoryStore

            built[name] = MemoryStore()
        elif name == "litestar memory":
            from litestar.stores.memory import MemoryStore as LitestarMemoryStore

            built[name] = LitestarMemoryStore()
        elif name == "outpour redis":
            from outpour.stores.redis import RedisStore

            built[name] = RedisStore(client, namespace=f"{namespace}-outpour")
        elif name == "litestar redis":
            from litestar.stores.redis import RedisStore as LitestarRedisStore

            built[name] = LitestarRedisStore(client, namespace=f"{namespace}-litestar")
        elif name == "raw redis":
            built[name] = _RawRedis(client, f"{namespace}-raw:")
        else:  # pragma: no cover - guarded by the parser
            raise ValueError(f"unknown store implementation `{name}`")
    return built, clients


async def _store_batch(store: Any, operation: str, count: int) -> int:
    """Run ``count`` operations one after the other (keys ``k0``..``k99``); return the elapsed nanoseconds."""
    keys = [f"k{i}" for i in range(100)]
    start = time.perf_counter_ns()
    if operation == "set":
        for i in range(count):
            await store.set(keys[i % 100], VALUE, expires_in=EXPIRY)
    else:
        for i in range(count):
            value = await store.get(keys[i % 100])
            if value != VALUE:
                raise CheckFailed(f"`get` returned `{value!r:.60}` instead of the value set")
    return time.perf_counter_ns() - start


async def _run_stores(
    implementations: Sequence[str], rounds: int, operations: int, redis_url: str, progress: Progress
) -> list[StoreCase]:
    namespace = f"outpour-bench-{uuid.uuid4().hex[:12]}"
    stores, clients = _implementations(implementations, redis_url, namespace)
    cases = {(name, op): StoreCase(name, op) for name in implementations for op in ("set", "get")}
    try:
        for store in stores.values():  # warm up, and the keys `get` reads
            await _store_batch(store, "set", 200)
            await _store_batch(store, "get", 100)
        rng = random.Random()
        for number in range(1, rounds + 1):
            progress(f"stores: round {number}/{rounds}")
            order = list(cases.values())
            rng.shuffle(order)
            for case in order:
                if case.error is not None:
                    continue
                try:
                    elapsed = await _store_batch(stores[case.implementation], case.operation, operations)
                except CheckFailed as exc:
                    case.error = str(exc)
                    continue
                case.per_op_ns.append(elapsed / operations)
    finally:
        for client in clients:
            await client.aclose()
        if clients:
            await _delete_namespace(redis_url, namespace)
    return list(cases.values())


def run_stores(
    implementations: Sequence[str],
    rounds: int,
    operations: int,
    redis_url: str = DEFAULT_REDIS_URL,
    progress: Progress | None = None,
) -> list[StoreCase]:
    """Measure store ``set``/``get``; one case per implementation and operation."""
    return asyncio.run(_run_stores(implementations, rounds, operations, redis_url, progress or (lambda _m: None)))


def stores_table(cases: Sequence[StoreCase]) -> str:
    """Return the markdown table of the store measurement, with ratios to raw redis-py and to Litestar."""
    by_key = {(c.implementation, c.operation): c for c in cases}
    rows: list[list[str]] = []
    for name in dict.fromkeys(c.implementation for c in cases):
        for operation in ("set", "get"):
            case = by_key[name, operation]
            median = case.median_ns
            if median is None:
                rows.append([name, operation, f"error: {case.error}", "", ""])
                continue
            raw = by_key.get(("raw redis", operation))
            versus_raw = (
                f"{median / raw.median_ns:.2f}x"
                if name.endswith("redis") and raw is not None and raw.median_ns is not None
                else ""
            )
            peer = by_key.get((name.replace("outpour", "litestar"), operation))
            versus_peer = (
                f"{peer.median_ns / median:.2f}x"
                if name.startswith("outpour") and peer is not None and peer.median_ns is not None
                else ""
            )
            rows.append([name, operation, f"{median / 1000:.2f} µs ({1e9 / median:,.0f}/s)", versus_raw, versus_peer])
    return report.markdown_table(
        ["store", "operation", "per operation", "time / raw redis-py", "outpour speed / Litestar"],
        rows,
        ["l", "l", "r", "r", "r"],
    )


# --- Redis housekeeping ---------------------------------------------------------------------------------------------


async def _delete_namespace(redis_url: str, namespace: str) -> None:
    """Delete every key under ``namespace`` (the stores' and the raw calls' alike)."""
    client = _redis_client(redis_url)
    try:
        batch = [key async for key in client.scan_iter(match=f"{namespace}*", count=500)]
        if batch:
            await client.delete(*batch)
    finally:
        await client.aclose()


# --- command line ---------------------------------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both measurements, print the tables (and update RESULTS.md with ``--write-results``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.stores",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (10)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per timed batch, response cache (1000)")
    parser.add_argument("--operations", type=int, default=1000, help="operations per timed batch, stores (1000)")
    parser.add_argument("--no-redis", action="store_true", help="leave out everything on Redis")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help=f"the Redis server ({DEFAULT_REDIS_URL})")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks.stores", *(sys.argv[1:] if argv is None else argv)])

    frameworks = ["outpour", "litestar"] if litestar_available() else ["outpour"]
    stores = ["memory"] if args.no_redis else ["memory", "redis"]
    implementations = [f"{fw} {st}" for st in stores for fw in frameworks]
    if not args.no_redis:
        implementations.append("raw redis")

    cache_cases = run_cache(frameworks, stores, args.rounds, args.requests, args.redis_url, _progress)
    cache = cache_table(cache_cases)
    store_cases = run_stores(implementations, args.rounds, args.operations, args.redis_url, _progress)
    store = stores_table(store_cases)
    intro_cache = (
        f"In process, median of {args.rounds} interleaved rounds of {args.requests} requests; `GET /cached` is "
        "`GET /uncached` with `cache=60`, every timed request a hit. Goals (issue 17): a hit at least 0.8x as fast "
        "as uncached; outpour's hit ahead of Litestar's with the same store."
    )
    intro_stores = (
        f"Median of {args.rounds} interleaved rounds of {args.operations} awaited operations (100-byte value, "
        "`set` with a 60 s expiry). Goal (issue 17): outpour's `RedisStore` within 1.2x of raw redis-py."
    )
    print(f"## Response cache\n\n{intro_cache}\n\n{cache}\n\n## Stores\n\n{intro_stores}\n\n{store}\n", flush=True)
    if args.write_results:
        content = (
            f"{report.section_header(command)}\n\n### Response cache\n\n{intro_cache}\n\n{cache}\n\n"
            f"### Store get/set\n\n{intro_stores}\n\n{store}"
        )
        report.write_section("stores", "Stores and response caching", content)
        _progress(f"updated {report.RESULTS_PATH}")
    failed = any(c.error for c in cache_cases) or any(c.error for c in store_cases)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
