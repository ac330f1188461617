"""A callable's signature parsed into ``FieldDefinition``s, and a msgspec model of its parameters.

What Litestar exposes as ``parsed_fn_signature`` and ``signature_model`` on route handlers and ``Provide``: built on
first use (never per request) for introspection; the request path reads its own compiled extractors instead.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from outpour._field_definition import FieldDefinition
from outpour._signature import get_hints
from outpour.types import Empty

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["ParsedSignature", "signature_model"]


@dataclass(frozen=True)
class ParsedSignature:
    """A callable's parameters and return annotation, each parsed into a ``FieldDefinition``.

    Attributes:
        parameters: The parameters by name, in order (``self`` of a bound method is not one).
        return_type: The return annotation; ``Any`` when the callable has none.
        original_signature: The signature as ``inspect.signature`` gives it.
    """

    parameters: dict[str, FieldDefinition]
    return_type: FieldDefinition
    original_signature: inspect.Signature

    @classmethod
    def from_fn(cls, fn: Callable[..., Any], signature_namespace: Mapping[str, Any]) -> ParsedSignature:
        """Parse the signature of ``fn``, resolving names of its annotations in ``signature_namespace`` too.

        Args:
            fn: A function, a bound method, a class (its ``__init__``) or a callable instance.
            signature_namespace: Names the annotations may use, beyond the callable's module.

        Returns:
            The parsed signature.

        Raises:
            ImproperlyConfiguredException: An annotation cannot be resolved, or a parameter has none.
        """
        label = f"`{getattr(fn, '__qualname__', fn)!r}`"
        return cls.from_signature(inspect.signature(fn), get_hints(fn, {}, signature_namespace, label))

    @classmethod
    def from_signature(cls, signature: inspect.Signature, hints: Mapping[str, Any]) -> ParsedSignature:
        """Parse a signature whose annotations are resolved already.

        Args:
            signature: The signature, from ``inspect.signature``.
            hints: The resolved annotations by parameter name (and ``return``).

        Returns:
            The parsed signature.

        Raises:
            ImproperlyConfiguredException: A parameter has no annotation.
        """
        hints = dict(hints)
        parameters = {
            name: FieldDefinition.from_parameter(parameter, hints)
            for name, parameter in signature.parameters.items()
            if parameter.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        }
        returned = hints.get("return", Any)
        return cls(parameters, FieldDefinition.from_annotation(returned), signature)


def signature_model(name: str, parsed: ParsedSignature) -> type[msgspec.Struct]:
    """Return a msgspec ``Struct`` type with one field per parameter: ``msgspec.convert(kwargs, model)`` checks them.

    Args:
        name: The model's name (the callable's).
        parsed: The callable's parsed signature.

    Returns:
        The model type; fields keep the parameters' annotations and defaults and are keyword-only.
    """
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [
        (field.name, field.raw) if field.default is Empty else (field.name, field.raw, field.default)
        for field in parsed.parameters.values()
    ]
    return msgspec.defstruct(f"{name}_signature", fields, kw_only=True)
