"""Data extractors: pull the loggable parts out of a request and a response, hiding secrets.

A logging or tracing middleware builds one :class:`ConnectionDataExtractor` and one :class:`ResponseDataExtractor`
with the fields it wants, and calls them for each request and response. Headers and cookies named in
``obfuscate_headers`` / ``obfuscate_cookies`` (case-insensitively) have their values replaced by ``"*****"``::

    extractor = ConnectionDataExtractor(obfuscate_headers={"Authorization"}, parse_query=True)
    data = await extractor.extract(request, fields=("method", "path", "headers", "query"))
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Final, Literal, TypeAlias, TypedDict, cast

from outpour.connection import ASGIConnection, Request
from outpour.connection.base import parse_cookie_header
from outpour.datastructures.upload_file import UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import ClientException
from outpour.serialization import is_json_media_type, is_msgpack_media_type
from outpour.types.asgi_types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Method, RawHeaders

__all__ = [
    "ConnectionDataExtractor",
    "ExtractedRequestData",
    "ExtractedResponseData",
    "RequestExtractorField",
    "ResponseDataExtractor",
    "ResponseExtractorField",
]

OBFUSCATED: Final = "*****"
"""What an obfuscated header or cookie value is replaced by."""

RequestExtractorField: TypeAlias = Literal[
    "path", "method", "content_type", "headers", "cookies", "query", "path_params", "body", "scheme", "client"
]
"""A field :class:`ConnectionDataExtractor` can extract."""
ResponseExtractorField: TypeAlias = Literal["status_code", "headers", "body", "cookies"]
"""A field :class:`ResponseDataExtractor` can extract."""


class ExtractedRequestData(TypedDict, total=False):
    """What :class:`ConnectionDataExtractor` extracts; only the enabled fields are present.

    Calling the extractor leaves ``body`` as a coroutine to await; :meth:`ConnectionDataExtractor.extract` awaits it.
    """

    body: Coroutine[Any, Any, Any]
    client: tuple[str, int]
    content_type: tuple[str, dict[str, str]]
    cookies: dict[str, str]
    headers: dict[str, str]
    method: Method
    path: str
    path_params: dict[str, Any]
    query: bytes | dict[str, Any]
    scheme: str


class ExtractedResponseData(TypedDict, total=False):
    """What :class:`ResponseDataExtractor` extracts; only the enabled fields are present."""

    body: bytes
    cookies: dict[str, str]
    headers: dict[str, str]
    status_code: int


def _lowered(names: AbstractSet[str] | None) -> frozenset[str]:
    return frozenset(name.lower() for name in names) if names else frozenset()


def _obfuscate(values: Mapping[str, str], names: frozenset[str]) -> dict[str, str]:
    """A copy of ``values`` in which the values of ``names`` (lowercase; keys compared case-insensitively) are hidden."""
    if not names:
        return dict(values)
    return {key: OBFUSCATED if key.lower() in names else value for key, value in values.items()}


def _header_dict(raw: RawHeaders, skip: bytes | None = None) -> dict[str, str]:
    """Decode raw headers into a dict; the values of a repeated header are joined with ``", "`` (RFC 9110 5.3)."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw:
        if skip is not None and raw_name.lower() == skip:
            continue
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _form_data(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Form fields as ``{name: value}``, a list for a repeated name; files by their ``repr``, never their content."""
    data: dict[str, Any] = {}
    for name, value in items:
        shown = repr(value) if isinstance(value, UploadFile) else value
        if name not in data:
            data[name] = shown
        elif isinstance(data[name], list):
            data[name].append(shown)
        else:
            data[name] = [data[name], shown]
    return data


class ConnectionDataExtractor:
    """Extracts a request's path, method, headers, cookies, query, body, ...; each ``extract_<field>`` flag enables one.

    Args:
        extract_body: Extract the body (of an HTTP request).
        extract_client: Extract the client's ``(host, port)``, ``("", 0)`` when the server gives none.
        extract_content_type: Extract the media type and its parameters (of an HTTP request).
        extract_cookies: Extract the cookies.
        extract_headers: Extract the headers (names lowercased; a repeated header's values joined with ``", "``).
        extract_method: Extract the HTTP method (of an HTTP request).
        extract_path: Extract the path.
        extract_path_params: Extract the path parameters the route matched.
        extract_query: Extract the query string.
        extract_scheme: Extract the URL scheme.
        obfuscate_cookies: Names of cookies whose values are replaced by ``"*****"`` (case-insensitive).
        obfuscate_headers: Names of headers whose values are replaced by ``"*****"`` (case-insensitive).
        parse_body: Decode the body by its media type: JSON and MessagePack to values, forms to a dict of fields
            (files shown by their ``repr``); other media types stay bytes. When ``False``, the body is raw bytes.
        parse_query: Give the query as a dict of each name to the list of its values, instead of the raw bytes.
        skip_parse_malformed_body: Give the raw bytes of a body that does not decode, instead of raising the
            ``ClientException`` (400) the request raised.
    """

    __slots__ = (
        "connection_extractors",
        "obfuscate_cookies",
        "obfuscate_headers",
        "parse_body",
        "parse_query",
        "request_extractors",
        "skip_parse_malformed_body",
    )

    def __init__(
        self,
        extract_body: bool = True,
        extract_client: bool = True,
        extract_content_type: bool = True,
        extract_cookies: bool = True,
        extract_headers: bool = True,
        extract_method: bool = True,
        extract_path: bool = True,
        extract_path_params: bool = True,
        extract_query: bool = True,
        extract_scheme: bool = True,
        obfuscate_cookies: AbstractSet[str] | None = None,
        obfuscate_headers: AbstractSet[str] | None = None,
        parse_body: bool = False,
        parse_query: bool = False,
        skip_parse_malformed_body: bool = False,
    ) -> None:
        self.parse_body = parse_body
        self.parse_query = parse_query
        self.skip_parse_malformed_body = skip_parse_malformed_body
        self.obfuscate_headers = _lowered(obfuscate_headers)
        self.obfuscate_cookies = _lowered(obfuscate_cookies)
        connection_fields: dict[str, tuple[bool, Callable[[Any], Any]]] = {
            "scheme": (extract_scheme, self.extract_scheme),
            "client": (extract_client, self.extract_client),
            "path": (extract_path, self.extract_path),
            "headers": (extract_headers, self.extract_headers),
            "cookies": (extract_cookies, self.extract_cookies),
            "query": (extract_query, self.extract_query),
            "path_params": (extract_path_params, self.extract_path_params),
        }
        request_fields: dict[str, tuple[bool, Callable[[Any], Any]]] = {
            "method": (extract_method, self.extract_method),
            "content_type": (extract_content_type, self.extract_content_type),
            "body": (extract_body, self.extract_body),
        }
        self.connection_extractors: dict[str, Callable[[ASGIConnection[Any, Any, Any, Any]], Any]] = {
            field: extractor for field, (enabled, extractor) in connection_fields.items() if enabled
        }
        """The enabled extractors that apply to any connection, by field."""
        self.request_extractors: dict[str, Callable[[Request[Any, Any, Any]], Any]] = {
            field: extractor for field, (enabled, extractor) in request_fields.items() if enabled
        }
        """The enabled extractors that apply to HTTP requests only, by field."""

    def _extractors_for(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Callable[[Any], Any]]:
        if isinstance(connection, Request):
            return {**self.connection_extractors, **self.request_extractors}
        return dict(self.connection_extractors)

    def __call__(self, connection: ASGIConnection[Any, Any, Any, Any]) -> ExtractedRequestData:
        """Extract every enabled field; ``body`` is left as a coroutine for the caller to await.

        Args:
            connection: The request (or other connection; the request-only fields are skipped for it).

        Returns:
            The extracted fields.
        """
        extractors = self._extractors_for(connection)
        return cast("ExtractedRequestData", {field: extractor(connection) for field, extractor in extractors.items()})

    async def extract(
        self, connection: ASGIConnection[Any, Any, Any, Any], fields: Iterable[str]
    ) -> ExtractedRequestData:
        """Extract the enabled fields among ``fields``, awaiting the body.

        Args:
            connection: The request (or other connection; the request-only fields are skipped for it).
            fields: The names of the fields wanted (see ``RequestExtractorField``).

        Returns:
            The extracted fields, the body decoded.
        """
        wanted = set(fields)
        data: dict[str, Any] = {}
        for field, extractor in self._extractors_for(connection).items():
            if field in wanted:
                value = extractor(connection)
                data[field] = await value if inspect.isawaitable(value) else value
        return cast("ExtractedRequestData", data)

    @staticmethod
    def extract_scheme(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """Return the URL scheme (``http``, ``https``, ``ws`` or ``wss``)."""
        return str(connection.scope.get("scheme", "http"))

    @staticmethod
    def extract_client(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, int]:
        """Return the client's ``(host, port)``, or ``("", 0)`` when the server gives none."""
        client = connection.scope.get("client")
        return (client[0], client[1]) if client else ("", 0)

    @staticmethod
    def extract_path(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """Return the path."""
        return str(connection.scope["path"])

    def extract_headers(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, str]:
        """Return the headers, names lowercased, the obfuscated ones hidden."""
        return _obfuscate(_header_dict(connection.scope.get("headers") or ()), self.obfuscate_headers)

    def extract_cookies(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, str]:
        """Return the cookies, the obfuscated ones hidden."""
        return _obfuscate(connection.cookies, self.obfuscate_cookies)

    def extract_query(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
        """Return the raw query string, or with ``parse_query`` a dict of each name to the list of its values."""
        if self.parse_query:
            return connection.query_params.dict()
        return bytes(connection.scope.get("query_string", b""))

    @staticmethod
    def extract_path_params(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """Return the path parameters, converted to their declared types."""
        return dict(connection.path_params)

    @staticmethod
    def extract_method(request: Request[Any, Any, Any]) -> Method:
        """Return the HTTP method."""
        return cast("Method", request.method)

    @staticmethod
    def extract_content_type(request: Request[Any, Any, Any]) -> tuple[str, dict[str, str]]:
        """Return the body's media type (empty without ``Content-Type``) and its parameters."""
        return request.content_type

    async def extract_body(self, request: Request[Any, Any, Any]) -> Any:
        """Return the body: raw bytes, or with ``parse_body`` decoded by its media type.

        Raises:
            ClientException: When ``parse_body`` is set, the body does not decode and ``skip_parse_malformed_body``
                is not set (400).
        """
        if not self.parse_body:
            return await request.body()
        media_type = request.content_type[0]
        try:
            if is_json_media_type(media_type):
                return await request.json()
            if is_msgpack_media_type(media_type):
                return await request.msgpack()
            if media_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
                return _form_data((await request.form()).multi_items())
        except ClientException:
            if not self.skip_parse_malformed_body:
                raise
        return await request.body()


class ResponseDataExtractor:
    """Extracts a response's status code, headers, cookies and body from its ASGI messages.

    Args:
        extract_body: Extract the body.
        extract_cookies: Extract the cookies ``Set-Cookie`` sets, as ``{name: value}``.
        extract_headers: Extract the headers but ``Set-Cookie`` (names lowercased; a repeated header's values joined
            with ``", "``).
        extract_status_code: Extract the status code.
        obfuscate_cookies: Names of cookies whose values are replaced by ``"*****"`` (case-insensitive).
        obfuscate_headers: Names of headers whose values are replaced by ``"*****"`` (case-insensitive).
    """

    __slots__ = ("extractors", "obfuscate_cookies", "obfuscate_headers")

    def __init__(
        self,
        extract_body: bool = True,
        extract_cookies: bool = True,
        extract_headers: bool = True,
        extract_status_code: bool = True,
        obfuscate_cookies: AbstractSet[str] | None = None,
        obfuscate_headers: AbstractSet[str] | None = None,
    ) -> None:
        self.obfuscate_headers = _lowered(obfuscate_headers)
        self.obfuscate_cookies = _lowered(obfuscate_cookies)
        fields: dict[str, tuple[bool, Callable[[Any], Any]]] = {
            "body": (extract_body, self.extract_response_body),
            "status_code": (extract_status_code, self.extract_status_code),
            "headers": (extract_headers, self.extract_headers),
            "cookies": (extract_cookies, self.extract_cookies),
        }
        self.extractors: dict[str, Callable[[tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]], Any]] = {
            field: extractor for field, (enabled, extractor) in fields.items() if enabled
        }
        """The enabled extractors, by field."""

    def __call__(self, messages: tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]) -> ExtractedResponseData:
        """Extract every enabled field.

        Args:
            messages: The response's ``http.response.start`` message and a ``http.response.body`` message holding
                the body (all of it, for the whole body).

        Returns:
            The extracted fields.
        """
        return cast(
            "ExtractedResponseData", {field: extractor(messages) for field, extractor in self.extractors.items()}
        )

    @staticmethod
    def extract_response_body(messages: tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]) -> bytes:
        """Return the body of the body message."""
        return messages[1]["body"]

    @staticmethod
    def extract_status_code(messages: tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]) -> int:
        """Return the status code."""
        return messages[0]["status"]

    def extract_headers(self, messages: tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]) -> dict[str, str]:
        """Return the headers but ``Set-Cookie``, the obfuscated ones hidden."""
        return _obfuscate(_header_dict(messages[0]["headers"], skip=b"set-cookie"), self.obfuscate_headers)

    def extract_cookies(self, messages: tuple[HTTPResponseStartEvent, HTTPResponseBodyEvent]) -> dict[str, str]:
        """Return ``{name: value}`` of the cookies the ``Set-Cookie`` headers set (not their attributes)."""
        cookies: dict[str, str] = {}
        for name, value in messages[0]["headers"]:
            if name.lower() == b"set-cookie":
                # The name=value pair comes before the first ";" (RFC 6265 section 4.1.1); the attributes follow.
                pair = value.decode("latin-1").split(";", 1)[0]
                cookies.update(parse_cookie_header(pair))
        return _obfuscate(cookies, self.obfuscate_cookies)
