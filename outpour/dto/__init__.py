"""Data transfer objects: what a handler's ``data`` is read from, and what its return value is written as.

``DataclassDTO[Model]`` and ``MsgspecDTO[Model]``, configured with ``DTOConfig``, are given as ``dto=`` and
``return_dto=`` on any layer. See ``docs/usage/dto.md``.
"""

from __future__ import annotations

from outpour.dto.base_dto import AbstractDTO
from outpour.dto.config import DTOConfig
from outpour.dto.data_structures import DTOData, DTOFieldDefinition
from outpour.dto.dataclass_dto import DataclassDTO
from outpour.dto.field import DTOField, Mark, dto_field
from outpour.dto.msgspec_dto import MsgspecDTO
from outpour.dto.types import RenameStrategy

__all__ = [
    "AbstractDTO",
    "DTOConfig",
    "DTOData",
    "DTOField",
    "DTOFieldDefinition",
    "DataclassDTO",
    "Mark",
    "MsgspecDTO",
    "RenameStrategy",
    "dto_field",
]
