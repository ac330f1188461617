"""Markers saying where a handler parameter comes from and how it is validated and documented.

The location classes ``QueryParameter``, ``HeaderParameter``, ``CookieParameter`` and ``PathParameter`` go in
``Annotated`` (``limit: Annotated[int, QueryParameter(gt=0, le=100)]``); ``FromQuery[int]``, ``FromHeader[str]``,
``FromCookie[str]`` and ``FromPath[int]`` are shorthands for them without options. The request body is described with
``Body(...)`` or the shorthands ``JSONBody[T]``, ``MultipartBody[T]``, ``URLEncodedBody[T]`` and ``MsgPackBody[T]``.
``SkipValidation[T]`` hands a value over as it is, unconverted and unchecked.

``Parameter(...)`` (``header=``, ``cookie=``, ``query=``) and ``name: T = Parameter(...)`` defaults keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeAlias, TypeVar

from outpour.enums import ParamType, RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.openapi.spec import Example, ExternalDocumentation

__all__ = [
    "Body",
    "BodyKwarg",
    "CookieParameter",
    "Dependency",
    "DependencyKwarg",
    "FromCookie",
    "FromHeader",
    "FromPath",
    "FromQuery",
    "HeaderParameter",
    "JSONBody",
    "KwargDefinition",
    "MsgPackBody",
    "MultipartBody",
    "Parameter",
    "ParameterKwarg",
    "PathParameter",
    "QueryParameter",
    "SkipValidation",
    "SkipValidationMarker",
    "URLEncodedBody",
]

T = TypeVar("T")

_CONSTRAINTS = (
    "const",
    "gt",
    "ge",
    "lt",
    "le",
    "multiple_of",
    "min_items",
    "max_items",
    "min_length",
    "max_length",
    "pattern",
    "lower_case",
    "upper_case",
)


@dataclass(frozen=True)
class KwargDefinition:
    """What parameters and bodies share: validation constraints and OpenAPI documentation.

    Args:
        examples: Documented examples.
        external_docs: Documented external documentation.
        content_encoding: Documented content encoding.
        title: Documented title.
        description: Documented description.
        const: The value must equal the default (documented).
        gt: Greater than.
        ge: Greater than or equal.
        lt: Less than.
        le: Less than or equal.
        multiple_of: A multiple of this number.
        min_items: The fewest items of a list.
        max_items: The most items of a list.
        min_length: The shortest string (or list).
        max_length: The longest string (or list).
        pattern: A regular expression the value must match.
        lower_case: The value must be lower case.
        upper_case: The value must be upper case.
        format: Documented ``format`` of the schema (``uuid``, ``email``...).
        enum: Documented allowed values.
        read_only: Documented ``readOnly``.
        schema_extra: Extra OpenAPI schema fields, merged over the generated ones.
        schema_component_key: Documented key of the schema component.
        include_in_schema: ``False`` leaves it out of the OpenAPI document.
    """

    examples: list[Example] | None = None
    external_docs: ExternalDocumentation | None = None
    content_encoding: str | None = None
    title: str | None = None
    description: str | None = None
    const: bool | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    lower_case: bool | None = None
    upper_case: bool | None = None
    format: str | None = None
    enum: Sequence[Any] | None = None
    read_only: bool | None = None
    schema_extra: dict[str, Any] | None = None
    schema_component_key: str | None = None
    include_in_schema: bool = True

    @property
    def is_constrained(self) -> bool:
        """Whether a validation constraint (``gt``, ``max_length``, ``pattern``, ``lower_case``...) is set."""
        return any(getattr(self, name) is not None for name in _CONSTRAINTS)


@dataclass(frozen=True)
class ParameterKwarg(KwargDefinition):
    """A path, query, header or cookie parameter: its name on the wire, whether it is required, its constraints.

    The subclasses ``QueryParameter``, ``HeaderParameter``, ``CookieParameter`` and ``PathParameter`` fix where the
    value is read; a plain ``ParameterKwarg`` (``Parameter(...)``) reads the query string unless ``header``,
    ``cookie`` or ``query`` name another place.

    Args:
        name: The name on the wire, when it differs from the handler's parameter name (``X-API-KEY``).
        annotation: The type, for a layered parameter that no signature declares.
        header: Read the header of this name.
        cookie: Read the cookie of this name.
        query: Read the query parameter of this name.
        required: Whether the client must send it; by default when there is no default and ``None`` is not allowed.
        default: The value when the client sends none, for a parameter whose signature gives no default (a layered
            parameter, or ``Annotated[str | None, HeaderParameter(required=False, default=None)]``).
        **kwargs: The constraints and documentation of ``KwargDefinition``.

    Raises:
        ImproperlyConfiguredException: More than one of ``header``, ``cookie`` and ``query`` is given, or one that
            contradicts the class (``HeaderParameter(query=...)``).
    """

    name: str | None = None
    annotation: Any = Empty
    header: str | None = None
    cookie: str | None = None
    query: str | None = None
    required: bool | None = None
    default: Any = Empty

    param_type: ClassVar[ParamType | None] = None
    """Where the value is read; ``None`` for a plain ``ParameterKwarg``, which the other fields place."""

    def __post_init__(self) -> None:
        given = [place for place in ("header", "cookie", "query") if getattr(self, place)]
        if len(given) > 1:
            raise ImproperlyConfiguredException(
                f"A `Parameter` may come from one place only, but it names {', '.join(f'`{g}`' for g in given)}."
            )
        if given and self.param_type is not None and given[0] != self.param_type.value:
            raise ImproperlyConfiguredException(
                f"`{type(self).__name__}({given[0]}=...)` reads a {self.param_type.value} parameter, not a "
                f"{given[0]}: give its wire name as `name=` (`{type(self).__name__}(name=...)`), or use "
                f"`{given[0].capitalize()}Parameter`."
            )

    @property
    def is_marker(self) -> bool:
        """Whether it only says where the value comes from (``FromQuery[int]``), with nothing else declared."""
        return self == type(self)()


@dataclass(frozen=True)
class QueryParameter(ParameterKwarg):
    """A query parameter: ``Annotated[int, QueryParameter(gt=0)]``; ``name=`` when the key differs."""

    param_type: ClassVar[ParamType | None] = ParamType.QUERY


@dataclass(frozen=True)
class HeaderParameter(ParameterKwarg):
    """A header, matched case-insensitively: ``Annotated[str, HeaderParameter(name="X-API-KEY")]``.

    Without ``name``, the parameter's name is the header's; ``x_token`` is also found as ``X-Token``.
    """

    param_type: ClassVar[ParamType | None] = ParamType.HEADER


@dataclass(frozen=True)
class CookieParameter(ParameterKwarg):
    """A cookie: ``Annotated[str, CookieParameter(name="session-id")]``."""

    param_type: ClassVar[ParamType | None] = ParamType.COOKIE


@dataclass(frozen=True)
class PathParameter(ParameterKwarg):
    """A path parameter of the route's template: ``Annotated[int, PathParameter(ge=1)]``."""

    param_type: ClassVar[ParamType | None] = ParamType.PATH


