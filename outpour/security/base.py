"""``AbstractSecurityConfig``: what a security backend adds to an app when given to ``on_app_init``."""

from __future__ import annotations

import copy
import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from outpour.response import Response

if TYPE_CHECKING:
    from outpour.config.app import AppConfig
    from outpour.di import Provide
    from outpour.enums import MediaType
    from outpour.middleware import DefineMiddleware
    from outpour.middleware.authentication import AbstractAuthenticationMiddleware
    from outpour.openapi.spec import Components, SecurityRequirement
    from outpour.types import ControllerRouterHandler, Guard, Method, ResponseCookies, Scopes, TypeEncodersMap

__all__ = ["AbstractSecurityConfig", "AuthType", "UserType"]

UserType = TypeVar("UserType")
AuthType = TypeVar("AuthType")


def _merge_components(items: Sequence[Components]) -> Components:
    """One ``Components`` holding the entries of ``items``, a later entry replacing an earlier one of its name."""
    merged: dict[str, dict[str, Any]] = {"schemas": {}}
    for item in items:
        for spec_field in dataclasses.fields(item):
            entries = getattr(item, spec_field.name)
            if entries:
                merged.setdefault(spec_field.name, {}).update(entries)
    return type(items[0])(**merged)


class AbstractSecurityConfig(ABC, Generic[UserType, AuthType]):
    """The base of security backends: give ``config.on_app_init`` to the app's ``on_app_init``.

    A subclass is a dataclass that declares the fields below (with its own defaults) and implements ``middleware``,
    ``openapi_components`` and ``security_requirement``.

    Attributes:
        authentication_middleware_class: The authentication middleware the backend installs.
        guards: Guards added to the app.
        exclude: Path patterns (regular expressions, searched unanchored) not authenticated.
        exclude_opt_key: Routes whose ``opt`` holds this key with a true value are not authenticated.
        exclude_http_methods: HTTP methods not authenticated.
        scopes: The scope types authenticated (HTTP and WebSocket by default).
        route_handlers: Route handlers added to the app (a login route, for instance).
        dependencies: Dependencies added to the app.
        type_encoders: Type encoders added to the app's.
    """

    authentication_middleware_class: type[AbstractAuthenticationMiddleware]
    guards: Iterable[Guard] | None
    exclude: str | list[str] | None
    exclude_opt_key: str
    exclude_http_methods: Sequence[Method] | None
    scopes: Scopes | None
    route_handlers: Iterable[ControllerRouterHandler] | None
    dependencies: dict[str, Provide] | None
    type_encoders: TypeEncodersMap | None

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Install the backend: its middleware (outermost), guards, dependencies, routes and OpenAPI security.

        When the app documents itself (``openapi_config``), the backend's security scheme joins its components (merged
        into one ``Components``) and its requirement the app's ``security``; the app's config object is copied, never
        changed.

        Args:
            app_config: The app's configuration, as ``on_app_init`` hooks receive it.

        Returns:
            The configuration, with the backend installed.
        """
        app_config.middleware.insert(0, self.middleware)
        openapi_config = app_config.openapi_config
        if openapi_config is not None:
            openapi_config = copy.copy(openapi_config)
            components = openapi_config.components
            if components is None:
                merged = [self.openapi_components]
            elif isinstance(components, Sequence):
                merged = [*components, self.openapi_components]
            else:
                merged = [self.openapi_components, components]
            openapi_config.components = _merge_components(merged)
            openapi_config.security = [*(openapi_config.security or ()), self.security_requirement]
            app_config.openapi_config = openapi_config
        if self.guards:
            app_config.guards.extend(self.guards)
        if self.dependencies:
            app_config.dependencies.update(self.dependencies)
        if self.route_handlers:
            app_config.route_handlers.extend(self.route_handlers)
        if self.type_encoders:
            app_config.type_encoders = {**(app_config.type_encoders or {}), **self.type_encoders}
        return app_config

    def create_response(
        self,
        content: Any | None,
        status_code: int,
        media_type: MediaType | str,
        headers: dict[str, Any] | None = None,
        cookies: ResponseCookies | None = None,
    ) -> Response[Any]:
        """A response rendered with the backend's ``type_encoders`` (a login response, for instance).

        Args:
            content: The body, serialized as ``media_type`` says.
            status_code: The status code.
            media_type: The ``Content-Type``.
            headers: Response headers.
            cookies: Cookies to set.

        Returns:
            The response.
        """
        return Response(
            content=content,
            status_code=status_code,
            media_type=media_type,
            headers=headers,
            cookies=cookies,
            type_encoders=self.type_encoders,
        )

    @property
    @abstractmethod
    def middleware(self) -> DefineMiddleware:
        """The middleware that authenticates the app's connections."""

    @property
    @abstractmethod
    def openapi_components(self) -> Components:
        """The OpenAPI components documenting the backend: its security scheme."""

    @property
    @abstractmethod
    def security_requirement(self) -> SecurityRequirement:
        """The OpenAPI security requirement of the app's operations (``{"schemeName": []}``)."""
