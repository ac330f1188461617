"""``RequestFactory``: build :class:`~outpour.Request` objects without running an app, for unit tests of guards etc."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import httpx

from outpour.enums import RequestEncodingType
from outpour.serialization import encode_json, encode_msgpack

if TYPE_CHECKING:
    from outpour.app import Outpour
    from outpour.connection import Request
    from outpour.datastructures import Cookie
    from outpour.types import Message, Scope

__all__ = ["RequestFactory"]


def _placeholder() -> None:
    """The function behind the route handler a factory makes when the caller gives none."""


def _as_plain(data: Any) -> Any:
    """Turn ``data`` (a mapping, dataclass, msgspec struct, pydantic model ...) into builtin values."""
    if isinstance(data, Mapping):
        return dict(data)
    return json.loads(encode_json(data))


def _encode_body(media_type: RequestEncodingType, data: Any, files: Any) -> tuple[bytes, str]:
    """Return the body bytes and the ``content-type`` for ``data`` (and ``files``) sent as ``media_type``."""
    if media_type is RequestEncodingType.JSON:
        return encode_json(data), media_type.value
    if media_type is RequestEncodingType.MESSAGEPACK:
        return encode_msgpack(data), media_type.value
    fields = _as_plain(data) if data is not None else None
    if media_type is RequestEncodingType.URL_ENCODED and not files:
        return urlencode(fields or {}, doseq=True).encode("ascii"), media_type.value
    if files:  # multipart with files: httpx writes the parts (files come in many shapes)
        built = httpx.Request("POST", "http://request-factory", data=fields, files=files)
        return built.read(), built.headers["content-type"]
    return _multipart_fields(fields or {})


def _field_text(value: Any) -> str:
    """The text of one form field: strings as they are, numbers as written, anything else as JSON (``true``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value)


