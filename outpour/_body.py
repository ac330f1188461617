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
from outpour.connection.request import DEFAULT_MULTIPART_PART_LIMIT
from outpour.datastructures.upload_file import UploadFile
from outpour.enums import RequestEncodingType
from outpour.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    UnsupportedMediaTypeException,
    ValidationException,
)
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
    from outpour.params import BodyKwarg
    from outpour.types import Scope, TypeDecodersSequence

__all__ = ["BodyDecoder", "app_part_limit", "check_part_limit", "close_form"]

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


def app_part_limit(app: object) -> int | None:
    """The app's ``multipart_form_part_limit`` when it was given; ``None`` leaves the request class's own."""
    limit: int = getattr(app, "multipart_form_part_limit", DEFAULT_MULTIPART_PART_LIMIT)
    return None if limit == DEFAULT_MULTIPART_PART_LIMIT else limit


def check_part_limit(limit: object, where: str) -> int:
    """Return ``limit`` if it is a valid multipart part limit (a positive ``int``), else raise naming ``where``.

    Raises:
        ImproperlyConfiguredException: When ``limit`` is not a positive whole number.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ImproperlyConfiguredException(
            f"The {where} is {limit!r}; give the most parts a multipart body may have, a whole number of 1 or more."
        )
    return limit


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
        "part_limit",
        "sequence_keys",
        "type_decoders",
    )

    def __init__(
        self, field: Field, type_decoders: TypeDecodersSequence, *, app_part_limit: int | None = None, label: str = ""
    ) -> None:
        self.field = field
        self.type_decoders = type_decoders or None
        body_kwarg = field.body_kwarg
        wanted = media_type_str(body_kwarg.media_type) if body_kwarg is not None else RequestEncodingType.JSON.value
        self.is_form = wanted in (RequestEncodingType.URL_ENCODED.value, RequestEncodingType.MULTI_PART.value)
        self.part_limit = _part_limit(body_kwarg, wanted, app_part_limit, label)
        """The most parts of a multipart body (the route's ``Body``, else the app's); ``None``: the request's own."""
        # `Body(media_type=RequestEncodingType.MESSAGEPACK)` decodes MessagePack whatever the `Content-Type` says.
        self.is_msgpack = is_msgpack_media_type(wanted)
        self.files = _form_files_shape(field.annotation) if self.is_form else None
        self.sequence_keys = _sequence_keys(field.annotation) if self.is_form else frozenset()
        """The form fields the model reads as a list: one value sent for them is a list of one."""
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
            part_limit = self.part_limit
            form = await (request.form() if part_limit is None else request._read_form(part_limit))
            if self.files is not None:
                return self._files(form, scope)
            raw: dict[str, Any] = {}
            sequence_keys = self.sequence_keys
            for key, values in form.dict().items():
                values = [value for value in values if not _is_unselected_file(value)]
                if values:
                    raw[key] = values if len(values) > 1 or key in sequence_keys else values[0]
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
        files = [
            value for _, value in form.multi_items() if isinstance(value, UploadFile) and not _is_unselected_file(value)
        ]
        if self.files == "many":
            return files
        if files:
            return files[0]
        if self.field.has_default:
            return self.field.default
        if self.empty_form is not _NO_VALUE:  # `UploadFile | None`: no file is `None`
            return self.empty_form
        raise validation_error(
            scope,
            [{"message": "The form carries no file, but this endpoint needs one.", "key": "data", "source": "body"}],
        )


def _part_limit(body_kwarg: BodyKwarg | None, media_type: str, app_part_limit: int | None, label: str) -> int | None:
    route_limit = body_kwarg.multipart_form_part_limit if body_kwarg is not None else None
    if route_limit is None:
        return app_part_limit
    if media_type != RequestEncodingType.MULTI_PART.value:
        raise ImproperlyConfiguredException(
            f"{label} sets `Body(multipart_form_part_limit={route_limit!r})` on a `{media_type}` body: the limit "
            "only applies to multipart forms. Add `media_type=RequestEncodingType.MULTI_PART`, or remove the limit."
        )
    return check_part_limit(route_limit, f"`Body(multipart_form_part_limit=...)` of {label}")


async def close_form(scope: Scope) -> None:
    """Close the files of a multipart form parsed for this request, once the response is sent."""
    form = scope.get("_outpour_form")
    if form is not None:
        await form.close()


def _body_error(scope: Scope, message: str) -> ValidationException:
    # As in Litestar, the path msgspec appends (` - at `$.tags[0]``) becomes the key (`tags[0]`): the message is the rest.
    match = _MSGSPEC_PATH.search(message)
    key = match.group(1).lstrip(".") if match else ""
    if match and key:
        message = message[: match.start()]
    return validation_error(scope, [{"message": message, "key": key, "source": "body"}])


def _is_unselected_file(value: Any) -> bool:
    """Whether ``value`` is the empty part a browser sends for a file input left empty (``filename=""``, no bytes)."""
    if not isinstance(value, UploadFile) or value.filename:
        return False
    file = value.file
    size = file.seek(0, 2)
    file.seek(0)
    return size == 0


def _sequence_keys(annotation: Any) -> frozenset[str]:
    """The names, as sent, of the fields of a form model whose type is a list, a set or a tuple (an optional one too).

    Models msgspec can describe are inspected (dataclasses, msgspec Structs, TypedDicts, attrs classes); any other
    type gives no name, and its fields are converted from the form as they are.
    """
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:  # `Model | None`
        annotation = args[0]
    model_fields = getattr(annotation, "model_fields", None)
    if isinstance(model_fields, dict):  # a pydantic model: its fields' annotations, under their aliases
        return frozenset(
            getattr(field, "alias", None) or name
            for name, field in model_fields.items()
            if _is_many_annotation(getattr(field, "annotation", None))
        )
    try:
        info = msgspec.inspect.type_info(annotation)
    except (TypeError, ValueError):  # a type msgspec cannot describe: its fields are converted as sent
        return frozenset()
    fields = getattr(info, "fields", None)
    if not fields:
        return frozenset()
    many = (
        msgspec.inspect.ListType,
        msgspec.inspect.SetType,
        msgspec.inspect.FrozenSetType,
        msgspec.inspect.VarTupleType,
    )

    def is_many(type_info: Any) -> bool:
        if isinstance(type_info, msgspec.inspect.UnionType):
            return any(is_many(member) for member in type_info.types)
        return isinstance(type_info, many)

    return frozenset(f.encode_name for f in fields if is_many(f.type))


def _is_many_annotation(annotation: Any) -> bool:
    """Whether ``annotation`` is a list, set or tuple type, or a union with one."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_many_annotation(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_is_many_annotation(arg) for arg in get_args(annotation))
    many = (list, set, frozenset, tuple, collections.abc.Sequence, collections.abc.Set, collections.abc.MutableSequence)
    return origin in many or annotation in (list, set, frozenset, tuple)


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
