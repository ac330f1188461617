"""The ``outpour`` logger's default handler under ``outpour run``: formatted lines on stderr, written off the loop.

Unhandled exceptions are logged once, with their traceback, through the ``outpour`` logger (``outpour._errors``).
Without a handler Python would print them bare (its last-resort handler); with one that writes to stderr directly, a
slow terminal or pipe would block the event loop. So records go through a ``QueueHandler`` to a thread
(``QueueListener``) that writes them.
"""

from __future__ import annotations

import atexit
import logging
import queue
import sys
from logging.handlers import QueueHandler, QueueListener
from typing import TextIO

__all__ = ["DEFAULT_FORMAT", "configure_default_logging"]

DEFAULT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
"""How a record of the default handler is written."""


class _Listener(QueueListener):
    """A ``QueueListener`` whose ``stop`` may be called again (at exit, after a test or a server stopped it)."""

    def stop(self) -> None:
        if self._thread is not None:
            super().stop()


def configure_default_logging(stream: TextIO | None = None) -> QueueListener | None:
    """Give the ``outpour`` logger a queued handler writing formatted records to ``stream`` (stderr by default).

    Nothing is done when the ``outpour`` logger or the root logger already has a handler: the application's logging
    configuration wins.

    Args:
        stream: Where records are written.

    Returns:
        The started listener (stopped at exit), or ``None`` when logging was already configured.
    """
    logger = logging.getLogger("outpour")
    if logger.handlers or logging.getLogger().handlers:
        return None
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(DEFAULT_FORMAT))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = _Listener(records, handler)
    listener.start()
    atexit.register(listener.stop)
    logger.addHandler(QueueHandler(records))
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return listener
