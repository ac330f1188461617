"""``outpour.types``: ASGI ``TypedDict``s with the spec's keys, the ``Empty`` sentinel, protocols, the old names."""

from __future__ import annotations

import logging
import pdb
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, get_args

import pytest

import outpour.types
from outpour import get
from outpour.enums import CompressionEncoding, HttpMethod
from outpour.testing import create_test_client
from outpour.types import (
    Empty,
    EmptyType,
    HTTPScope,
    LifeSpanScope,
    Method,
    Scope,
    WebSocketScope,
)
from outpour.types import asgi_types as asgi
from outpour.types.builtin_types import NoneType, UnionType, UnionTypes
from outpour.types.debugger_types import Debugger, PDBProtocol
from outpour.types.internal_types import PathParameterDefinition
from outpour.types.protocols import DataclassProtocol, InstantiableCollection, Logger

_SCOPE_KEYS = {
    "asgi", "http_version", "scheme", "path", "raw_path", "query_string", "root_path", "headers", "client",
    "server", "state", "extensions", "app", "path_params",
}  # fmt: skip


@pytest.mark.parametrize(
    ("typed_dict", "required", "optional"),
    [
        pytest.param(
            HTTPScope, _SCOPE_KEYS | {"type", "method"}, {"route_handler", "auth", "user", "session"}, id="http-scope"
        ),
        pytest.param(
            WebSocketScope,
            _SCOPE_KEYS | {"type", "subprotocols"},
            {"route_handler", "auth", "user", "session"},
            id="websocket-scope",
        ),
        pytest.param(LifeSpanScope, {"type", "asgi"}, {"state", "app"}, id="lifespan-scope"),
        pytest.param(asgi.ASGIVersion, {"version", "spec_version"}, set(), id="asgi-version"),
        pytest.param(asgi.HTTPRequestEvent, {"type", "body", "more_body"}, set(), id="http.request"),
        pytest.param(asgi.HTTPResponseStartEvent, {"type", "status", "headers"}, set(), id="http.response.start"),
        pytest.param(asgi.HTTPResponseBodyEvent, {"type", "body", "more_body"}, set(), id="http.response.body"),
        pytest.param(asgi.HTTPServerPushEvent, {"type", "path", "headers"}, set(), id="http.response.push"),
        pytest.param(asgi.HTTPDisconnectEvent, {"type"}, set(), id="http.disconnect"),
        pytest.param(asgi.WebSocketConnectEvent, {"type"}, set(), id="websocket.connect"),
        pytest.param(asgi.WebSocketAcceptEvent, {"type", "subprotocol", "headers"}, set(), id="websocket.accept"),
        pytest.param(asgi.WebSocketReceiveEvent, {"type", "bytes", "text"}, set(), id="websocket.receive"),
        pytest.param(asgi.WebSocketSendEvent, {"type", "bytes", "text"}, set(), id="websocket.send"),
        pytest.param(asgi.WebSocketResponseStartEvent, {"type", "status", "headers"}, set(), id="ws.http.start"),
        pytest.param(asgi.WebSocketResponseBodyEvent, {"type", "body", "more_body"}, set(), id="ws.http.body"),
        pytest.param(asgi.WebSocketDisconnectEvent, {"type", "code", "reason"}, set(), id="websocket.disconnect"),
        pytest.param(asgi.WebSocketCloseEvent, {"type", "code", "reason"}, set(), id="websocket.close"),
        pytest.param(asgi.LifeSpanStartupEvent, {"type"}, set(), id="lifespan.startup"),
        pytest.param(asgi.LifeSpanShutdownEvent, {"type"}, set(), id="lifespan.shutdown"),
        pytest.param(asgi.LifeSpanStartupCompleteEvent, {"type"}, set(), id="lifespan.startup.complete"),
        pytest.param(asgi.LifeSpanStartupFailedEvent, {"type", "message"}, set(), id="lifespan.startup.failed"),
        pytest.param(asgi.LifeSpanShutdownCompleteEvent, {"type"}, set(), id="lifespan.shutdown.complete"),
        pytest.param(asgi.LifeSpanShutdownFailedEvent, {"type", "message"}, set(), id="lifespan.shutdown.failed"),
    ],
)
def test_asgi_typed_dicts_have_the_spec_keys(typed_dict: Any, required: set[str], optional: set[str]) -> None:
    assert (typed_dict.__required_keys__, typed_dict.__optional_keys__) == (required, optional)


