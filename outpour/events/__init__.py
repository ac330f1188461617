"""Events: ``@listener("event_id")`` functions that ``app.emit("event_id", ...)`` calls without waiting for them.

``EventListener`` (``listener`` is its decorator name) binds a sync or async callable to event ids; the app's
``event_emitter_backend`` (``SimpleEventEmitter`` by default, a ``BaseEventEmitterBackend``) delivers each emitted event
to its listeners while the app runs.
"""

from __future__ import annotations

from outpour.events.emitter import BaseEventEmitterBackend, SimpleEventEmitter
from outpour.events.listener import EventListener, listener

__all__ = ["BaseEventEmitterBackend", "EventListener", "SimpleEventEmitter", "listener"]
