"""OpenAPI 3.1 objects for the parts of the document you configure yourself: info, servers, tags, security, schemas.

Each object turns into its JSON form with ``to_schema()``: ``None`` fields are left out and snake_case names become
the specification's camelCase names (``terms_of_service`` is ``termsOfService``). The app's generated document is
served as built, and read into these objects as ``app.openapi_schema``.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import Field, dataclass, field, fields
from typing import Any, Literal, TypeAlias

__all__ = [
    "XML",
    "BaseSchemaObject",
    "Callback",
    "Components",
    "Contact",
    "Discriminator",
    "Encoding",
    "Example",
    "ExternalDocumentation",
    "Info",
    "License",
    "Link",
    "OAuthFlow",
    "OAuthFlows",
    "OpenAPI",
    "OpenAPIFormat",
    "OpenAPIHeader",
    "OpenAPIMediaType",
    "OpenAPIResponse",
    "OpenAPIType",
    "Operation",
    "Parameter",
    "PathItem",
    "Paths",
    "Reference",
    "RequestBody",
    "Responses",
    "Schema",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
]

SecurityRequirement: TypeAlias = "dict[str, list[str]]"
"""A security requirement: scheme names mapped to the scopes needed (``{"BearerToken": []}``)."""


SOURCE_ORDER = "_source_order"
"""The attribute holding the keys of the document an object was read from, in the document's order."""


def _camel(name: str) -> str:
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def json_key(item: Field[Any]) -> str:
    """The key of a spec object's field in the document: its ``alias``, else its name in camelCase."""
    alias: str | None = item.metadata.get("alias")
    return alias or _camel(item.name)


