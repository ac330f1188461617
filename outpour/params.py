"""Markers that say where a handler parameter comes from and how it is validated: ``Parameter``, ``Body``, ``Dependency``.

Use them as defaults (``limit: int = Parameter(query="max", ge=1)``) or in ``Annotated``
(``limit: Annotated[int, Parameter(query="max", ge=1)]``). ``FromQuery[int]``, ``FromHeader[str]`` and
``FromCookie[str]`` are shorthands for the common case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeAlias, TypeVar

from outpour.enums import RequestEncodingType
from outpour.types import Empty

__all__ = [
    "Body",
    "BodyKwarg",
    "Dependency",
    "DependencyKwarg",
    "FromCookie",
    "FromHeader",
    "FromPath",
    "FromQuery",
    "Parameter",
    "ParameterKwarg",
]

T = TypeVar("T")


@dataclass(frozen=True)
class _Constraints:
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
    const: bool | None = None


@dataclass(frozen=True)
class ParameterKwarg(_Constraints):
    """Where a parameter comes from (query, header, cookie) and its constraints; made by ``Parameter(...)``."""

    annotation: Any = Empty
    header: str | None = None
    cookie: str | None = None
    query: str | None = None
    default: Any = Empty
    required: bool | None = None
    title: str | None = None
    description: str | None = None
    examples: list[Any] | None = None
    external_docs: Any = None
    content_encoding: str | None = None
    schema_extra: dict[str, Any] | None = None
    location: Literal["query", "header", "cookie", "path"] | None = None
    include_in_schema: bool = True
    schema_component_key: str | None = None

    def __post_init__(self) -> None:
        given = [name for name in ("header", "cookie", "query") if getattr(self, name)]
        if len(given) > 1:
            from outpour.exceptions import ImproperlyConfiguredException

            raise ImproperlyConfiguredException(
                f"A `Parameter` may come from one place only, but it names {', '.join(f'`{g}`' for g in given)}."
            )


@dataclass(frozen=True)
class BodyKwarg(_Constraints):
    """How the request body is decoded (``media_type``) and documented; made by ``Body(...)``."""

    media_type: RequestEncodingType | str = RequestEncodingType.JSON
    title: str | None = None
    description: str | None = None
    examples: list[Any] | None = None
    schema_extra: dict[str, Any] | None = None
    multipart_form_part_limit: int = 1000
    default: Any = Empty
    content_encoding: str | None = None
    external_docs: Any = None
    schema_component_key: str | None = None


@dataclass(frozen=True)
class DependencyKwarg:
    """Marks a parameter as a dependency, optionally with a default; made by ``Dependency(...)``."""

    default: Any = Empty
    skip_validation: bool = False


def Parameter(
    annotation: Any = Empty,
    *,
    const: bool | None = None,
    content_encoding: str | None = None,
    cookie: str | None = None,
    default: Any = Empty,
    description: str | None = None,
    examples: list[Any] | None = None,
    external_docs: Any = None,
    ge: float | None = None,
    gt: float | None = None,
    header: str | None = None,
    include_in_schema: bool = True,
    le: float | None = None,
    lt: float | None = None,
    lower_case: bool | None = None,
    max_items: int | None = None,
    max_length: int | None = None,
    min_items: int | None = None,
    min_length: int | None = None,
    multiple_of: float | None = None,
    pattern: str | None = None,
    query: str | None = None,
    required: bool | None = None,
    schema_extra: dict[str, Any] | None = None,
    schema_component_key: str | None = None,
    title: str | None = None,
    upper_case: bool | None = None,
) -> Any:
    """Describe a query, header or cookie parameter: its name on the wire, default and constraints.

    Args:
        annotation: The type, when not given by the signature.
        const: The value must equal the default.
        content_encoding: Documented content encoding.
        cookie: Read the value from the cookie of this name.
        default: The default when the client sends nothing.
        description: Documented description.
        examples: Documented examples.
        external_docs: Documented external docs.
        ge: Greater than or equal.
        gt: Greater than.
        header: Read the value from the header of this name.
        include_in_schema: ``False`` to leave the parameter out of the OpenAPI document.
        le: Less than or equal.
        lt: Less than.
        lower_case: The value must be lower case.
        max_items: The most items of a list.
        max_length: The longest string.
        min_items: The fewest items of a list.
        min_length: The shortest string.
        multiple_of: A multiple of this number.
        pattern: A regular expression the value must match.
        query: Read the value from the query parameter of this name.
        required: Whether the client must send it; by default required when there is no default and None is not allowed.
        schema_extra: Extra OpenAPI schema fields.
        schema_component_key: Documented key of the parameter's schema component.
        title: Documented title.
        upper_case: The value must be upper case.

    Returns:
        A ``ParameterKwarg``.
    """
    return ParameterKwarg(
        annotation=annotation,
        const=const,
        content_encoding=content_encoding,
        cookie=cookie,
        default=default,
        description=description,
        examples=examples,
        external_docs=external_docs,
        ge=ge,
        gt=gt,
        header=header,
        include_in_schema=include_in_schema,
        le=le,
        lt=lt,
        lower_case=lower_case,
        max_items=max_items,
        max_length=max_length,
        min_items=min_items,
        min_length=min_length,
        multiple_of=multiple_of,
        pattern=pattern,
        query=query,
        required=required,
        schema_extra=schema_extra,
        schema_component_key=schema_component_key,
        title=title,
        upper_case=upper_case,
    )


def Body(
    *,
    media_type: RequestEncodingType | str = RequestEncodingType.JSON,
    title: str | None = None,
    description: str | None = None,
    examples: list[Any] | None = None,
    schema_extra: dict[str, Any] | None = None,
    multipart_form_part_limit: int = 1000,
    max_length: int | None = None,
    min_length: int | None = None,
    default: Any = Empty,
    content_encoding: str | None = None,
    external_docs: Any = None,
    schema_component_key: str | None = None,
    const: bool | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    multiple_of: float | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    pattern: str | None = None,
) -> Any:
    """Describe the request body of a ``data`` parameter: how it is encoded, constrained and documented.

    The constraints are documented in the OpenAPI schema of the body, and checked when the body is a number, a
    string or a list (``data: list[int] = Body(max_items=10)``); on other types they are documentation only.

    Args:
        media_type: The body's encoding: JSON (default), MessagePack, URL-encoded or multipart form.
        title: Documented title.
        description: Documented description.
        examples: Documented examples.
        schema_extra: Extra OpenAPI schema fields.
        multipart_form_part_limit: The most parts a multipart body may have.
        max_length: Constraint on the decoded value's length.
        min_length: Constraint on the decoded value's length.
        default: The value used when the request has no body.
        content_encoding: Documented content encoding.
        external_docs: Documented external docs.
        schema_component_key: Documented key of the body's schema component.
        const: Documented: the value must equal the default.
        ge: Greater than or equal.
        gt: Greater than.
        le: Less than or equal.
        lt: Less than.
        multiple_of: A multiple of this number.
        min_items: The fewest items of a list.
        max_items: The most items of a list.
        pattern: A regular expression a string body must match.

    Returns:
        A ``BodyKwarg``.
    """
    return BodyKwarg(
        media_type=media_type,
        title=title,
        description=description,
        examples=examples,
        schema_extra=schema_extra,
        multipart_form_part_limit=multipart_form_part_limit,
        max_length=max_length,
        min_length=min_length,
        default=default,
        content_encoding=content_encoding,
        external_docs=external_docs,
        schema_component_key=schema_component_key,
        const=const,
        ge=ge,
        gt=gt,
        le=le,
        lt=lt,
        multiple_of=multiple_of,
        min_items=min_items,
        max_items=max_items,
        pattern=pattern,
    )


def Dependency(*, default: Any = Empty, skip_validation: bool = False) -> Any:
    """Mark a parameter as a dependency, so that a missing provider is an error when the app is created.

    Args:
        default: A value used when no provider is declared; then it is not an error.
        skip_validation: Do not validate the provided value.

    Returns:
        A ``DependencyKwarg``.
    """
    return DependencyKwarg(default=default, skip_validation=skip_validation)


FromQuery: TypeAlias = Annotated[T, ParameterKwarg(location="query")]
"""``FromQuery[int]``: a parameter read from the query string under its own name."""

FromHeader: TypeAlias = Annotated[T, ParameterKwarg(location="header")]
"""``FromHeader[str]``: a parameter read from the header of its own name (underscores become dashes)."""

FromCookie: TypeAlias = Annotated[T, ParameterKwarg(location="cookie")]
"""``FromCookie[str]``: a parameter read from the cookie of its own name."""

FromPath: TypeAlias = Annotated[T, ParameterKwarg(location="path")]
"""``FromPath[int]``: a parameter read from the path template."""
