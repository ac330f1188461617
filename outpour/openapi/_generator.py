"""Build the OpenAPI 3.1 document of an app from its compiled route plans (``app.plans``) and their settings."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Union, cast, get_args, get_origin

from outpour.enums import MediaType, RequestEncodingType
from outpour.exceptions import ImproperlyConfiguredException
from outpour.openapi._schema import SchemaCreator, apply_constraints, jsonable, rewrite_refs, schema_extra_keys
from outpour.openapi.datastructures import ResponseSpec
from outpour.openapi.spec import Components, Operation, to_builtin
from outpour.response._render import body_forbidden, media_type_str
from outpour.response.base import Response
from outpour.serialization import is_json_media_type, is_msgpack_media_type

if TYPE_CHECKING:
    from outpour._plan import HTTPPlan
    from outpour._routing import PathTemplate
    from outpour.app import Outpour
    from outpour.openapi.config import OpenAPIConfig

__all__ = ["build_openapi", "validation_error_schema"]

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_IGNORED_HEADER_PARAMS = frozenset({"accept", "content-type", "authorization"})
_PARAM_SOURCES = ("path", "query", "header", "cookie")
_VALIDATED_SOURCES = frozenset({"path", "query", "header", "cookie", "data"})
_SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One event of the stream",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


def validation_error_schema(description: str = "A validation error") -> dict[str, Any]:
    """The schema of outpour's error body: ``status_code``, ``detail`` and an optional ``extra``.

    Args:
        description: The schema's description.

    Returns:
        The schema.
    """
    return {
        "type": "object",
        "properties": {
            "status_code": {"type": "integer"},
            "detail": {"type": "string"},
            "extra": {"type": ["null", "object", "array"]},
        },
        "required": ["detail", "status_code"],
        "description": description,
    }


_KNOWN_STATUSES = frozenset(int(status) for status in HTTPStatus)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def _form_of_files(schema: dict[str, Any]) -> dict[str, Any]:
    """A multipart body read as an ``UploadFile`` (or a list of them) is a form: one ``file`` (or ``files``) field.

    The handler takes the form's file(s) whatever the field's name; the document names the field as Litestar does.
    """
    if schema.get("format") == "binary":
        return {"type": "object", "properties": {"file": schema}}
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict) and items.get("format") == "binary":
        return {"type": "object", "properties": {"files": schema}}
    return schema


def _type_repr(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or repr(annotation)


def _custom_operation_class(handler: Any) -> type[Operation] | None:
    """The handler's ``operation_class`` when it is a subclass of ``Operation``, else ``None``."""
    given = getattr(handler, "operation_class", None)
    if isinstance(given, type) and issubclass(given, Operation) and given is not Operation:
        return given
    return None


def _status_description(status: int) -> str:
    """The long description of a status (``Request fulfilled, document follows`` for 200), as Litestar writes it."""
    try:
        return HTTPStatus(status).description or HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def _response_kinds() -> dict[str, type]:
    """The special response classes, found by import so that a missing module only drops its special case."""
    kinds: dict[str, type] = {}
    for name, module in (
        ("ServerSentEvent", "outpour.response.sse"),
        ("Stream", "outpour.response.streaming"),
        ("File", "outpour.response.file"),
        ("Redirect", "outpour.response.redirect"),
        ("Template", "outpour.response.template"),
    ):
        try:
            kinds[name] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):  # pragma: no cover - every response module exists in a full install
            continue
    return kinds


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin is Union or type(annotation).__name__ == "UnionType":
        args = get_args(annotation)
        if type(None) in args:
            rest = [a for a in args if a is not type(None)]
            return (rest[0] if len(rest) == 1 else Union[tuple(rest)]), True  # noqa: UP007
    return annotation, False


