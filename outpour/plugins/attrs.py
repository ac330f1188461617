"""attrs classes in the OpenAPI document: ``AttrsSchemaPlugin``, and ``is_attrs_class``.

outpour documents attrs classes (``@attrs.define``, ``@attr.s``) on its own; the plugin is there for apps that
register it, and for code that asks it for a class's schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

from outpour.plugins._openapi import schema_of
from outpour.plugins.base import OpenAPISchemaPlugin
from outpour.serialization import is_attrs_class as _is_attrs_class

if TYPE_CHECKING:
    from outpour.openapi.spec import Schema

__all__ = ["AttrsSchemaPlugin", "is_attrs_class"]


def is_attrs_class(annotation: Any) -> TypeGuard[type[Any]]:
    """Tell whether ``annotation`` is a class made by attrs, without importing attrs.

    Args:
        annotation: A type annotation.

    Returns:
        ``True`` for an attrs class.
    """
    return _is_attrs_class(annotation)


class AttrsSchemaPlugin(OpenAPISchemaPlugin):
    """Documents attrs classes: their fields, types, defaults and required fields."""

    __slots__ = ()

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        """Tell whether ``value`` is an attrs class.

        Args:
            value: A type.

        Returns:
            Whether it is.
        """
        return is_attrs_class(value)

    def to_openapi_schema(self, field_definition: Any, schema_creator: Any) -> Schema:
        """Return the schema of the attrs class.

        Args:
            field_definition: The class, or an object whose ``annotation`` is the class.
            schema_creator: The document's schema generator (outpour's own when it is not one).

        Returns:
            The schema, inline.
        """
        return schema_of(field_definition, schema_creator)
