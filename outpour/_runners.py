"""The runners of a route: the coroutine that takes one request from the scope to the sending stage.

``choose`` picks, at start-up, the smallest runner that does what the route needs. ``general`` does everything
(request, guards, hooks, parameters, dependencies, response classes); the others are specialisations of it for
routes without hooks, guards or dependencies, and must answer exactly as it does (``OUTPOUR_GENERAL_PATH=1`` turns
them off; ``make pytest-general`` runs the client-level suites that way).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import msgspec

from outpour._body import close_form
from outpour._dependencies import call, cleanup, maybe_await
from outpour._extractors import convert_path, missing, validation_error
from outpour._precondition_hook import precondition_failed, precondition_status
from outpour.connection.request import Request, read_body
from outpour.datastructures.url import parse_query
from outpour.response.base import Response
from outpour.types import Empty

if TYPE_CHECKING:
    from outpour._plan import HTTPPlan
    from outpour._precondition_hook import Validators
    from outpour.types import ASGIApp, Receive, Scope, Send

__all__ = ["choose", "general", "with_preconditions"]

_MAX_CACHED_QUERY = 256
"""The longest query string a route keeps parsed."""
_MAX_CACHED_QUERIES = 256
"""How many parsed query strings a route keeps."""


def choose(plan: HTTPPlan) -> ASGIApp:
    """The runner for ``plan``: a specialisation where one applies, else ``general``."""
    if plan.general:
        return general(plan)
    params = plan.extractors
    plain = not plan.needs_request and not params.providers and plan.sender.response_class is Response
    if plain and not params.has_params and (plan.is_async or not plan.sync_to_thread):
        return no_params(plan)
    if plain and params.path_only and plan.is_async:
        return path_only(plan)
    if (
        plain
        and plan.is_async
        and not params.layer_fields
        and all(f.source in ("path", "query") for f in params.fields)
    ):
        return path_and_query(plan)
    if (
        plan.is_async
        and len(params.fields) == 1
        and params.data_field is params.fields[0]
        and not params.layer_fields
        and not (params.providers or plan.guards or plan.before_request or plan.after_response)
        and not plan.sender.prepares
    ):
        return data_only(plan)
    return general(plan)


def with_preconditions(app: ASGIApp, validators: Validators, plan: HTTPPlan) -> ASGIApp:
    """``app`` behind the route's static validators, for methods that change state (RFC 9110, section 13.2.1)."""
    on_error = plan.sender.on_error

    async def run_with_preconditions(scope: Scope, receive: Receive, send: Send) -> None:
        # Before the handler acts: a failed If-Match / If-Unmodified-Since (or a matching If-None-Match) is a 412.
        if precondition_status(scope, validators) is not None:
            await on_error(precondition_failed(), scope, receive, send, None)
            return
        await app(scope, receive, send)

    return run_with_preconditions


