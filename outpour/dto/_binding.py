"""How a route uses its DTOs: which apply (``bind_dtos``), the body decoder and the wrapped handler.

Resolved when the app compiles the route: the closest layer's ``dto`` applies to the ``data`` parameter (and is the
``return_dto`` unless one is given); the ``return_dto`` applies when the return annotation holds its model. Routes
without a DTO are compiled exactly as before: nothing here runs for them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import msgspec

from outpour.dto._backend import DTOBackend
from outpour.dto.base_dto import AbstractDTO, handler_key
from outpour.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    InvalidAnnotationException,
    ValidationException,
)
from outpour.types import Empty
from outpour.typing import FieldDefinition

if TYPE_CHECKING:
    from collections.abc import Callable

    from outpour._body import BodyDecoder
    from outpour._route_settings import RouteSettings
    from outpour._signature import Field
    from outpour.connection import Request
    from outpour.types import Scope

__all__ = ["DTOBodyDecoder", "RouteDTOs"]


def _check_dto(value: Any, option: str, label: str) -> type[AbstractDTO[Any]] | None:
    if value is Empty or value is None:
        return None
    if not (isinstance(value, type) and issubclass(value, AbstractDTO)):
        raise ImproperlyConfiguredException(
            f"{label}: `{option}={value!r}` is not a DTO. Give a DTO class, such as `DataclassDTO[Model]` or "
            "`MsgspecDTO[Model]` (from `outpour.dto`), or `None` to use none."
        )
    if getattr(value, "model_type", None) is None:
        raise InvalidAnnotationException(
            f"{label}: `{value.__name__}` is not narrowed with a model: use `{value.__name__}[Model]`, or a subclass "
            "of it."
        )
    return value


class RouteDTOs:
    """The compiled DTOs of one route: the ``data`` one and the return one, either of them ``None``.

    Args:
        handler: The route handler.
        settings: Its resolved layered options.
        data_field: Its ``data`` parameter, if any.
        return_annotation: Its resolved return annotation.
        label: The handler, for messages.

    Raises:
        InvalidAnnotationException: ``data`` is annotated with a type the DTO is not narrowed with.
        ImproperlyConfiguredException: A ``dto`` is no DTO class, or client data cannot make the model.
    """

    def __init__(
        self, handler: Any, settings: RouteSettings, data_field: Field | None, return_annotation: Any, label: str
    ) -> None:
        data_dto = _check_dto(settings.dto, "dto", label)
        return_dto = data_dto if settings.return_dto is Empty else _check_dto(settings.return_dto, "return_dto", label)
        key = handler_key(handler)
        self.data: DTOBackend | None = None
        if data_dto is not None and data_field is not None:
            definition = FieldDefinition.from_annotation(data_field.annotation, name="data")
            data_dto.create_for_field_definition(definition, key)
            self.data = data_dto._handler_backend_map[(key, "data")]
        self.returned: DTOBackend | None = None
        if return_dto is not None:
            definition = FieldDefinition.from_annotation(return_annotation)
            if return_dto.is_supported_model_type_field(definition):
                return_dto.create_for_field_definition(definition, key)
                self.returned = return_dto._handler_backend_map[(key, "return")]

    def documented_types(self) -> tuple[Any, Any]:
        """The types OpenAPI documents the body and the response with: the DTOs' transfer types.

        ``None`` leaves the annotation's own, as for a generic wrapper other than ``Response``.
        """
        body = self.data.annotation if self.data is not None else None
        returned = self.returned
        if returned is None or returned.wrapper_attribute not in (None, "content"):
            return body, None
        return body, returned.annotation

    def body_field(self, field: Field) -> Field:
        """The ``data`` field to build the body decoder of: the DTO's transfer type in place of the annotation."""
        from outpour._signature import Field

        if self.data is None:
            return field
        return Field(field.name, field.source, field.key, self.data.annotation, field.default, kwarg=field.kwarg)

    def wrap_handler(self, fn: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
        """``fn`` with its return value made encodable by the return DTO (``fn`` itself without one)."""
        backend = self.returned
        if backend is None:
            return fn
        encode = backend.encode_response
        if is_async:

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                return encode(await fn(*args, **kwargs))

            return run_async

        @functools.wraps(fn)
        def run_sync(*args: Any, **kwargs: Any) -> Any:
            return encode(fn(*args, **kwargs))

        return run_sync


class DTOBodyDecoder:
    """A route's body decoder with the DTO's conversion after it.

    The body decodes into the DTO's transfer type, and the handler gets the model (or ``DTOData``) made of it.
    """

    __slots__ = ("backend", "decoder", "field", "is_form")

    def __init__(self, decoder: BodyDecoder, backend: DTOBackend) -> None:
        self.decoder = decoder
        self.backend = backend
        self.is_form = decoder.is_form
        self.field = decoder.field

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decoder, name)

    async def decode(self, request: Request[Any, Any, Any], scope: Scope) -> Any:
        """Return the ``data`` value of this request, or raise the 4xx that says what is wrong with its body."""
        if self.is_form:
            return self._convert(await self.decoder.decode(request, scope), scope)
        return self.from_body(await request.body(), scope)

    def from_body(self, body: bytes, scope: Scope) -> Any:
        """Decode a JSON or MessagePack ``body`` of this request, or raise the 4xx."""
        value = self.decoder.from_body(body, scope)
        if self.field.has_default and value is self.field.default:
            return value
        return self._convert(value, scope)

    def _convert(self, value: Any, scope: Scope) -> Any:
        try:
            return self.backend.to_handler_value(value)
        except (TypeError, ValueError, msgspec.ValidationError) as exc:
            if isinstance(exc, ClientException):
                raise
            # The model refused the values (its `__post_init__`, or a field left unset by a partial DTO).
            raise ValidationException(
                detail=f"Validation failed for {scope['method']} {scope['path']}",
                extra=[{"message": str(exc), "key": "", "source": "body"}],
            ) from exc
