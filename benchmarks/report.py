"""Markdown rendering of benchmark results, machine description, and updating ``benchmarks/RESULTS.md``."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.e2e import E2EResult
from benchmarks.endpoints import Endpoint
from benchmarks.inprocess import EndpointResult

__all__ = [
    "RESULTS_PATH",
    "e2e_tables",
    "footnote",
    "inprocess_tables",
    "machine_info",
    "markdown_table",
    "status_cell",
    "write_section",
]

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
"""Where ``--write-results`` writes."""

PACKAGES = (
    "outpour",
    "litestar",
    "starlette",
    "fastapi",
    "pydantic",
    "blacksheep",
    "msgspec",
    "uvicorn",
    "uvloop",
    "httptools",
    "granian",
)
"""The packages whose versions are recorded with the results."""

REFERENCES = ("litestar", "outpour")
"""The frameworks every other one is compared with."""


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None) -> str:
    """Render a markdown table with padded columns.

    Args:
        headers: Column titles.
        rows: The cells, row by row (as many as ``headers``).
        align: ``"l"`` or ``"r"`` per column (default: all left).

    Returns:
        The table, without a trailing newline.
    """
    align = align or ["l"] * len(headers)
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    widths = [max(width, 3) for width in widths]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if side == "r" else cell.ljust(width)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if side == "r" else ("-" * (w + 2)) for w, side in zip(widths, align, strict=True)
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def footnote(footnotes: list[str], framework: str, error: str, label: str = "error") -> str:
    """Record an error as a numbered footnote (identical ones share a number) and return the cell text."""
    note = f"{framework}: {error}"
    for index, existing in enumerate(footnotes, start=1):
        if existing.endswith(note):
            return f"{label} [{index}]"
    footnotes.append(f"[{len(footnotes) + 1}] {note}")
    return f"{label} [{len(footnotes)}]"


def status_cell(footnotes: list[str], framework: str, status: str, error: str | None) -> str:
    """Return the cell of a result without figures: ``n/a``, ``pending [n]`` (unavailable) or ``error [n]``."""
    if status == "n/a":
        return "n/a"
    if status == "unavailable":
        return footnote(footnotes, framework, error or "unavailable", "pending")
    return footnote(footnotes, framework, error or status)


def _speed(value: float | None, reference: float | None) -> str:
    if value is None or reference is None:
        return "-"
    return f"{value / reference:.2f}x"


def _rate(per_second: float) -> str:
    return f"{per_second / 1000:.1f}k" if per_second >= 1000 else f"{per_second:.0f}"


def _spread(samples: Sequence[float]) -> str:
    if len(samples) < 4:
        return ""
    quartiles = statistics.quantiles(samples, n=4)
    return f" ±{(quartiles[2] - quartiles[0]) / 2 / statistics.median(samples) * 100:.0f}%"


def _matrix(
    frameworks: Sequence[str],
    endpoints: Sequence[Endpoint],
    cell: Callable[[str, Endpoint, list[str]], str],
    footnotes: list[str],
) -> str:
    rows = [[endpoint.name, *(cell(fw, endpoint, footnotes) for fw in frameworks)] for endpoint in endpoints]
    return markdown_table(["endpoint", *frameworks], rows, ["l"] + ["r"] * len(frameworks))


def _with_footnotes(parts: list[str], footnotes: list[str]) -> str:
    if footnotes:
        parts = [*parts, "\n".join(footnotes)]
    return "\n\n".join(parts)


def inprocess_tables(
    results: Sequence[EndpointResult],
    frameworks: Sequence[str],
    endpoints: Sequence[Endpoint],
    rounds: int,
    requests: int,
) -> str:
    """Render in-process results: time per request, requests/s, and speed relative to each reference framework."""
    by_key = {(r.framework, r.endpoint): r for r in results}
    notes: list[str] = []

    def time_cell(fw: str, ep: Endpoint, notes: list[str]) -> str:
        result = by_key[fw, ep.name]
        if result.median_ns is None:
            return status_cell(notes, fw, result.status, result.error)
        return f"{result.median_ns / 1000:.2f}{_spread(result.per_request_ns)}"

    def rate(fw: str, ep: Endpoint) -> float | None:
        return by_key[fw, ep.name].requests_per_second

    def rate_cell(fw: str, ep: Endpoint, notes: list[str]) -> str:
        result = by_key[fw, ep.name]
        if result.requests_per_second is None:
            return status_cell(notes, fw, result.status, result.error)
        return _rate(result.requests_per_second)

    parts = [
        f"Median µs per request over {rounds} rounds of {requests} requests (± half the interquartile range; "
        "lower is better):",
        _matrix(frameworks, endpoints, time_cell, notes),
        "Requests per second (one core, no server):",
        _matrix(frameworks, endpoints, rate_cell, notes),
        *_throughput_parts(frameworks, endpoints, rate, rate_cell, notes, " (one core, no server)"),
        *_speed_tables(frameworks, endpoints, rate, rate_cell, notes, ""),
    ]
    return _with_footnotes(parts, notes)


def _throughput_parts(
    frameworks: Sequence[str],
    endpoints: Sequence[Endpoint],
    rate: Callable[[str, Endpoint], float | None],
    rate_cell: Callable[[str, Endpoint, list[str]], str],
    notes: list[str],
    where: str,
) -> list[str]:
    """Return the throughput table (MB/s = requests/s x body size) of the endpoints with a ``transfer_bytes``."""
    large = [endpoint for endpoint in endpoints if endpoint.transfer_bytes]
    if not large:
        return []

    def cell(fw: str, ep: Endpoint, notes: list[str]) -> str:
        value = rate(fw, ep)
        if value is None or not ep.transfer_bytes:
            return rate_cell(fw, ep, notes)
        return f"{value * ep.transfer_bytes / 1e6:,.0f}"

    title = f"Throughput{where}, MB/s (requests/s x body size, 1 MB = 10^6 bytes; higher is better):"
    return [title, _matrix(frameworks, large, cell, notes)]


def _speed_tables(
    frameworks: Sequence[str],
    endpoints: Sequence[Endpoint],
    rate: Callable[[str, Endpoint], float | None],
    rate_cell: Callable[[str, Endpoint, list[str]], str],
    notes: list[str],
    where: str,
) -> list[str]:
    """Return the "speed relative to" tables, one per reference framework that was measured."""
    parts: list[str] = []
    for reference in REFERENCES:
        if reference not in frameworks:
            continue
        title = f"Speed relative to {reference}{where} (requests/s ÷ {reference}'s; higher is faster):"
        if all(rate(reference, ep) is None for ep in endpoints):
            parts.append(f"{title} pending, {reference} has no figures yet.")
            continue

        def speed_cell(fw: str, ep: Endpoint, notes: list[str], reference: str = reference) -> str:
            value = rate(fw, ep)
            return rate_cell(fw, ep, notes) if value is None else _speed(value, rate(reference, ep))

        parts += [title, _matrix(frameworks, endpoints, speed_cell, notes)]
    return parts


def e2e_tables(
    results: Sequence[E2EResult],
    frameworks: Sequence[str],
    endpoints: Sequence[Endpoint],
    servers: Sequence[str],
    describe: str,
) -> str:
    """Render end-to-end results per server: requests/s, latency p50/p99, and speed relative to the references."""
    by_key = {(r.server, r.framework, r.endpoint): r for r in results}
    notes: list[str] = []
    parts: list[str] = []
    for server in servers:

        def rate(fw: str, ep: Endpoint, server: str = server) -> float | None:
            return by_key[server, fw, ep.name].requests_per_second

        def rate_cell(fw: str, ep: Endpoint, notes: list[str], server: str = server) -> str:
            result = by_key[server, fw, ep.name]
            if result.requests_per_second is None:
                return status_cell(notes, fw, result.status, result.error)
            return _rate(result.requests_per_second)

        def latency_cell(fw: str, ep: Endpoint, notes: list[str], server: str = server) -> str:
            result = by_key[server, fw, ep.name]
            if result.p50_ms is None or result.p99_ms is None:
                return status_cell(notes, fw, result.status, result.error)
            return f"{result.p50_ms:.2f} / {result.p99_ms:.2f}"

        parts += [f"#### {server}", f"Requests per second ({describe}; median over rounds):"]
        parts += [_matrix(frameworks, endpoints, rate_cell, notes), "Latency p50 / p99, ms (median over rounds):"]
        parts += [_matrix(frameworks, endpoints, latency_cell, notes)]
        parts += _throughput_parts(frameworks, endpoints, rate, rate_cell, notes, f" under {server}")
        parts += _speed_tables(frameworks, endpoints, rate, rate_cell, notes, f" under {server}")
    return _with_footnotes(parts, notes)


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match[1].strip() if match else platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def wrk_version() -> str:
    """Return ``wrk``'s version line, or ``"not installed"``."""
    try:
        completed = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    first = (completed.stdout or completed.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else "unknown"


def machine_info(with_wrk: bool = False) -> str:
    """Describe the machine and the software versions, as markdown bullet lines."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} logical CPUs ({affinity} usable)",
        f"- OS: {platform.platform()}",
        f"- Python: {platform.python_implementation()} {sys.version.split()[0]}",
        "- Packages: " + ", ".join(f"{name} {_version(name)}" for name in PACKAGES),
    ]
    if with_wrk:
        lines.append(f"- Load generator: {wrk_version()}")
    return "\n".join(lines)


def section_header(command: str, with_wrk: bool = False) -> str:
    """Return the date, machine and command lines that open a results section."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Measured {now} with `{command}` on:\n\n{machine_info(with_wrk)}"


_TEMPLATE = "# Benchmark results\n"


def write_section(name: str, title: str, content: str, path: Path = RESULTS_PATH) -> None:
    """Replace the section ``name`` of the results file (between its markers) with ``content``.

    The markers are ``<!-- BEGIN name -->`` and ``<!-- END name -->``; a missing section is appended under a
    ``## title`` heading, and a missing file is created.
    """
    text = path.read_text() if path.exists() else _TEMPLATE
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{content.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text, count=1)
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
    path.write_text(text)
