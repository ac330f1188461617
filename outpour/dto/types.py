"""Type aliases of the DTO options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeAlias

__all__ = ["RenameStrategy"]

RenameStrategy: TypeAlias = "Literal['lower', 'upper', 'camel', 'pascal', 'kebab'] | Callable[[str], str]"
"""How ``DTOConfig.rename_strategy`` renames every field: a named strategy, or a function of the field name."""
