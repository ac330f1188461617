"""What ``debugger_module`` accepts: a module like ``pdb`` or an object with a ``post_mortem`` function."""

from __future__ import annotations

from types import ModuleType, TracebackType
from typing import Any, Protocol, TypeAlias

__all__ = ["Debugger", "PDBProtocol"]


class PDBProtocol(Protocol):
    """A debugger that can be entered on the traceback of an exception, like ``pdb``, ``ipdb`` or ``pudb``."""

    @staticmethod
    def post_mortem(traceback: TracebackType | None = None, *args: Any, **kwargs: Any) -> Any:
        """Enter the debugger on ``traceback`` (the exception being handled when ``None``)."""


Debugger: TypeAlias = ModuleType | PDBProtocol
"""A debugger module or object."""
