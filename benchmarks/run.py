"""Command line of the benchmarks: ``python -m benchmarks.run [inprocess|e2e|calls|all] [options]``.

- ``inprocess`` (default, ``make bench``): each app's ASGI callable called directly; a couple of minutes.
- ``e2e`` (``make bench ARGS=e2e``): each app under uvicorn and granian, loaded with wrk; ~6 s per framework, server,
  endpoint and round.
- ``calls``: function calls per request; with ``--profile``, the cProfile of one endpoint (outpour's ``GET /plain``).
- ``all``: all of the above, and the profile.

Markdown tables go to stdout, progress to stderr. ``--write-results`` also updates ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from benchmarks import e2e, inprocess, profile_calls, report
from benchmarks.apps import select_frameworks
from benchmarks.endpoints import select_endpoints

__all__ = ["main"]

MODES = ("inprocess", "e2e", "calls", "all")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", choices=MODES, default="inprocess", help="what to run (inprocess)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (in-process 20, e2e 2)")
    parser.add_argument("--requests", type=int, default=2000, help="in-process requests per timed batch (2000)")
    parser.add_argument("--warmup-requests", type=int, default=200, help="in-process untimed requests first (200)")
    parser.add_argument("--only", help="only the endpoints whose name contains this (e.g. plain, POST)")
    parser.add_argument("--frameworks", help="comma-separated frameworks (default: all)")
    parser.add_argument("--seed", type=int, help="seed of the shuffled orders (default: random)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the raw results as JSON")
    parser.add_argument("--write-results", action="store_true", help="update benchmarks/RESULTS.md")
    group = parser.add_argument_group("end to end")
    group.add_argument("--servers", default=",".join(e2e.SERVERS), help="comma-separated servers (uvicorn,granian)")
    group.add_argument("--threads", type=int, default=1, help="wrk -t (1)")
    group.add_argument("--connections", type=int, default=32, help="wrk -c (32)")
    group.add_argument("--duration", type=int, default=5, help="wrk -d in whole seconds (5)")
    group.add_argument("--warmup-seconds", type=int, default=1, help="untimed wrk load before each run (1; 0: none)")
    profile_calls.add_arguments(parser.add_argument_group("calls and profile"))
    return parser


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds through the `finally` blocks that kill servers


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; return the exit status."""
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    command = shlex.join(["python", "-m", "benchmarks.run", *(sys.argv[1:] if argv is None else argv)])
    frameworks = select_frameworks(args.frameworks)
    endpoints = select_endpoints(args.only)
    dump: dict[str, Any] = {"command": command, "machine": report.machine_info(with_wrk=True)}
    sections: list[tuple[str, str, str]] = []  # (name, title, content)

    if args.mode in ("inprocess", "all"):
        rounds = args.rounds or 20
        options = inprocess.InprocessOptions(
            frameworks, endpoints, rounds, args.requests, args.warmup_requests, args.seed
        )
        results = inprocess.run_inprocess(options, _progress)
        tables = report.inprocess_tables(results, frameworks, endpoints, rounds, args.requests)
        print(f"## In-process\n\n{tables}\n", flush=True)
        dump["inprocess"] = [result.as_json() for result in results]
        sections.append(("inprocess", "In-process", f"{report.section_header(command)}\n\n{tables}"))

    if args.mode in ("e2e", "all"):
        if not e2e.wrk_available():
            print("## End to end\n\nskipped: `wrk` is not installed (Debian: `apt-get install -y wrk`)\n", flush=True)
        else:
            rounds = args.rounds or 2
            servers = [name.strip() for name in args.servers.split(",") if name.strip()]
            unknown = [name for name in servers if name not in e2e.SERVERS]
            if unknown:
                raise SystemExit(f"--servers: unknown `{','.join(unknown)}`; choose among {', '.join(e2e.SERVERS)}")
            e2e_options = e2e.E2EOptions(
                frameworks,
                endpoints,
                servers,
                rounds,
                args.threads,
                args.connections,
                args.duration,
                args.warmup_seconds,
                args.seed,
            )
            e2e_results = e2e.run_e2e(e2e_options, _progress)
            describe = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {rounds} rounds"
            tables = report.e2e_tables(e2e_results, frameworks, endpoints, servers, describe)
            print(f"## End to end\n\n{tables}\n", flush=True)
            dump["e2e"] = [result.as_json() for result in e2e_results]
            header = report.section_header(command, with_wrk=True)
            sections.append(("e2e", "End to end", f"{header}\n\n{tables}"))

    if args.mode in ("calls", "all") and not (args.mode == "calls" and args.profile):
        _progress("counting calls")
        counts = profile_calls.count_calls(frameworks, endpoints, args.calls_requests)
        table = profile_calls.calls_table(counts, frameworks, endpoints)
        intro = (
            f"Function calls per request over {args.calls_requests} requests: all calls (Python functions and "
            "generator/coroutine resumptions, plus builtin/C functions), and the Python ones in parentheses. "
            "The harness's own calls are not counted."
        )
        print(f"## Function calls per request\n\n{intro}\n\n{table}\n", flush=True)
        dump["calls"] = [vars_of(count) for count in counts]
        sections.append(
            ("calls", "Function calls per request", f"{report.section_header(command)}\n\n{intro}\n\n{table}")
        )

    if args.profile or args.mode == "all":
        endpoint = select_endpoints(args.profile_endpoint)[0]
        _progress(f"profiling {args.profile_framework} {endpoint.name}")
        try:
            rows, own = profile_calls.profile_endpoint(args.profile_framework, endpoint, args.calls_requests)
        except LookupError as exc:
            content = f"pending: {args.profile_framework} is not available ({exc})"
        else:
            content = (
                f"`{args.profile_framework}` `{endpoint.name}`, cProfile over {args.calls_requests} requests "
                f"(profiling inflates times; compare rows, not totals): {own:.1f} µs/request of own time in "
                f"{sum(row.calls for row in rows):.0f} calls.\n\n{profile_calls.profile_table(rows, args.top)}"
            )
        print(f"## Profile\n\n{content}\n", flush=True)
        sections.append(("profile", "Profile of /plain", f"{report.section_header(command)}\n\n{content}"))

    if args.json:
        args.json.write_text(json.dumps(dump, indent=2) + "\n")
    if args.write_results:
        for name, title, content in sections:
            report.write_section(name, title, content)
        _progress(f"updated {report.RESULTS_PATH}")
    return 0


def vars_of(count: profile_calls.CallCount) -> dict[str, Any]:
    """Return a JSON-friendly dict of a call count."""
    return {
        "framework": count.framework,
        "endpoint": count.endpoint,
        "python_calls": count.python_calls,
        "c_calls": count.c_calls,
        "status": count.status,
        "error": count.error,
    }


if __name__ == "__main__":
    sys.exit(main())
