"""``CORSMiddleware``: answers CORS preflight requests and adds the CORS headers to responses.

The app wraps every route with it (and its 404, 405 and other error answers) when given a ``cors_config``, so a
preflight is answered before the route's handler and before the automatic ``OPTIONS`` answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from outpour.middleware._headers import add_vary, first_header

if TYPE_CHECKING:
    from outpour.config.cors import CORSConfig
    from outpour.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CORSMiddleware"]


def _latin1(value: bytes) -> str:
    return value.decode("latin-1")


class CORSMiddleware:
    """Answer preflight requests and add CORS headers to the responses of cross-origin requests.

    Args:
        app: The next ASGI app.
        config: The CORS configuration.
    """

    __slots__ = ("_preflight_headers", "_simple", "_vary_always", "app", "config")

    def __init__(self, app: ASGIApp, config: CORSConfig) -> None:
        self.app = app
        self.config = config
        self._simple = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in config.simple_headers.items()
        ]
        self._preflight_headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in config.preflight_headers.items()
        ]
        # Without credentials, "allow any origin" answers `*` whatever the origin: nothing varies with it.
        self._vary_always = not (config.is_allow_all_origins and not config.allow_credentials)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a preflight request, or call the next app with the CORS headers added to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        origin = first_header(headers, b"origin")
        if origin is not None and scope["method"] == "OPTIONS":
            requested = first_header(headers, b"access-control-request-method")
            if requested is not None:
                await self._preflight(_latin1(origin), _latin1(requested), headers, send)
                return
        if origin is None and not self._vary_always:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._send_with_headers(send, origin))

    def _send_with_headers(self, send: Send, origin: bytes | None) -> Send:
        added: list[tuple[bytes, bytes]] = []
        if origin is not None and self.config.is_origin_allowed(_latin1(origin)):
            config = self.config
            echo = config.allow_credentials or not config.is_allow_all_origins
            added = [(b"access-control-allow-origin", origin if echo else b"*"), *self._simple]
        vary = self._vary_always

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if not (added and name.lower() == b"access-control-allow-origin")
                ]
                response_headers.extend(added)
                if vary:
                    response_headers = add_vary(response_headers, b"Origin")
                message["headers"] = response_headers
            await send(message)

        return cors_send

    async def _preflight(self, origin: str, method: str, headers: list[tuple[bytes, bytes]], send: Send) -> None:
        config = self.config
        requested_headers = first_header(headers, b"access-control-request-headers")
        problems: list[str] = []
        if not config.is_origin_allowed(origin):
            problems.append(f"origin `{origin[:100]}`")
        if not config.is_method_allowed(method):
            problems.append(f"method `{method[:40]}`")
        if requested_headers is not None and not config.are_headers_allowed(_latin1(requested_headers)):
            problems.append(f"headers `{_latin1(requested_headers)[:200]}`")
        answer: list[tuple[bytes, bytes]] = [(b"vary", b"Origin")] if self._vary_always else []
        if problems:
            body = f"Disallowed CORS {', '.join(problems)}: the app's `cors_config` does not allow them.".encode()
            answer += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 400, "headers": answer})
            await send({"type": "http.response.body", "body": body})
            return
        echo = config.allow_credentials or not config.is_allow_all_origins
        answer.append((b"access-control-allow-origin", origin.encode("latin-1") if echo else b"*"))
        answer += self._preflight_headers
        if config.is_allow_all_methods:
            answer.append((b"access-control-allow-methods", method.encode("latin-1")))
        if config.is_allow_all_headers and requested_headers:
            answer.append((b"access-control-allow-headers", requested_headers))
        await send({"type": "http.response.start", "status": 204, "headers": answer})
        await send({"type": "http.response.body", "body": b""})
