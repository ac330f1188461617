"""Enumerations of the public API: media types, HTTP methods, scope types and request encodings."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CompressionEncoding",
    "HttpMethod",
    "MediaType",
    "OpenAPIMediaType",
    "ParamType",
    "RequestEncodingType",
    "ScopeType",
]


class HttpMethod(StrEnum):
    """An HTTP method."""

    GET = "GET"
    POST = "POST"
    DELETE = "DELETE"
    PATCH = "PATCH"
    PUT = "PUT"
    HEAD = "HEAD"
    TRACE = "TRACE"
    OPTIONS = "OPTIONS"

    def __str__(self) -> str:
        return self.value


class MediaType(StrEnum):
    """A media type a response can carry; any other IANA media type string is accepted too."""

    JSON = "application/json"
    MESSAGEPACK = "application/vnd.msgpack"
    MESSAGEPACK_IANA = "application/vnd.msgpack"
    HTML = "text/html"
    TEXT = "text/plain"
    CSS = "text/css"
    XML = "application/xml"
    JAVASCRIPT = "text/javascript"
    CSV = "text/csv"
    EVENT_STREAM = "text/event-stream"
    PROBLEM_JSON = "application/problem+json"
    OCTET_STREAM = "application/octet-stream"

    def __str__(self) -> str:
        return self.value


class OpenAPIMediaType(StrEnum):
    """Media types of the OpenAPI document."""

    OPENAPI_YAML = "application/vnd.oai.openapi"
    OPENAPI_JSON = "application/vnd.oai.openapi+json"


class ParamType(StrEnum):
    """Where a handler parameter's value comes from."""

    PATH = "path"
    QUERY = "query"
    COOKIE = "cookie"
    HEADER = "header"
    DEPENDENCY = "dependency"


class RequestEncodingType(StrEnum):
    """How a request body is encoded."""

    JSON = "application/json"
    MESSAGEPACK = "application/vnd.msgpack"
    MULTI_PART = "multipart/form-data"
    URL_ENCODED = "application/x-www-form-urlencoded"


class ScopeType(StrEnum):
    """The ``type`` of an ASGI scope."""

    HTTP = "http"
    WEBSOCKET = "websocket"
    ASGI = "asgi"
    LIFESPAN = "lifespan"


class CompressionEncoding(StrEnum):
    """A response compression coding, as the ``Content-Encoding`` and ``Accept-Encoding`` headers name it."""

    GZIP = "gzip"
    BROTLI = "br"
    ZSTD = "zstd"
