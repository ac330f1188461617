"""Pages rendering the OpenAPI document: Scalar, Swagger UI, ReDoc, RapiDoc and Stoplight Elements; JSON and YAML.

Each page loads its JavaScript (and CSS) from the app itself by default: outpour ships the published build of each
one, with its license, in ``outpour/openapi/static/`` (``BUNDLED_VERSIONS`` lists their versions), and serves them at
``<OpenAPIConfig.path>/_assets/<plugin name>/<file name>``, so the pages render without internet access. Another
``version`` loads that version from a CDN (jsDelivr). Give ``js_url``/``css_url`` (and Swagger UI's
``standalone_preset_js_url``) a URL (a ``str``) to load them from elsewhere, or a ``pathlib.Path`` to another local
file, which the app then serves the same way::

    SwaggerRenderPlugin(
        js_url=Path("static/swagger-ui-bundle.js"),
        css_url=Path("static/swagger-ui.css"),
        standalone_preset_js_url=Path("static/swagger-ui-standalone-preset.js"),
    )

A missing file is an ``ImproperlyConfiguredException`` when the app is created.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outpour.enums import MediaType, OpenAPIMediaType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.handlers import get

if TYPE_CHECKING:
    from outpour.connection import Request
    from outpour.router import Router

__all__ = [
    "JsonRenderPlugin",
    "OpenAPIRenderPlugin",
    "RapidocRenderPlugin",
    "RedocRenderPlugin",
    "ScalarRenderPlugin",
    "StoplightRenderPlugin",
    "SwaggerRenderPlugin",
    "YamlRenderPlugin",
]

OPENAPI_JSON_HANDLER_NAME = "outpour.openapi.json"
SWAGGER_OAUTH2_REDIRECT_PATH = "/oauth2-redirect.html"
ASSETS_PREFIX = "/_assets"
STATIC_DIRECTORY = Path(__file__).parent / "static"
BUNDLED_VERSIONS = {
    "scalar": "1.46.4",
    "swagger": "5.36.0",
    "redoc": "2.5.4",
    "rapidoc": "9.3.8",
    "elements": "9.0.25",
}
"""The npm version of each page's build that outpour ships, by plugin name (see ``static/README.md``)."""
_DEFAULT_FAVICON = "<link rel='icon' href='data:,'>"
_DEFAULT_STYLE = "<style>body { margin: 0; padding: 0 }</style>"


def _paths(path: str | Sequence[str]) -> list[str]:
    return [path] if isinstance(path, str) else list(path)


def _bundled(name: str, version: str, filename: str) -> Path | None:
    """The shipped copy of a page's ``filename``, or None when another ``version`` than the shipped one is asked for."""
    return STATIC_DIRECTORY / name / filename if version == BUNDLED_VERSIONS[name] else None


_digests: dict[tuple[str, int, int], str] = {}


def asset_digest(path: Path) -> str:
    """Return a digest of the file's content, computed once per version of the file (its size and mtime).

    It versions the asset's URL (``?v=<digest>``) and is its ``ETag``, so browsers may keep the file for a year.

    Args:
        path: A local asset.

    Returns:
        The first 16 hex digits of the file's SHA-256.
    """
    stat = path.stat()
    key = (os.fspath(path), stat.st_size, stat.st_mtime_ns)
    digest = _digests.get(key)
    if digest is None:
        digest = _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return digest