def test_a_real_http_scope_has_the_http_scope_keys() -> None:
    seen: list[Scope] = []

    @get("/items/{item_id:int}")
    async def handler(scope: Scope) -> None:
        seen.append(dict(scope))

    with create_test_client([handler]) as client:
        client.get("/items/1")
    assert HTTPScope.__required_keys__ <= seen[0].keys()
    assert seen[0]["type"] == "http"
    assert seen[0]["path_params"] == {"item_id": 1}


def test_empty_is_a_falsy_singleton_that_narrows() -> None:
    def describe(value: int | EmptyType = Empty) -> str:
        return "not given" if value is Empty else f"given {value + 1}"

    assert (describe(), describe(1)) == ("not given", "given 2")
    assert not Empty
    assert repr(Empty) == "Empty"
    assert get_args(EmptyType) == (Empty,)


def test_method_accepts_strings_and_http_method() -> None:
    assert HttpMethod in get_args(Method)


def test_names_used_before_the_package_split_still_import() -> None:
    names = [
        "ASGIApp", "AfterExceptionHookHandler", "AfterRequestHookHandler", "AfterResponseHookHandler", "AnyCallable",
        "BeforeMessageSendHookHandler", "BeforeRequestHookHandler", "Empty", "EmptyType", "ExceptionHandlersMap",
        "Guard", "Message", "Method", "OnAppInitHandler", "Receive", "ResponseCookies", "ResponseHeaders", "Scope",
        "Send", "StreamType", "SSEData", "TypeDecodersSequence", "TypeEncodersMap",
    ]  # fmt: skip
    assert [name for name in names if not hasattr(outpour.types, name)] == []
    assert set(names) <= set(outpour.types.__all__)


def test_protocols_recognise_what_they_describe() -> None:
    @dataclass
    class Point:
        x: int

    assert isinstance(Point(1), DataclassProtocol)
    assert not isinstance(object(), DataclassProtocol)
    assert isinstance(logging.getLogger("outpour"), Logger)
    collection: type[InstantiableCollection[int]] = list
    assert collection([1, 2]) == [1, 2]
    # Runtime checkable, as Litestar's: the types that can be built from an iterable of their items.
    assert all(issubclass(kind, InstantiableCollection) for kind in (list, tuple, set, frozenset, str, dict))
    assert not any(issubclass(kind, InstantiableCollection) for kind in (int, float, bool))

    class Recorder:
        seen: ClassVar[list[object]] = []

        @staticmethod
        def post_mortem(traceback: TracebackType | None = None, *args: Any, **kwargs: Any) -> None:
            Recorder.seen.append(traceback)

    debuggers: list[Debugger] = [pdb, Recorder()]
    recorder: PDBProtocol = Recorder()
    recorder.post_mortem(None)
    assert (len(debuggers), Recorder.seen) == (2, [None])


def test_builtin_types() -> None:
    assert NoneType is type(None)
    assert type(int | str) is UnionType
    assert UnionType in UnionTypes


def test_path_parameter_definition_is_a_named_tuple() -> None:
    definition = PathParameterDefinition(name="item_id", full="item_id:int", type=int, parser=int)
    assert definition.parser is not None
    assert (definition.name, definition.type, definition.parser("7")) == ("item_id", int, 7)


def test_compression_encodings_are_the_header_tokens() -> None:
    assert [str(encoding) for encoding in CompressionEncoding] == ["gzip", "br", "zstd"]
