"""Layered response options: headers, cookies, Cache-Control and ETag declared on the app, a router and a handler.

Every handler under ``/layers`` gets the router's header and cookie; the closest layer wins when two layers declare
the same name. The cookie ``demo-layer`` is not ``HttpOnly``, so the page's script can read it.

``/layers/headers`` carries a static ``ETag``: a request whose ``If-None-Match`` matches it (a browser revalidating
its cached copy on reload, or the page's second ``fetch``) is answered ``304 Not Modified`` without a body.
"""

from __future__ import annotations

from examples.demo._catalog import Example, page
from outpour import MediaType, Router, get
from outpour.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader

__all__ = ["APP_COOKIES", "APP_HEADERS", "EXAMPLES", "ROUTES"]

# Given to the app (app.py): the top layer.
APP_HEADERS = [ResponseHeader(name="X-Demo-App", value="app layer")]
APP_COOKIES = [Cookie(key="demo-app", value="app", httponly=True)]

SCRIPT = """
<script>
  document.querySelector('#cookies').textContent = document.cookie || '(none)';
  fetch('/layers/headers').then(r => {
    const shown = ['x-demo-app', 'x-demo-router', 'x-demo-handler', 'cache-control', 'etag'];
    document.querySelector('#headers').textContent =
      shown.map(name => name + ': ' + r.headers.get(name)).join('\\n');
    // What a reload sends: the ETag back in If-None-Match. An explicit If-None-Match bypasses the browser's cache,
    // so the script sees the server's 304 itself.
    return fetch('/layers/headers', {headers: {'If-None-Match': r.headers.get('etag')}});
  }).then(r => {
    document.querySelector('#revalidated').textContent = r.status + ' ' + (r.statusText || 'Not Modified');
  });
</script>
"""


@get("/page", media_type=MediaType.HTML, cache_control=CacheControlHeader(no_store=True))
async def layers_page() -> str:
    body = (
        "<h1>Layered headers and cookies</h1>"
        "<p><code>document.cookie</code> (the router's <code>demo-layer</code> cookie; the app's cookie is HttpOnly "
        "and hidden from scripts):</p><pre id='cookies'></pre>"
        "<p>Headers of <a href='/layers/headers'>/layers/headers</a>, read with <code>fetch</code>:</p>"
        "<pre id='headers'></pre>"
        "<p>The same request again with <code>If-None-Match</code> set to that ETag, as a reload sends it:</p>"
        "<pre id='revalidated'></pre><p><a href='/'>back</a></p>"
    )
    return page("layers", body + SCRIPT)


@get(
    "/headers",
    response_headers=[ResponseHeader(name="X-Demo-Handler", value="handler layer")],
    etag=ETag(value="demo-v1"),
)
async def layered_headers() -> dict[str, str]:
    return {"look at": "the response headers: one per layer, Cache-Control from the router, an ETag"}


@get("/override", response_cookies=[Cookie(key="demo-layer", value="handler", httponly=False)])
async def overridden_cookie() -> dict[str, str]:
    return {"demo-layer": "the handler's cookie replaces the router's"}


router = Router(
    "/layers",
    route_handlers=[layers_page, layered_headers, overridden_cookie],
    response_headers=[ResponseHeader(name="X-Demo-Router", value="router layer")],
    response_cookies=[Cookie(key="demo-layer", value="router", httponly=False)],
    cache_control=CacheControlHeader(max_age=60, public=True),
)

ROUTES = [router]

EXAMPLES = [
    Example("layered cookies", "/layers/page", "The router's cookie, read by the page's script via document.cookie."),
    Example("layered headers", "/layers/headers", "X-Demo-App / -Router / -Handler, Cache-Control max-age=60, ETag."),
    Example(
        "ETag 304",
        "/layers/headers",
        "Reload it: the browser sends If-None-Match with the ETag, and the answer is 304 Not Modified "
        "(network panel; curl -i -H 'If-None-Match: \"demo-v1\"').",
        element_id="etag",
    ),
    Example("cookie override", "/layers/override", "The handler redeclares demo-layer: its value wins."),
]
