"""Configuration objects of an outpour application; see ``outpour.config.app``."""

from __future__ import annotations

from outpour.config.app import AppConfig

__all__ = ["AppConfig"]
