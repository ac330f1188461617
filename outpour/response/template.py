"""``Template``: a response rendered from a template by the app's template engine (``Outpour(template_config=...)``)."""

from __future__ import annotations

import html
import mimetypes
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from outpour.enums import MediaType
from outpour.exceptions import ImproperlyConfiguredException, TemplateNotFoundException
from outpour.response._render import body_forbidden, bodyless_content_error, content_type_header, media_type_str
from outpour.response.base import ASGIResponse, Response, merge_cookies

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from outpour.background_tasks import BackgroundTask, BackgroundTasks
    from outpour.connection import Request
    from outpour.datastructures.cookie import Cookie
    from outpour.types import Receive, ResponseCookies, ResponseHeaders, Scope, Send, TypeEncodersMap

__all__ = ["Template"]

_CSRF_INPUT = '<input type="hidden" name="_csrf_token" value="{}" />'
_EMPTY_CSRF_INPUT = _CSRF_INPUT.format("")


@lru_cache(maxsize=512)
def media_type_for_template(template_name: str) -> str | None:
    """Guess a media type from a template name's suffixes: ``page.html.jinja2`` is ``text/html``.

    Args:
        template_name: The template's name.

    Returns:
        The media type of the first suffix that names one, or None.
    """
    for suffix in PurePosixPath(template_name).suffixes:
        guessed, _ = mimetypes.guess_type(f"template{suffix}", strict=False)
        if guessed is not None:
            return guessed
    return None


_CONTENT_TYPES: dict[tuple[Any, Any, str | None, str], bytes] = {}
_CONTENT_TYPES_MAX = 1024


def _explicit_handler_media_type(request: Request[Any, Any, Any] | None) -> MediaType | str | None:
    if request is None:
        return None
    handler = request.scope.get("route_handler")
    return getattr(handler, "media_type", None)


