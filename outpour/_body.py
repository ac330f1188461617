"""The request-body stage of a route: how its ``data`` parameter is decoded, chosen once at start-up.

JSON and MessagePack bodies go through a msgspec decoder built for the annotation; forms go through the request's
form parser, then msgspec's conversion; an ``UploadFile`` (or a list of them) takes the form's files.
"""

from __future__ import annotations

import collections.abc
import re
import typing
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import msgspec

from outpour._extractors import validation_error
from outpour._signature import constrained_body
from outpour.datastructures.upload_file import UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import ClientException, UnsupportedMediaTypeException, ValidationException
from outpour.response._render import media_type_str
from outpour.serialization import (
    convert,
    get_json_decoder,
    get_msgpack_decoder,
    is_json_media_type,
    is_msgpack_media_type,
    malformed_reason,
)

if TYPE_CHECKING:
    from outpour._signature import Field
    from outpour.connection import Request
    from outpour.datastructures.multi_dicts import FormMultiDict
    from outpour.types import Scope, TypeDecodersSequence

__all__ = ["BodyDecoder", "close_form"]

_MAX_CONTENT_TYPES = 32
"""How many raw ``Content-Type`` values a route keeps its choice of decoder for."""
_MSGSPEC_PATH = re.compile(r" - at `\$((?:\.[^`\[]+|\[\d+\])*)`$")


_NO_VALUE: Any = object()


def _empty_form_value(field: Field) -> Any:
    if field.has_default:
        return field.default
    annotation = field.annotation
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType) and type(None) in get_args(annotation):
        return None
    return _NO_VALUE


class BodyDecoder:
    """Decodes the body of one route's requests into its ``data`` parameter."""

    __slots__ = (
        "decoders",
        "empty_form",
        "field",
        "files",
        "is_form",
        "is_msgpack",
        "json_decoder",
        "msgpack_decoder",
        "type_decoders",
    )

    def __init__(self, field: Field, type_decoders: TypeDecodersSequence) -> None:
        self.field = field
        self.type_decoders = type_decoders or None
        body_kwarg = field.body_kwarg
        wanted = media_type_str(body_kwarg.media_type) if body_kwarg is not None else RequestEncodingType.JSON.value
        self.is_form = wanted in (RequestEncodingType.URL_ENCODED.value, RequestEncodingType.MULTI_PART.value)
        # `Body(media_type=RequestEncodingType.MESSAGEPACK)` decodes MessagePack whatever the `Content-Type` says.
        self.is_msgpack = is_msgpack_media_type(wanted)
        self.files = _form_files_shape(field.annotation) if self.is_form else None
        self.empty_form: Any = _empty_form_value(field)
        """What ``data`` is for a form with no field: the default, else ``None`` when the type allows it."""
        target = constrained_body(field.annotation, body_kwarg)  # `Body(ge=1)` on a number, `Body(max_items=3)`
        self.json_decoder = get_json_decoder(target, self.type_decoders)
        self.msgpack_decoder = get_msgpack_decoder(target, self.type_decoders)
        self.decoders: dict[bytes | None, tuple[Any, str]] = {}
        """The decoder and its format by raw ``Content-Type`` value (None: no header), as ``_decoder`` chose them."""

    async def decode(self, request: Request[Any, Any, Any], scope: Scope) -> Any:
        """Return the ``data`` value of this request, or raise the 4xx that says what is wrong with its body."""
        field = self.field
        if self.is_form:
            form = await request.form()
            if self.files is not None:
                return self._files(form, scope)
            raw = {key: (values[0] if len(values) == 1 else values) for key, values in form.dict().items()}
            if not raw and self.empty_form is not _NO_VALUE:
                return self.empty_form
            try:
                return convert(raw, field.annotation, type_decoders=self.type_decoders, strict=False)
            except (msgspec.ValidationError, ValueError, TypeError) as exc:
                raise _body_error(scope, str(exc)) from exc
        return self.from_body(await request.body(), scope)

    def from_body(self, body: bytes, scope: Scope) -> Any:
        """Decode a JSON or MessagePack ``body`` of this request (its ``Content-Type`` chooses), or raise the 4xx."""
        field = self.field
        raw_type: bytes | None = None
        for header_name, header_value in scope["headers"]:
            if header_name == b"content-type":
                raw_type = header_value
                break
        if not body:
            if field.has_default:
                return field.default
            raise validation_error(
                scope,
                [
                    {
                        "message": "The request body is empty, but this endpoint needs one.",
                        "key": "data",
                        "source": "body",
                    }
                ],
            )
        if self.is_msgpack:
            decoder: Any = self.msgpack_decoder
            kind = "MessagePack"
        else:
            chosen = self.decoders.get(raw_type)
            decoder, kind = chosen if chosen is not None else self._decoder(raw_type, scope)
        try:
            return decoder.decode(body)
        except msgspec.ValidationError as exc:
            raise _body_error(scope, str(exc)) from exc
        except (msgspec.DecodeError, UnicodeError, RecursionError, TypeError) as exc:
            reason = malformed_reason(body, exc, is_text=kind == "JSON")
            raise ClientException(f"Malformed {kind} request body: {reason}.") from exc

    def _decoder(self, raw_type: bytes | None, scope: Scope) -> tuple[Any, str]:
        """Choose the decoder of a body by its raw ``Content-Type`` (remembered), or raise the 415."""
        content_type = raw_type.decode("latin-1").split(";", 1)[0].strip().lower() if raw_type is not None else ""
        if not content_type or is_json_media_type(content_type):
            chosen: tuple[Any, str] = (self.json_decoder, "JSON")
        elif is_msgpack_media_type(content_type):
            chosen = (self.msgpack_decoder, "MessagePack")
        else:
            raise UnsupportedMediaTypeException(
                f"Unsupported request body media type `{content_type}` for {scope['method']} {scope['path']}: send "
                "`application/json` or `application/vnd.msgpack`."
            )
        if len(self.decoders) >= _MAX_CONTENT_TYPES:
            self.decoders.clear()
        self.decoders[raw_type] = chosen
        return chosen

    def _files(self, form: FormMultiDict, scope: Scope) -> Any:
        """Return the uploaded file(s) of a form for a ``data`` annotated ``UploadFile`` or a list of them."""
        files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if self.files == "many":
            return files
        if files:
            return files[0]
        if self.field.has_default:
            return self.field.default
        raise validation_error(
            scope,
            [{"message": "The form carries no file, but this endpoint needs one.", "key": "data", "source": "body"}],
        )


async def close_form(scope: Scope) -> None:
    """Close the files of a multipart form parsed for this request, once the response is sent."""
    form = scope.get("_outpour_form")
    if form is not None:
        await form.close()


def _body_error(scope: Scope, message: str) -> ValidationException:
    match = _MSGSPEC_PATH.search(message)
    key = match.group(1).lstrip(".") if match else ""
    return validation_error(scope, [{"message": message, "key": key, "source": "body"}])


def _form_files_shape(annotation: Any) -> str | None:
    """Return ``"one"`` for an ``UploadFile`` annotation, ``"many"`` for a list of them, else ``None``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:  # `UploadFile | None`
        annotation = args[0]
    if annotation is UploadFile:
        return "one"
    if get_origin(annotation) in (list, tuple, typing.Sequence, collections.abc.Sequence) and get_args(annotation)[
        :1
    ] == (UploadFile,):
        return "many"
    return None