def no_params(plan: HTTPPlan) -> ASGIApp:
    """A handler without parameters: call it, send what it returns."""
    fn = plan.fn
    finish = plan.sender.finish
    on_error = plan.sender.on_error
    if not plan.is_async:  # a sync handler run in the event loop (`sync_to_thread=False`)

        async def run_sync_no_params(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                value = fn()
            except Exception as exc:
                await on_error(exc, scope, receive, send, None)
                return
            await finish(value, scope, receive, send, None)

        return run_sync_no_params

    async def run_no_params(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            value = await fn()
        except Exception as exc:
            await on_error(exc, scope, receive, send, None)
            return
        await finish(value, scope, receive, send, None)

    return run_no_params


def path_only(plan: HTTPPlan) -> ASGIApp:
    """An async handler whose parameters all come from the path."""
    fn = plan.fn
    finish = plan.sender.finish
    on_error = plan.sender.on_error
    fields = [(f.name, f.key, f.convert) for f in plan.extractors.fields]  # the key differs with `name=`

    async def run_path_only(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            params = scope["path_params"]
            kwargs = {}
            for name, key, conv in fields:
                kwargs[name] = params[key] if conv is None else convert_path(name, conv, params[key], scope)
            value = await fn(**kwargs)
        except Exception as exc:
            await on_error(exc, scope, receive, send, None)
            return
        await finish(value, scope, receive, send, None)

    return run_path_only


def path_and_query(plan: HTTPPlan) -> ASGIApp:
    """An async handler whose parameters all come from the path and the query string."""
    fn = plan.fn
    finish = plan.sender.finish
    on_error = plan.sender.on_error
    specs = [
        (f.name, f.source == "path", f.key, f.convert, f.default, f.has_default, f.is_sequence)
        for f in plan.extractors.fields
    ]
    parsed: dict[bytes, dict[str, list[str]]] = {}
    """The route's last query strings, parsed: read only (a sequence parameter gets a copy of its list)."""

    async def run_path_and_query(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            query_string = scope["query_string"]
            query = parsed.get(query_string)
            if query is None:
                query = parse_query(query_string)
                if len(query_string) <= _MAX_CACHED_QUERY:
                    if len(parsed) >= _MAX_CACHED_QUERIES:
                        parsed.clear()
                    parsed[query_string] = query
            kwargs: dict[str, Any] = {}
            errors: list[dict[str, Any]] | None = None
            for name, is_path, key, conv, default, has_default, is_seq in specs:
                if is_path:
                    raw: Any = scope["path_params"][key]
                    kwargs[name] = raw if conv is None else convert_path(name, conv, raw, scope)
                    continue
                found = query.get(key)
                if found is None:
                    if has_default:
                        kwargs[name] = default
                        continue
                    errors = errors or []  # a list without a default is required too, as on the general path
                    errors.append(missing("query", key))
                    continue
                raw = [*found] if is_seq else found[-1]
                if conv is None:
                    kwargs[name] = raw
                    continue
                try:
                    kwargs[name] = conv(raw)
                except (msgspec.ValidationError, ValueError, TypeError) as exc:
                    errors = errors or []
                    errors.append({"message": str(exc), "key": name, "source": "query"})  # the name, as Litestar
            if errors:
                raise validation_error(scope, errors)
            value = await fn(**kwargs)
        except Exception as exc:
            await on_error(exc, scope, receive, send, None)
            return
        await finish(value, scope, receive, send, None)

    return run_path_and_query


def data_only(plan: HTTPPlan) -> ASGIApp:
    """An async handler whose only parameter is ``data``."""
    fn = plan.fn
    sender = plan.sender
    finish = sender.finish
    on_error = sender.on_error
    make_request = sender.make_request
    name = plan.extractors.fields[0].name
    assert plan.body is not None
    decode = plan.body.decode
    is_form = plan.body.is_form
    if not is_form and sender.request_class is Request:
        # A JSON or MessagePack body needs no `Request`: the body is read from `receive`, as `Request.body()` would.
        from_body = plan.body.from_body
        handler = plan.handler
        if _first_positional(fn) == name:  # `fn(data)` is `fn(data=data)`, without a dict

            async def run_positional_body(scope: Scope, receive: Receive, send: Send) -> None:
                scope["route_handler"] = handler  # the body limit is the handler's
                try:
                    value = await fn(from_body(await read_body(scope, receive), scope))
                except Exception as exc:
                    await on_error(exc, scope, receive, send, None)
                    return
                await finish(value, scope, receive, send, None)

            return run_positional_body

        async def run_body_only(scope: Scope, receive: Receive, send: Send) -> None:
            scope["route_handler"] = handler  # the body limit is the handler's
            try:
                value = await fn(**{name: from_body(await read_body(scope, receive), scope)})
            except Exception as exc:
                await on_error(exc, scope, receive, send, None)
                return
            await finish(value, scope, receive, send, None)

        return run_body_only

    async def run_data_only(scope: Scope, receive: Receive, send: Send) -> None:
        request = None
        try:
            request = make_request(scope, receive, send)
            value = await fn(**{name: await decode(request, scope)})
        except Exception as exc:
            await on_error(exc, scope, receive, send, request)
            return
        await finish(value, scope, receive, send, request)
        if is_form:
            await close_form(scope)

    return run_data_only


def _first_positional(fn: Any) -> str | None:
    """The name of ``fn``'s first parameter when it may be given by position or keyword, else None."""
    try:
        parameters = list(inspect.signature(fn, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):
        return None
    if parameters and parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
        return parameters[0].name
    return None


def general(plan: HTTPPlan) -> ASGIApp:
    """Every route's runner when nothing specialised applies: request, guards, hooks, parameters, dependencies."""
    fn, is_async, to_thread = plan.fn, plan.is_async, plan.sync_to_thread
    handler = plan.handler
    sender = plan.sender
    make_request = sender.make_request if plan.needs_request else None
    guards = plan.guards
    before_request = plan.before_request
    after_response = plan.after_response
    resolve = plan.extractors.resolve if plan.extractors.has_params else None
    prepare = sender.prepare if sender.prepares else None
    on_error = sender.on_error
    send_prepared = sender.send_prepared

    async def run_general(scope: Scope, receive: Receive, send: Send) -> None:
        request = make_request(scope, receive, send) if make_request is not None else None
        cleanups: list[Any] = []
        try:
            value: Any = Empty
            if request is not None:
                for guard in guards:
                    await maybe_await(guard(request, handler))
                if before_request is not None:
                    early = await maybe_await(before_request(request))
                    if early is not None:
                        value = early
            if value is Empty:
                kwargs = await resolve(scope, receive, send, request, cleanups) if resolve is not None else {}
                value = await call(fn, is_async, to_thread, kwargs)
            wrapped = False
            if prepare is not None:
                value, wrapped = await prepare(value)
        except Exception as exc:
            await cleanup(cleanups, exc)
            await on_error(exc, scope, receive, send, request)
            return
        if cleanups:  # generator dependencies finish before the response is sent, as in Litestar
            try:
                await cleanup(cleanups, None)
            except Exception as exc:
                await on_error(exc, scope, receive, send, request)
                return
        await send_prepared(value, wrapped, scope, receive, send, request)
        if request is not None:
            await close_form(scope)
            if after_response is not None:
                await maybe_await(after_response(request))

    return run_general
