"""The ``outpour`` command line: ``outpour run``, ``info``, ``routes``, ``schema openapi``, ``version``.

It needs click and rich, from the ``standard`` (or ``cli``) extra. Run ``outpour --help`` for the
commands and their options.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_CLI_PACKAGES = frozenset({"click", "rich"})


def main(args: Sequence[str] | None = None) -> None:
    """Run the ``outpour`` command (the console script's entry point).

    Args:
        args: The arguments; ``sys.argv[1:]`` when not given.

    Raises:
        SystemExit: Always, with the command's exit status; 1 when click or rich is missing.
    """
    try:
        from outpour.cli._commands import cli
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _CLI_PACKAGES:
            raise
        print(
            f"The `outpour` command needs `{exc.name}`, which is not installed: `pip install 'outpour[cli]'`.",
            file=sys.stderr,
        )
        raise SystemExit(1) from exc
    cli.main(args=list(args) if args is not None else None, prog_name="outpour")
