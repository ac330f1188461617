"""Turn a handler's or provider's signature into fields, each knowing where its value comes from and how to convert it.

This runs once per handler when the app is created; the request path only runs the resulting extractors.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

from outpour._dependency_check import dependency_check
from outpour._serialization.decoding import converts_natively
from outpour.enums import ParamType, RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.params import BodyKwarg, DependencyKwarg, ParameterKwarg, SkipValidationMarker
from outpour.serialization import convert
from outpour.types import Empty

if typing.TYPE_CHECKING:
    from outpour._routing import PathParam
    from outpour.types import TypeDecodersSequence

__all__ = ["RESERVED", "Field", "check_data_fields", "constrained_body", "get_hints", "layered_fields", "parse_fields"]

RESERVED = frozenset(
    {"request", "headers", "cookies", "query", "scope", "state", "data", "body", "send", "receive", "socket"}
)
_SEQUENCE_ORIGINS = (list, tuple, set, frozenset, Sequence, typing.Sequence, typing.List, typing.Set)  # noqa: UP006


class Field:
    """One parameter of a handler or provider, and how to get its value."""

    __slots__ = (
        "annotation",
        "body_kwarg",
        "convert",
        "default",
        "has_default",
        "is_sequence",
        "key",
        "kwarg",
        "name",
        "source",
    )

    def __init__(
        self,
        name: str,
        source: str,
        key: str,
        annotation: Any,
        default: Any,
        convert: Callable[[Any], Any] | None = None,
        is_sequence: bool = False,
        kwarg: Any = None,
    ) -> None:
        self.name = name
        self.source = source
        self.key = key
        self.annotation = annotation
        self.default = default
        self.has_default = default is not Empty
        self.convert = convert
        self.is_sequence = is_sequence
        self.kwarg = kwarg
        self.body_kwarg: BodyKwarg | None = kwarg if isinstance(kwarg, BodyKwarg) else None

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.source!r}, key={self.key!r})"


@functools.cache
def default_signature_namespace() -> dict[str, Any]:
    """The names every signature may use without importing them at run time (Litestar's default namespace)."""
    from outpour.connection import Request, WebSocket  # imported when first needed, once every module is loaded
    from outpour.datastructures import Headers, ImmutableState, State
    from outpour.di import NamedDependency, Provide
    from outpour.types import Receive, Scope, Send, WebSocketScope

    # As Litestar's: the names of `typing` (`Dict`, `List`, ...) too, under the framework's own.
    return {
        **{name: value for name, value in vars(typing).items() if not name.startswith("_")},
        "Headers": Headers,
        "ImmutableState": ImmutableState,
        "NamedDependency": NamedDependency,
        "Provide": Provide,
        "Receive": Receive,
        "Request": Request,
        "Scope": Scope,
        "Send": Send,
        "State": State,
        "WebSocket": WebSocket,
        "WebSocketScope": WebSocketScope,
    }


def get_hints(
    fn: Callable[..., Any], localns: Mapping[str, Any], namespace: Mapping[str, Any], label: str
) -> dict[str, Any]:
    """Resolve a callable's annotations, looking names up in ``signature_namespace`` and the declaring scope."""
    target = fn
    if not (inspect.isroutine(fn) or inspect.isclass(fn)):
        target = type(fn).__call__
    elif inspect.isclass(fn):
        target = fn.__init__
    # As Litestar documents, the names of the injectable types resolve even when imported under `TYPE_CHECKING`
    # only; the module's own names come first (a `Request` subclass named `Request` stays the module's). A callable
    # without globals (a builtin, `object.__init__`) has no annotations to resolve.
    globalns = {**default_signature_namespace(), **getattr(inspect.unwrap(target), "__globals__", {})}
    try:
        return typing.get_type_hints(target, globalns=globalns, localns={**localns, **namespace}, include_extras=True)
    except NameError as exc:
        raise ImproperlyConfiguredException(
            f"Cannot resolve the annotations of {label}: {exc}. Define the type at module level, or pass it in "
            f"`signature_namespace={{'{getattr(exc, 'name', 'Name')}': ...}}` on the handler, controller, router or app."
        ) from exc


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    metadata: list[Any] = []
    while get_origin(annotation) is Annotated:
        args = get_args(annotation)
        annotation = args[0]
        metadata.extend(args[1:])
    return annotation, metadata


def _mapping_as_dict(name: str, annotation: Any) -> Callable[[Any], Any] | None:
    """For ``headers``, ``cookies`` or ``query`` annotated ``dict`` (or ``dict[K, V]``): the conversion to a ``dict``.

    As in Litestar, the parsed mapping is converted to the annotation, one value per name (the first one sent).
    """
    if name not in ("headers", "cookies", "query"):
        return None
    base = annotation
    if get_origin(base) is Annotated:
        base = get_args(base)[0]
    if base is not dict and get_origin(base) is not dict:
        return None
    return functools.partial(convert, target_type=base, strict=False)


def _is_optional(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return origin in (Union, types.UnionType) and type(None) in get_args(annotation)


def _strip_optional(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007


def _is_sequence(annotation: Any) -> bool:
    base = _strip_optional(annotation) if _is_optional(annotation) else annotation
    base, _ = _unwrap(base)
    origin = get_origin(base) or base
    return origin in _SEQUENCE_ORIGINS and origin is not str


def _meta_for(kwarg: ParameterKwarg | BodyKwarg | None) -> msgspec.Meta | None:
    if kwarg is None:
        return None
    items = {
        "gt": kwarg.gt,
        "ge": kwarg.ge,
        "lt": kwarg.lt,
        "le": kwarg.le,
        "multiple_of": kwarg.multiple_of,
        "pattern": kwarg.pattern,
        "min_length": kwarg.min_length if kwarg.min_length is not None else kwarg.min_items,
        "max_length": kwarg.max_length if kwarg.max_length is not None else kwarg.max_items,
    }
    given = {k: v for k, v in items.items() if v is not None}
    return msgspec.Meta(**given) if given else None  # type: ignore[call-overload]  # kwargs built from the marker


_NUMBER_CONSTRAINTS = ("gt", "ge", "lt", "le", "multiple_of")


def constrained_body(annotation: Any, kwarg: BodyKwarg | None) -> Any:
    """Return ``annotation`` with the checkable constraints of ``Body(...)`` attached as ``msgspec.Meta``.

    Numbers take ``gt``/``ge``/``lt``/``le``/``multiple_of``, strings ``pattern`` and ``min_length``/``max_length``,
    lists ``min_items``/``max_items`` (or ``min_length``/``max_length``); on other types they stay documentation.

    Args:
        annotation: The type of the ``data`` parameter.
        kwarg: Its ``Body(...)``, if any.

    Returns:
        The annotation to decode the body as.
    """
    if kwarg is None:
        return annotation
    bare, metadata = _unwrap(annotation)
    optional = _is_optional(bare)
    inner = _strip_optional(bare) if optional else bare
    base, _ = _unwrap(inner)
    given: dict[str, Any] = {}
    if base in (int, float):
        given = {name: getattr(kwarg, name) for name in _NUMBER_CONSTRAINTS}
    elif base is str:
        given = {"pattern": kwarg.pattern, "min_length": kwarg.min_length, "max_length": kwarg.max_length}
    elif _is_sequence(base) and (get_origin(base) or base) is not tuple:
        given = {
            "min_length": kwarg.min_items if kwarg.min_items is not None else kwarg.min_length,
            "max_length": kwarg.max_items if kwarg.max_items is not None else kwarg.max_length,
        }
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        return annotation
    target: Any = Annotated[inner, msgspec.Meta(**given)]
    if optional:
        target = Union[target, None]  # noqa: UP007
    return Annotated[(target, *metadata)] if metadata else target


def _converter(
    annotation: Any, kwarg: ParameterKwarg | None, type_decoders: TypeDecodersSequence | None
) -> Callable[[Any], Any] | None:
    """Return a function converting a raw wire value (str or list of str) to ``annotation``; None means as is."""
    meta = _meta_for(kwarg)
    target = annotation
    if meta is not None:
        inner = _strip_optional(annotation) if _is_optional(annotation) else annotation
        target = Annotated[inner, meta]
        if _is_optional(annotation):
            target = Union[target, None]  # noqa: UP007
    case = None
    if kwarg is not None and (kwarg.lower_case or kwarg.upper_case):
        case = str.lower if kwarg.lower_case else str.upper
    if target in (str, Any, Empty, inspect.Parameter.empty) and case is None:
        return None
    if case is None and converts_natively(target):
        # What `convert` does for these types (it passes no hook to msgspec), without two Python calls per value.
        return functools.partial(msgspec.convert, type=target, strict=False)

    def convert_value(value: Any) -> Any:
        result = convert(value, target, type_decoders=type_decoders, strict=False)
        if case is not None and isinstance(result, str) and case(result) != result:
            raise msgspec.ValidationError(f"Expected a {'lower' if case is str.lower else 'upper'} case string")
        return result

    return convert_value


def parse_fields(
    fn: Callable[..., Any],
    hints: Mapping[str, Any],
    *,
    path_params: Mapping[str, PathParam],
    dependency_names: set[str] | frozenset[str],
    type_decoders: TypeDecodersSequence | None,
    label: str,
    skip_first: bool = False,
    layered_parameters: Mapping[str, ParameterKwarg] | None = None,
    signature: inspect.Signature | None = None,
) -> list[Field]:
    """Build the fields of ``fn``'s signature.

    Args:
        fn: The handler or provider.
        hints: Its resolved annotations.
        path_params: The path parameters of the route, by name.
        dependency_names: The names of the dependencies available to it.
        type_decoders: Layered decoders for types msgspec cannot build.
        label: How to name ``fn`` in error messages.
        skip_first: Skip the first parameter (``self`` of an unbound controller method).
        layered_parameters: The ``parameters`` declared on the layers above ``fn``, by name: a signature parameter of
            that name without a ``Parameter(...)`` of its own takes its source, constraints and default from it.
        signature: The signature to use instead of ``fn``'s own (a ``DIPlugin``'s, for a provider class).

    Returns:
        One ``Field`` per parameter.
    """
    if signature is None:
        signature = inspect.signature(fn)
    fields: list[Field] = []
    for index, (name, param) in enumerate(signature.parameters.items()):
        if skip_first and index == 0:
            continue
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        annotation, metadata = _unwrap(hints.get(name, Any))
        full_annotation = hints.get(name, Any)
        if any(isinstance(m, SkipValidationMarker) for m in metadata):  # `SkipValidation[T]`: passed as it is
            annotation = full_annotation = Any
        kwarg = next((m for m in metadata if isinstance(m, (ParameterKwarg, BodyKwarg, DependencyKwarg))), None)
        default: Any = Empty if param.default is inspect.Parameter.empty else param.default
        if isinstance(default, (ParameterKwarg, BodyKwarg, DependencyKwarg)):
            kwarg, default = default, Empty
        layered = layered_parameters.get(name) if layered_parameters else None
        if (
            layered is not None
            and name not in dependency_names
            and name not in path_params
            and name not in RESERVED
            and (kwarg is None or (isinstance(kwarg, ParameterKwarg) and kwarg.is_marker))
        ):  # the closest layer's `Parameter(...)` describes it; a default in the signature still wins
            kwarg = layered
            if annotation is Any and layered.annotation is not Empty:
                annotation = layered.annotation
        elif isinstance(kwarg, DependencyKwarg) and kwarg.default is not Empty:
            default = kwarg.default
        if isinstance(kwarg, ParameterKwarg) and kwarg.annotation is not Empty and annotation is Any:
            annotation = kwarg.annotation
        if default is Empty and isinstance(kwarg, ParameterKwarg) and kwarg.default is not Empty:
            default = kwarg.default
        # As in Litestar 3.0, `x: int | None` has no implicit default: a request without it is a 400. `None` is the
        # default only when given, or when `Parameter(required=False)` lets an optional parameter be left out.
        if (
            default is Empty
            and isinstance(kwarg, ParameterKwarg)
            and kwarg.required is False
            and _is_optional(annotation)
        ):
            default = None
        fields.append(
            _field_for(
                name, annotation, full_annotation, default, kwarg, path_params, dependency_names, type_decoders, label
            )
        )
    return fields


def _location(kwarg: Any) -> str | None:
    """Where a ``ParameterKwarg`` reads its value: its class's ``param_type``, or the place its fields name."""
    if not isinstance(kwarg, ParameterKwarg):
        return None
    if kwarg.param_type is not None:
        return kwarg.param_type.value
    if kwarg.header:
        return ParamType.HEADER.value
    if kwarg.cookie:
        return ParamType.COOKIE.value
    return None


def layered_fields(
    layered_parameters: Mapping[str, ParameterKwarg],
    used: set[str] | frozenset[str],
    *,
    path_params: Mapping[str, PathParam],
    dependency_names: set[str] | frozenset[str],
    type_decoders: TypeDecodersSequence | None,
    label: str,
) -> list[Field]:
    """Build the fields of the layered ``parameters`` no signature reads: validated for every request, never passed.

    Args:
        layered_parameters: The ``parameters`` of the layers above the handler, by name (closest layer wins).
        used: The names the handler's and its dependencies' signatures already read.
        path_params: The path parameters of the route, by name (never re-read).
        dependency_names: The names of the dependencies (never re-read).
        type_decoders: Layered decoders for types msgspec cannot build.
        label: How to name the handler in error messages.

    Returns:
        One query, header or cookie ``Field`` per layered parameter left.

    Raises:
        ImproperlyConfiguredException: A layered parameter is not a ``Parameter(...)``.
    """
    fields: list[Field] = []
    for name, kwarg in layered_parameters.items():
        if name in used or name in path_params or name in dependency_names or name in RESERVED or name == "data":
            continue
        if not isinstance(kwarg, ParameterKwarg):
            raise ImproperlyConfiguredException(
                f"The layered parameter `{name}` of {label} is `{kwarg!r}`; give a `Parameter(...)`, as in "
                f"`parameters={{'{name}': Parameter(str, header='X-Name')}}`."
            )
        annotation = Any if kwarg.annotation is Empty else kwarg.annotation
        default: Any = kwarg.default
        if default is Empty and (_is_optional(annotation) or kwarg.required is False):
            default = None
        fields.append(
            _field_for(
                name, annotation, annotation, default, kwarg, path_params, dependency_names, type_decoders, label
            )
        )
    return fields


def check_data_fields(fields: Sequence[Field], label: str) -> None:
    """Refuse a handler and its dependencies that read the body as ``data`` in ways one decoding cannot serve.

    Args:
        fields: The fields of the handler and of its dependencies.
        label: How to name the handler in error messages.

    Raises:
        ImproperlyConfiguredException: Two ``data`` parameters name different encodings, or different types (``Any``
            goes with any type).
    """
    first: Field | None = None
    for field in fields:
        if field.source != "data":
            continue
        if first is None:
            first = field
            continue
        encodings = [
            str(f.kwarg.media_type if isinstance(f.kwarg, BodyKwarg) else RequestEncodingType.JSON)
            for f in (first, field)
        ]
        if encodings[0] != encodings[1]:
            raise ImproperlyConfiguredException(
                f"{label} and its dependencies read the request body as `data` in two encodings ({encodings[0]} and "
                f"{encodings[1]}); a body has one: give every `data` the same `Body(media_type=...)`."
            )
        types_ = (_unwrap(first.annotation)[0], _unwrap(field.annotation)[0])
        if Any not in types_ and types_[0] != types_[1]:
            shown = " <> ".join(f"'{t}'" for t in sorted(map(str, types_)))  # Litestar's wording, sorted
            raise ImproperlyConfiguredException(
                f"{label}: 'data' fields have mismatched types: {shown}. The handler and its dependencies read the "
                "request body as `data` of two types, but it is decoded once: give every `data` the same type."
            )


def _check_name(
    name: str,
    annotation: Any,
    kwarg: Any,
    path_params: Mapping[str, PathParam],
    dependency_names: set[str] | frozenset[str],
    label: str,
) -> None:
    """Refuse a parameter whose value could come from two places, or a reserved name put to another use.

    Raises:
        ImproperlyConfiguredException: The name is reserved and also names a path parameter, a dependency or a
            ``Parameter(...)``; or it names a path parameter and a dependency, or a path parameter or a dependency and
            an explicit query, header or cookie parameter; or ``state`` / ``body`` has a type they cannot have.
    """
    explicit = isinstance(kwarg, ParameterKwarg) and _location(kwarg) in ("query", "header", "cookie")
    if name in RESERVED:
        if name in path_params or name in dependency_names or isinstance(kwarg, ParameterKwarg):
            raise ImproperlyConfiguredException(
                f"{label}: `{name}` is a reserved parameter name (outpour fills it itself), so it cannot also name a "
                "path parameter, a dependency or a query, header or cookie parameter. Give the parameter another "
                f"name and the wire name as an alias: `other: Annotated[int, QueryParameter(name='{name}')]`."
            )
        if name == "state" and kwarg is None and annotation not in (Any, Empty):
            from outpour.datastructures.state import ImmutableState

            if not (isinstance(annotation, type) and issubclass(annotation, ImmutableState)):
                raise ImproperlyConfiguredException(
                    f"{label}: the reserved parameter `state` is the app's `State`; annotate it `State`, "
                    f"`ImmutableState` or a subclass, not `{annotation!r}`."
                )
    if name == "body" and (kwarg is None or isinstance(kwarg, BodyKwarg)) and annotation not in (bytes, Any, Empty):
        raise ImproperlyConfiguredException(
            f"{label}: Invalid type annotation for 'body' parameter: the reserved parameter `body` is the raw request "
            f"body; annotate it `bytes`, not `{annotation!r}` (use `data` to have the body decoded)."
        )
    in_path = name in path_params
    if (in_path and (name in dependency_names or explicit)) or (name in dependency_names and explicit):
        places = [
            where
            for where, present in (
                (f"path parameter `{{{name}:...}}`", in_path),
                (f"dependency `{name}`", name in dependency_names),
                (f"{_location(kwarg)} parameter", explicit),
            )
            if present
        ]
        raise ImproperlyConfiguredException(
            f"{label}: the value of `{name}` could come from the {' or the '.join(places)}; give each a distinct name."
        )


def _field_for(
    name: str,
    annotation: Any,
    full_annotation: Any,
    default: Any,
    kwarg: Any,
    path_params: Mapping[str, PathParam],
    dependency_names: set[str] | frozenset[str],
    type_decoders: TypeDecodersSequence | None,
    label: str,
) -> Field:
    _check_name(name, annotation, kwarg, path_params, dependency_names, label)
    if name in dependency_names and not isinstance(kwarg, ParameterKwarg):
        skip = isinstance(kwarg, DependencyKwarg) and kwarg.skip_validation  # `Dependency(skip_validation=True)`
        check = None if skip else dependency_check(name, full_annotation, label)
        return Field(name, "dependency", name, annotation, default, convert=check, kwarg=kwarg)
    if isinstance(kwarg, DependencyKwarg):
        if default is Empty and _is_optional(annotation):  # an optional dependency nobody provides is None
            default = None
        if default is Empty:
            raise ImproperlyConfiguredException(
                f"{label} declares dependency `{name}`, but no layer provides it. Add "
                f"`dependencies={{'{name}': Provide(...)}}` to the handler, its controller, a router or the app, or "
                "give `Dependency(default=...)`."
            )
        return Field(name, "default", name, annotation, default, kwarg=kwarg)
    location = _location(kwarg)
    wire_name = (
        (kwarg.name or kwarg.header or kwarg.cookie or kwarg.query) if isinstance(kwarg, ParameterKwarg) else None
    )
    if name == "data" or isinstance(kwarg, BodyKwarg):
        return Field(name, "data", name, full_annotation, default, kwarg=kwarg)
    if name in RESERVED and kwarg is None:
        return Field(name, "special", name, annotation, default, convert=_mapping_as_dict(name, annotation))
    if (name in path_params and location in (None, "path")) or location == "path":
        path_key = wire_name if location == "path" and wire_name else name  # `PathParameter(name="id")`
        if path_key not in path_params:
            if default is not Empty:  # one of several paths without the slot: the default fills in
                return Field(name, "default", name, annotation, default, kwarg=kwarg)
            raise ImproperlyConfiguredException(
                f"{label} reads path parameter `{path_key}`, but its path has no `{{{path_key}:...}}`."
            )
        path_type = path_params[path_key].type
        base = _strip_optional(annotation) if _is_optional(annotation) else annotation
        needs = base not in (Any, path_type, Empty) and not (path_type is str and base is str)
        if isinstance(kwarg, ParameterKwarg) and (
            _meta_for(kwarg) is not None or kwarg.lower_case or kwarg.upper_case
        ):  # `Parameter(ge=1, le=10)` on a path parameter is checked like on a query parameter
            needs = True
        return Field(
            name,
            "path",
            path_key,
            annotation,
            Empty,
            convert=_converter(annotation, kwarg, type_decoders) if needs else None,
            kwarg=kwarg,  # its description and constraints are documented
        )
    source, key = "query", name
    if location == "header":
        source, key = "header", (wire_name or name).lower()  # `x_token` also reads `X-Token` (`_extractors`)
    elif location == "cookie":
        source, key = "cookie", wire_name or name
    elif wire_name:
        key = wire_name
    is_seq = _is_sequence(annotation)
    return Field(
        name,
        source,
        key,
        annotation,
        default,
        convert=_converter(annotation, kwarg, type_decoders),
        is_sequence=is_seq,
        kwarg=kwarg,
    )


class SignatureModel:
    """Litestar's name for the msgspec model of a callable's parameters: ``create`` builds one (for introspection)."""

    @classmethod
    def create(cls, *, fn: Callable[..., Any], parsed_signature: Any = None, **_: Any) -> type[msgspec.Struct]:
        """Return a ``Struct`` type with one keyword-only field per parameter of ``fn``, with its annotation and default.

        Args:
            fn: The callable.
            parsed_signature: Its ``ParsedSignature``; parsed from ``fn`` when not given.
            **_: Litestar's other arguments (``dependency_name_set``, ``data_dto``, ``type_decoders``): not needed.

        Returns:
            The model type: ``msgspec.convert(kwargs, model)`` checks a call's arguments.
        """
        from outpour._parsed_signature import ParsedSignature, signature_model

        parsed = parsed_signature if parsed_signature is not None else ParsedSignature.from_fn(fn, {})
        return signature_model(getattr(fn, "__name__", "callable"), parsed)
