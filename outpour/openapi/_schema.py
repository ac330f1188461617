"""Python types to JSON Schema (the 2020-12 dialect of OpenAPI 3.1), with named types collected as components.

Dataclasses, msgspec structs, attrs classes, TypedDicts, named tuples, enums and pydantic models become entries of
``components/schemas`` referenced with ``$ref``; everything else is inlined. The schemas describe what outpour's
serialization sends: ``bytes`` are base64 strings, ``Decimal`` and ``timedelta`` are strings, sets are arrays.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import inspect
import ipaddress
import re
import types
import typing
import uuid
from collections import abc, deque
from pathlib import PurePath
from typing import Annotated, Any, ForwardRef, Literal, TypeVar, Union, get_args, get_origin

import msgspec
from typing_extensions import is_typeddict

from outpour.params import BodyKwarg, DependencyKwarg, KwargDefinition, ParameterKwarg
from outpour.serialization import is_attrs_class, is_pydantic_model
from outpour.types import Empty

__all__ = ["SchemaCreator", "apply_constraints", "jsonable", "rewrite_refs"]

_REF_PREFIX = "#/components/schemas/"
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WRAPPERS = {"Required", "NotRequired", "ReadOnly", "ClassVar", "Final", "Mapped"}

_FORMATS: list[tuple[type, dict[str, Any]]] = [
    (bool, {"type": "boolean"}),
    (int, {"type": "integer"}),
    (float, {"type": "number"}),
    (str, {"type": "string"}),
    ((bytes), {"type": "string", "contentEncoding": "base64"}),
    (bytearray, {"type": "string", "contentEncoding": "base64"}),
    (memoryview, {"type": "string", "contentEncoding": "base64"}),
    (datetime.datetime, {"type": "string", "format": "date-time"}),
    (datetime.date, {"type": "string", "format": "date"}),
    (datetime.time, {"type": "string", "format": "time"}),
    (datetime.timedelta, {"type": "string", "format": "duration"}),
    (uuid.UUID, {"type": "string", "format": "uuid"}),
    (decimal.Decimal, {"type": "string", "format": "decimal"}),
    (PurePath, {"type": "string", "format": "path"}),
    (ipaddress.IPv4Address, {"type": "string", "format": "ipv4"}),
    (ipaddress.IPv6Address, {"type": "string", "format": "ipv6"}),
    (ipaddress.IPv4Network, {"type": "string", "format": "ipv4network"}),
    (ipaddress.IPv6Network, {"type": "string", "format": "ipv6network"}),
    (ipaddress.IPv4Interface, {"type": "string", "format": "ipv4interface"}),
    (ipaddress.IPv6Interface, {"type": "string", "format": "ipv6interface"}),
    (re.Pattern, {"type": "string", "format": "regex"}),
]
_ARRAYS = (list, abc.Sequence, abc.MutableSequence, abc.Iterable, abc.Collection, deque, abc.Iterator, abc.Generator)
_SETS = (set, frozenset, abc.Set, abc.MutableSet)
_MAPPINGS = (dict, abc.Mapping, abc.MutableMapping)


def jsonable(value: Any) -> tuple[bool, Any]:
    """Return ``(True, json_value)`` when ``value`` can be written in the document as JSON, else ``(False, None)``.

    Args:
        value: A default value or an example.

    Returns:
        Whether it converts, and the converted value.
    """
    if value is Empty or (callable(value) and not isinstance(value, enum.Enum)):
        return False, None
    try:
        return True, msgspec.json.decode(msgspec.json.encode(value))
    except (TypeError, ValueError, msgspec.EncodeError):
        return False, None


def _kind(schema: dict[str, Any], components: dict[str, dict[str, Any]]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
        schema = components.get(ref[len(_REF_PREFIX) :], {})
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def apply_constraints(
    schema: dict[str, Any], source: Any, components: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Copy the constraints of ``source`` (``msgspec.Meta``, annotated-types, ``Parameter(...)``...) onto ``schema``.

    Attributes are read by name: ``gt``/``ge``/``lt``/``le``, ``multiple_of``, ``pattern``, ``min_length``/
    ``max_length`` (lengths of strings, items of arrays, properties of objects), ``min_items``/``max_items``, and
    ``title``/``description``.

    Args:
        schema: The schema; a copy is returned.
        source: An object with constraint attributes.
        components: The component schemas, to see through a ``$ref`` to the type.

    Returns:
        The constrained schema.
    """
    out = dict(schema)
    kind = _kind(schema, components or {})
    simple = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}
    for attr, key in simple.items():
        value = getattr(source, attr, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = value
    multiple_of = getattr(source, "multiple_of", None)
    if isinstance(multiple_of, (int, float)) and not isinstance(multiple_of, bool):
        out["multipleOf"] = multiple_of
    pattern = getattr(source, "pattern", None)
    if isinstance(pattern, str):
        out["pattern"] = pattern
    elif isinstance(pattern, re.Pattern):
        out["pattern"] = pattern.pattern
    prefix = {"array": "Items", "object": "Properties"}.get(kind or "", "Length")
    for attr, bound in (("min_length", "min"), ("max_length", "max")):
        value = getattr(source, attr, None)
        if isinstance(value, int) and not isinstance(value, bool):
            out[f"{bound}{prefix}"] = value
    for attr, key in (("min_items", "minItems"), ("max_items", "maxItems")):
        value = getattr(source, attr, None)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = value
    for attr in ("title", "description"):
        value = getattr(source, attr, None)
        if isinstance(value, str) and value:
            out[attr] = value
    if isinstance(source, KwargDefinition):  # documentation-only fields of `QueryParameter(format=...)` and the like
        if source.format:
            out["format"] = source.format
        if source.enum:
            out["enum"] = [item.value if isinstance(item, enum.Enum) else item for item in source.enum]
        if source.read_only is not None:
            out["readOnly"] = source.read_only
    extra = getattr(source, "extra_json_schema", None)  # msgspec's `Meta`: keys of the document already
    if isinstance(extra, dict):
        out.update(extra)
    extra = getattr(source, "schema_extra", None)
    if isinstance(extra, dict):
        out.update(schema_extra_keys(extra))
    return out


def _schema_fields() -> dict[str, str]:
    """The ``Schema`` field names, each with its key in the document (``schema_not``: ``not``)."""
    from outpour.openapi.spec import Schema, json_key

    return {item.name: json_key(item) for item in dataclasses.fields(Schema)}


def schema_extra_keys(extra: dict[str, Any]) -> dict[str, Any]:
    """Read a ``schema_extra`` mapping as keys and values of the document.

    A key is a ``Schema`` field name (``max_length``, ``schema_not``), as in Litestar, or the document's own keyword
    (``maxLength``, ``not``) or an ``x-`` extension; values may be spec objects (``Schema(...)``).

    Raises:
        ImproperlyConfiguredException: For a key that is none of these, so that a typo is not written silently.
    """
    from outpour.exceptions import ImproperlyConfiguredException
    from outpour.openapi.spec import to_builtin

    fields = _schema_fields()
    keywords = set(fields.values())
    out: dict[str, Any] = {}
    for key, value in extra.items():
        name = fields.get(key) or (key if key in keywords or key.startswith("x-") else None)
        if name is None:
            raise ImproperlyConfiguredException(
                f"`schema_extra` declares key `{key}`, which is neither a field of `Schema` (`max_length`, "
                "`schema_not`, ...) nor a keyword of an OpenAPI schema (`maxLength`, `not`, ...) or an `x-` extension."
            )
        out[name] = to_builtin(value)
    return out


def _substitute(tp: Any, mapping: dict[Any, Any]) -> Any:
    if not mapping:
        return tp
    if isinstance(tp, TypeVar):
        return mapping.get(tp, Any)
    params = getattr(tp, "__parameters__", None)
    if params:
        try:
            return tp[tuple(mapping.get(p, Any) for p in params)]
        except TypeError:
            return tp
    return tp


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def _first_paragraph(doc: str | None, name: str) -> str | None:
    if not doc or doc.startswith(f"{name}("):
        return None
    text = inspect.cleandoc(doc).split("\n\n", 1)[0].strip()
    return text or None


class SchemaCreator:
    """Builds schemas for annotations and collects the named ones in ``components``."""

    def __init__(self) -> None:
        self.components: dict[str, dict[str, Any]] = {}
        self._names: dict[Any, str] = {}
        self._owners: dict[str, Any] = {}
        self._bases: dict[Any, tuple[str, str | None]] = {}
        self._shared: set[str] = set()
        self._keyed: set[str] = set()

    # -- naming -------------------------------------------------------------------------------------------------------

    @staticmethod
    def _candidates(base: str, module: str | None) -> list[str]:
        """The names a component may take, shortest first: ``Model``, ``b_Model``, ``a_b_Model`` (module ``a.b``)."""
        short = _NAME_CHARS.sub("_", base) or "Schema"
        parts = [p for p in (module or "").split(".") if p]
        return [short] + ["_".join([*parts[-i:], short]) for i in range(1, len(parts) + 1)]

    def _name_for(self, key: Any, base: str, module: str | None) -> str:
        candidates = self._candidates(base, module)
        if self._owners.get(candidates[0], key) != key:
            self._shared.add(candidates[0])  # its first owner is renamed too, in `settle_names`
        for candidate in candidates:
            if self._owners.get(candidate, key) == key:
                return candidate
        counter = 2
        while f"{candidates[0]}_{counter}" in self._owners:
            counter += 1
        return f"{candidates[0]}_{counter}"

    def settle_names(self) -> dict[str, str]:
        """Give a module-qualified name to every class whose short name another class has as well.

        Names are handed out as schemas are built, the first class of a name taking the short one; once all are
        built, that first class is renamed as the others were, so that no class's name depends on which came first
        (two ``Model`` classes of modules ``a`` and ``b`` are ``a_Model`` and ``b_Model``, as in Litestar).

        Returns:
            The renamed components (old name to new name); their ``$ref`` s are rewritten in ``components`` already,
            and the caller rewrites the rest of its document with ``rewrite_refs``.
        """
        renamed: dict[str, str] = {}
        for short in sorted(self._shared - self._keyed):
            key = self._owners.get(short)
            if key is None or short not in self.components:
                continue
            for candidate in self._candidates(*self._bases[key])[1:]:
                if candidate not in self._owners:
                    renamed[short] = candidate
                    del self._owners[short]
                    self._owners[candidate] = key
                    self._names[key] = candidate
                    break
        self._shared.clear()
        if renamed:
            self.components = {renamed.get(name, name): rewrite_refs(s, renamed) for name, s in self.components.items()}
        return renamed

    def _component(
        self, key: Any, base: str, module: str | None, build: abc.Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        name = self._names.get(key)
        if name is None:
            name = self._name_for(key, base, module)
            self._bases[key] = (base, module)
            self._names[key] = name
            self._owners[name] = key
            self.components[name] = {}
            schema = build()
            if "[" in base and "title" in schema:  # a generic class given its arguments: `Page[Item]`
                schema["title"] = base
            self.components[name] = schema
        return {"$ref": _REF_PREFIX + name}

    def under_key(self, key: str, schema: dict[str, Any], owner: Any) -> dict[str, Any]:
        """Put ``schema`` in ``components`` as ``key`` (a ``schema_component_key``) and return its ``$ref``.

        A ``$ref`` schema is copied from the component it names, with its other keys (a description) over it, so that
        the keyed component stands apart from the type's shared one.

        Raises:
            ImproperlyConfiguredException: When ``key`` names another type's component already.
        """
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**self.components.get(ref[len(_REF_PREFIX) :], {}), **rest}
        known = self._owners.get(key, owner)
        if known != owner:
            from outpour.exceptions import ImproperlyConfiguredException

            raise ImproperlyConfiguredException(
                f"Schema component keys must be unique: `schema_component_key={key!r}` is given to "
                f"`{_display_name(owner)}`, but the component `{key}` documents `{_display_name(known)}` already."
            )
        if key not in self._keyed:
            self._keyed.add(key)
            self._owners[key] = owner
            self.components[key] = schema
        return {"$ref": _REF_PREFIX + key}

    # -- dispatch -----------------------------------------------------------------------------------------------------

    def for_type(self, annotation: Any) -> dict[str, Any]:
        """Return the schema of ``annotation``, adding named types to ``components``.

        Args:
            annotation: A type annotation.

        Returns:
            The schema (a ``$ref`` for named types).
        """
        tp = annotation
        if isinstance(tp, (str, ForwardRef)) or tp in (Any, object, Empty, inspect.Parameter.empty):
            return {}
        if tp is None or tp is type(None):
            return {"type": "null"}
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is Annotated:
            schema = self.for_type(args[0])
            for meta in args[1:]:
                if not isinstance(meta, (ParameterKwarg, BodyKwarg, DependencyKwarg)):
                    schema = apply_constraints(schema, meta, self.components)
                    schema = self._apply_field_info(schema, meta)
                elif isinstance(meta, (ParameterKwarg, BodyKwarg)) and meta.schema_component_key:
                    schema = self.under_key(meta.schema_component_key, schema, args[0])
            return schema
        if isinstance(tp, TypeVar):
            if tp.__constraints__:  # `TypeVar("C", int, str)`: one of its types
                return self._union(tp.__constraints__)
            bound = tp.__bound__
            return self.for_type(bound) if bound is not None else {}
        if hasattr(tp, "__supertype__"):  # NewType
            return self.for_type(tp.__supertype__)
        if type(tp).__name__ == "TypeAliasType":
            return self.for_type(tp.__value__)
        if origin is not None and getattr(origin, "__name__", None) in _WRAPPERS:
            return self.for_type(args[0]) if args else {}
        if origin is Literal:
            return self._literal(args)
        if _is_union(origin):
            # `msgspec.UNSET` (a field a client may leave out, as a partial DTO's) is no value of the schema.
            return self._union(tuple(arg for arg in args if getattr(arg, "__name__", None) != "UnsetType"))
        if origin is tuple and not args:  # tuple[()]
            return {"type": "array", "maxItems": 0}
        if origin is not None and not (dataclasses.is_dataclass(origin) or is_typeddict(origin) or _is_struct(origin)):
            container = self._container(origin, args)
            if container is not None:
                return container
        return self._class(tp, origin or tp, args)

    def _apply_field_info(self, schema: dict[str, Any], meta: Any) -> dict[str, Any]:
        nested = getattr(meta, "metadata", None)
        if isinstance(nested, list):
            for item in nested:
                schema = apply_constraints(schema, item, self.components)
        examples = getattr(meta, "examples", None)
        if isinstance(examples, list) and examples:
            converted = [value for ok, value in map(jsonable, examples) if ok]
            if converted:
                schema = {**schema, "examples": converted}
        return schema

    def _literal(self, values: tuple[Any, ...]) -> dict[str, Any]:
        flat: list[Any] = []
        for value in values:
            if get_origin(value) is Literal:
                flat.extend(get_args(value))
            else:
                flat.append(value.value if isinstance(value, enum.Enum) else value)
        types_ = sorted({_json_type(v) for v in flat})
        schema: dict[str, Any] = {"const": flat[0]} if len(flat) == 1 else {"enum": flat}
        schema["type"] = types_[0] if len(types_) == 1 else types_
        return schema

    def _union(self, members: tuple[Any, ...]) -> dict[str, Any]:
        schemas: list[dict[str, Any]] = []
        for member in members:
            schema = self.for_type(member)
            if schema and schema not in schemas:
                schemas.append(schema)
            elif not schema:
                return {}
        return schemas[0] if len(schemas) == 1 else {"oneOf": schemas}

    def _container(self, origin: Any, args: tuple[Any, ...]) -> dict[str, Any] | None:
        if origin is tuple:
            if not args or (len(args) == 2 and args[1] is Ellipsis):
                return {"type": "array", "items": self.for_type(args[0]) if args else {}}
            items = [self.for_type(a) for a in args]
            return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
        if origin in _SETS:
            return {"type": "array", "items": self.for_type(args[0]) if args else {}, "uniqueItems": True}
        if origin in _ARRAYS:
            return {"type": "array", "items": self.for_type(args[0]) if args else {}}
        if (isinstance(origin, type) and issubclass(origin, dict)) or origin in _MAPPINGS:
            value = self.for_type(args[1]) if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": value} if value else {"type": "object"}
        if origin in (type, abc.Callable, abc.Awaitable, abc.Coroutine):
            return {}
        return None

    def _class(self, tp: Any, cls: Any, args: tuple[Any, ...]) -> dict[str, Any]:
        if not isinstance(cls, type):
            return {}
        if issubclass(cls, enum.Enum):
            return self._component(cls, _qualified_name(cls), cls.__module__, lambda: self._enum(cls))
        if is_pydantic_model(cls):
            return self._component(tp, self._generic_name(cls, args), cls.__module__, lambda: self._pydantic(tp))
        if _is_struct(cls):
            return self._component(tp, self._generic_name(cls, args), cls.__module__, lambda: self._struct(tp, cls))
        if dataclasses.is_dataclass(cls):
            return self._component(
                tp, self._generic_name(cls, args), cls.__module__, lambda: self._dataclass(cls, args)
            )
        if is_typeddict(cls):
            return self._component(
                tp, self._generic_name(cls, args), cls.__module__, lambda: self._typeddict(cls, args)
            )
        if is_attrs_class(cls):
            return self._component(tp, self._generic_name(cls, args), cls.__module__, lambda: self._attrs(cls, args))
        if issubclass(cls, tuple) and hasattr(cls, "_fields"):
            return self._component(tp, _qualified_name(cls), cls.__module__, lambda: self._namedtuple(cls))
        if cls.__name__ == "UploadFile" and cls.__module__.startswith("outpour."):
            return {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}
        for base, schema in _FORMATS:
            if issubclass(cls, base):
                return dict(schema)
        container = self._container(cls, args)
        if container is not None:
            return container
        if cls.__module__.split(".", 1)[0] in ("pydantic", "pydantic_core"):
            return self._pydantic_inline(tp)
        return {}

    def _generic_name(self, cls: type, args: tuple[Any, ...]) -> str:
        """``Page[Item]`` for a generic class given its arguments (component ``Page_Item_``, title ``Page[Item]``)."""
        if not args:
            return _qualified_name(cls)
        return f"{_qualified_name(cls).split('[', 1)[0]}[{', '.join(_display_name(a) for a in args)}]"

    # -- named types --------------------------------------------------------------------------------------------------

    @staticmethod
    def _enum(enum_type: type[enum.Enum]) -> dict[str, Any]:
        values = [member.value for member in enum_type]
        types_ = sorted({_json_type(v) for v in values})
        schema: dict[str, Any] = {
            "type": types_[0] if len(types_) == 1 else types_,
            "enum": values,
            "title": enum_type.__name__,
        }
        description = _first_paragraph(enum_type.__doc__, enum_type.__name__)
        if description and description != "An enumeration.":
            schema["description"] = description
        return schema

    def _object(
        self, title: str, doc: str | None, properties: dict[str, dict[str, Any]], required: list[str]
    ) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = sorted(required)
        schema["title"] = title
        description = _first_paragraph(doc, title)
        if description:
            schema["description"] = description
        return schema

    def _hints(self, cls: type, args: tuple[Any, ...]) -> dict[str, Any]:
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except Exception:
            hints = {}
        params = getattr(cls, "__parameters__", ())
        mapping = dict(zip(params, args, strict=False)) if args else {}
        return {name: _substitute(hint, mapping) for name, hint in hints.items()}

    def _dataclass(self, cls: type, args: tuple[Any, ...]) -> dict[str, Any]:
        hints = self._hints(cls, args)
        properties: dict[str, dict[str, Any]] = {}
        required: list[str] = []
        for item in dataclasses.fields(cls):
            schema = self.for_type(hints.get(item.name, Any))
            if item.default is not dataclasses.MISSING:
                ok, value = jsonable(item.default)
                if ok and value is not None:  # a `None` default says nothing the `null` member does not
                    schema = {**schema, "default": value}
            elif item.default_factory is dataclasses.MISSING:
                required.append(item.name)
            properties[item.name] = schema
        return self._object(cls.__name__.split("[", 1)[0], cls.__doc__, properties, required)

    def _struct(self, tp: Any, cls: type) -> dict[str, Any]:
        config = getattr(cls, "__struct_config__", None)
        properties: dict[str, dict[str, Any]] = {}
        required: list[str] = []
        for info in msgspec.structs.fields(tp):
            schema = self.for_type(info.type)
            if info.default is not msgspec.NODEFAULT:
                ok, value = jsonable(info.default)
                if ok and value is not None:  # a `None` default says nothing the `null` member does not
                    schema = {**schema, "default": value}
            if info.required:
                required.append(info.encode_name)
            properties[info.encode_name] = schema
        tag_field = getattr(config, "tag_field", None)
        tag = getattr(config, "tag", None)
        if tag_field is not None and tag is not None:
            properties = {tag_field: {"type": _json_type(tag), "const": tag}, **properties}
            required.insert(0, tag_field)
        if getattr(config, "array_like", False):
            items = list(properties.values())
            return {
                "type": "array",
                "prefixItems": items,
                "minItems": len(required),
                "maxItems": len(items),
                "title": cls.__name__,
            }
        schema = self._object(cls.__name__, cls.__doc__, properties, required)
        if getattr(config, "forbid_unknown_fields", False):
            schema["additionalProperties"] = False
        return schema

    def _typeddict(self, cls: type, args: tuple[Any, ...]) -> dict[str, Any]:
        hints = self._hints(cls, args)
        required_keys = getattr(cls, "__required_keys__", frozenset(hints))
        properties = {name: self.for_type(hint) for name, hint in hints.items()}
        required = []
        for name, hint in hints.items():
            # Under postponed annotations the class cannot see `NotRequired[...]`; the resolved hint can.
            marker = getattr(get_origin(hint), "__name__", None) or getattr(get_origin(hint), "_name", None)
            if marker == "Required" or (marker != "NotRequired" and name in required_keys):
                required.append(name)
        return self._object(cls.__name__, cls.__doc__, properties, required)

    def _attrs(self, cls: type, args: tuple[Any, ...]) -> dict[str, Any]:
        import attrs

        hints = self._hints(cls, args)
        properties: dict[str, dict[str, Any]] = {}
        required: list[str] = []
        for attribute in attrs.fields(cls):
            schema = self.for_type(hints.get(attribute.name, Any))
            default = attribute.default
            if default is attrs.NOTHING:
                required.append(attribute.name)
            elif not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                ok, value = jsonable(default)
                if ok and value is not None:  # a `None` default says nothing the `null` member does not
                    schema = {**schema, "default": value}
            properties[attribute.name] = schema
        return self._object(cls.__name__, cls.__doc__, properties, required)

    def _namedtuple(self, cls: type) -> dict[str, Any]:
        hints = self._hints(cls, ())
        fields_: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        defaults = getattr(cls, "_field_defaults", {})
        items = [self.for_type(hints.get(name, Any)) for name in fields_]
        return {
            "type": "array",
            "prefixItems": items,
            "minItems": len([n for n in fields_ if n not in defaults]),
            "maxItems": len(items),
            "title": cls.__name__,
        }

    def _pydantic_schema(self, tp: Any) -> dict[str, Any]:
        from pydantic import TypeAdapter

        schema: dict[str, Any] = TypeAdapter(tp).json_schema(
            mode="serialization", by_alias=False, ref_template=_REF_PREFIX + "{model}"
        )
        for name, definition in schema.pop("$defs", {}).items():
            self.components.setdefault(name, definition)
            self._owners.setdefault(name, ("pydantic", name))
        return schema

    def _pydantic(self, tp: Any) -> dict[str, Any]:
        return self._pydantic_schema(tp)

    def _pydantic_inline(self, tp: Any) -> dict[str, Any]:
        try:
            return self._pydantic_schema(tp)
        except Exception:
            return {}


def rewrite_refs(value: Any, renamed: abc.Mapping[str, str]) -> Any:
    """``value`` with its ``$ref`` s to renamed components pointing at their new names (copied where changed).

    Args:
        value: A part of a document.
        renamed: Old component names to new ones.

    Returns:
        The part, rewritten.
    """
    if isinstance(value, dict):
        ref = value.get("$ref")
        out = {key: rewrite_refs(item, renamed) for key, item in value.items()}
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX) and ref[len(_REF_PREFIX) :] in renamed:
            out["$ref"] = _REF_PREFIX + renamed[ref[len(_REF_PREFIX) :]]
        return out
    if isinstance(value, list):
        return [rewrite_refs(item, renamed) for item in value]
    return value


def _display_name(tp: Any) -> str:
    """How a type argument reads in a generic's component name: ``int``, ``Item``, ``list[Item]``, ``None``."""
    if tp is None or tp is type(None):
        return "None"
    origin = get_origin(tp)
    if origin is Annotated:
        return _display_name(get_args(tp)[0])
    if origin is not None:
        base = "Union" if _is_union(origin) else getattr(origin, "__name__", str(origin))
        args = get_args(tp)
        return f"{base}[{', '.join(_display_name(a) for a in args)}]" if args else base
    if isinstance(tp, type):
        return _qualified_name(tp)
    return str(getattr(tp, "__name__", None) or repr(tp))


def _qualified_name(cls: type) -> str:
    """The component name of a class: its qualified name, ``make.<locals>.Item`` being ``make.Item``."""
    return cls.__qualname__.replace("<locals>.", "")


def _is_struct(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, msgspec.Struct)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"
