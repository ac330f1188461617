"""``python -m outpour.cli``: the same as the ``outpour`` command."""

from __future__ import annotations

from outpour.cli import main

main()
