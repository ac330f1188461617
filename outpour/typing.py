"""The parsed-annotation model that the framework and plugins work with: ``FieldDefinition``.

``FieldDefinition.from_annotation(list[int] | None)`` tells what a handler parameter, a return type or a model field
is: optional or not, its container, its arguments (each parsed in turn), its ``Annotated`` metadata and parameter
options. Plugins receive one, as in ``SerializationPlugin.supports_type(field_definition)``.
"""

from __future__ import annotations

from outpour._field_definition import FieldDefinition

__all__ = ["FieldDefinition"]
