"""``OpenAPIConfig``: the OpenAPI document's metadata and where it is served (``/schema`` by default)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi.plugins import (
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
    """Build an operation id from the method and the path: ``GET /people/{id:int}`` is ``GetPeopleId``.

    Args:
        route_handler: The handler.
        http_method: The method.
        path_components: The path's segments: strings, and path parameters (with a ``name``).

    Returns:
        The operation id.
    """
    parts = [_camel_part(getattr(c, "name", c)) for c in path_components]
    return http_method.title() + ("".join(parts) or "Root")


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
        ImproperlyConfiguredException: ``path`` does not start with ``/``.
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
        if not isinstance(self.path, str) or not self.path.startswith("/"):
            raise ImproperlyConfiguredException(
                f"`OpenAPIConfig.path` must be a path starting with `/`, got `{self.path!r}`; e.g. `/schema`."
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
