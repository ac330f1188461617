"""Instructions per request, counted with valgrind's callgrind: ``python -m benchmarks.instructions [options]``.

Timings on a shared machine move by 10-30 % from run to run; an instruction count does not (the same binary, inputs
and environment give the same total, whatever else the machine is doing). For each framework and endpoint, one
process under ``valgrind --tool=callgrind`` starts the app (lifespan), checks one response fully, then sends ``--few``
checked requests, and another process the same with ``--many``: the difference of the two totals divided by
``--many - --few`` is the count per request, the start-up and the interpreter's own cost cancelled out. The requests
go through the in-process harness of ``benchmarks.inprocess`` (the app's ASGI callable, a server-like
``receive``/``send``), as ``python -m benchmarks.run inprocess`` sends them.

valgrind (Debian's package ``valgrind``) must be on ``PATH``. A count takes 10-60 s per framework and endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.apps import load_app, select_frameworks
from benchmarks.endpoints import Endpoint, select_endpoints
from benchmarks.inprocess import AsgiHarness
from benchmarks.report import markdown_table

__all__ = ["Count", "count", "counts_table", "main", "send_requests"]

_COLLECTED = re.compile(rb"Collected : (\d+)")


async def _send(framework: str, endpoint: Endpoint, requests: int) -> None:
    loaded = load_app(framework)
    if loaded.app is None:
        raise RuntimeError(loaded.error)
    harness = AsgiHarness(loaded.app)
    await harness.startup()
    try:
        reference = await harness.validate(endpoint, framework)
        await harness.timed_batch(endpoint, reference, requests, collect=False)
    finally:
        await harness.shutdown()


def send_requests(framework: str, endpoint: str, requests: int) -> None:
    """Start ``framework``'s app, check one response of ``endpoint``, then send ``requests`` checked requests.

    Raises:
        ValueError: ``endpoint`` names no endpoint, or several.
        CheckFailed: A response is wrong.
    """
    matches = [e for e in select_endpoints(None) if e.name == endpoint]
    if len(matches) != 1:
        raise ValueError(f"no endpoint is named `{endpoint}`")
    asyncio.run(_send(framework, matches[0], requests))


@dataclass(frozen=True, slots=True)
class Count:
    """Instructions per request of one framework on one endpoint (``None`` with ``error`` when it failed)."""

    framework: str
    endpoint: str
    per_request: float | None
    error: str | None = None


def _total(framework: str, endpoint: str, requests: int) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            *("valgrind", "--tool=callgrind", f"--callgrind-out-file={os.path.join(scratch, 'out')}"),
            *(sys.executable, "-m", "benchmarks.instructions", "--send", framework, endpoint, str(requests)),
        ]
        # One hash seed for both processes: string hashes decide dict layouts, and so the instructions.
        environment = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, timeout=900, check=False, env=environment)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"exit status {done.returncode}: {' / '.join(tail)}")
    return int(found.group(1))


def count(framework: str, endpoint: str, few: int = 50, many: int = 250) -> Count:
    """Count ``framework``'s instructions per request on ``endpoint`` (see the module's description)."""
    try:
        difference = _total(framework, endpoint, many) - _total(framework, endpoint, few)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return Count(framework, endpoint, None, str(exc))
    return Count(framework, endpoint, difference / (many - few))


def counts_table(counts: Sequence[Count]) -> str:
    """Thousands of instructions per request, endpoints by frameworks; in brackets, each count ÷ outpour's."""
    frameworks = list(dict.fromkeys(c.framework for c in counts))
    endpoints = list(dict.fromkeys(c.endpoint for c in counts))
    by_key = {(c.framework, c.endpoint): c for c in counts}
    rows = []
    for endpoint in endpoints:
        ours = by_key.get(("outpour", endpoint))
        row = [endpoint]
        for framework in frameworks:
            cell = by_key.get((framework, endpoint))
            if cell is None or cell.per_request is None:
                row.append("error" if cell is not None else "")
                continue
            text = f"{cell.per_request / 1000:,.1f}k"
            if ours is not None and ours.per_request and framework != "outpour":
                text += f" ({cell.per_request / ours.per_request:.2f}x)"
            row.append(text)
        rows.append(row)
    errors = [f"{c.framework} {c.endpoint}: {c.error}" for c in counts if c.error]
    table = markdown_table(["endpoint", *frameworks], rows, ["l", *("r" for _ in frameworks)])
    return table + "".join(f"\n\n[{i}] {note}" for i, note in enumerate(errors, 1))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table of instructions per request (or, with ``--send``, be the process being counted)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.instructions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", help="the endpoints whose name contains this (e.g. html)")
    parser.add_argument("--frameworks", default="outpour,litestar,raw", help="comma-separated (outpour,litestar,raw)")
    parser.add_argument("--few", type=int, default=50, help="requests of the shorter process (50)")
    parser.add_argument("--many", type=int, default=250, help="requests of the longer process (250)")
    parser.add_argument("--send", nargs=3, metavar=("FRAMEWORK", "ENDPOINT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.send:
        send_requests(args.send[0], args.send[1], int(args.send[2]))
        return 0
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not on PATH (Debian: apt-get install valgrind)")
    if not 0 < args.few < args.many:
        parser.error("--few must be positive and smaller than --many")
    frameworks = select_frameworks(args.frameworks)
    counts = []
    for endpoint in select_endpoints(args.only):
        for framework in frameworks:
            if endpoint.name in load_app(framework).unsupported:
                continue
            print(f"counting {framework} {endpoint.name}", file=sys.stderr, flush=True)
            counts.append(count(framework, endpoint.name, args.few, args.many))
    print(counts_table(counts))
    return 1 if any(c.error for c in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
