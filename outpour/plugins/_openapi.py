"""The schema of a type as a ``Schema`` object, for the built-in OpenAPI schema plugins."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from outpour.openapi._schema import SchemaCreator
from outpour.openapi.spec import Schema, _camel

__all__ = ["schema_object", "schema_of"]


def schema_object(schema: dict[str, Any]) -> Schema:
    """Turn a JSON Schema dict into a ``Schema``; nested schemas stay dicts, which ``to_schema()`` renders as they are.

    Args:
        schema: The schema, as outpour's generator or a library writes it.

    Returns:
        The ``Schema``; keys ``Schema`` has no field for (``$defs``, vendor extensions) are dropped.
    """
    keys = {item.name: item.metadata.get("alias") or _camel(item.name) for item in fields(Schema)}
    values = {name: schema[key] for name, key in keys.items() if key in schema}
    return Schema(**values)


def schema_of(annotation: Any, schema_creator: Any) -> Schema:
    """Return the schema of ``annotation`` inline, made by ``schema_creator`` (outpour's own when it is not one).

    Args:
        annotation: The type, or an object whose ``annotation`` is the type.
        schema_creator: The generator of the document being built, or ``None``.

    Returns:
        The schema.
    """
    annotation = getattr(annotation, "annotation", annotation)
    creator = schema_creator if isinstance(schema_creator, SchemaCreator) else SchemaCreator()
    schema = creator.for_type(annotation)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = creator.components.get(ref.rsplit("/", 1)[-1], schema)
    return schema_object(schema)
