"""The configuration of a DTO: ``DTOConfig``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from outpour.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from outpour.dto.types import RenameStrategy

__all__ = ["DTOConfig"]


@dataclass(frozen=True)
class DTOConfig:
    """What a DTO transfers of its model, and under which names.

    Args:
        exclude: Dotted paths of fields never transferred (``"id"``, ``"address.id"``, ``"pets.0.id"``: the number
            picks the type argument of a collection).
        include: Dotted paths of the only fields transferred; the opposite of ``exclude``, and not combined with it.
        rename_fields: Field names mapped to the names the client sees; such fields escape ``rename_strategy``.
        rename_strategy: ``"lower"``, ``"upper"``, ``"camel"``, ``"pascal"``, ``"kebab"`` or a function renaming
            every other field.
        max_nested_depth: How many levels of nested models are transferred; deeper fields are left out.
        partial: Accept any subset of the fields from the client (for ``PATCH``); fields it leaves out are unset.
        underscore_fields_private: Treat fields whose name starts with ``_`` as private (never transferred).
        experimental_codegen_backend: Accepted for compatibility: outpour has one backend, compiled at start-up.
        forbid_unknown_fields: Answer 400 to client data carrying a field the DTO does not know.

    Raises:
        ImproperlyConfiguredException: Both ``include`` and ``exclude`` are given.
    """

    exclude: set[str] = field(default_factory=set)
    include: set[str] = field(default_factory=set)
    rename_fields: dict[str, str] = field(default_factory=dict)
    rename_strategy: RenameStrategy | None = None
    max_nested_depth: int = 1
    partial: bool = False
    underscore_fields_private: bool = True
    experimental_codegen_backend: bool | None = None
    forbid_unknown_fields: bool = False

    def __post_init__(self) -> None:
        if self.include and self.exclude:
            raise ImproperlyConfiguredException(
                "`DTOConfig` takes `include` or `exclude`, not both: list the fields to transfer in `include`, or "
                "those to leave out in `exclude`."
            )
