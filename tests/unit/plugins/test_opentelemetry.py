"""``outpour.plugins.opentelemetry``: requests traced by opentelemetry's ASGI instrumentation."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Span, SpanKind, StatusCode

from outpour import WebSocket, get, post, websocket
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, NotAuthorizedException
from outpour.plugins.opentelemetry import (
    OpenTelemetryConfig,
    OpenTelemetryInstrumentationMiddleware,
    OpenTelemetryPlugin,
)
from outpour.testing import create_test_client
from outpour.types import ASGIApp, Receive, Scope, Send


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer_provider(exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def _server_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    (span,) = [span for span in exporter.get_finished_spans() if span.kind is SpanKind.SERVER]
    return span


@get("/items/{item_id:int}", sync_to_thread=False)
def get_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise ValueError("the kettle is empty")


@get("/health", sync_to_thread=False)
def health() -> str:
    return "ok"


@pytest.mark.parametrize("how", ["plugin", "middleware"])
def test_a_request_is_traced_in_a_server_span(how: str, tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider)
    options: dict[str, Any] = (
        {"plugins": [OpenTelemetryPlugin(config)]} if how == "plugin" else {"middleware": [config.middleware]}
    )
    with create_test_client([get_item], **options) as client:
        response = client.get("/items/7")
    assert response.json() == {"id": 7}
    span = _server_span(exporter)
    assert span.name == "GET /items/7"
    assert span.attributes is not None
    assert span.attributes["http.route"] == "GET /items/7"
    assert span.attributes["http.method"] == "GET"
    assert span.attributes["http.target"] == "/items/7"
    assert span.attributes["http.status_code"] == 200
    assert span.status.status_code is StatusCode.UNSET
    events = sorted(
        dict(s.attributes or {})["asgi.event.type"]
        for s in exporter.get_finished_spans()
        if s.kind is SpanKind.INTERNAL
    )
    assert events == ["http.response.body", "http.response.start"]


def test_a_handler_error_marks_the_span_and_records_the_exception(
    tracer_provider: TracerProvider, exporter: Any
) -> None:
    seen: list[tuple[Exception, str]] = []
    config = OpenTelemetryConfig(
        tracer_provider=tracer_provider,
        after_exception_hook_handler=lambda exc, scope: seen.append((exc, scope["path"])),
    )
    with create_test_client([boom], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.get("/boom").status_code == 500
    span = _server_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["http.status_code"] == 500
    (event,) = [event for event in span.events if event.name == "exception"]
    assert event.attributes is not None
    assert event.attributes["exception.type"] == "ValueError"
    assert event.attributes["exception.message"] == "the kettle is empty"
    assert [(type(exc), path) for exc, path in seen] == [(ValueError, "/boom")]


def test_an_async_after_exception_hook_is_awaited(tracer_provider: TracerProvider) -> None:
    seen: list[str] = []

    async def hook(exc: Exception, scope: Scope) -> None:
        seen.append(str(exc))

    config = OpenTelemetryConfig(tracer_provider=tracer_provider, after_exception_hook_handler=hook)
    with create_test_client([boom], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/boom")
    assert seen == ["the kettle is empty"]


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/nowhere", 404), ("POST", "/health", 405)], ids=["404", "405"]
)
def test_requests_no_route_takes_are_traced(
    method: str, path: str, status: int, tracer_provider: TracerProvider, exporter: Any
) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider)
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.request(method, path).status_code == status
    span = _server_span(exporter)
    assert span.name == f"{method} {path}"
    assert span.status.status_code is StatusCode.UNSET  # a client error is not the server's
    assert span.attributes is not None
    assert span.attributes["http.status_code"] == status


def test_an_error_raised_by_other_middleware_is_traced_with_its_answer(
    tracer_provider: TracerProvider, exporter: Any
) -> None:
    def refuse_all(app: ASGIApp) -> ASGIApp:
        async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
            raise NotAuthorizedException()

        return refuse

    config = OpenTelemetryConfig(tracer_provider=tracer_provider)
    # Given after the refusing middleware, the instrumentation still wraps the whole app.
    with create_test_client([health], middleware=[refuse_all, config.middleware]) as client:
        assert client.get("/health").status_code == 401
    span = _server_span(exporter)
    assert span.attributes is not None
    assert span.attributes["http.status_code"] == 401


def test_excluded_paths_are_not_traced(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider, exclude=["^/health$"])
    with create_test_client([health, get_item], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.get("/health").text == "ok"
        assert not exporter.get_finished_spans()
        client.get("/items/1")
    assert _server_span(exporter).name == "GET /items/1"


def test_urls_listed_in_the_environment_are_not_traced(
    tracer_provider: TracerProvider, exporter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_SHOP_EXCLUDED_URLS", "health")
    config = OpenTelemetryConfig(tracer_provider=tracer_provider, exclude_urls_env_key="SHOP")
    with create_test_client([health, get_item], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.get("/health").status_code == 200
        assert not exporter.get_finished_spans()
        client.get("/items/1")
    assert _server_span(exporter).name == "GET /items/1"


@websocket("/echo")
async def echo(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    await socket.send_text(await socket.receive_text())
    await socket.close()


def test_websocket_connections_are_traced(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider)
    with (
        create_test_client([echo], plugins=[OpenTelemetryPlugin(config)]) as client,
        client.websocket_connect("/echo") as ws,
    ):
        ws.send_text("hi")
        assert ws.receive_text() == "hi"
    span = _server_span(exporter)
    assert span.name == "/echo"
    assert span.attributes is not None
    assert span.attributes["http.url"] == "ws://testserver.local/echo"


def test_scopes_limit_what_is_traced(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider, scopes={"http"})  # type: ignore[arg-type]
    with (
        create_test_client([echo], plugins=[OpenTelemetryPlugin(config)]) as client,
        client.websocket_connect("/echo") as ws,
    ):
        ws.send_text("hi")
        assert ws.receive_text() == "hi"
    assert not exporter.get_finished_spans()


def test_hooks_see_the_span_the_scope_and_the_messages(tracer_provider: TracerProvider, exporter: Any) -> None:
    calls: list[str] = []

    def on_request(span: Span, scope: dict[str, Any]) -> None:
        span.set_attribute("shop.path", scope["path"])

    def on_receive(span: Span, scope: dict[str, Any], message: dict[str, Any]) -> None:
        calls.append(message["type"])

    def on_send(span: Span, scope: dict[str, Any], message: dict[str, Any]) -> None:
        calls.append(message["type"])

    @post("/echo", sync_to_thread=False)
    def echo_body(data: dict[str, int]) -> dict[str, int]:
        return data

    config = OpenTelemetryConfig(
        tracer_provider=tracer_provider,
        server_request_hook_handler=on_request,
        client_request_hook_handler=on_receive,
        client_response_hook_handler=on_send,
    )
    with create_test_client([echo_body], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.post("/echo", json={"a": 1}).json() == {"a": 1}
    assert calls == ["http.request", "http.response.start", "http.response.body"]
    span = _server_span(exporter)
    assert span.attributes is not None
    assert span.attributes["shop.path"] == "/echo"


def test_a_failing_hook_or_extractor_never_fails_the_request(tracer_provider: TracerProvider, exporter: Any) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("broken hook")

    config = OpenTelemetryConfig(
        tracer_provider=tracer_provider,
        scope_span_details_extractor=broken,
        server_request_hook_handler=broken,
        client_response_hook_handler=broken,
    )
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        response = client.get("/health")
    assert (response.status_code, response.text) == (200, "ok")
    assert _server_span(exporter).name == "/health"


def test_a_custom_extractor_names_the_span(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(
        tracer_provider=tracer_provider,
        scope_span_details_extractor=lambda scope: (f"shop {scope['path']}", {"shop.kind": "catalogue"}),
    )
    with create_test_client([get_item], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/items/3")
    span = _server_span(exporter)
    assert span.name == "shop /items/3"
    assert span.attributes is not None
    assert span.attributes["shop.kind"] == "catalogue"


def test_exclude_spans_leaves_out_the_send_and_receive_spans(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/health")
    assert [span.kind for span in exporter.get_finished_spans()] == [SpanKind.SERVER]


def test_captured_headers_become_span_attributes(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(
        tracer_provider=tracer_provider,
        http_capture_headers_server_request=["x-request-id", "authorization"],
        http_capture_headers_sanitize_fields=["authorization"],
    )
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/health", headers={"x-request-id": "r-1", "authorization": "secret"})
    attributes = _server_span(exporter).attributes
    assert attributes is not None
    assert attributes["http.request.header.x_request_id"] == ("r-1",)
    assert attributes["http.request.header.authorization"] == ("[REDACTED]",)


def test_a_given_tracer_is_used(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer=tracer_provider.get_tracer("shop"))
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/health")
    scope = _server_span(exporter).instrumentation_scope
    assert scope is not None
    assert scope.name == "shop"


def test_exclude_opt_key_does_not_break_requests(tracer_provider: TracerProvider, exporter: Any) -> None:
    config = OpenTelemetryConfig(tracer_provider=tracer_provider, exclude_opt_key="no_tracing")
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        assert client.get("/health").status_code == 200


def test_config_defaults_and_middleware() -> None:
    config = OpenTelemetryConfig()
    assert config.exclude_urls_env_key == "LITESTAR"
    assert config.middleware_class is OpenTelemetryInstrumentationMiddleware
    assert config.middleware.middleware is OpenTelemetryInstrumentationMiddleware
    assert config.middleware.kwargs == {"config": config}
    assert OpenTelemetryPlugin().config.tracer_provider is None


def test_a_custom_middleware_class_is_used(tracer_provider: TracerProvider, exporter: Any) -> None:
    class ShopInstrumentation(OpenTelemetryInstrumentationMiddleware):
        pass

    config = OpenTelemetryConfig(tracer_provider=tracer_provider, middleware_class=ShopInstrumentation)
    with create_test_client([health], plugins=[OpenTelemetryPlugin(config)]) as client:
        client.get("/health")
    assert _server_span(exporter).name == "GET /health"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"middleware_class": object}, "must be a subclass of OpenTelemetryInstrumentationMiddleware"),
        ({"exclude_spans": ["everything"]}, "takes 'receive' and/or 'send'"),
    ],
)
def test_a_config_mistake_raises(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        OpenTelemetryConfig(**options)


def test_importing_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name.startswith("outpour.plugins.opentelemetry"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "opentelemetry.instrumentation.asgi", None)
    with pytest.raises(MissingDependencyException, match=r"pip install 'outpour\[opentelemetry\]'"):
        importlib.import_module("outpour.plugins.opentelemetry")
