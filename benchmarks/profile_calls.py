"""Count the function calls each framework makes per request, and profile one framework's endpoint.

Calls are counted with :func:`sys.setprofile`: every ``call`` event (a Python function called, or a generator or
coroutine resumed) and every ``c_call`` event (a builtin or C-extension function called), over many requests,
divided by the number of requests. Calls of the benchmark harness itself (the pretend server's ``receive``/``send``,
and whatever they call) are left out, so the count is what the framework does.

``--profile`` runs :mod:`cProfile` on one framework's endpoint (outpour's ``GET /plain`` by default) and shows the
functions with the most own time.

Run with ``python -m benchmarks.run calls`` (``--profile`` for the profile) or ``python -m benchmarks.profile_calls``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import sysconfig
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from benchmarks import endpoints as endpoints_module
from benchmarks import inprocess
from benchmarks.apps import load_app, select_frameworks
from benchmarks.endpoints import Endpoint, select_endpoints
from benchmarks.report import markdown_table, status_cell

__all__ = ["CallCount", "ProfileRow", "count_calls", "main", "profile_endpoint"]

_HARNESS_FILES = frozenset({inprocess.__file__, endpoints_module.__file__, __file__})
_Key = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class CallCount:
    """Function calls per request of one framework on one endpoint.

    Attributes:
        framework: The framework name.
        endpoint: The endpoint name.
        python_calls: Python function calls (and generator/coroutine resumptions) per request.
        c_calls: Builtin/C function calls per request.
        status: ``"ok"``, ``"error"``, ``"n/a"`` (the app does not serve it) or ``"unavailable"`` (import failed).
        error: Why it could not be counted.
    """

    framework: str
    endpoint: str
    python_calls: float = 0.0
    c_calls: float = 0.0
    status: str = "ok"
    error: str | None = None

    @property
    def total(self) -> float:
        """All calls per request."""
        return self.python_calls + self.c_calls


async def _start(framework: str) -> tuple[inprocess.AsgiHarness, frozenset[str]]:
    """Import and start ``framework``'s app (once per process: some apps cannot be started twice).

    Raises:
        LookupError: The app is unavailable (the message says why).
    """
    loaded = load_app(framework)
    if loaded.error is not None:
        raise LookupError(loaded.error)
    harness = inprocess.AsgiHarness(loaded.app)
    await harness.startup()
    return harness, loaded.unsupported


async def _count(harness: inprocess.AsgiHarness, framework: str, endpoint: Endpoint, requests: int) -> CallCount:
    try:
        reference = await harness.validate(endpoint, framework)
        await harness.timed_batch(endpoint, reference, 100)
    except Exception as exc:
        return CallCount(framework, endpoint.name, status="error", error=f"{type(exc).__name__}: {exc}")
    counts = [0, 0]
    harness_files = _HARNESS_FILES

    def profiler(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            if frame.f_code.co_filename not in harness_files:
                counts[0] += 1
        elif event == "c_call" and frame.f_code.co_filename not in harness_files:
            counts[1] += 1

    try:
        sys.setprofile(profiler)
        try:
            await harness.timed_batch(endpoint, reference, requests, collect=False)
        finally:
            sys.setprofile(None)
    except Exception as exc:
        return CallCount(framework, endpoint.name, status="error", error=f"{type(exc).__name__}: {exc}")
    return CallCount(framework, endpoint.name, counts[0] / requests, counts[1] / requests)


async def _count_all(frameworks: Sequence[str], endpoints: Sequence[Endpoint], requests: int) -> list[CallCount]:
    counts: dict[tuple[str, str], CallCount] = {}
    for framework in frameworks:
        try:
            harness, unsupported = await _start(framework)
        except LookupError as exc:
            counts.update(
                {
                    (framework, ep.name): CallCount(framework, ep.name, status="unavailable", error=str(exc))
                    for ep in endpoints
                }
            )
            continue
        except Exception as exc:
            error = f"startup: {type(exc).__name__}: {exc}"
            counts.update(
                {(framework, ep.name): CallCount(framework, ep.name, status="error", error=error) for ep in endpoints}
            )
            continue
        try:
            for endpoint in endpoints:
                if endpoint.name in unsupported:
                    counts[framework, endpoint.name] = CallCount(framework, endpoint.name, status="n/a")
                else:
                    counts[framework, endpoint.name] = await _count(harness, framework, endpoint, requests)
        finally:
            await harness.shutdown()
    return [counts[fw, ep.name] for ep in endpoints for fw in frameworks]


def count_calls(frameworks: Sequence[str], endpoints: Sequence[Endpoint], requests: int = 1000) -> list[CallCount]:
    """Count the calls per request of every framework on every endpoint.

    Returns:
        One count per endpoint and framework, endpoints first, in display order.
    """
    return asyncio.run(_count_all(frameworks, endpoints, requests))


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One function of a profile, per request.

    Attributes:
        function: The function name.
        location: Where it is defined (``file:line``, shortened), ``~`` for builtins.
        calls: Calls per request.
        own_us: Time spent in the function itself, microseconds per request (inflated by the profiler).
        cumulative_us: Time including callees, microseconds per request.
    """

    function: str
    location: str
    calls: float
    own_us: float
    cumulative_us: float