def to_builtin(value: Any) -> Any:
    """Turn spec objects, enums, lists and dicts into JSON-compatible values.

    Args:
        value: A spec object or a plain value.

    Returns:
        The JSON-compatible value.
    """
    if isinstance(value, BaseSchemaObject):
        return value.to_schema()
    if isinstance(value, enum.Enum):
        return to_builtin(value.value)
    if isinstance(value, dict):
        return {str(to_builtin(k)): to_builtin(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_builtin(v) for v in value]
    return value


@dataclass
class BaseSchemaObject:
    """Base of the spec objects: ``to_schema()`` renders the object as a JSON-compatible dict."""

    def to_schema(self) -> dict[str, Any]:
        """Render the object: ``None`` fields are skipped and names follow the specification.

        Keys come in the order of the fields, except in an object read from a document (``app.openapi_schema``):
        there they keep the document's order, so that the app's document renders as it is served.

        Returns:
            The object as a dict.
        """
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            out[json_key(item)] = to_builtin(value)
        order: tuple[str, ...] | None = self.__dict__.get(SOURCE_ORDER)
        if order is not None:
            out = {**{key: out[key] for key in order if key in out}, **out}
        return out


class OpenAPIFormat(enum.StrEnum):
    """The ``format`` keywords of JSON Schema and OpenAPI for strings and numbers."""

    DATE = "date"
    DATE_TIME = "date-time"
    TIME = "time"
    DURATION = "duration"
    URL = "url"
    EMAIL = "email"
    IDN_EMAIL = "idn-email"
    HOST_NAME = "hostname"
    IDN_HOST_NAME = "idn-hostname"
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    URI = "uri"
    URI_REFERENCE = "uri-reference"
    URI_TEMPLATE = "uri-template"
    JSON_POINTER = "json-pointer"
    RELATIVE_JSON_POINTER = "relative-json-pointer"
    IRI = "iri"
    IRI_REFERENCE = "iri-reference"
    UUID = "uuid"
    REGEX = "regex"
    BINARY = "binary"


class OpenAPIType(enum.StrEnum):
    """The JSON Schema types."""

    ARRAY = "array"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NULL = "null"
    NUMBER = "number"
    OBJECT = "object"
    STRING = "string"


@dataclass
class Contact(BaseSchemaObject):
    """Contact information of the API."""

    name: str | None = None
    url: str | None = None
    email: str | None = None


@dataclass
class License(BaseSchemaObject):
    """The license of the API: a name and an SPDX ``identifier`` or a ``url``."""

    name: str
    identifier: str | None = None
    url: str | None = None


@dataclass
class ExternalDocumentation(BaseSchemaObject):
    """A link to documentation elsewhere."""

    url: str
    description: str | None = None


@dataclass
class Info(BaseSchemaObject):
    """The document's ``info``: title, version and descriptions."""

    title: str
    version: str
    summary: str | None = None
    description: str | None = None
    terms_of_service: str | None = None
    contact: Contact | None = None
    license: License | None = None


@dataclass
class ServerVariable(BaseSchemaObject):
    """A variable of a server URL template."""

    default: str
    enum: list[str] | None = None
    description: str | None = None


@dataclass
class Server(BaseSchemaObject):
    """A server the API is served from; ``url`` may be relative (``/``)."""

    url: str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


@dataclass
class Tag(BaseSchemaObject):
    """A tag used by operations, with its description."""

    name: str
    description: str | None = None
    external_docs: ExternalDocumentation | None = None


@dataclass
class Example(BaseSchemaObject):
    """An example value."""

    summary: str | None = None
    description: str | None = None
    value: Any = None
    external_value: str | None = None


@dataclass
class Reference(BaseSchemaObject):
    """A ``$ref`` to another part of the document."""

    ref: str = field(metadata={"alias": "$ref"})
    summary: str | None = None
    description: str | None = None


@dataclass
class Discriminator(BaseSchemaObject):
    """Which property tells the members of a union apart."""

    property_name: str
    mapping: dict[str, str] | None = None


@dataclass
class XML(BaseSchemaObject):
    """How a property is represented in XML: element or attribute name, namespace, prefix, wrapping of arrays."""

    name: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    attribute: bool = False
    wrapped: bool = False


@dataclass
class Schema(BaseSchemaObject):
    """A JSON Schema (2020-12 dialect, as OpenAPI 3.1 uses), for schemas you write by hand."""

    type: OpenAPIType | list[OpenAPIType] | str | list[str] | None = None
    format: str | None = None
    title: str | None = None
    description: str | None = None
    default: Any = None
    enum: list[Any] | None = None
    const: Any = None
    examples: list[Any] | None = None
    properties: dict[str, Schema | Reference] | None = None
    additional_properties: Schema | Reference | bool | None = None
    required: list[str] | None = None
    items: Schema | Reference | bool | None = None
    prefix_items: list[Schema | Reference] | None = None
    all_of: list[Schema | Reference] | None = None
    any_of: list[Schema | Reference] | None = None
    one_of: list[Schema | Reference] | None = None
    schema_not: Schema | Reference | None = field(default=None, metadata={"alias": "not"})
    schema_if: Schema | Reference | None = field(default=None, metadata={"alias": "if"})
    then: Schema | Reference | None = None
    schema_else: Schema | Reference | None = field(default=None, metadata={"alias": "else"})
    dependent_schemas: dict[str, Schema | Reference] | None = None
    contains: Schema | Reference | None = None
    pattern_properties: dict[str, Schema | Reference] | None = None
    property_names: Schema | Reference | None = None
    unevaluated_items: Schema | Reference | None = None
    unevaluated_properties: Schema | Reference | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool | None = None
    max_contains: int | None = None
    min_contains: int | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    dependent_required: dict[str, list[str]] | None = None
    content_media_type: str | None = None
    content_encoding: str | None = None
    content_schema: Schema | Reference | None = None
    read_only: bool | None = None
    write_only: bool | None = None
    deprecated: bool | None = None
    discriminator: Discriminator | None = None
    xml: XML | None = None
    external_docs: ExternalDocumentation | None = None
    example: Any = None
    """Deprecated by OpenAPI 3.1 in favour of ``examples``; written when given."""

    def __hash__(self) -> int:
        """Hash the schema by what it documents, so that equal schemas hash alike (examples left out, as in Litestar)."""
        document = self.to_schema()
        document.pop("examples", None)
        return hash(json.dumps(document, sort_keys=True, default=repr))


@dataclass
class OAuthFlow(BaseSchemaObject):
    """One OAuth2 flow."""

    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    scopes: dict[str, str] | None = None


@dataclass
class OAuthFlows(BaseSchemaObject):
    """The OAuth2 flows a security scheme supports."""

    implicit: OAuthFlow | None = None
    password: OAuthFlow | None = None
    client_credentials: OAuthFlow | None = None
    authorization_code: OAuthFlow | None = None


@dataclass
class SecurityScheme(BaseSchemaObject):
    """A security scheme: ``http`` (bearer/basic), ``apiKey``, ``oauth2``, ``openIdConnect`` or ``mutualTLS``."""

    type: Literal["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"]
    description: str | None = None
    name: str | None = None
    security_scheme_in: Literal["query", "header", "cookie"] | None = field(default=None, metadata={"alias": "in"})
    scheme: str | None = None
    bearer_format: str | None = None
    flows: OAuthFlows | None = None
    open_id_connect_url: str | None = None


@dataclass
class OpenAPIHeader(BaseSchemaObject):
    """A documented response header: the fields of an OpenAPI Header Object, in Litestar's order."""

    schema: Schema | Reference | None = None
    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    allow_empty_value: bool | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool | None = None
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    content: dict[str, OpenAPIMediaType] | None = None


@dataclass
class Encoding(BaseSchemaObject):
    """How one property of a ``multipart`` or ``application/x-www-form-urlencoded`` body is encoded."""

    content_type: str | None = None
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    style: str | None = None
    explode: bool = False
    allow_reserved: bool = False


@dataclass
class OpenAPIMediaType(BaseSchemaObject):
    """The schema and examples of one media type of a body."""

    schema: Schema | Reference | None = None
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    encoding: dict[str, Encoding] | None = None


@dataclass
class Link(BaseSchemaObject):
    """A design-time link from a response to an operation, with the values passed to it."""

    operation_ref: str | None = None
    operation_id: str | None = None
    parameters: dict[str, Any] | None = None
    request_body: Any | None = None
    description: str | None = None
    server: Server | None = None


@dataclass
class OpenAPIResponse(BaseSchemaObject):
    """A documented response."""

    description: str
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    content: dict[str, OpenAPIMediaType] | None = None
    links: dict[str, Link | Reference] | None = None


@dataclass
class Parameter(BaseSchemaObject):
    """A documented parameter (path, query, header or cookie)."""

    name: str
    param_in: Literal["query", "header", "path", "cookie"] = field(metadata={"alias": "in"})
    schema: Schema | Reference | None = None
    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    examples: dict[str, Example | Reference] | None = None


@dataclass
class RequestBody(BaseSchemaObject):
    """A documented request body."""

    content: dict[str, OpenAPIMediaType]
    description: str | None = None
    required: bool | None = None


@dataclass
class Operation(BaseSchemaObject):
    """A documented operation (one method on one path)."""

    responses: dict[str, OpenAPIResponse | Reference] | None = None
    tags: Sequence[str] | None = None
    summary: str | None = None
    description: str | None = None
    operation_id: str | None = None
    parameters: list[Parameter | Reference] | None = None
    request_body: RequestBody | Reference | None = None
    deprecated: bool | None = None
    security: list[SecurityRequirement] | None = None
    external_docs: ExternalDocumentation | None = None
    callbacks: dict[str, Callback | Reference] | None = None


@dataclass
class PathItem(BaseSchemaObject):
    """The operations of one path (``paths``, ``webhooks``, callbacks)."""

    ref: str | None = field(default=None, metadata={"alias": "$ref"})
    summary: str | None = None
    description: str | None = None
    get: Operation | None = None
    put: Operation | None = None
    post: Operation | None = None
    delete: Operation | None = None
    options: Operation | None = None
    head: Operation | None = None
    patch: Operation | None = None
    trace: Operation | None = None
    servers: list[Server] | None = None
    parameters: list[Parameter | Reference] | None = None


@dataclass
class Components(BaseSchemaObject):
    """Reusable parts of the document; merged with the generated ``components/schemas``."""

    schemas: dict[str, Schema | Reference | dict[str, Any]] | None = None
    responses: dict[str, OpenAPIResponse | Reference] | None = None
    parameters: dict[str, Parameter | Reference] | None = None
    examples: dict[str, Example | Reference] | None = None
    request_bodies: dict[str, RequestBody | Reference] | None = None
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    security_schemes: dict[str, SecurityScheme | Reference] | None = None
    links: dict[str, Link | Reference] | None = None
    callbacks: dict[str, Callback | Reference] | None = None
    path_items: dict[str, PathItem | Reference] | None = None


Callback: TypeAlias = "dict[str, PathItem | Reference]"
"""Requests the API may send back to the client (webhook-like callbacks), by runtime expression."""

Paths: TypeAlias = "dict[str, PathItem]"
"""The operations of the API, by path."""

Responses: TypeAlias = "dict[str, OpenAPIResponse | Reference]"
"""The responses of an operation, by status code (``"200"``, ``"4XX"``, ``"default"``)."""


@dataclass
class OpenAPI(BaseSchemaObject):
    """The root of an OpenAPI 3.1 document.

    ``to_schema()`` renders the whole document; the app builds its own with ``OpenAPIConfig`` (``app.openapi_schema``).
    """

    openapi: str = "3.1.0"
    info: Info = field(default_factory=lambda: Info(title="Outpour API", version="1.0.0"))
    json_schema_dialect: str | None = None
    servers: list[Server] = field(default_factory=lambda: [Server(url="/")])
    paths: Paths | None = None
    webhooks: dict[str, PathItem | Reference] | None = None
    components: Components = field(default_factory=Components)
    security: list[SecurityRequirement] | None = None
    tags: list[Tag] | None = None
    external_docs: ExternalDocumentation | None = None

    def to_schema(self) -> dict[str, Any]:
        """Render the document; ``components`` is left out when it holds nothing, as the app's documents do.

        Returns:
            The document as a dict.
        """
        out = super().to_schema()
        if out.get("components") == {} and "components" not in self.__dict__.get(SOURCE_ORDER, ()):
            del out["components"]
        return out
