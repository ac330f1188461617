"""Time one endpoint of outpour's benchmark app at several commits, in one run, interleaved.

``python -m benchmarks.ab_commits f185ecb HEAD --path /stream`` checks each commit out into a temporary git
worktree, then, round after round, runs a fresh interpreter per commit that calls the app's ASGI callable directly
(no socket) and prints the best time per request. The machine is noisy: read the ratio between commits of one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_TIMER = """
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.apps.outpour_app import app
path, batches, calls = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
raw_path, _, query = path.partition("?")
scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
         "path": raw_path, "raw_path": raw_path.encode(), "root_path": "", "query_string": query.encode(),
         "headers": [(b"host", b"x"), (b"user-agent", b"bench"), (b"accept", b"*/*")],
         "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
async def receive():
    return {"type": "http.request", "body": b"", "more_body": False}
async def send(message):
    pass
async def main():
    best = float("inf")
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(calls):
            await app(dict(scope), receive, send)
        best = min(best, (time.perf_counter() - start) / calls)
    print(f"{best * 1e6:.2f}")
asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="+", help="commits to compare")
    parser.add_argument("--path", default="/plain", help="the endpoint's path and query (GET)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="outpour-ab-") as tmp:
        trees = {}
        for index, revision in enumerate(args.revisions):
            tree = Path(tmp) / str(index)
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), revision], check=True
            )
            trees[revision] = tree
        try:
            times: dict[str, list[float]] = {revision: [] for revision in trees}
            for _ in range(args.rounds):
                for revision, tree in trees.items():
                    command = [sys.executable, "-c", _TIMER, str(tree), args.path, str(args.batches), str(args.calls)]
                    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)
                    times[revision].append(float(result.stdout))
            for revision, values in times.items():
                print(f"{revision:>12}  GET {args.path}  best {min(values):.2f} µs  (rounds: {values})")
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
