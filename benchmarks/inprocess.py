"""In-process benchmark: call each app's ASGI callable directly, no server and no socket.

This measures what the framework itself costs per request. A server-like ``receive``/``send`` pair stands in for the
server; every response is checked (the first one fully, the next ones byte for byte against it), so nothing wins by
doing nothing. Rounds interleave the frameworks in a shuffled order so that drifts of a noisy machine hit every
framework alike; the figure reported is the median over rounds.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.apps import LoadedApp, load_app
from benchmarks.endpoints import Endpoint, Reply

__all__ = [
    "AsgiHarness",
    "CheckFailed",
    "EndpointResult",
    "InprocessOptions",
    "run_inprocess",
]

_ASGI = {"version": "3.0", "spec_version": "2.3"}


class CheckFailed(Exception):
    """A response was wrong: bad status, bad body, or incomplete."""


class _Exchange:
    """One request/response on a pretend connection: the ``receive`` and ``send`` a server would pass."""

    __slots__ = ("_body", "_requested", "_waiter", "chunks", "complete", "headers", "status")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._requested = False
        self._waiter: asyncio.Future[None] | None = None
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.complete = False

    async def receive(self) -> dict[str, Any]:
        """Return the body once, then wait until the response is complete and report a disconnect."""
        if not self._requested:
            self._requested = True
            return {"type": "http.request", "body": self._body, "more_body": False}
        if not self.complete:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        """Collect the response."""
        kind = message["type"]
        if kind == "http.response.body":
            if self.complete:
                raise CheckFailed("the app sent a body message after the response was complete")
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.complete = True
                if self._waiter is not None and not self._waiter.done():
                    self._waiter.set_result(None)
        elif kind == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", ()))
        else:
            raise CheckFailed(f"unexpected ASGI message type `{kind}`")


class AsgiHarness:
    """Drives one ASGI app in the running loop like a server would: lifespan, then requests.

    Args:
        app: The ASGI callable.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self._lifespan_task: asyncio.Task[None] | None = None
        self._lifespan_inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._lifespan_outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def startup(self, timeout: float = 30.0) -> None:
        """Run the lifespan startup; an app that does not speak lifespan is accepted, as servers do.

        Raises:
            RuntimeError: The app reported ``lifespan.startup.failed``.
        """
        scope = {"type": "lifespan", "asgi": _ASGI, "state": self.state}
        self._lifespan_task = asyncio.ensure_future(
            self.app(scope, self._lifespan_inbox.get, self._lifespan_outbox.put)
        )
        await self._lifespan_inbox.put({"type": "lifespan.startup"})
        message = await self._lifespan_reply(self._lifespan_task, timeout)
        if message is None:
            return
        if message["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"lifespan startup failed: `{message.get('message', message)}`")

    async def shutdown(self, timeout: float = 10.0) -> None:
        """Run the lifespan shutdown (if the startup ran) and wait for the lifespan task."""
        task = self._lifespan_task
        if task is None:
            return
        self._lifespan_task = None
        if not task.done():
            await self._lifespan_inbox.put({"type": "lifespan.shutdown"})
            await self._lifespan_reply(task, timeout)
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _lifespan_reply(self, task: asyncio.Task[None], timeout: float) -> dict[str, Any] | None:
        """Wait for the app's next lifespan message; ``None`` if the lifespan task ended instead (no lifespan)."""
        getter = asyncio.ensure_future(self._lifespan_outbox.get())
        done, _ = await asyncio.wait({getter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        if not done:
            raise RuntimeError(f"the app did not answer the lifespan message within {timeout}s")
        return None

    def scope_template(self, endpoint: Endpoint) -> dict[str, Any]:
        """Build the HTTP scope for ``endpoint`` (copied for every request; ``state`` is copied too)."""
        return {
            "type": "http",
            "asgi": _ASGI,
            "http_version": "1.1",
            "method": endpoint.method,
            "scheme": "http",
            "path": endpoint.url_path,
            "raw_path": endpoint.url_path.encode("latin-1"),
            "query_string": endpoint.query_string,
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1:8000"),
                (b"user-agent", b"outpour-bench"),
                (b"accept", b"*/*"),
                *endpoint.request_headers(),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": self.state,
        }

    async def request(self, endpoint: Endpoint) -> Reply:
        """Send one request and return the complete response.

        Raises:
            CheckFailed: The app returned without completing the response.
        """
        scope = self.scope_template(endpoint)
        scope["state"] = self.state.copy()
        exchange = _Exchange(endpoint.body)
        await self.app(scope, exchange.receive, exchange.send)
        if not exchange.complete:
            raise CheckFailed(f"incomplete response (status {exchange.status})")
        return Reply(exchange.status, exchange.headers, b"".join(exchange.chunks))

    async def validate(self, endpoint: Endpoint, framework: str) -> Reply:
        """Send one request and check the response fully.

        Raises:
            CheckFailed: The status or the body is wrong.
        """
        reply = await self.request(endpoint)
        expected = endpoint.status_for(framework)
        if reply.status != expected:
            raise CheckFailed(f"status {reply.status}, expected {expected}; body `{reply.body[:120]!r}`")
        problem = endpoint.check(reply)
        if problem is not None:
            raise CheckFailed(problem)
        return reply

    async def timed_batch(self, endpoint: Endpoint, reference: Reply, count: int, collect: bool = True) -> int:
        """Send ``count`` requests, checking each against ``reference``; return the elapsed nanoseconds.

        Args:
            endpoint: The request to send.
            reference: A correct response (from :meth:`validate`).
            count: How many requests.
            collect: Whether to run the garbage collector first (untimed), so that every batch starts alike.

        Raises:
            CheckFailed: A response differs from ``reference`` (status, body or completeness).
        """
        app = self.app
        template = self.scope_template(endpoint)
        state = self.state
        body = endpoint.body
        status = reference.status
        expected = reference.body if endpoint.same_body and not endpoint.compare_length_only else None
        expected_length = len(reference.body) if endpoint.compare_length_only else None
        if collect:
            gc.collect()
        start = time.perf_counter_ns()
        for _ in range(count):
            scope = template.copy()
            scope["state"] = state.copy()
            exchange = _Exchange(body)
            await app(scope, exchange.receive, exchange.send)
            if exchange.status != status or not exchange.complete:
                raise CheckFailed(f"status {exchange.status} (complete={exchange.complete}), expected {status}")
            if expected is not None and b"".join(exchange.chunks) != expected:
                raise CheckFailed(f"body `{b''.join(exchange.chunks)[:120]!r}` differs from `{expected[:120]!r}`")
            if expected_length is not None and sum(map(len, exchange.chunks)) != expected_length:
                raise CheckFailed(f"body is {sum(map(len, exchange.chunks))} bytes, expected {expected_length}")
        return time.perf_counter_ns() - start


@dataclass(slots=True)
class EndpointResult:
    """The outcome of one framework on one endpoint.

    Attributes:
        framework: The framework name.
        endpoint: The endpoint name.
        status: ``"ok"``, ``"error"``, ``"n/a"`` (the app does not serve it) or ``"unavailable"`` (import failed).
        per_request_ns: Per-request time of each round (nanoseconds).
        error: What went wrong, if anything.
    """

    framework: str
    endpoint: str
    status: str = "ok"
    per_request_ns: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median_ns(self) -> float | None:
        """The median per-request time over rounds, or ``None`` without measurements."""
        if self.status != "ok" or not self.per_request_ns:
            return None
        return statistics.median(self.per_request_ns)

    @property
    def requests_per_second(self) -> float | None:
        """Requests per second implied by :attr:`median_ns`."""
        median = self.median_ns
        return None if median is None else 1e9 / median

    def as_json(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "framework": self.framework,
            "endpoint": self.endpoint,
            "status": self.status,
            "median_ns": self.median_ns,
            "requests_per_second": self.requests_per_second,
            "per_request_ns": self.per_request_ns,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class InprocessOptions:
    """Options of the in-process benchmark.

    Attributes:
        frameworks: The frameworks, in display order.
        endpoints: The endpoints, in display order.
        rounds: Number of interleaved rounds.
        requests: Requests per timed batch (one batch per framework, endpoint and round).
        warmup: Untimed requests per framework and endpoint before the first round.
        seed: Seed of the shuffles (``None``: random).
    """

    frameworks: Sequence[str]
    endpoints: Sequence[Endpoint]
    rounds: int = 20
    requests: int = 2000
    warmup: int = 200
    seed: int | None = None


Progress = Callable[[str], None]


async def _run(options: InprocessOptions, progress: Progress) -> list[EndpointResult]:
    loaded: dict[str, LoadedApp] = {name: load_app(name) for name in options.frameworks}
    harnesses: dict[str, AsgiHarness] = {}
    results: dict[tuple[str, str], EndpointResult] = {
        (fw, ep.name): EndpointResult(fw, ep.name) for ep in options.endpoints for fw in options.frameworks
    }
    references: dict[tuple[str, str], Reply] = {}
    try:
        for name, app in loaded.items():
            if app.error is not None:
                for endpoint in options.endpoints:
                    results[name, endpoint.name].status = "unavailable"
                    results[name, endpoint.name].error = app.error
                continue
            harness = AsgiHarness(app.app)
            try:
                await harness.startup()
            except Exception as exc:
                for endpoint in options.endpoints:
                    results[name, endpoint.name].status = "error"
                    results[name, endpoint.name].error = f"startup: {type(exc).__name__}: {exc}"
                continue
            harnesses[name] = harness
            for endpoint in options.endpoints:
                result = results[name, endpoint.name]
                if endpoint.name in app.unsupported:
                    result.status = "n/a"
                    continue
                try:
                    references[name, endpoint.name] = await harness.validate(endpoint, name)
                    if options.warmup:
                        await harness.timed_batch(endpoint, references[name, endpoint.name], options.warmup)
                except Exception as exc:
                    result.status = "error"
                    result.error = f"{type(exc).__name__}: {exc}"

        rng = random.Random(options.seed)
        for round_number in range(1, options.rounds + 1):
            progress(f"round {round_number}/{options.rounds}")
            for endpoint in options.endpoints:
                order = list(harnesses)
                rng.shuffle(order)
                for name in order:
                    result = results[name, endpoint.name]
                    if result.status != "ok":
                        continue
                    try:
                        elapsed = await harnesses[name].timed_batch(
                            endpoint, references[name, endpoint.name], options.requests
                        )
                    except Exception as exc:
                        result.status = "error"
                        result.error = f"{type(exc).__name__}: {exc}"
                        continue
                    result.per_request_ns.append(elapsed / options.requests)
    finally:
        for harness in harnesses.values():
            try:
                await harness.shutdown()
            except Exception as exc:
                progress(f"lifespan shutdown failed: {type(exc).__name__}: {exc}")
    return [results[fw, ep.name] for ep in options.endpoints for fw in options.frameworks]


def run_inprocess(options: InprocessOptions, progress: Progress | None = None) -> list[EndpointResult]:
    """Run the in-process benchmark in a fresh event loop.

    Args:
        options: What to run.
        progress: Called with short progress messages (e.g. print to stderr).

    Returns:
        One result per endpoint and framework, endpoints first, in display order.
    """
    return asyncio.run(_run(options, progress or (lambda _message: None)))