_PREFIXES = sorted(
    {str(Path(p).resolve()) + "/" for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"])}
    | {str(Path(__file__).resolve().parent.parent) + "/"},
    key=len,
    reverse=True,
)


def _short(filename: str, line: int) -> str:
    if filename == "~":
        return "~"
    resolved = str(Path(filename).resolve())
    for prefix in _PREFIXES:
        if resolved.startswith(prefix):
            resolved = resolved[len(prefix) :]
            break
    return f"{resolved}:{line}"


async def _profile(framework: str, endpoint: Endpoint, requests: int) -> tuple[list[ProfileRow], float]:
    harness, unsupported = await _start(framework)
    try:
        if endpoint.name in unsupported:
            raise LookupError(f"{framework} does not serve `{endpoint.name}`")
        reference = await harness.validate(endpoint, framework)
        await harness.timed_batch(endpoint, reference, 100)
        profile = cProfile.Profile()
        profile.enable()
        try:
            await harness.timed_batch(endpoint, reference, requests, collect=False)
        finally:
            profile.disable()
    finally:
        await harness.shutdown()
    stats: dict[_Key, tuple[int, int, float, float, dict[_Key, tuple[int, int, float, float]]]]
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    total_own = 0.0
    for (filename, line, function), (_, calls, own, cumulative, callers) in stats.items():
        if filename in _HARNESS_FILES or function == "<method 'disable' of '_lsprof.Profiler' objects>":
            continue
        if filename == "~":  # a builtin: leave out the calls the harness made (b"".join, dict.copy, ...)
            for caller, (_, caller_calls, caller_own, caller_cumulative) in callers.items():
                if caller[0] in _HARNESS_FILES:
                    calls, own, cumulative = calls - caller_calls, own - caller_own, cumulative - caller_cumulative
            if calls <= 0:
                continue
        total_own += own
        rows.append(
            ProfileRow(
                function=function,
                location=_short(filename, line),
                calls=calls / requests,
                own_us=own * 1e6 / requests,
                cumulative_us=cumulative * 1e6 / requests,
            )
        )
    rows.sort(key=lambda row: row.own_us, reverse=True)
    return rows, total_own * 1e6 / requests


def profile_endpoint(framework: str, endpoint: Endpoint, requests: int = 2000) -> tuple[list[ProfileRow], float]:
    """Profile ``requests`` requests of ``endpoint`` on ``framework`` with :mod:`cProfile`.

    Returns:
        The functions sorted by own time (descending), and the total own time of the framework's functions in
        microseconds per request (profiled, so several times the real figure).

    Raises:
        LookupError: The app is unavailable or does not serve ``endpoint``.
    """
    return asyncio.run(_profile(framework, endpoint, requests))


def calls_table(counts: Sequence[CallCount], frameworks: Sequence[str], endpoints: Sequence[Endpoint]) -> str:
    """Render call counts as a markdown table: one row per endpoint, one column per framework."""
    by_key = {(count.framework, count.endpoint): count for count in counts}
    footnotes: list[str] = []
    rows = []
    for endpoint in endpoints:
        row = [endpoint.name]
        for framework in frameworks:
            count = by_key[framework, endpoint.name]
            if count.status == "ok":
                row.append(f"{count.total:.0f} ({count.python_calls:.0f} py)")
            else:
                row.append(status_cell(footnotes, framework, count.status, count.error))
        rows.append(row)
    table = markdown_table(["endpoint", *frameworks], rows, ["l"] + ["r"] * len(frameworks))
    return "\n\n".join([table, "\n".join(footnotes)]) if footnotes else table


def profile_table(rows: Sequence[ProfileRow], top: int = 25) -> str:
    """Render the ``top`` rows of a profile as a markdown table."""
    body = [
        [f"`{row.function}`", f"`{row.location}`", f"{row.calls:.0f}", f"{row.own_us:.2f}", f"{row.cumulative_us:.2f}"]
        for row in rows[:top]
    ]
    return markdown_table(
        ["function", "where", "calls/req", "own µs/req", "cumulative µs/req"], body, ["l", "l", "r", "r", "r"]
    )


def add_arguments(parser: argparse._ActionsContainer) -> None:
    """Add the options of this module to ``parser``."""
    parser.add_argument("--calls-requests", type=int, default=1000, help="requests counted per endpoint (1000)")
    parser.add_argument("--profile", action="store_true", help="profile one endpoint with cProfile")
    parser.add_argument("--profile-framework", default="outpour", help="framework to profile (outpour)")
    parser.add_argument("--profile-endpoint", default="GET /plain", help="endpoint to profile (GET /plain)")
    parser.add_argument("--top", type=int, default=25, help="functions shown by --profile (25)")


def main(argv: Sequence[str] | None = None, emit: Callable[[str], None] = print) -> None:
    """Command line: count calls per request, or ``--profile``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_calls", description=__doc__)
    parser.add_argument("--only", help="endpoints whose name contains this")
    parser.add_argument("--frameworks", help="comma-separated frameworks (default: all)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.profile:
        endpoint = select_endpoints(args.profile_endpoint)[0]
        rows, own = profile_endpoint(args.profile_framework, endpoint, args.calls_requests)
        emit(f"{args.profile_framework} {endpoint.name}: {own:.1f} µs/request of own time under cProfile\n")
        emit(profile_table(rows, args.top))
        return
    frameworks = select_frameworks(args.frameworks)
    endpoints = select_endpoints(args.only)
    emit(calls_table(count_calls(frameworks, endpoints, args.calls_requests), frameworks, endpoints))


if __name__ == "__main__":
    main()
