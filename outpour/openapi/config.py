"""``OpenAPIConfig``: the OpenAPI document's metadata and where it is served (``/schema`` by default)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    RapidocRenderPlugin,
    RedocRenderPlugin,
    ScalarRenderPlugin,
    StoplightRenderPlugin,
    SwaggerRenderPlugin,
)
from outpour.openapi.spec import (
    Components,
    Contact,
    ExternalDocumentation,
    Info,
    License,
    OpenAPI,
    PathItem,
    SecurityRequirement,
    Server,
    Tag,
)

if TYPE_CHECKING:
    from outpour.handlers import HTTPRouteHandler

__all__ = ["OpenAPIConfig", "default_operation_id_creator"]


def _camel_part(text: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return "".join(w[:1].upper() + w[1:] for w in words)


def default_operation_id_creator(route_handler: HTTPRouteHandler, http_method: str, path_components: list[Any]) -> str:
    """Build an operation id from the path and the handler's name, camel-cased.

    ``list_people`` at ``GET /people/{id:int}`` is ``PeopleIdListPeople``; a handler answering several methods has the
    method before its name (``PeopleIdGetListPeople``), so that each of its operations has an id of its own.

    Args:
        route_handler: The handler.
        http_method: The method.
        path_components: The path's segments: strings, and path parameters (with a ``name``).

    Returns:
        The operation id.
    """
    name = _camel_part(getattr(route_handler.fn, "__name__", None) or "handler")
    if len(getattr(route_handler, "http_methods", ())) > 1:
        name = http_method.title() + name
    return "".join(_camel_part(getattr(c, "name", c)) for c in path_components) + name


def _default_render_plugins() -> list[OpenAPIRenderPlugin]:
    return [
        ScalarRenderPlugin(),
        SwaggerRenderPlugin(),
        RedocRenderPlugin(),
        RapidocRenderPlugin(),
        StoplightRenderPlugin(),
    ]


@dataclass
class OpenAPIConfig:
    """The OpenAPI document and its pages; pass ``Outpour(openapi_config=None)`` to serve none.

    Under ``path`` the app serves ``/openapi.json``, ``/openapi.yaml`` (and ``.yml``), and one page per render plugin
    (by default Scalar at ``/scalar``, Swagger UI at ``/swagger``, ReDoc at ``/redoc``, RapiDoc at ``/rapidoc`` and
    Stoplight Elements at ``/elements``, each loading the scripts outpour ships from the app itself, under
    ``/_assets/``); the first plugin is also served at ``path`` itself unless a plugin claims ``/``. The document is
    built on the first request and cached.

    Attributes:
        title: The API's title.
        version: The API's version.
        create_examples: Kept for compatibility; examples come from parameters and ``ResponseSpec``.
        description: The API's description.
        summary: A short summary.
        contact: Contact information.
        license: The license.
        terms_of_service: A URL of the terms of service.
        external_docs: A link to more documentation.
        info: A complete ``Info`` object, replacing the fields above.
        servers: The servers; ``[Server(url="/")]`` by default.
        tags: Descriptions of the tags operations use.
        security: Security requirements of every operation.
        components: Components merged into the generated ones (e.g. ``security_schemes``).
        webhooks: Documented webhooks.
        use_handler_docstrings: Describe operations with their handler's docstring when ``description`` is not set.
        operation_id_creator: Builds operation ids of handlers without ``operation_id``.
        path: Where the document and pages are served.
        render_plugins: The pages.
        openapi_version: The OpenAPI version written in the document.

    Raises:
        ImproperlyConfiguredException: ``path`` is not a string (``schema`` and ``/schema/`` are read as ``/schema``).
    """

    title: str = "Outpour API"
    version: str = "1.0.0"
    create_examples: bool = False
    description: str | None = None
    summary: str | None = None
    contact: Contact | None = None
    license: License | None = None
    terms_of_service: str | None = None
    external_docs: ExternalDocumentation | None = None
    info: Info | None = None
    servers: list[Server] = field(default_factory=lambda: [Server(url="/")])
    tags: list[Tag] | None = None
    security: list[SecurityRequirement] | None = None
    components: Components | Sequence[Components] | None = None
    webhooks: dict[str, PathItem] | None = None
    use_handler_docstrings: bool = False
    operation_id_creator: Callable[[HTTPRouteHandler, str, list[Any]], str] = default_operation_id_creator
    path: str = "/schema"
    render_plugins: Sequence[OpenAPIRenderPlugin] = field(default_factory=_default_render_plugins)
    openapi_version: str = "3.1.0"

    def __post_init__(self) -> None:
        if not isinstance(self.path, str):
            raise ImproperlyConfiguredException(
                f"`OpenAPIConfig.path` must be a path such as `/schema`, got `{self.path!r}`."
            )
        self.path = "/" + self.path.strip("/")  # `schema` and `/schema/` are `/schema`
        self.render_plugins = list(self.render_plugins)
        if not any(plugin.has_path("/openapi.json") for plugin in self.render_plugins):
            self.render_plugins.append(JsonRenderPlugin())  # `/openapi.json` is always served

    def to_openapi_schema(self) -> OpenAPI:
        """Return the document's ``OpenAPI`` object as the config alone describes it, with no paths yet.

        Returns:
            The object: ``info``, ``servers``, ``components`` (merged when several are given), ``tags``, ...
        """
        given = self.components
        items: Sequence[Components] = [given] if isinstance(given, Components) else list(given or [])
        merged: dict[str, dict[str, Any]] = {}
        for item in items:
            for spec_field in fields(Components):
                value = getattr(item, spec_field.name)
                if value:
                    merged.setdefault(spec_field.name, {}).update(value)
        return OpenAPI(
            info=self.get_info(),
            servers=list(self.servers),
            components=Components(**merged),
            security=list(self.security) if self.security else None,
            tags=list(self.tags) if self.tags else None,
            external_docs=self.external_docs,
            webhooks=dict(self.webhooks) if self.webhooks else None,
            openapi=self.openapi_version,
        )

    def get_info(self) -> Info:
        """Return ``info``, or build it from ``title``, ``version`` and the other fields.

        Returns:
            The ``Info`` object.
        """
        if self.info is not None:
            return self.info
        return Info(
            title=self.title,
            version=self.version,
            summary=self.summary,
            description=self.description,
            terms_of_service=self.terms_of_service,
            contact=self.contact,
            license=self.license,
        )