def _multipart_fields(fields: Mapping[str, Any]) -> tuple[bytes, str]:
    """Encode plain form ``fields`` as a ``multipart/form-data`` body; a list value makes one part per item."""
    boundary = secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            text = _field_text(item)
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{text}\r\n'.encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class RequestFactory:
    """Makes :class:`~outpour.Request` instances with a complete scope, as an app would hand them to a handler.

    Useful to call guards, dependencies or other functions that take a request directly, without a client.
    """

    __slots__ = ("_app", "handler_kwargs", "port", "root_path", "scheme", "server")

    def __init__(
        self,
        app: Outpour | None = None,
        server: str = "test.org",
        port: int = 3000,
        root_path: str = "",
        scheme: str = "http",
        handler_kwargs: dict[str, Any] | None = None,
    ) -> None:
        """Configure the requests this factory makes.

        Args:
            app: The app put in ``scope["app"]``; an empty :class:`~outpour.Outpour` is created when ``None``.
            server: The server host name of the requests.
            port: The server port of the requests.
            root_path: The ``root_path`` of the requests.
            scheme: The URL scheme, ``"http"`` or ``"https"``.
            handler_kwargs: Options for the route handler made for a request that is given none.
        """
        self._app = app
        self.server = server
        self.port = port
        self.root_path = root_path
        self.scheme = scheme
        self.handler_kwargs = dict(handler_kwargs or {})

    @property
    def app(self) -> Outpour:
        """The app put in each request's scope (created on first use when none was given)."""
        if self._app is None:
            from outpour.app import Outpour  # imported here: the app (layer L5) imports far more than a request needs

            self._app = Outpour()
        return self._app

    def _scope(
        self,
        path: str,
        http_method: str,
        session: dict[str, Any] | None,
        user: Any,
        auth: Any,
        query_params: Mapping[str, str | Sequence[str]] | None,
        state: dict[str, Any] | None,
        path_params: dict[str, str] | None,
        http_version: str | None,
        route_handler: Any,
    ) -> Scope:
        """Build the HTTP scope of a request (without headers)."""
        if route_handler is None:
            from outpour.handlers import route  # imported here: handlers sit above testing's needs at import time

            route_handler = route("/", http_method=http_method, **self.handler_kwargs)(_placeholder)
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": http_version or "1.1",
            "method": http_method,
            "scheme": self.scheme,
            "server": (self.server, self.port),
            "client": (self.server, self.port),
            "root_path": self.root_path,
            "path": path,
            "raw_path": quote(path).encode("ascii"),
            "query_string": urlencode(query_params or {}, doseq=True).encode("ascii"),
            "headers": [],
            "app": self.app,
            "route_handler": route_handler,
            "state": dict(state or {}),
            "path_params": dict(path_params or {}),
        }
        for key, value in (("session", session), ("user", user), ("auth", auth)):
            if value is not None:
                scope[key] = value
        return scope

    @staticmethod
    def _headers(
        headers: Mapping[str, str] | None, cookies: Sequence[Cookie] | str | None
    ) -> list[tuple[bytes, bytes]]:
        """Encode ``headers`` plus a ``cookie`` header for ``cookies``."""
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()]
        if cookies:
            text = cookies if isinstance(cookies, str) else "; ".join(f"{c.key}={c.value or ''}" for c in cookies)
            raw.append((b"cookie", text.encode("latin-1")))
        return raw

    def _make(
        self,
        http_method: str,
        path: str,
        headers: Mapping[str, str] | None,
        cookies: Sequence[Cookie] | str | None,
        session: dict[str, Any] | None,
        user: Any,
        auth: Any,
        query_params: Mapping[str, str | Sequence[str]] | None,
        state: dict[str, Any] | None,
        path_params: dict[str, str] | None,
        http_version: str | None,
        route_handler: Any,
        *,
        media_type: RequestEncodingType = RequestEncodingType.JSON,
        data: Any = None,
        files: Any = None,
    ) -> Request[Any, Any, Any]:
        from outpour.connection import Request  # imported here: connection objects are only needed once called

        scope = self._scope(
            path, http_method, session, user, auth, query_params, state, path_params, http_version, route_handler
        )
        raw_headers = self._headers(headers, cookies)
        body = b""
        if data is not None or files:
            body, content_type = _encode_body(RequestEncodingType(media_type), data, files)
            names = {name for name, _ in raw_headers}
            if b"content-type" not in names:
                raw_headers.append((b"content-type", content_type.encode("latin-1")))
            if b"content-length" not in names:
                raw_headers.append((b"content-length", str(len(body)).encode("ascii")))
        scope["headers"] = raw_headers
        messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        return Request(scope, receive)

    def get(
        self,
        path: str = "/",
        headers: dict[str, str] | None = None,
        cookies: list[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        query_params: dict[str, str | list[str]] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
    ) -> Request[Any, Any, Any]:
        """Make a ``GET`` request.

        Args:
            path: The request path.
            headers: Request headers.
            cookies: Cookies, as :class:`~outpour.datastructures.Cookie` objects or a ``cookie`` header value.
            session: ``scope["session"]``.
            user: ``scope["user"]``.
            auth: ``scope["auth"]``.
            query_params: Query parameters; a list value repeats the key.
            state: ``scope["state"]``.
            path_params: ``scope["path_params"]``.
            http_version: The HTTP version.
            route_handler: The handler in ``scope["route_handler"]``; when ``None`` one is made (path ``/``, this method).

        Returns:
            The request.
        """
        return self._make(
            "GET", path, headers, cookies, session, user, auth, query_params, state, path_params, http_version,
            route_handler,
        )  # fmt: skip

    def delete(
        self,
        path: str = "/",
        headers: dict[str, str] | None = None,
        cookies: list[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        query_params: dict[str, str | list[str]] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
    ) -> Request[Any, Any, Any]:
        """Make a ``DELETE`` request; the arguments are those of :meth:`get`.

        Args:
            path: The request path.
            headers: Request headers.
            cookies: Cookies, as :class:`~outpour.datastructures.Cookie` objects or a ``cookie`` header value.
            session: ``scope["session"]``.
            user: ``scope["user"]``.
            auth: ``scope["auth"]``.
            query_params: Query parameters; a list value repeats the key.
            state: ``scope["state"]``.
            path_params: ``scope["path_params"]``.
            http_version: The HTTP version.
            route_handler: The handler in ``scope["route_handler"]``; when ``None`` one is made (path ``/``, this method).

        Returns:
            The request.
        """
        return self._make(
            "DELETE", path, headers, cookies, session, user, auth, query_params, state, path_params, http_version,
            route_handler,
        )  # fmt: skip

    def _with_data(
        self,
        http_method: str,
        path: str,
        headers: dict[str, str] | None,
        cookies: list[Cookie] | str | None,
        session: dict[str, Any] | None,
        user: Any,
        auth: Any,
        request_media_type: RequestEncodingType,
        data: Any,
        files: Any,
        query_params: dict[str, str | list[str]] | None,
        state: dict[str, Any] | None,
        path_params: dict[str, str] | None,
        http_version: str | None,
        route_handler: Any,
    ) -> Request[Any, Any, Any]:
        return self._make(
            http_method, path, headers, cookies, session, user, auth, query_params, state, path_params, http_version,
            route_handler, media_type=request_media_type, data=data, files=files,
        )  # fmt: skip

    def post(
        self,
        path: str = "/",
        headers: dict[str, str] | None = None,
        cookies: list[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        request_media_type: RequestEncodingType = RequestEncodingType.JSON,
        data: Any = None,
        query_params: dict[str, str | list[str]] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
        files: Any = None,
    ) -> Request[Any, Any, Any]:
        """Make a ``POST`` request with ``data`` encoded as ``request_media_type``.

        Args:
            path: The request path.
            headers: Request headers.
            cookies: Cookies, as :class:`~outpour.datastructures.Cookie` objects or a ``cookie`` header value.
            session: ``scope["session"]``.
            user: ``scope["user"]``.
            auth: ``scope["auth"]``.
            request_media_type: How to encode ``data``: JSON, MessagePack, URL-encoded or multipart form.
            data: The body content (a mapping, dataclass, struct or model); ``None`` sends no body.
            query_params: Query parameters; a list value repeats the key.
            state: ``scope["state"]``.
            path_params: ``scope["path_params"]``.
            http_version: The HTTP version.
            route_handler: The handler in ``scope["route_handler"]``; when ``None`` one is made (path ``/``, this method).
            files: Files of a multipart body, in any form ``httpx`` accepts.

        Returns:
            The request.
        """
        return self._with_data(
            "POST", path, headers, cookies, session, user, auth, request_media_type, data, files, query_params, state,
            path_params, http_version, route_handler,
        )  # fmt: skip

    def put(
        self,
        path: str = "/",
        headers: dict[str, str] | None = None,
        cookies: list[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        request_media_type: RequestEncodingType = RequestEncodingType.JSON,
        data: Any = None,
        query_params: dict[str, str | list[str]] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
        files: Any = None,
    ) -> Request[Any, Any, Any]:
        """Make a ``PUT`` request; the arguments are those of :meth:`post`.

        Args:
            path: The request path.
            headers: Request headers.
            cookies: Cookies, as :class:`~outpour.datastructures.Cookie` objects or a ``cookie`` header value.
            session: ``scope["session"]``.
            user: ``scope["user"]``.
            auth: ``scope["auth"]``.
            request_media_type: How to encode ``data``.
            data: The body content; ``None`` sends no body.
            query_params: Query parameters; a list value repeats the key.
            state: ``scope["state"]``.
            path_params: ``scope["path_params"]``.
            http_version: The HTTP version.
            route_handler: The handler in ``scope["route_handler"]``; when ``None`` one is made (path ``/``, this method).
            files: Files of a multipart body.

        Returns:
            The request.
        """
        return self._with_data(
            "PUT", path, headers, cookies, session, user, auth, request_media_type, data, files, query_params, state,
            path_params, http_version, route_handler,
        )  # fmt: skip

    def patch(
        self,
        path: str = "/",
        headers: dict[str, str] | None = None,
        cookies: list[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        request_media_type: RequestEncodingType = RequestEncodingType.JSON,
        data: Any = None,
        query_params: dict[str, str | list[str]] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
        files: Any = None,
    ) -> Request[Any, Any, Any]:
        """Make a ``PATCH`` request; the arguments are those of :meth:`post`.

        Args:
            path: The request path.
            headers: Request headers.
            cookies: Cookies, as :class:`~outpour.datastructures.Cookie` objects or a ``cookie`` header value.
            session: ``scope["session"]``.
            user: ``scope["user"]``.
            auth: ``scope["auth"]``.
            request_media_type: How to encode ``data``.
            data: The body content; ``None`` sends no body.
            query_params: Query parameters; a list value repeats the key.
            state: ``scope["state"]``.
            path_params: ``scope["path_params"]``.
            http_version: The HTTP version.
            route_handler: The handler in ``scope["route_handler"]``; when ``None`` one is made (path ``/``, this method).
            files: Files of a multipart body.

        Returns:
            The request.
        """
        return self._with_data(
            "PATCH", path, headers, cookies, session, user, auth, request_media_type, data, files, query_params, state,
            path_params, http_version, route_handler,
        )  # fmt: skip
