"""The router serving the OpenAPI document and its pages under ``OpenAPIConfig.path``."""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from outpour.enums import MediaType, OpenAPIMediaType
from outpour.exceptions import NotFoundException
from outpour.handlers import get
from outpour.openapi.plugins import ASSETS_PREFIX, OPENAPI_JSON_HANDLER_NAME, asset_digest
from outpour.response.base import Response
from outpour.router import Router

if TYPE_CHECKING:
    from outpour.openapi.config import OpenAPIConfig
    from outpour.openapi.plugins import OpenAPIRenderPlugin
    from outpour.openapi.spec import OpenAPI, Operation

__all__ = ["OpenAPIDocumentCache", "create_openapi_router", "get_openapi_schema"]

_CACHE_ATTRIBUTE = "_openapi_document_cache"
# An asset's URL carries its digest (`?v=`), so a browser may keep it for a year (RFC 9111 section 5.2.2.1; `immutable`
# is RFC 8246); the ETag answers a revalidation with a 304 all the same.
_ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """Tell whether an ``If-None-Match`` value names ``etag`` (weak comparison, RFC 9110 section 13.1.2)."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


class OpenAPIDocumentCache:
    """The document of one app as its routes are now, built on first use; JSON and YAML renderings are kept too.

    Args:
        config: The OpenAPI configuration.
        routes: The app's route list it documents (a new list after the app is rebuilt).
    """

    __slots__ = ("config", "document", "json", "mounted", "operation_classes", "routes", "spec", "yaml")

    def __init__(self, config: OpenAPIConfig, routes: Any) -> None:
        self.config = config
        self.routes = routes
        self.document: dict[str, Any] | None = None
        self.spec: OpenAPI | None = None
        self.json: bytes | None = None
        self.yaml: bytes | None = None
        self.mounted: dict[tuple[str, str], bytes] = {}
        self.operation_classes: dict[tuple[str, str], type[Operation]] = {}

    @classmethod
    def of(cls, app: Any, config: OpenAPIConfig) -> OpenAPIDocumentCache:
        """Return the cache kept on ``app``, replacing it when the app was rebuilt or the config changed.

        Args:
            app: The application.
            config: The OpenAPI configuration.

        Returns:
            The cache.
        """
        cache = getattr(app, _CACHE_ATTRIBUTE, None)
        if not isinstance(cache, cls) or cache.routes is not app.routes or cache.config is not config:
            cache = cls(config, app.routes)
            setattr(app, _CACHE_ATTRIBUTE, cache)
        return cache

    @classmethod
    def renew(cls, app: Any, config: OpenAPIConfig) -> OpenAPIDocumentCache:
        """Replace the cache kept on ``app`` with an empty one: the document is built again on next use.

        Args:
            app: The application.
            config: The OpenAPI configuration.

        Returns:
            The new cache.
        """
        cache = cls(config, app.routes)
        setattr(app, _CACHE_ATTRIBUTE, cache)
        return cache

    def get_spec(self, app: Any) -> OpenAPI:
        """Return the document of ``app`` as an ``OpenAPI`` object, reading it the first time.

        Args:
            app: The application.

        Returns:
            The document object; its ``to_schema()`` is the document as served.
        """
        if self.spec is None:
            from outpour.openapi._spec_reader import read_document

            self.spec = read_document(self.get(app), self.operation_classes)
        return self.spec

    def get(self, app: Any) -> dict[str, Any]:
        """Return the document of ``app``, building it the first time.

        Args:
            app: The application.

        Returns:
            The document.
        """
        if self.document is None:
            from outpour.openapi._generator import build_openapi

            self.operation_classes = {}
            self.document = build_openapi(app, self.config, self.operation_classes)
        return self.document

    def _mounted(self, app: Any, root_path: str, form: str) -> bytes | None:
        """The document served under an ASGI ``root_path``, when the config keeps the default ``servers``.

        An app mounted at ``/api`` documents ``servers: [{"url": "/api"}]``, so that a client built from the document
        calls the app where it is; explicitly configured ``servers`` are served as they are.
        """
        root_path = root_path.rstrip("/")
        if not root_path or [server.to_schema() for server in self.config.servers] != [{"url": "/"}]:
            return None
        found = self.mounted.get((root_path, form))
        if found is None:
            document = {**self.get(app), "servers": [{"url": root_path}]}
            if form == "json":
                from outpour.serialization import encode_json

                found = encode_json(document)
            else:
                from outpour.openapi._yaml import dump_yaml

                found = dump_yaml(document).encode()
            self.mounted[(root_path, form)] = found
        return found

    def get_json(self, app: Any, root_path: str = "") -> bytes:
        """Return the document as JSON bytes.

        Args:
            app: The application.
            root_path: The ASGI ``root_path`` the document is served under: with the default ``servers``, the
                document's server is that path.

        Returns:
            The JSON.
        """
        mounted = self._mounted(app, root_path, "json")
        if mounted is not None:
            return mounted
        document = self.get(app)
        if self.json is None:
            from outpour.serialization import encode_json

            self.json = encode_json(document)
        return self.json

    def get_yaml(self, app: Any, root_path: str = "") -> bytes:
        """Return the document as YAML bytes.

        Args:
            app: The application.
            root_path: The ASGI ``root_path`` the document is served under (see ``get_json``).

        Returns:
            The YAML.
        """
        mounted = self._mounted(app, root_path, "yaml")
        if mounted is not None:
            return mounted
        document = self.get(app)
        if self.yaml is None:
            from outpour.openapi._yaml import dump_yaml

            self.yaml = dump_yaml(document).encode()
        return self.yaml


def get_openapi_schema(app: Any) -> dict[str, Any] | None:
    """Return the OpenAPI document of ``app`` (built once and cached), or None when it has no ``OpenAPIConfig``.

    Args:
        app: The application.

    Returns:
        The document, as JSON-compatible data.
    """
    from outpour.openapi.config import OpenAPIConfig

    config = getattr(app, "openapi_config", None)
    if not isinstance(config, OpenAPIConfig):
        return None
    return OpenAPIDocumentCache.of(app, config).get(app)


def _page_handler(plugin: OpenAPIRenderPlugin, paths: list[str], config: OpenAPIConfig) -> Any:
    from outpour.connection import Request

    @get(paths, media_type=plugin.media_type, signature_namespace={"Request": Request}, sync_to_thread=False)
    def openapi_page(request: Request[Any, Any, Any]) -> bytes:
        return plugin.render(request, OpenAPIDocumentCache.of(request.app, config).get(request.app))

    return openapi_page


def create_openapi_router(config: OpenAPIConfig) -> Router:
    """Create the router that serves the document and pages of ``config``; the app registers it when created.

    Serves ``/openapi.json``, ``/openapi.yaml`` and ``/openapi.yml``, each render plugin at its paths (the first one
    also at the root unless a plugin claims ``/``), and local asset files of plugins under ``/_assets/`` (with a
    year-long ``Cache-Control``, their URL carrying a digest of the content, and an ``ETag``).

    Args:
        config: The OpenAPI configuration.

    Returns:
        The router, at ``config.path``, excluded from the schema.
    """
    from outpour.connection import Request

    namespace = {"Request": Request}

    @get(
        "/openapi.json",
        media_type=OpenAPIMediaType.OPENAPI_JSON,
        name=OPENAPI_JSON_HANDLER_NAME,
        signature_namespace=namespace,
        sync_to_thread=False,
    )
    def openapi_json(request: Request[Any, Any, Any]) -> bytes:
        return OpenAPIDocumentCache.of(request.app, config).get_json(request.app, request.scope.get("root_path", ""))

    @get(
        ["/openapi.yaml", "/openapi.yml"],
        media_type=OpenAPIMediaType.OPENAPI_YAML,
        signature_namespace=namespace,
        sync_to_thread=False,
    )
    def openapi_yaml(request: Request[Any, Any, Any]) -> bytes:
        return OpenAPIDocumentCache.of(request.app, config).get_yaml(request.app, request.scope.get("root_path", ""))

    handlers: list[Any] = [openapi_json, openapi_yaml]
    taken = {"/openapi.json", "/openapi.yaml", "/openapi.yml"}
    plugins = list(config.render_plugins)
    has_root = any(plugin.has_path("/") or plugin.has_path("") for plugin in plugins)
    assets: dict[str, Any] = {}
    for index, plugin in enumerate(plugins):
        paths = [p for p in plugin.paths if p not in taken]
        if index == 0 and not has_root:
            paths.append("/")
        taken.update(paths)
        if paths:
            handlers.append(_page_handler(plugin, paths, config))
        assets.update(plugin.local_assets())
    if assets:
        contents: dict[str, bytes] = {}

        @get(ASSETS_PREFIX + "/{plugin:str}/{filename:str}", signature_namespace=namespace, sync_to_thread=False)
        def openapi_asset(request: Request[Any, Any, Any], plugin: str, filename: str) -> Response[bytes]:
            key = f"{plugin}/{filename}"
            path = assets.get(key)
            if path is None:
                raise NotFoundException(f"No OpenAPI page asset `{key}`.")
            if key not in contents:
                contents[key] = path.read_bytes()
            media_type = mimetypes.guess_type(filename)[0] or MediaType.OCTET_STREAM.value
            etag = f'"{asset_digest(path)}"'
            headers = {"Cache-Control": _ASSET_CACHE_CONTROL, "ETag": etag}
            if _etag_matches(request.headers.get("if-none-match", ""), etag):
                return Response(b"", status_code=304, media_type=media_type, headers=headers)
            return Response(contents[key], media_type=media_type, headers=headers)

        handlers.append(openapi_asset)
    router = Router(config.path, route_handlers=handlers, include_in_schema=False)
    for plugin in plugins:
        plugin.receive_router(router)
    return router