@dataclass(frozen=True)
class BodyKwarg(KwargDefinition):
    """How the request body is decoded (``media_type``), constrained and documented; made by ``Body(...)``.

    Args:
        media_type: The body's encoding: JSON (default), MessagePack, URL-encoded or multipart form.
        multipart_form_part_limit: The most parts a multipart body may have; past it the request is a 413. It
            takes precedence over the app's ``multipart_form_part_limit`` and only applies to multipart bodies.
        **kwargs: The constraints and documentation of ``KwargDefinition``.
    """

    media_type: str | RequestEncodingType = RequestEncodingType.JSON
    multipart_form_part_limit: int | None = None


@dataclass(frozen=True)
class DependencyKwarg:
    """Marks a parameter as a dependency, optionally with a default; made by ``Dependency(...)``.

    ``outpour.di.NamedDependency[T]`` is the 3.0 spelling without options.
    """

    default: Any = Empty
    skip_validation: bool = False


class SkipValidationMarker:
    """The marker of ``SkipValidation[T]``: the value is passed as it is, neither converted nor checked."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SkipValidationMarker()"


def Parameter(
    annotation: Any = Empty,
    *,
    const: bool | None = None,
    content_encoding: str | None = None,
    cookie: str | None = None,
    description: str | None = None,
    examples: list[Example] | None = None,
    external_docs: ExternalDocumentation | None = None,
    ge: float | None = None,
    gt: float | None = None,
    header: str | None = None,
    le: float | None = None,
    lt: float | None = None,
    max_items: int | None = None,
    max_length: int | None = None,
    min_items: int | None = None,
    min_length: int | None = None,
    multiple_of: float | None = None,
    pattern: str | None = None,
    query: str | None = None,
    required: bool | None = None,
    title: str | None = None,
    schema_extra: dict[str, Any] | None = None,
    schema_component_key: str | None = None,
    include_in_schema: bool = True,
) -> Any:
    """Describe a parameter: where it is read (``header``, ``cookie``, ``query``), its constraints and documentation.

    The location classes say the same more directly: ``HeaderParameter(name="X-API-KEY")`` for
    ``Parameter(header="X-API-KEY")``. A default goes in the signature (``limit: Annotated[int, Parameter(ge=1)] = 10``).

    Args:
        annotation: The type, for a layered parameter that no signature declares.
        const: The value must equal the default (documented).
        content_encoding: Documented content encoding.
        cookie: Read the value from the cookie of this name.
        description: Documented description.
        examples: Documented examples.
        external_docs: Documented external docs.
        ge: Greater than or equal.
        gt: Greater than.
        header: Read the value from the header of this name.
        le: Less than or equal.
        lt: Less than.
        max_items: The most items of a list.
        max_length: The longest string.
        min_items: The fewest items of a list.
        min_length: The shortest string.
        multiple_of: A multiple of this number.
        pattern: A regular expression the value must match.
        query: Read the value from the query parameter of this name.
        required: Whether the client must send it; by default when there is no default and ``None`` is not allowed.
        title: Documented title.
        schema_extra: Extra OpenAPI schema fields.
        schema_component_key: Documented key of the parameter's schema component.
        include_in_schema: ``False`` to leave the parameter out of the OpenAPI document.

    Returns:
        A ``ParameterKwarg``.
    """
    return ParameterKwarg(
        annotation=annotation,
        const=const,
        content_encoding=content_encoding,
        cookie=cookie,
        description=description,
        examples=examples,
        external_docs=external_docs,
        ge=ge,
        gt=gt,
        header=header,
        le=le,
        lt=lt,
        max_items=max_items,
        max_length=max_length,
        min_items=min_items,
        min_length=min_length,
        multiple_of=multiple_of,
        pattern=pattern,
        query=query,
        required=required,
        title=title,
        schema_extra=schema_extra,
        schema_component_key=schema_component_key,
        include_in_schema=include_in_schema,
    )


def Body(
    *,
    const: bool | None = None,
    content_encoding: str | None = None,
    description: str | None = None,
    examples: list[Example] | None = None,
    external_docs: ExternalDocumentation | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    max_items: int | None = None,
    max_length: int | None = None,
    media_type: str | RequestEncodingType = RequestEncodingType.JSON,
    min_items: int | None = None,
    min_length: int | None = None,
    multipart_form_part_limit: int | None = None,
    multiple_of: float | None = None,
    pattern: str | None = None,
    title: str | None = None,
    schema_extra: dict[str, Any] | None = None,
    schema_component_key: str | None = None,
) -> Any:
    """Describe the request body of a ``data`` parameter: how it is encoded, constrained and documented.

    The constraints are documented in the OpenAPI schema of the body, and checked when the body is a number, a
    string or a list (``data: Annotated[list[int], Body(max_items=10)]``); on other types they are documentation only.
    A default goes in the signature (``data: Annotated[Item | None, Body(...)] = None``).

    Args:
        const: Documented: the value must equal the default.
        content_encoding: Documented content encoding.
        description: Documented description.
        examples: Documented examples.
        external_docs: Documented external docs.
        ge: Greater than or equal.
        gt: Greater than.
        le: Less than or equal.
        lt: Less than.
        max_items: The most items of a list.
        max_length: Constraint on the decoded value's length.
        media_type: The body's encoding: JSON (default), MessagePack, URL-encoded or multipart form.
        min_items: The fewest items of a list.
        min_length: Constraint on the decoded value's length.
        multipart_form_part_limit: The most parts a multipart body may have (over the app's limit); past it
            the request is a 413.
        multiple_of: A multiple of this number.
        pattern: A regular expression a string body must match.
        title: Documented title.
        schema_extra: Extra OpenAPI schema fields.
        schema_component_key: Documented key of the body's schema component.

    Returns:
        A ``BodyKwarg``.
    """
    return BodyKwarg(
        const=const,
        content_encoding=content_encoding,
        description=description,
        examples=examples,
        external_docs=external_docs,
        ge=ge,
        gt=gt,
        le=le,
        lt=lt,
        max_items=max_items,
        max_length=max_length,
        media_type=media_type,
        min_items=min_items,
        min_length=min_length,
        multipart_form_part_limit=multipart_form_part_limit,
        multiple_of=multiple_of,
        pattern=pattern,
        title=title,
        schema_extra=schema_extra,
        schema_component_key=schema_component_key,
    )


def Dependency(*, default: Any = Empty, skip_validation: bool = False) -> Any:
    """Mark a parameter as a dependency, so that a missing provider is an error when the app is created.

    ``NamedDependency[T]`` (``outpour.di``) is the same without options; a default in the signature does what
    ``default`` does here.

    Args:
        default: A value used when no provider is declared; then it is not an error.
        skip_validation: Do not validate the provided value.

    Returns:
        A ``DependencyKwarg``.
    """
    return DependencyKwarg(default=default, skip_validation=skip_validation)


FromQuery: TypeAlias = Annotated[T, QueryParameter()]
"""``FromQuery[int]``: a parameter read from the query string under its own name."""

FromHeader: TypeAlias = Annotated[T, HeaderParameter()]
"""``FromHeader[str]``: a parameter read from the header of its own name (underscores become dashes)."""

FromCookie: TypeAlias = Annotated[T, CookieParameter()]
"""``FromCookie[str]``: a parameter read from the cookie of its own name."""

FromPath: TypeAlias = Annotated[T, PathParameter()]
"""``FromPath[int]``: a parameter read from the path template."""

JSONBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.JSON)]
"""``JSONBody[T]``: the request body, decoded as JSON (``Body(media_type=RequestEncodingType.JSON)``)."""

MultipartBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.MULTI_PART)]
"""``MultipartBody[T]``: the request body, a ``multipart/form-data`` form (files as ``UploadFile``)."""

URLEncodedBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.URL_ENCODED)]
"""``URLEncodedBody[T]``: the request body, an ``application/x-www-form-urlencoded`` form."""

MsgPackBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.MESSAGEPACK)]
"""``MsgPackBody[T]``: the request body, decoded as MessagePack whatever its ``Content-Type`` says."""

SkipValidation: TypeAlias = Annotated[T, SkipValidationMarker()]
"""``SkipValidation[T]``: the value is passed as it is, neither converted to ``T`` nor checked."""
