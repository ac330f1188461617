"""``outpour.plugins.prometheus``: request metrics recorded by a middleware and served by a controller."""

from __future__ import annotations

import asyncio
import importlib
import itertools
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from outpour import Request, get, post, websocket_listener
from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, NotAuthorizedException
from outpour.plugins.prometheus import PrometheusConfig, PrometheusController, PrometheusMiddleware
from outpour.response import Stream
from outpour.testing import TestClient, create_test_client
from outpour.types import ASGIApp, ControllerRouterHandler, Receive, Scope, Send

_prefixes = itertools.count()


def config(**kwargs: Any) -> PrometheusConfig:
    """A config with a prefix of its own: the metrics live in the process-wide registry, shared by every test."""
    return PrometheusConfig(prefix=f"test{next(_prefixes)}", **kwargs)


def sample(client: TestClient[Any], name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` with ``labels`` (others ignored) in the served metrics, ``None`` if absent."""
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for found in family.samples:
            if found.name == name and labels.items() <= found.labels.items():
                return float(found.value)
    return None


@get("/items/{item_id:int}", sync_to_thread=False)
def item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


@post("/items", sync_to_thread=False)
def create_item() -> None:
    return None


@get("/broken", sync_to_thread=False)
def broken() -> None:
    raise ValueError("broken handler")


@get("/refused", sync_to_thread=False)
def refused() -> None:
    raise NotAuthorizedException("no token")


@get("/quiet", opt={"no_metrics": True}, sync_to_thread=False)
def quiet() -> str:
    return "quiet"


@get("/stream")
def stream() -> Stream:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"one"
        await asyncio.sleep(0.2)
        yield b"two"

    return Stream(chunks())


@websocket_listener("/echo")
def echo(data: str) -> str:
    return data


HANDLERS: list[ControllerRouterHandler] = [
    item,
    create_item,
    broken,
    refused,
    quiet,
    stream,
    echo,
    PrometheusController,
]


def test_requests_are_counted_with_method_path_status_and_app_name() -> None:
    cfg = config()
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        client.get("/items/1")
        client.get("/items/1")
        client.post("/items")
        assert sample(client, f"{cfg.prefix}_requests_total", method="GET", path="/items/1", status_code="200") == 2
        assert (
            sample(
                client,
                f"{cfg.prefix}_requests_total",
                method="POST",
                path="/items",
                status_code="201",
                app_name="litestar",
            )
            == 1
        )


def test_error_statuses_are_recorded_and_5xx_counted_as_errors() -> None:
    cfg = config()
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        assert client.get("/broken").status_code == 500
        assert client.get("/refused").status_code == 401
        assert sample(client, f"{cfg.prefix}_requests_total", path="/broken", status_code="500") == 1
        assert sample(client, f"{cfg.prefix}_requests_error_total", path="/broken", status_code="500") == 1
        assert sample(client, f"{cfg.prefix}_requests_total", path="/refused", status_code="401") == 1
        assert sample(client, f"{cfg.prefix}_requests_error_total", path="/refused") is None


def test_requests_in_progress_counts_the_running_request() -> None:
    cfg = config()
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        client.get("/items/1")
        assert sample(client, f"{cfg.prefix}_requests_in_progress", path="/items/1") == 0
        # the metrics request itself is in progress while it renders them
        assert sample(client, f"{cfg.prefix}_requests_in_progress", path="/metrics") == 1


def test_duration_histogram_uses_the_configured_buckets() -> None:
    cfg = config(buckets=[0.25, 60.0])
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        client.get("/items/1")
        name = f"{cfg.prefix}_request_duration_seconds_bucket"
        assert sample(client, name, path="/items/1", le="0.25") == 1
        assert sample(client, name, path="/items/1", le="60.0") == 1
        assert sample(client, name, path="/items/1", le="0.005") is None  # not one of the configured buckets


def test_a_stream_is_timed_until_its_last_chunk() -> None:
    cfg = config()
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        assert client.get("/stream").content == b"onetwo"
        duration = sample(client, f"{cfg.prefix}_request_duration_seconds_sum", path="/stream")
    assert duration is not None
    assert duration >= 0.2


def test_extra_labels_take_static_values_and_callables() -> None:
    def client_kind(request: Request[Any, Any, Any]) -> str:
        return str(request.headers.get("x-client", "unknown"))

    cfg = config(labels={"region": "eu", "device": client_kind}, app_name="shop")
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        client.get("/items/1", headers={"x-client": "mobile"})
        labels = {"path": "/items/1", "region": "eu", "device": "mobile", "app_name": "shop"}
        assert sample(client, f"{cfg.prefix}_requests_total", **labels) == 1


def test_a_failing_label_callable_costs_the_label_not_the_response(caplog: pytest.LogCaptureFixture) -> None:
    def failing(request: Request[Any, Any, Any]) -> str:
        raise RuntimeError("label lookup failed")

    cfg = config(labels={"tenant": failing}, exemplars=lambda request: {"trace_id": "x" * 200})
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        response = client.get("/items/1")
        # the exemplar is too long for prometheus-client, which refuses it: the request is still answered
        assert (response.status_code, response.json()) == (200, {"id": 1})
    assert "label lookup failed" in caplog.text


def test_group_path_labels_requests_with_the_route_template() -> None:
    grouped, raw = config(group_path=True), config()
    with create_test_client(HANDLERS, middleware=[grouped.middleware, raw.middleware]) as client:
        client.get("/items/1")
        client.get("/items/2")
        assert sample(client, f"{grouped.prefix}_requests_total", path="/items/{item_id:int}") == 2
        assert sample(client, f"{raw.prefix}_requests_total", path="/items/1") == 1
        assert sample(client, f"{raw.prefix}_requests_total", path="/items/2") == 1


@pytest.mark.parametrize(
    ("options", "skipped", "recorded"),
    [
        pytest.param({"exclude": r"^/items/\d+$"}, ("get", "/items/1"), ("post", "/items"), id="exclude"),
        pytest.param({"exclude_opt_key": "no_metrics"}, ("get", "/quiet"), ("get", "/items/1"), id="opt-key"),
        pytest.param({"excluded_http_methods": ["POST"]}, ("post", "/items"), ("get", "/items/1"), id="methods"),
        pytest.param({"excluded_http_methods": "POST"}, ("post", "/items"), ("get", "/items/1"), id="one-method"),
    ],
)
def test_excluded_requests_are_not_recorded(
    options: dict[str, Any], skipped: tuple[str, str], recorded: tuple[str, str]
) -> None:
    cfg = config(**options)
    with create_test_client(HANDLERS, middleware=[cfg.middleware]) as client:
        assert client.request(skipped[0], skipped[1]).status_code < 300
        client.request(recorded[0], recorded[1])
        assert sample(client, f"{cfg.prefix}_requests_total", path=skipped[1]) is None
        assert sample(client, f"{cfg.prefix}_requests_total", path=recorded[1]) == 1


def test_websocket_connections_are_recorded_unless_scopes_leave_them_out() -> None:
    both, http_only = config(), config(scopes={"http"})
    with create_test_client(HANDLERS, middleware=[both.middleware, http_only.middleware]) as client:
        with client.websocket_connect("/echo") as ws:
            ws.send_text("hi")
            assert ws.receive_text() == "hi"
        assert sample(client, f"{both.prefix}_requests_total", method="websocket", path="/echo") == 1
        assert sample(client, f"{http_only.prefix}_requests_total", path="/echo") is None


def test_controller_serves_prometheus_text_format() -> None:
    with create_test_client(HANDLERS, middleware=[config().middleware]) as client:
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert "# EOF" not in response.text


def test_openmetrics_controller_shows_exemplars() -> None:
    class OpenMetricsController(PrometheusController):
        path = "/openmetrics"
        openmetrics_format = True

    cfg = config(exemplars=lambda request: {"trace_id": "abc123"})
    with create_test_client([item, OpenMetricsController], middleware=[cfg.middleware]) as client:
        client.get("/items/1")
        response = client.get("/openmetrics")
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
    line = next(line for line in response.text.splitlines() if line.startswith(f"{cfg.prefix}_requests_total{{"))
    assert ' 1.0 # {trace_id="abc123"} 1.0 ' in line  # the exemplar, then its timestamp


def test_multiprocess_directory_is_collected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    with create_test_client([PrometheusController]) as client:
        response = client.get("/metrics")
    # the directory holds no process files yet: nothing, not the in-process registry, is served
    assert (response.status_code, response.text) == (200, "")


def test_two_apps_in_one_process_share_or_replace_the_metrics() -> None:
    prefix = f"test{next(_prefixes)}"
    first = PrometheusConfig(prefix=prefix)
    with create_test_client(HANDLERS, middleware=[first.middleware]) as client:
        client.get("/items/1")
    with create_test_client(HANDLERS, middleware=[PrometheusConfig(prefix=prefix).middleware]) as client:
        client.get("/items/1")
        assert sample(client, f"{prefix}_requests_total", path="/items/1") == 2
    relabelled = PrometheusConfig(prefix=prefix, labels={"region": "eu"})
    with create_test_client(HANDLERS, middleware=[relabelled.middleware]) as client:
        client.get("/items/1")
        assert sample(client, f"{prefix}_requests_total", path="/items/1", region="eu") == 1


def test_an_exception_escaping_inner_middleware_is_recorded_as_500() -> None:
    def failing_middleware(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            raise RuntimeError("middleware failed")

        return middleware

    cfg = config()

    @get("/guarded", middleware=[failing_middleware], sync_to_thread=False)
    def guarded() -> str:
        return "never"

    with create_test_client([guarded, PrometheusController], middleware=[cfg.middleware]) as client:
        assert client.get("/guarded").status_code == 500
        assert sample(client, f"{cfg.prefix}_requests_total", path="/guarded", status_code="500") == 1
        assert sample(client, f"{cfg.prefix}_requests_in_progress", path="/guarded") == 0


def test_middleware_class_builds_the_subclass_given() -> None:
    built: list[str] = []

    class CountingMiddleware(PrometheusMiddleware):
        def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
            super().__init__(app, config)
            built.append(config.prefix)

    cfg = config(middleware_class=CountingMiddleware)
    with create_test_client([item], middleware=[cfg.middleware]) as client:
        assert client.get("/items/1").status_code == 200
    assert built  # once for each route the middleware wraps
    assert set(built) == {cfg.prefix}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"prefix": "my-app"}, "`prefix` 'my-app' is not a valid", id="prefix"),
        pytest.param({"labels": {"1st": "x"}}, "invalid label names ['1st']", id="label-name"),
        pytest.param({"labels": {"path": "x"}}, "may not set `path`", id="reserved-label"),
        pytest.param({"middleware_class": object}, "`middleware_class` must be", id="middleware-class"),
    ],
)
def test_configuration_mistakes_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message.replace("[", r"\[").replace("]", r"\]")):
        PrometheusConfig(**options)


def test_missing_prometheus_client_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name.startswith("outpour.plugins.prometheus")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    with pytest.raises(MissingDependencyException, match=r"pip install 'outpour\[prometheus\]'"):
        importlib.import_module("outpour.plugins.prometheus")
