"""The default ``type_encoders``, pydantic and attrs recognised without importing them, and the encoder lookup.

pydantic is never imported here: its models and types are recognised only once the application has imported pydantic
itself (which it must have done to create them).
"""

from __future__ import annotations

import collections
import ipaddress
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, get_origin

from outpour._serialization.caches import _Encoder
from outpour.datastructures.secret_values import SecretValue

if TYPE_CHECKING:
    from outpour.types import TypeEncodersMap

__all__ = ["DEFAULT_TYPE_ENCODERS", "is_attrs_class", "is_pydantic_model"]


def _pattern_to_str(value: re.Pattern[Any]) -> Any:
    return value.pattern


def _mask_secret(value: SecretValue[Any]) -> str:
    return "******"


DEFAULT_TYPE_ENCODERS: dict[Any, Callable[[Any], Any]] = {
    PurePath: str,
    ipaddress.IPv4Address: str,
    ipaddress.IPv6Address: str,
    ipaddress.IPv4Interface: str,
    ipaddress.IPv6Interface: str,
    ipaddress.IPv4Network: str,
    ipaddress.IPv6Network: str,
    collections.deque: list,
    re.Pattern: _pattern_to_str,
    SecretValue: _mask_secret,
}
"""Encoders for common types msgspec does not encode natively, looked up after the user's ``type_encoders``.

``PurePath`` (every path class), the ``ipaddress`` address, interface and network classes become strings,
``collections.deque`` a list, ``re.Pattern`` its pattern and a ``SecretString`` / ``SecretBytes`` the string
``"******"``. Once the application has imported pydantic, pydantic
models are added (``model_dump(mode="json")``; ``.dict()`` for ``pydantic.v1`` models), as are pydantic's URL, e-mail
and secret types (strings; secrets stay masked).
"""


# ---------------------------------------------------------------------------------------------------------------------
# pydantic and attrs, without importing them
# ---------------------------------------------------------------------------------------------------------------------


def _pydantic_model_classes() -> tuple[type, ...]:
    classes = []
    for module_name in ("pydantic.main", "pydantic.v1.main"):
        module = sys.modules.get(module_name)
        model = getattr(module, "BaseModel", None)
        if isinstance(model, type):
            classes.append(model)
    return tuple(classes)


def is_pydantic_model(tp: Any) -> bool:
    """Tell whether ``tp`` is a pydantic model class (pydantic 2, or 1 through ``pydantic.v1``), without importing it.

    Args:
        tp: Any object, usually a type annotation.

    Returns:
        ``True`` when ``tp`` is a subclass of pydantic's ``BaseModel``; ``False`` for anything else, including when
        pydantic has not been imported.
    """
    if not isinstance(tp, type):
        return False
    models = _pydantic_model_classes()
    return bool(models) and issubclass(tp, models)


def is_attrs_class(tp: Any) -> bool:
    """Tell whether ``tp`` is a class made by attrs (``@attrs.define``, ``@attr.s`` and friends), without importing it.

    Args:
        tp: Any object, usually a type annotation.

    Returns:
        ``True`` when ``tp`` is a class carrying attrs' field definitions.
    """
    return isinstance(tp, type) and getattr(tp, "__attrs_attrs__", None) is not None


def _dump_pydantic_model(value: Any) -> Any:
    return value.model_dump(mode="json")


def _dump_pydantic_v1_model(value: Any) -> Any:
    return value.dict()


def _mask_secret_bytes(value: Any) -> str:
    return "**********" if value.get_secret_value() else ""


_registered_optional: set[str] = set()


def _register_optional_encoders() -> None:
    """Add encoders for pydantic's classes to :data:`DEFAULT_TYPE_ENCODERS` once pydantic's modules are loaded."""
    if len(_registered_optional) == 5:
        return
    modules = sys.modules
    if "pydantic.main" not in _registered_optional and "pydantic.main" in modules:
        _registered_optional.add("pydantic.main")
        DEFAULT_TYPE_ENCODERS[modules["pydantic.main"].BaseModel] = _dump_pydantic_model
    if "pydantic.v1.main" not in _registered_optional and "pydantic.v1.main" in modules:
        _registered_optional.add("pydantic.v1.main")
        DEFAULT_TYPE_ENCODERS[modules["pydantic.v1.main"].BaseModel] = _dump_pydantic_v1_model
    if "pydantic.types" not in _registered_optional and "pydantic.types" in modules:
        _registered_optional.add("pydantic.types")
        types_module = modules["pydantic.types"]
        for name in ("_SecretBase", "SecretStr", "Secret"):
            if (cls := getattr(types_module, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str
        DEFAULT_TYPE_ENCODERS[types_module.SecretBytes] = _mask_secret_bytes
    if "pydantic.networks" not in _registered_optional and "pydantic.networks" in modules:
        _registered_optional.add("pydantic.networks")
        networks = modules["pydantic.networks"]
        for name in ("_BaseUrl", "_BaseMultiHostUrl", "AnyUrl", "NameEmail"):
            if (cls := getattr(networks, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str
    if "pydantic_core" not in _registered_optional and "pydantic_core" in modules:
        _registered_optional.add("pydantic_core")
        core = modules["pydantic_core"]
        for name in ("Url", "MultiHostUrl"):
            if (cls := getattr(core, name, None)) is not None:
                DEFAULT_TYPE_ENCODERS[cls] = str


# ---------------------------------------------------------------------------------------------------------------------
# Which encoder applies to a type
# ---------------------------------------------------------------------------------------------------------------------


def _unsupported_encode_message(tp: type) -> str:
    name = tp.__name__
    return (
        f"Unsupported type: `{name}` (from module `{tp.__module__}`). Add an encoder for it to `type_encoders`, e.g. "
        f"`type_encoders={{{name}: str}}`, on the app, a router, a controller, a handler or a Response subclass."
    )


def _is_predicate(key: Any) -> bool:
    return not isinstance(key, type) and callable(key) and get_origin(key) is None


def _resolve_encoder(
    tp: type, type_encoders: TypeEncodersMap | None, predicates: Sequence[tuple[Any, _Encoder]] | None = None
) -> _Encoder | None:
    """Find the encoder for instances of ``tp``: the user's by MRO, the user's predicates, then the defaults."""
    mro = tp.__mro__
    if type_encoders:
        for base in mro:
            if (encoder := type_encoders.get(base)) is not None:
                return encoder
        if predicates is None:
            predicates = [(key, encoder) for key, encoder in type_encoders.items() if _is_predicate(key)]
        for predicate, encoder in predicates:
            if predicate(tp):
                return encoder
    _register_optional_encoders()
    for base in mro:
        if (encoder := DEFAULT_TYPE_ENCODERS.get(base)) is not None:
            return encoder
    return None