class Template(Response[bytes]):
    """A template rendered with ``context`` (plus ``request``) by the app's template engine.

    The media type is, in order: ``media_type``, the route handler's ``media_type`` when it sets one, a guess from
    the template name's suffixes (``index.html.jinja2`` is ``text/html``); a ``template_name`` none of whose suffixes
    names a media type (``page.jinja``) falls back to ``text/plain``, a ``template_str`` to ``text/html``.

    Args:
        template_name: The template's path-like name, relative to a template directory.
        template_str: The template's source, instead of ``template_name``.
        background: Task(s) to run after the response is sent.
        context: Values available in the template; ``request`` and ``csrf_input`` are added.
        cookies: Cookies to set.
        encoding: The encoding of the rendered text.
        headers: More headers.
        media_type: The Content-Type.
        status_code: The status code; the handler's when not given.

    Raises:
        ImproperlyConfiguredException: Neither or both of ``template_name`` and ``template_str`` were given.
    """

    __slots__ = ("context", "template_name", "template_str")

    def __init__(
        self,
        template_name: str | None = None,
        *,
        template_str: str | None = None,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        context: Mapping[str, Any] | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        if (template_name is None) == (template_str is None):
            raise ImproperlyConfiguredException(
                "`Template` takes either `template_name` (a file in the template directories) or `template_str` "
                f"(the template's source), not {'both' if template_name is not None else 'neither'}."
            )
        super().__init__(
            content=b"",
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        self.template_name = template_name
        self.template_str = template_str
        self.context: dict[str, Any] = dict(context) if context else {}

    def create_template_context(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """Return the context the template renders with: ``context`` plus ``request`` and ``csrf_input``.

        ``csrf_input`` is a hidden ``<input name="_csrf_token">`` form field holding the request's CSRF token (empty
        without CSRF protection); render it unescaped (``{{ csrf_input | safe }}``, ``${csrf_input | n}``).

        Args:
            request: The request being answered.

        Returns:
            The context.
        """
        token = request.scope.get("_csrf_token")
        csrf_input = _CSRF_INPUT.format(html.escape(str(token))) if token else _EMPTY_CSRF_INPUT
        return {**self.context, "request": request, "csrf_input": csrf_input}

    def render_template(self, request: Request[Any, Any, Any]) -> str:
        """Render the template with the app's template engine.

        Args:
            request: The request being answered; its app holds ``template_config``.

        Returns:
            The rendered text.

        Raises:
            ImproperlyConfiguredException: The app has no ``template_config``.
            TemplateNotFoundException: The template does not exist; in debug mode the message lists where it was
                searched.
        """
        app = request.scope.get("app") or request.app
        config = getattr(app, "template_config", None)
        if config is None:
            raise ImproperlyConfiguredException(
                "A `Template` response needs a template engine: pass `template_config=TemplateConfig(directory=..., "
                "engine=JinjaTemplateEngine)` to `Outpour(...)`."
            )
        engine = config.engine_instance
        context = self.create_template_context(request)
        if self.template_str is not None:
            return str(engine.render_string(self.template_str, context))
        try:
            render_by_name = getattr(engine, "render_by_name", None)
            if render_by_name is not None:  # an engine's shortcut, e.g. `JinjaTemplateEngine.render_by_name`
                return str(render_by_name(self.template_name, context))
            return str(engine.get_template(str(self.template_name)).render(**context))
        except TemplateNotFoundException as exc:
            if getattr(app, "debug", False):
                searched = getattr(engine, "search_path", None)
                where = ", ".join(f"`{p}`" for p in searched) if searched else "no template directories"
                exc.detail = f"{exc.detail} Searched: {where}."
            raise

    def resolve_media_type(self, request: Request[Any, Any, Any] | None) -> str:
        """Choose the media type: own, the handler's explicit one, the template name's suffix, or a fallback.

        A named template whose suffixes name no media type is ``text/plain``; a ``template_str`` is ``text/html``.

        Args:
            request: The request being answered.

        Returns:
            The media type.
        """
        chosen = self.media_type or _explicit_handler_media_type(request)
        if chosen is None and self.template_name is not None:
            chosen = media_type_for_template(self.template_name) or MediaType.TEXT
        return media_type_str(chosen or MediaType.HTML)

    def _content_type_header(self, request: Request[Any, Any, Any]) -> bytes:
        """The encoded Content-Type, remembered for each combination of what ``resolve_media_type`` looks at."""
        if type(self).resolve_media_type is not Template.resolve_media_type:  # a subclass decides: ask it each time
            return content_type_header(self.resolve_media_type(request), self.encoding)
        key = (self.media_type, _explicit_handler_media_type(request), self.template_name, self.encoding)
        header = _CONTENT_TYPES.get(key)
        if header is None:
            if len(_CONTENT_TYPES) >= _CONTENT_TYPES_MAX:
                _CONTENT_TYPES.clear()
            header = _CONTENT_TYPES[key] = content_type_header(self.resolve_media_type(request), self.encoding)
        return header

    def to_asgi_response(
        self,
        request: Request[Any, Any, Any] | None,
        *,
        background: BackgroundTask[Any] | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        """Render the template and create the ``ASGIResponse``.

        Args:
            request: The request being answered.
            background: Layered background task(s), used when the response has none.
            cookies: Layered cookies.
            headers: Layered headers.
            is_head_response: Whether the request was a HEAD request.
            media_type: The handler's media type; used only when set on the handler itself.
            status_code: The handler's status code, used when the response has none.
            type_encoders: Unused: templates render to text.

        Returns:
            The low-level response.

        Raises:
            ImproperlyConfiguredException: No request was given, or the status code forbids a body (1xx, 204, 304)
                and the template renders to one.
        """
        if request is None:
            raise ImproperlyConfiguredException("A `Template` response renders with the request; none was given.")
        body = self.render_template(request).encode(self.encoding)
        status = self.status_code or status_code or 200
        if body_forbidden(status):
            if body:
                raise bodyless_content_error(status, body, "A `Template`")
        elif not (self.background or background or self.cookies or cookies or self.headers or headers):
            return _RenderedTemplate(body, self._content_type_header(request), status, is_head_response)
        return ASGIResponse(
            background=self.background or background,
            body=b"" if is_head_response else body,
            content_length=len(body),
            cookies=merge_cookies(self.cookies, cookies),
            encoding=self.encoding,
            headers={**headers, **self.headers} if headers else self.headers,
            is_head_response=is_head_response,
            media_type=self.resolve_media_type(request),
            status_code=status,
        )


class _RenderedTemplate(ASGIResponse):
    """The common case, sent without the general machinery: no cookies, extra headers or background tasks."""

    __slots__ = ()

    def __init__(self, body: bytes, content_type: bytes, status_code: int, is_head_response: bool) -> None:
        self.status_code = status_code
        self.body = b"" if is_head_response else body
        self.background = None
        self.encoding = "utf-8"
        self.is_head_response = is_head_response
        self.media_type = content_type.decode("latin-1")
        self.cookies = []
        self.headers = {}
        self.content_length = len(body)
        self.encoded_headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(body))]

    def encode_headers(self) -> list[tuple[bytes, bytes]]:
        """Return the Content-Type and Content-Length headers.

        Returns:
            The headers.
        """
        return self.encoded_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the rendered template."""
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.encoded_headers})
        await send({"type": "http.response.body", "body": self.body})
