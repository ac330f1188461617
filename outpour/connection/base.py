"""``ASGIConnection``: what HTTP requests and WebSocket connections share, every part computed on first access."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Generic, cast

import msgspec
from typing_extensions import TypeVar

from outpour.datastructures.headers import Headers
from outpour.datastructures.multi_dicts import MultiDict
from outpour.datastructures.state import State
from outpour.datastructures.url import URL, Address, parse_query_string
from outpour.exceptions import ImproperlyConfiguredException
from outpour.serialization import default_serializer
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour.types import Message, Receive, Scope, Send

__all__ = ["ASGIConnection", "empty_receive", "empty_send", "parse_cookie_header"]

HandlerT = TypeVar("HandlerT", default=Any)
UserT = TypeVar("UserT", default=Any)
AuthT = TypeVar("AuthT", default=Any)
StateT = TypeVar("StateT", bound=State, default=State)

_COOKIE_ESCAPE_RE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))", re.DOTALL)


async def empty_receive() -> Message:
    """An ASGI ``receive`` for a connection that has nothing more to read: it reports a disconnect.

    Returns:
        An ``http.disconnect`` message.
    """
    return {"type": "http.disconnect"}


async def empty_send(message: Message) -> None:
    """An ASGI ``send`` that drops every message.

    Args:
        message: The message, ignored.
    """


def _unescape(match: re.Match[str]) -> str:
    octal = match.group(1)
    return chr(int(octal, 8)) if octal else match.group(2)


def parse_cookie_header(value: str, cookies: dict[str, str] | None = None) -> dict[str, str]:
    r"""Parse the value of a ``Cookie`` request header into a dict of cookie names to values.

    Pairs are separated by ``;``; whitespace around names and values is dropped. A double-quoted value is unquoted,
    and its backslash escapes (``\"``, ``\\`` and ``http.cookies``-style octal ``\073``) decoded, the way
    ``Cookie`` renders values. Values are not percent-decoded. A pair without ``=`` or with an empty name is skipped,
    and the first of repeated names wins (RFC 6265 section 5.4 sends the most specific cookie first). Parsing never
    raises.

    Args:
        value: The header's value.
        cookies: A dict to add the cookies to (names already in it are kept); a new one when ``None``.

    Returns:
        The cookies.
    """
    if cookies is None:
        cookies = {}
    for chunk in value.split(";"):
        name, separator, cookie_value = chunk.partition("=")
        if not separator:
            continue
        name = name.strip(" \t")
        if not name or name in cookies:
            continue
        cookie_value = cookie_value.strip(" \t")
        if len(cookie_value) >= 2 and cookie_value[0] == '"' and cookie_value[-1] == '"':
            cookie_value = cookie_value[1:-1]
            if "\\" in cookie_value:
                cookie_value = _COOKIE_ESCAPE_RE.sub(_unescape, cookie_value)
        cookies[name] = cookie_value
    return cookies


def _session_dict(value: Any) -> dict[str, Any]:
    """The fields of a Struct, dataclass, attrs class or pydantic model given as session data, as a dict."""
    data = msgspec.to_builtins(value, enc_hook=default_serializer)
    if not isinstance(data, dict):
        raise ValueError(
            f"Session data must be a dict or an object with fields (a Struct, dataclass or model), not "
            f"`{type(value).__name__}`: wrap the value in a dict, such as `{{'value': ...}}`."
        )
    return data


class ASGIConnection(Generic[HandlerT, UserT, AuthT, StateT]):
    """The parts of an ASGI connection shared by HTTP requests and WebSockets.

    Nothing is parsed when the connection is built: each property computes its value on first access and keeps it.

    Args:
        scope: The ASGI connection scope.
        receive: The ASGI ``receive`` callable; by default one that reports a disconnect.
        send: The ASGI ``send`` callable; by default one that drops every message.
    """

    __slots__ = (
        "_base_url",
        "_client",
        "_cookies",
        "_headers",
        "_query_params",
        "_url",
        "receive",
        "scope",
        "send",
    )

    def __init__(self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self._headers: Headers | None = None
        self._cookies: dict[str, str] | None = None
        self._query_params: MultiDict[str] | None = None
        self._url: URL | None = None
        self._base_url: URL | None = None
        self._client: Address | bool | None = False

    @property
    def app(self) -> Any:
        """The application serving the connection (``scope["app"]``)."""
        return self.scope["app"]

    @property
    def route_handler(self) -> HandlerT:
        """The route handler serving the connection (``scope["route_handler"]``)."""
        return cast("HandlerT", self.scope["route_handler"])

    @property
    def headers(self) -> Headers:
        """The request headers: immutable, case-insensitive, multi-valued, decoded on first read."""
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers.from_scope(self.scope)
        return headers

    @property
    def cookies(self) -> dict[str, str]:
        """The request cookies, from every ``Cookie`` header; see ``parse_cookie_header``.

        Header bytes are decoded as UTF-8, or as latin-1 when they are not valid UTF-8; malformed pairs are skipped.
        """
        cookies = self._cookies
        if cookies is None:
            cookies = {}
            for name, value in self.scope.get("headers") or ():
                if name == b"cookie":
                    try:
                        text = value.decode("utf-8")
                    except UnicodeDecodeError:
                        text = value.decode("latin-1")
                    parse_cookie_header(text, cookies)
            self._cookies = cookies
        return cookies

    @property
    def query_params(self) -> MultiDict[str]:
        """The query parameters, parsed from ``scope["query_string"]``.

        Parsing never fails: malformed percent escapes are kept as they are and bytes that are not UTF-8 become U+FFFD
        (the replacement character); see ``outpour.datastructures.url.parse_query_string``.
        """
        params = self._query_params
        if params is None:
            params = self._query_params = MultiDict._from_pairs(
                parse_query_string(self.scope.get("query_string") or b"")
            )
        return params

    @property
    def path_params(self) -> dict[str, Any]:
        """The path parameters, converted to their declared types (``scope["path_params"]``)."""
        return cast("dict[str, Any]", self.scope.get("path_params", {}))

    @property
    def url(self) -> URL:
        """The full URL of the request, rebuilt by ``URL.from_scope``."""
        url = self._url
        if url is None:
            url = self._url = URL.from_scope(self.scope)
        return url

    @property
    def base_url(self) -> URL:
        """The URL of the application's root: scheme, host and ``root_path``, always ending with ``/``."""
        base_url = self._base_url
        if base_url is None:
            scope = self.scope
            root_path: str = scope.get("root_path", "")
            if not root_path.endswith("/"):
                root_path += "/"
            base_url = self._base_url = URL.from_scope(
                {
                    "scheme": scope.get("scheme"),
                    "server": scope.get("server"),
                    "headers": scope.get("headers"),
                    "root_path": root_path,
                    "path": "",
                }
            )
        return base_url

    @property
    def client(self) -> Address | None:
        """The client's address (``scope["client"]``), or ``None`` when the server does not know it."""
        client = self._client
        if client is False:
            raw = self.scope.get("client")
            client = self._client = Address(str(raw[0]), int(raw[1] or 0)) if raw else None
        return cast("Address | None", client)

    @property
    def state(self) -> StateT:
        """The connection's state, a ``State`` over ``scope["state"]`` (created empty when absent)."""
        return cast("StateT", State(self.scope.setdefault("state", {})))

    @property
    def user(self) -> UserT:
        """The authenticated user, set in ``scope["user"]`` by an authentication middleware.

        Raises:
            ImproperlyConfiguredException: When no middleware set it.
        """
        try:
            return cast("UserT", self.scope["user"])
        except KeyError:
            raise ImproperlyConfiguredException(
                "`user` is not set in scope; install an authentication middleware that sets `scope['user']`."
            ) from None

    @property
    def auth(self) -> AuthT:
        """The authentication data (a token, for example), set in ``scope["auth"]`` by an authentication middleware.

        Raises:
            ImproperlyConfiguredException: When no middleware set it.
        """
        try:
            return cast("AuthT", self.scope["auth"])
        except KeyError:
            raise ImproperlyConfiguredException(
                "`auth` is not set in scope; install an authentication middleware that sets `scope['auth']`."
            ) from None

    @property
    def session(self) -> dict[str, Any]:
        """The session data, set in ``scope["session"]`` by a session middleware (empty once cleared).

        Changes made to the returned dict are saved with the response.

        Raises:
            ImproperlyConfiguredException: When no middleware set it.
        """
        try:
            session = self.scope["session"]
        except KeyError:
            raise ImproperlyConfiguredException(
                "`session` is not set in scope; install a session middleware (`CookieBackendConfig(...).middleware` "
                "or `ServerSideSessionConfig().middleware`) that sets `scope['session']`."
            ) from None
        if isinstance(session, dict) or session is None:  # `None`: as a middleware of your own set it
            return cast("dict[str, Any]", session)
        # Cleared (`Empty`), or an object with fields that a middleware put there.
        data: dict[str, Any] = {} if session is Empty else _session_dict(session)
        self.scope["session"] = data
        return data

    def set_session(self, value: dict[str, Any] | Any) -> None:
        """Replace the session data; it is saved with the response.

        Args:
            value: A dict, or a msgspec Struct, dataclass, attrs class or pydantic model (saved as its fields);
                ``Empty`` clears the session, as ``clear_session()`` does.

        Raises:
            ImproperlyConfiguredException: No session middleware serves the route.
            ValueError: The session middleware refuses the data (client-side sessions: too large for the cookies).
        """
        if value is Empty:  # as `clear_session()`
            self.scope["session"] = Empty
            return
        data = value if isinstance(value, dict) else _session_dict(value)
        check = self.scope.get("_outpour_session_check")
        if check is None and "session" not in self.scope:
            raise ImproperlyConfiguredException(
                "`set_session` needs a session middleware: add `CookieBackendConfig(...).middleware` or "
                "`ServerSideSessionConfig().middleware` to the app's `middleware`."
            )
        if check is not None:
            check(data)
        self.scope["session"] = data

    def clear_session(self) -> None:
        """Empty the session: the response deletes its cookie (and its stored data, for server-side sessions)."""
        self.scope["session"] = Empty

    def get_session_id(self) -> str | None:
        """The id of the server-side session (``None`` with client-side sessions, or without a session middleware).

        A new server-side session gets its id here, the one its cookie will hold.
        """
        session_id = self.scope.get("_outpour_session_id")
        if session_id is None and (make_id := self.scope.get("_outpour_session_id_maker")) is not None:
            session_id = make_id(self)
        return cast("str | None", session_id)

    def url_for(self, name: str, **path_parameters: Any) -> str:
        """Build the absolute URL of the route handler named ``name``.

        Args:
            name: The handler's name.
            **path_parameters: Values of the route's path parameters.

        Returns:
            The absolute URL: ``base_url`` joined with the path from ``app.route_reverse``.

        Raises:
            NoRouteMatchFoundException: When no handler has that name, or none of its paths takes these parameters.
        """
        path: str = self.app.route_reverse(name, **path_parameters)
        base_url = self.base_url
        return str(base_url.with_replacements(path=base_url.path.rstrip("/") + "/" + path.lstrip("/")))