class OpenAPIRenderPlugin(ABC):
    """A page (or document) serving the OpenAPI schema under ``OpenAPIConfig.path``.

    Args:
        path: The path(s) of the page, relative to the schema path (``/swagger`` is ``/schema/swagger``).
        media_type: The Content-Type of the page.
        favicon: The ``<link>`` tag of the favicon.
        style: A ``<style>`` tag for the page body.
    """

    name = "plugin"

    def __init__(
        self,
        *,
        path: str | Sequence[str],
        media_type: MediaType | OpenAPIMediaType | str = MediaType.HTML,
        favicon: str = _DEFAULT_FAVICON,
        style: str = _DEFAULT_STYLE,
    ) -> None:
        self.paths = _paths(path)
        self.media_type = media_type
        self.favicon = favicon
        self.style = style

    def has_path(self, path: str) -> bool:
        """Tell whether the page is served at ``path`` (relative to ``OpenAPIConfig.path``).

        Args:
            path: A path such as ``/swagger``.

        Returns:
            Whether it is one of the page's paths.
        """
        return path in self.paths

    def receive_router(self, router: Router) -> None:  # noqa: B027 - an optional hook, doing nothing by default
        """Receive the router serving the OpenAPI document and pages, once, when the app is created.

        Override it to register more routes next to the page (``router.register(handler)``); by default it does
        nothing.

        Args:
            router: The router at ``OpenAPIConfig.path``.
        """

    def local_assets(self) -> dict[str, Path]:
        """The local files this page loads (assets given as a ``Path``), by their key under ``/_assets/``.

        Returns:
            ``{"<plugin>/<file name>": path}``.

        Raises:
            ImproperlyConfiguredException: A file does not exist, or two files have the same name.
        """
        assets: dict[str, Path] = {}
        for attribute, value in vars(self).items():
            if not isinstance(value, Path):
                continue
            if not value.is_file():
                raise ImproperlyConfiguredException(
                    f"`{type(self).__name__}({attribute}=...)` is the local file `{value}`, which does not exist: "
                    "give the path of the downloaded file, or a URL (a `str`) to load it from."
                )
            key = f"{self.name}/{value.name}"
            if key in assets and assets[key] != value:
                raise ImproperlyConfiguredException(
                    f"`{type(self).__name__}` serves two local files named `{value.name}` (`{assets[key]}` and "
                    f"`{value}`); files are served by name, so rename one of them."
                )
            assets[key] = value
        return assets

    def asset_url(self, request: Request[Any, Any, Any], url: str | Path) -> str:
        """Return the URL of an asset: ``url`` itself, or where a local file given as a ``Path`` is served.

        A local file's URL carries a digest of its content (``?v=...``): a changed file gets a new URL.

        Args:
            request: The request for the page.
            url: A URL, or a path to a local file.

        Returns:
            The URL.
        """
        if not isinstance(url, Path):
            return url
        key = f"{self.name}/{url.name}"
        base = self.get_openapi_json_route(request).rsplit("/", 1)[0]
        return f"{base}{ASSETS_PREFIX}/{key}?v={asset_digest(url)}"

    @staticmethod
    def get_openapi_json_route(request: Request[Any, Any, Any]) -> str:
        """Return the URL path of ``openapi.json``, including the mount's ``root_path``.

        Args:
            request: The request for the page.

        Returns:
            The URL path.
        """
        root_path: str = request.scope.get("root_path", "") or ""
        return root_path.rstrip("/") + str(request.app.route_reverse(OPENAPI_JSON_HANDLER_NAME))

    @staticmethod
    def render_json(request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the document as JSON.

        Args:
            request: The request.
            openapi_schema: The document.

        Returns:
            The JSON bytes.
        """
        from outpour.serialization import encode_json

        return encode_json(openapi_schema)

    def title(self, openapi_schema: Mapping[str, Any]) -> str:
        """Return the HTML-escaped title of the document.

        Args:
            openapi_schema: The document.

        Returns:
            The title.
        """
        info: Mapping[str, Any] = openapi_schema.get("info", {})
        return html.escape(str(info.get("title", "API")))

    @abstractmethod
    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """

    def page(self, openapi_schema: Mapping[str, Any], head: str, body: str) -> bytes:
        """Assemble an HTML page.

        Args:
            openapi_schema: The document (for the title).
            head: Extra ``<head>`` content.
            body: The ``<body>`` content.

        Returns:
            The page as UTF-8 bytes.
        """
        return (
            "<!DOCTYPE html>\n<html>\n<head>\n"
            f"<title>{self.title(openapi_schema)}</title>\n"
            '<meta charset="utf-8"/>\n<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f"{self.favicon}\n{head}\n{self.style}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        ).encode()


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _js(value: Any) -> str:
    # JSON inside <script>: "</" and "<!--" must not appear literally.
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csrf_token_js(request: Request[Any, Any, Any]) -> str | None:
    """Return a JS expression reading the app's CSRF cookie, or ``None`` when the app has none a script may read.

    With a ``csrf_config`` the pages that send requests ("Try it out") copy the token cookie into the header the CSRF
    middleware checks; an ``httponly`` cookie cannot be read, and is then left to the form field.
    """
    config = getattr(request.app, "csrf_config", None)
    if config is None or config.cookie_httponly:
        return None
    prefix = _js(config.cookie_name + "=")
    return (
        f"((c) => c ? decodeURIComponent(c.slice({prefix}.length)) : null)"
        f"(document.cookie.split('; ').find((c) => c.startsWith({prefix})))"
    )


class ScalarRenderPlugin(OpenAPIRenderPlugin):
    """The Scalar API reference page.

    With a local script (the shipped one by default) the page is meant to work without internet access, so unless
    ``options`` says otherwise Scalar uses the browser's fonts (``withDefaultFonts: false``) and its AI agent, which
    calls Scalar's servers, is off (``agent: {disabled: true}``).

    Args:
        version: The ``@scalar/api-reference`` version: the shipped one is served by the app, another one is loaded
            from the CDN.
        js_url: The script's URL, or a ``Path`` to a local copy.
        css_url: An extra stylesheet's URL, or a ``Path`` to a local copy.
        path: The page's path(s).
        options: Scalar configuration options.
        **kwargs: ``favicon``, ``style``.
    """

    name = "scalar"

    def __init__(
        self,
        *,
        version: str = BUNDLED_VERSIONS["scalar"],
        js_url: str | Path | None = None,
        css_url: str | Path | None = None,
        path: str | Sequence[str] = "/scalar",
        options: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, **kwargs)
        self.version = version
        self.js_url: str | Path = (
            js_url
            or _bundled("scalar", version, "standalone.js")
            or f"https://cdn.jsdelivr.net/npm/@scalar/api-reference@{version}"
        )
        self.css_url = css_url
        self.options = dict(options or {})
        if isinstance(self.js_url, Path):
            self.options.setdefault("withDefaultFonts", False)
            self.options.setdefault("agent", {"disabled": True})

    def render_options(self) -> str:
        """Return the Scalar configuration (``options``) as the JSON the page embeds.

        Returns:
            The JSON text.
        """
        return json.dumps(self.options)

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the Scalar page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """
        head = f'<link rel="stylesheet" href="{_attr(self.asset_url(request, self.css_url))}">' if self.css_url else ""
        body = (
            f'<script id="api-reference" data-url="{_attr(self.get_openapi_json_route(request))}" '
            f"data-configuration='{_attr(self.render_options())}'></script>\n"
            f'<script src="{_attr(self.asset_url(request, self.js_url))}" crossorigin></script>'
        )
        return self.page(openapi_schema, head, body)


class SwaggerRenderPlugin(OpenAPIRenderPlugin):
    """The Swagger UI page.

    With a local script (the shipped one by default) the page does not send the document's URL to Swagger's online
    validator for its badge (``validatorUrl: null``).

    Args:
        version: The ``swagger-ui-dist`` version: the shipped one is served by the app, another one is loaded from the
            CDN.
        js_url: The bundle's URL, or a ``Path`` to a local copy.
        css_url: The stylesheet's URL, or a ``Path`` to a local copy.
        standalone_preset_js_url: The standalone preset's URL, or a ``Path`` to a local copy.
        init_oauth: Settings given to Swagger UI's ``initOAuth`` (a mapping, or its JSON as bytes).
        oauth2_redirect_url: Swagger UI's ``oauth2RedirectUrl``.
        path: The page's path(s).
        **kwargs: ``favicon``, ``style``.
    """

    name = "swagger"

    def __init__(
        self,
        version: str = BUNDLED_VERSIONS["swagger"],
        js_url: str | Path | None = None,
        css_url: str | Path | None = None,
        standalone_preset_js_url: str | Path | None = None,
        init_oauth: Mapping[str, Any] | bytes | None = None,
        oauth2_redirect_url: str | None = None,
        path: str | Sequence[str] = "/swagger",
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, **kwargs)
        base = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{version}"
        self.version = version
        self.js_url: str | Path = (
            js_url or _bundled("swagger", version, "swagger-ui-bundle.js") or f"{base}/swagger-ui-bundle.js"
        )
        self.css_url: str | Path = css_url or _bundled("swagger", version, "swagger-ui.css") or f"{base}/swagger-ui.css"
        self.standalone_preset_js_url: str | Path = (
            standalone_preset_js_url
            or _bundled("swagger", version, "swagger-ui-standalone-preset.js")
            or f"{base}/swagger-ui-standalone-preset.js"
        )
        self.init_oauth = json.loads(init_oauth) if isinstance(init_oauth, bytes) else init_oauth
        self.oauth2_redirect_url = oauth2_redirect_url

    def receive_router(self, router: Router) -> None:
        """Serve Swagger UI's OAuth2 redirect page at ``/oauth2-redirect.html``, where Swagger UI sends sign-ins back.

        Args:
            router: The router at ``OpenAPIConfig.path``.
        """

        @get(SWAGGER_OAUTH2_REDIRECT_PATH, media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
        def swagger_oauth2_redirect() -> bytes:
            return self.render_oauth2_redirect()

        router.register(swagger_oauth2_redirect)

    @staticmethod
    def render_oauth2_redirect() -> bytes:
        """Render the page an OAuth2 authorization server redirects to after a sign-in started in Swagger UI.

        The page hands the code (authorization code flow) or the token (implicit flow) from its URL to the Swagger UI
        window that opened it, reports a missing code or an error from the server there, then closes itself.

        Returns:
            The HTML page.
        """
        return _OAUTH2_REDIRECT_PAGE

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the Swagger UI page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """
        head = (
            f'<link rel="stylesheet" href="{_attr(self.asset_url(request, self.css_url))}">\n'
            f'<script src="{_attr(self.asset_url(request, self.js_url))}" crossorigin></script>\n'
            f'<script src="{_attr(self.asset_url(request, self.standalone_preset_js_url))}" crossorigin></script>'
        )
        redirect = f"  oauth2RedirectUrl: {_js(self.oauth2_redirect_url)},\n" if self.oauth2_redirect_url else ""
        if isinstance(self.js_url, Path):
            redirect += "  validatorUrl: null,\n"
        oauth = f"window.ui.initOAuth({_js(dict(self.init_oauth))});\n" if self.init_oauth is not None else ""
        token = _csrf_token_js(request)
        if token is not None:
            header = _js(request.app.csrf_config.header_name)
            redirect += (
                f"  requestInterceptor: (request) => {{\n    const token = {token};\n"
                f"    if (token) {{ request.headers[{header}] = token; }}\n    return request;\n  }},\n"
            )
        body = (
            '<div id="swagger-container"></div>\n<script type="text/javascript">\n'
            "window.ui = SwaggerUIBundle({\n"
            f"  url: {_js(self.get_openapi_json_route(request))},\n"
            "  dom_id: '#swagger-container',\n  deepLinking: true,\n  showExtensions: true,\n"
            f"  showCommonExtensions: true,\n{redirect}"
            "  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],\n"
            f"  layout: 'StandaloneLayout'\n}});\n{oauth}</script>"
        )
        return self.page(openapi_schema, head, body)


class RedocRenderPlugin(OpenAPIRenderPlugin):
    """The ReDoc page.

    Args:
        version: The ``redoc`` version: the shipped one is served by the app, another one is loaded from the CDN.
        js_url: The bundle's URL, or a ``Path`` to a local copy.
        google_fonts: Load the Montserrat and Roboto fonts from Google Fonts; by default only when the script comes
            from a URL (a page with a local script, the shipped one by default, uses the browser's fonts and needs no
            internet access).
        path: The page's path(s).
        **kwargs: ``favicon``, ``style``.
    """

    name = "redoc"

    def __init__(
        self,
        *,
        version: str = BUNDLED_VERSIONS["redoc"],
        js_url: str | Path | None = None,
        google_fonts: bool | None = None,
        path: str | Sequence[str] = "/redoc",
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, **kwargs)
        self.version = version
        self.js_url: str | Path = (
            js_url
            or _bundled("redoc", version, "redoc.standalone.js")
            or f"https://cdn.jsdelivr.net/npm/redoc@{version}/bundles/redoc.standalone.js"
        )
        self.google_fonts = not isinstance(self.js_url, Path) if google_fonts is None else google_fonts

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the ReDoc page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """
        head = (
            '<link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700" '
            'rel="stylesheet">\n'
            if self.google_fonts
            else ""
        )
        head += f'<script src="{_attr(self.asset_url(request, self.js_url))}" crossorigin></script>'
        body = (
            '<div id="redoc-container"></div>\n<script type="text/javascript">\n'
            f"Redoc.init({_js(self.get_openapi_json_route(request))}, {{}}, "
            "document.getElementById('redoc-container'));\n</script>"
        )
        return self.page(openapi_schema, head, body)


class RapidocRenderPlugin(OpenAPIRenderPlugin):
    """The RapiDoc page.

    With a local script (``js_url`` a ``Path``, or the shipped one by default) the page is meant to work without internet access, so RapiDoc does not
    load its web fonts from Google Fonts (``load-fonts="false"``); it uses the browser's fonts.

    Args:
        version: The ``rapidoc`` version: the shipped one is served by the app, another one is loaded from the CDN.
        js_url: The script's URL, or a ``Path`` to a local copy.
        path: The page's path(s).
        **kwargs: ``favicon``, ``style``.
    """

    name = "rapidoc"

    def __init__(
        self,
        version: str = BUNDLED_VERSIONS["rapidoc"],
        js_url: str | Path | None = None,
        path: str | Sequence[str] = "/rapidoc",
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, **kwargs)
        self.version = version
        self.js_url: str | Path = (
            js_url
            or _bundled("rapidoc", version, "rapidoc-min.js")
            or f"https://cdn.jsdelivr.net/npm/rapidoc@{version}/dist/rapidoc-min.js"
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the RapiDoc page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """
        head = f'<script type="module" src="{_attr(self.asset_url(request, self.js_url))}" crossorigin></script>'
        fonts = ' load-fonts="false"' if isinstance(self.js_url, Path) else ""
        token = _csrf_token_js(request)
        element = ' id="rapidoc"' if token is not None else ""
        body = f'<rapi-doc{element} spec-url="{_attr(self.get_openapi_json_route(request))}"{fonts}></rapi-doc>'
        if token is not None:
            header = _js(request.app.csrf_config.header_name)
            body += (
                "\n<script>\ndocument.getElementById('rapidoc').addEventListener('before-try', (e) => {\n"
                f"  const token = {token};\n  if (token) {{ e.detail.request.headers.append({header}, token); }}\n"
                "});\n</script>"
            )
        return self.page(openapi_schema, head, body)


class StoplightRenderPlugin(OpenAPIRenderPlugin):
    """The Stoplight Elements page.

    Args:
        version: The ``@stoplight/elements`` version: the shipped one is served by the app, another one is loaded from
            the CDN.
        js_url: The web components script's URL, or a ``Path`` to a local copy.
        css_url: The stylesheet's URL, or a ``Path`` to a local copy.
        path: The page's path(s).
        **kwargs: ``favicon``, ``style``.
    """

    name = "elements"

    def __init__(
        self,
        *,
        version: str = BUNDLED_VERSIONS["elements"],
        js_url: str | Path | None = None,
        css_url: str | Path | None = None,
        path: str | Sequence[str] = "/elements",
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, **kwargs)
        base = f"https://cdn.jsdelivr.net/npm/@stoplight/elements@{version}"
        self.version = version
        self.js_url: str | Path = (
            js_url or _bundled("elements", version, "web-components.min.js") or f"{base}/web-components.min.js"
        )
        self.css_url: str | Path = (
            css_url or _bundled("elements", version, "styles.min.css") or f"{base}/styles.min.css"
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the Stoplight Elements page.

        Args:
            request: The request for the page.
            openapi_schema: The document.

        Returns:
            The page.
        """
        head = (
            f'<link rel="stylesheet" href="{_attr(self.asset_url(request, self.css_url))}">\n'
            f'<script src="{_attr(self.asset_url(request, self.js_url))}" crossorigin></script>'
        )
        body = (
            f'<elements-api apiDescriptionUrl="{_attr(self.get_openapi_json_route(request))}" router="hash" '
            'layout="sidebar"></elements-api>'
        )
        return self.page(openapi_schema, head, body)


class JsonRenderPlugin(OpenAPIRenderPlugin):
    """The document as JSON (``application/vnd.oai.openapi+json``); served at ``/openapi.json`` anyway.

    Args:
        path: The document's path(s).
        **kwargs: ``favicon``, ``style`` (unused).
    """

    name = "json"

    def __init__(self, path: str | Sequence[str] = "/openapi.json", **kwargs: Any) -> None:
        super().__init__(path=path, media_type=OpenAPIMediaType.OPENAPI_JSON, **kwargs)

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the document as JSON.

        Args:
            request: The request.
            openapi_schema: The document.

        Returns:
            The JSON bytes.
        """
        return self.render_json(request, openapi_schema)


class YamlRenderPlugin(OpenAPIRenderPlugin):
    """The document as YAML (``application/vnd.oai.openapi``); served at ``/openapi.yaml`` anyway.

    Args:
        path: The document's path(s).
        media_type: The Content-Type of the document.
        **kwargs: ``favicon``, ``style`` (unused).
    """

    name = "yaml"

    def __init__(
        self,
        *,
        path: str | Sequence[str] = ("/openapi.yaml", "/openapi.yml"),
        media_type: MediaType | OpenAPIMediaType | str = OpenAPIMediaType.OPENAPI_YAML,
        **kwargs: Any,
    ) -> None:
        super().__init__(path=path, media_type=media_type, **kwargs)

    def render(self, request: Request[Any, Any, Any], openapi_schema: Mapping[str, Any]) -> bytes:
        """Render the document as YAML.

        Args:
            request: The request.
            openapi_schema: The document.

        Returns:
            The YAML bytes.
        """
        from outpour.openapi._yaml import dump_yaml

        return dump_yaml(openapi_schema).encode()


# The sign-in hand-off of Swagger UI: the window that opened this page left its state in
# `window.swaggerUIRedirectOauth2` ({auth, state, callback, errCb, redirectUrl}). The server's answer is in the fragment
# (implicit flow, or `response_mode=fragment`) or in the query (authorization code flow, RFC 6749 section 4.1.2).
_OAUTH2_REDIRECT_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"/><title>OAuth2 sign-in</title></head>
<body>
<p id="status">Completing the sign-in...</p>
<script>
(function () {
  "use strict";
  var handoff = window.opener ? window.opener.swaggerUIRedirectOauth2 : undefined;
  if (!handoff) {
    document.getElementById("status").textContent =
      "This page completes a sign-in started from the API documentation; open it from there.";
    return;
  }
  var query = window.location.hash.length > 1 ? window.location.hash.slice(1) : window.location.search.slice(1);
  var params = {};
  new URLSearchParams(query).forEach(function (value, key) { params[key] = value; });
  var schema = handoff.auth.schema;
  var flow = typeof schema.get === "function" ? schema.get("flow") : schema.flow;
  var stateMatches = params.state === handoff.state;
  var authId = handoff.auth.name;
  if ((flow === "accessCode" || flow === "authorizationCode" || flow === "authorization_code") && !handoff.auth.code) {
    if (!stateMatches) {
      handoff.errCb({authId: authId, source: "auth", level: "warning",
        message: "The state returned by the authorization server is not the one sent: this sign-in may not be yours."});
    }
    if (params.code) {
      delete handoff.state;
      handoff.auth.code = params.code;
      handoff.callback({auth: handoff.auth, redirectUrl: handoff.redirectUrl});
    } else {
      var message = params.error
        ? "[" + params.error + "]: " + (params.error_description || "no description")
          + (params.error_uri ? " (" + params.error_uri + ")" : "")
        : "The authorization server sent neither a code nor an error.";
      handoff.errCb({authId: authId, source: "auth", level: "error", message: message});
    }
  } else {
    handoff.callback({auth: handoff.auth, token: params, isValid: stateMatches, redirectUrl: handoff.redirectUrl});
  }
  window.close();
})();
</script>
</body>
</html>
"""