class _Builder:
    def __init__(self, app: Outpour, config: OpenAPIConfig) -> None:
        self.app = app
        self.config = config
        self.creator = SchemaCreator()
        self.kinds = _response_kinds()
        self.operation_ids: set[str] = set()
        self.operation_classes: dict[tuple[str, str], type[Operation]] = {}

    # -- walking the app ----------------------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        for plan in self.app.plans:
            template = plan.template
            if not plan.settings.include_in_schema:
                continue
            if plan.method == "HEAD" and "HEAD" not in plan.handler.http_methods:
                continue  # the automatic answer to HEAD on a GET route is not an operation of its own
            path = "/" + "/".join(f"{{{s.name}}}" if not isinstance(s, str) else s for s in template.segments)
            method = plan.method.lower()
            operation = self.operation(plan, template)
            operation_class = _custom_operation_class(plan.handler)
            if operation_class is not None:
                operation = self.custom_operation(operation_class, operation)
                self.operation_classes[(path, method)] = operation_class
            paths.setdefault(path, {})[method] = operation
        renamed = self.creator.settle_names()
        if renamed:
            paths = rewrite_refs(paths, renamed)
        config = self.config
        document: dict[str, Any] = {
            "openapi": config.openapi_version,
            "info": config.get_info().to_schema(),
            "servers": [server.to_schema() for server in config.servers],
            "paths": paths,
        }
        if config.webhooks:
            document["webhooks"] = to_builtin(config.webhooks)
        components = self.components()
        if components:
            document["components"] = components
        if config.security:
            document["security"] = to_builtin(list(config.security))
        if config.tags:
            document["tags"] = [tag.to_schema() for tag in config.tags]
        if config.external_docs is not None:
            document["externalDocs"] = config.external_docs.to_schema()
        return document

    def components(self) -> dict[str, Any]:
        merged: dict[str, dict[str, Any]] = {}
        merged["schemas"] = dict(sorted(self.creator.components.items()))
        given = self.config.components
        items: Sequence[Components] = [given] if isinstance(given, Components) else list(given or [])
        for component in items:
            for key, value in component.to_schema().items():
                merged.setdefault(key, {}).update(value)
        return merged

    # -- operations ---------------------------------------------------------------------------------------------------

    @staticmethod
    def custom_operation(operation_class: type[Operation], operation: dict[str, Any]) -> dict[str, Any]:
        """Document an operation with the handler's ``operation_class``, which may change or add to it.

        The class is built from the generated fields (its ``__post_init__`` runs then, as in Litestar's documented
        ``operation_class`` example) and rendered with its ``to_schema()``.
        """
        from outpour.openapi._spec_reader import read_object

        custom = read_object(operation_class, operation)
        if custom is None:  # pragma: no cover - every generated operation is readable as an `Operation`
            return operation
        rendered: dict[str, Any] = custom.to_schema()
        return rendered

    def operation(self, plan: HTTPPlan, template: PathTemplate) -> dict[str, Any]:
        handler = plan.handler
        operation: dict[str, Any] = {}
        tags = plan.settings.tags
        if tags:
            operation["tags"] = sorted(set(tags))
        operation["summary"] = getattr(handler, "summary", None) or "".join(
            w.capitalize() for w in getattr(handler.fn, "__name__", "handler").split("_")
        )
        description = getattr(handler, "description", None)
        if description is None and self.config.use_handler_docstrings and handler.fn.__doc__:
            description = inspect.cleandoc(handler.fn.__doc__)
        if description:
            operation["description"] = description
        operation["operationId"] = self.operation_id(plan, template)
        parameters = self.parameters(plan, template)
        if parameters:
            operation["parameters"] = parameters
        body = self.request_body(plan)
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self.responses(plan, template)
        operation["deprecated"] = bool(getattr(handler, "deprecated", False))
        security = plan.settings.security
        if security:
            operation["security"] = [to_builtin(dict(item)) for item in security]
        return operation

    def operation_id(self, plan: HTTPPlan, template: PathTemplate) -> str:
        given = getattr(plan.handler, "operation_id", None)
        creator = cast("Callable[..., str]", given if callable(given) else self.config.operation_id_creator)
        if isinstance(given, str):
            # documented: a handler of several methods has each operation's id prefixed with its method
            methods = getattr(plan.handler, "http_methods", ())
            operation_id = plan.method.title() + given if len(methods) > 1 else given
        else:
            operation_id = creator(plan.handler, plan.method, list(template.segments))
        if operation_id in self.operation_ids:
            raise ImproperlyConfiguredException(
                f"Operation id `{operation_id}` of `{plan.handler.handler_name}` ({plan.method} {template.path}) is "
                "already used by another operation, and operation ids must be unique in an OpenAPI document; give "
                "one of the handlers another `operation_id`, or set `OpenAPIConfig.operation_id_creator`."
            )
        self.operation_ids.add(operation_id)
        return operation_id

    def _all_fields(self, plan: HTTPPlan) -> list[Any]:
        return [*plan.fields, *(field for provider in plan.providers for field in provider.fields), *plan.layer_fields]

    def parameters(self, plan: HTTPPlan, template: PathTemplate) -> list[dict[str, Any]]:
        path_params = {p.name: p for p in template.params}
        out: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], Any] = {}
        for field in self._all_fields(plan):
            source = field.source
            if source not in _PARAM_SOURCES or (source == "path" and field.key not in path_params):
                continue
            if source == "header" and field.key.lower() in _IGNORED_HEADER_PARAMS:
                continue
            if source != "path" and not getattr(field.kwarg, "include_in_schema", True):
                continue
            ident = (source, field.key.lower() if source == "header" else field.key)
            if ident in seen:
                self._check_same_type(plan, ident, seen[ident], field)
                continue
            seen[ident] = field
            out.append(self.parameter(field, path_params.get(field.key)))
        for name, param in path_params.items():
            if ("path", name) not in seen:
                out.append({"name": name, "in": "path", "required": True, "schema": self.creator.for_type(param.type)})
        return out

    @staticmethod
    def _check_same_type(plan: HTTPPlan, ident: tuple[str, str], first: Any, other: Any) -> None:
        """Refuse one parameter read as two types (by the handler and a dependency, say): it has one schema."""
        if ident[0] == "path":
            return
        first_type, other_type = _strip_optional(first.annotation)[0], _strip_optional(other.annotation)[0]
        if first_type != other_type and inspect.Parameter.empty not in (first_type, other_type):
            raise ImproperlyConfiguredException(
                f"The {ident[0]} parameter `{ident[1]}` of `{plan.handler.handler_name}` is read as "
                f"`{_type_repr(first_type)}` and as `{_type_repr(other_type)}` (by the handler or its dependencies), "
                "so the OpenAPI document cannot give it one schema; declare it with the same type everywhere."
            )

    def parameter(self, field: Any, path_param: Any) -> dict[str, Any]:
        annotation, optional = _strip_optional(field.annotation)
        if field.source == "path" and (annotation is Any or annotation is inspect.Parameter.empty):
            annotation = path_param.type
        schema = self.creator.for_type(annotation)
        kwarg = field.kwarg
        if kwarg is not None:
            schema = apply_constraints(schema, kwarg, self.creator.components)
            if getattr(kwarg, "schema_component_key", None):  # a component of its own, with its description
                schema = self.creator.under_key(kwarg.schema_component_key, schema, annotation)
            else:
                schema.pop("title", None)
                schema.pop("description", None)
                if kwarg.schema_extra:  # given for the schema: kept, a `description` too
                    schema.update(schema_extra_keys(kwarg.schema_extra))
        if optional and field.source != "path":
            schema = {"oneOf": [schema, {"type": "null"}]}  # `?cursor=null` is None for an `int | None`: documented
        if field.has_default and field.default is not None:
            ok, value = jsonable(field.default)
            if ok:
                schema = {**schema, "default": value}
        if field.source == "path":
            required = True
        elif kwarg is not None and getattr(kwarg, "required", None) is not None:
            required = bool(kwarg.required)
        else:
            required = not field.has_default  # a list without a default is required too (`_extractors`)
        name = field.key
        declared = getattr(kwarg, "header", None) or getattr(kwarg, "name", None)
        if field.source == "header" and isinstance(declared, str) and declared:
            name = declared  # documented as declared (`Parameter(header="X-Token")`), matched case-insensitively
        parameter: dict[str, Any] = {"name": name, "in": field.source, "required": required, "schema": schema}
        if kwarg is not None:
            if kwarg.description:
                parameter["description"] = kwarg.description
            if kwarg.examples:
                parameter["examples"] = self.examples(kwarg.examples, field.key)
        return parameter

    def examples(self, examples: Sequence[Any], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for index, example in enumerate(examples, start=1):
            if hasattr(example, "to_schema"):
                out[f"{prefix}-example-{index}"] = example.to_schema()
            else:
                ok, value = jsonable(example)
                if ok:
                    out[f"{prefix}-example-{index}"] = {"value": value}
        return out

    def request_body(self, plan: HTTPPlan) -> dict[str, Any] | None:
        fields = self._all_fields(plan)
        data = next((f for f in fields if f.source == "data"), None)
        if data is None:
            if any(f.source == "body" or (f.source == "special" and f.key == "body") for f in fields):
                return {
                    "content": {MediaType.OCTET_STREAM.value: {"schema": {"type": "string", "format": "binary"}}},
                    "required": False,
                }
            return None
        body_kwarg = data.body_kwarg
        media_type = media_type_str(body_kwarg.media_type) if body_kwarg is not None else RequestEncodingType.JSON.value
        dto_type = getattr(plan, "dto_body_type", None)  # a DTO documents its transferred fields (outpour.dto)
        annotation, optional = _strip_optional(data.annotation if dto_type is None else dto_type)
        schema = self.creator.for_type(annotation)
        if media_type == RequestEncodingType.MULTI_PART.value:
            schema = _form_of_files(schema)
        if body_kwarg is not None:  # `Body(ge=..., max_items=..., pattern=...)` documents the body's schema
            schema = apply_constraints(schema, body_kwarg, self.creator.components)
            schema.pop("title", None)
            schema.pop("description", None)
            if body_kwarg.schema_extra:  # given for the schema: kept, a `title` too
                schema.update(schema_extra_keys(body_kwarg.schema_extra))
        content: dict[str, Any] = {"schema": schema}
        if body_kwarg is not None and body_kwarg.examples:
            content["examples"] = self.examples(body_kwarg.examples, "body")
        body: dict[str, Any] = {"content": {media_type: content}, "required": not (data.has_default or optional)}
        if body_kwarg is not None and body_kwarg.description:
            body["description"] = body_kwarg.description
        return body

    # -- responses ----------------------------------------------------------------------------------------------------

    def responses(self, plan: HTTPPlan, template: PathTemplate) -> dict[str, Any]:
        handler = plan.handler
        status, success = self.success_response(plan)
        responses: dict[str, Any] = {str(status): success}
        by_status: dict[int, list[type]] = {}
        for exc in getattr(handler, "raises", None) or []:
            code = int(getattr(exc, "status_code", 500))
            by_status.setdefault(code, []).append(exc)
        for code, classes in sorted(by_status.items()):
            phrase = _phrase(code)
            if code not in _KNOWN_STATUSES:  # no standard phrase (`420`): the exception's own `detail`, when it has one
                details = [d for d in (getattr(c, "detail", None) for c in classes) if isinstance(d, str) and d]
                phrase = details[0] if details else phrase
            names = ", ".join(c.__name__ for c in classes)
            responses.setdefault(
                str(code),
                {
                    "description": f"{phrase} ({names})",
                    "content": {"application/json": {"schema": validation_error_schema(phrase)}},
                },
            )
        if "400" not in responses and any(self._validated(f, template) for f in self._all_fields(plan)):
            responses["400"] = {
                "description": "Bad request syntax or unsupported method",
                "content": {"application/json": {"schema": validation_error_schema("Validation Exception")}},
            }
        for code, spec in (getattr(handler, "responses", None) or {}).items():
            documented = self.response_spec(spec)
            if int(code) == status and success.get("headers") and "headers" not in documented:
                documented["headers"] = success["headers"]  # the layered headers are sent whatever the body
            responses[str(int(code))] = documented
        return responses

    @staticmethod
    def _validated(field: Any, template: PathTemplate) -> bool:
        """Whether a bad value of ``field`` can be answered with a 400."""
        if field.source != "path":
            return field.source in _VALIDATED_SOURCES
        return field.convert is not None or any(
            p.name == field.key and p.type_name not in ("str", "path") for p in template.params
        )

    def response_spec(self, spec: Any) -> dict[str, Any]:
        """Document one ``responses`` entry: a ``ResponseSpec``, a sequence of them, or an OpenAPI response object.

        A sequence documents one status answered in several media types (content negotiation): one ``content`` entry
        per ``ResponseSpec``, the description of the first.
        """
        if isinstance(spec, (list, tuple)):
            if not spec or not all(isinstance(item, ResponseSpec) for item in spec):
                raise ImproperlyConfiguredException(
                    f"A `responses` entry that is a sequence must hold one or more `ResponseSpec`s, got `{spec!r}`; "
                    "give one `ResponseSpec` per media type the status is answered in."
                )
            merged: dict[str, Any] = {"description": spec[0].description}
            for item in spec:
                content = self.response_spec(item).get("content")
                if content:
                    merged.setdefault("content", {}).update(content)
            return merged
        if not isinstance(spec, ResponseSpec):
            return to_builtin(spec) if hasattr(spec, "to_schema") else dict(spec)
        response: dict[str, Any] = {"description": spec.description}
        if spec.data_container is not None:
            media_type = media_type_str(spec.media_type)
            media: dict[str, Any] = {"schema": self.body_schema(spec.data_container, media_type)}
            if spec.examples:
                media["examples"] = self.examples(spec.examples, "response")
            response["content"] = {media_type: media}
        return response

    def headers(self, plan: HTTPPlan) -> dict[str, Any]:
        headers: dict[str, Any] = {}
        for header in plan.settings.response_headers:
            if header.name.lower() == "content-type":
                continue
            schema: dict[str, Any] = {"type": "string"}
            example = header.example if header.example is not None else header.value
            if example is not None:
                schema["examples"] = [str(example)]
            documented: dict[str, Any] = {"schema": schema}
            if header.description:
                documented["description"] = header.description
            if header.required:
                documented["required"] = True
            if header.deprecated:
                documented["deprecated"] = True
            if header.style is not None:
                documented["style"] = header.style
            if header.explode is not None:
                documented["explode"] = header.explode
            # `allow_empty_value` and `allow_reserved` are left out: the OpenAPI 3.1 schema forbids them in a header
            # object (they mean something for query parameters only), and the document must stay valid.
            if header.examples:
                documented["examples"] = to_builtin(dict(header.examples))
            headers[header.name] = documented
        cookies = plan.settings.response_cookies
        if cookies:
            described = [f"`{c.key}`" + (f": {c.description}" if c.description else "") for c in cookies]
            examples = [c.to_header(header="").strip() for c in cookies if c.value is not None]
            schema = {"type": "string", **({"examples": examples} if examples else {})}
            headers["Set-Cookie"] = {"schema": schema, "description": "Sets the cookies " + "; ".join(described)}
        cache_control = plan.settings.cache_control
        if cache_control is not None:
            headers["Cache-Control"] = {"schema": {"type": "string", "examples": [cache_control.to_header()]}}
        etag = plan.settings.etag
        if etag is not None:
            schema = {"type": "string"}
            if etag.value is not None:
                schema["examples"] = [etag.to_header()]
            headers["ETag"] = {"schema": schema}
        return headers

    def _is(self, cls: Any, kind: str) -> bool:
        target = self.kinds.get(kind)
        return isinstance(cls, type) and target is not None and issubclass(cls, target)

    def success_response(self, plan: HTTPPlan) -> tuple[int, dict[str, Any]]:
        handler = plan.handler
        annotation = plan.return_annotation
        origin = get_origin(annotation) or annotation
        status = plan.status_code
        explicit = media_type_str(handler.media_type) if handler.media_type is not None else None
        headers = self.headers(plan)
        content: dict[str, Any] | None = None
        if self._is(origin, "Redirect"):
            status = handler.status_code if handler.status_code in _REDIRECT_CODES else 302
            headers["Location"] = {"schema": {"type": "string"}, "description": "Where to go", "required": True}
        elif self._is(origin, "File"):
            media_type = explicit or MediaType.OCTET_STREAM.value
            file_type = getattr(handler, "content_media_type", None) or media_type
            content = {media_type: {"schema": {"type": "string", "contentMediaType": file_type}}}
            headers["Content-Disposition"] = {"schema": {"type": "string"}, "description": "The file name"}
            headers["Last-Modified"] = {"schema": {"type": "string"}}
            headers.setdefault("ETag", {"schema": {"type": "string"}})
        elif self._is(origin, "ServerSentEvent"):
            content = {MediaType.EVENT_STREAM.value: {"schema": _SSE_EVENT_SCHEMA}}
            headers.setdefault("Cache-Control", {"schema": {"type": "string", "examples": ["no-cache"]}})
        elif self._is(origin, "Stream"):
            media_type = plan.media_type
            schema: dict[str, Any] = {} if is_json_media_type(media_type) else {"type": "string"}
            content = {media_type: {"schema": schema}}
        elif self._is(origin, "Template"):
            content = {explicit or MediaType.HTML.value: {"schema": {"type": "string"}}}
        elif origin in (Callable, type(print)) or getattr(origin, "__qualname__", "") == "Callable":
            content = None
        else:
            body_type = annotation
            if isinstance(origin, type) and issubclass(origin, Response):
                args = get_args(annotation)
                body_type = args[0] if args else Any
            dto_type = getattr(plan, "dto_return_type", None)  # a return DTO documents its transferred fields
            if dto_type is not None:
                body_type = dto_type
            if not body_forbidden(status) and body_type not in (None, type(None)):
                schema = self.body_schema(body_type, plan.media_type)
                # `@get(content_encoding="base64", content_media_type="image/png")`: what the body's string holds
                for key, value in (
                    ("contentEncoding", getattr(handler, "content_encoding", None)),
                    ("contentMediaType", getattr(handler, "content_media_type", None)),
                ):
                    if value:
                        schema = {**schema, key: value}
                content = {plan.media_type: {"schema": schema}}
        description = getattr(handler, "response_description", None) or _status_description(status)
        response: dict[str, Any] = {"description": description, "headers": headers}
        if content:
            response["content"] = content
        return status, response

    def body_schema(self, body_type: Any, media_type: str) -> dict[str, Any]:
        structured = is_json_media_type(media_type) or is_msgpack_media_type(media_type)
        if body_type is bytes:
            return {} if structured else {"type": "string"}
        if not structured:
            if isinstance(body_type, type) and issubclass(body_type, str) and body_type is not str:
                return self.creator.for_type(body_type)  # a `StrEnum` is sent as its value: its values are documented
            return {"type": "string"}
        return self.creator.for_type(body_type)


def build_openapi(
    app: Outpour, config: OpenAPIConfig, operation_classes: dict[tuple[str, str], type[Operation]] | None = None
) -> dict[str, Any]:
    """Build the OpenAPI document of ``app``.

    Args:
        app: The application.
        config: The OpenAPI configuration.
        operation_classes: Filled with the custom ``operation_class`` of each operation that has one, by path and
            method (lower case), so that ``app.openapi_schema`` holds instances of them.

    Returns:
        The document, as JSON-compatible data.
    """
    builder = _Builder(app, config)
    document = builder.build()
    if operation_classes is not None:
        operation_classes.update(builder.operation_classes)
    return document
