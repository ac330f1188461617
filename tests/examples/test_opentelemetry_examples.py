"""The OpenTelemetry examples under docs/examples/plugins/opentelemetry/ run and trace as documented."""

from __future__ import annotations

from opentelemetry.trace import SpanKind, StatusCode

from docs.examples.plugins.opentelemetry import options, usage
from outpour.testing import TestClient


def test_every_request_gets_a_server_span() -> None:
    usage.exporter.clear()
    with TestClient(usage.app) as client:
        assert client.get("/books/1").json() == {"id": 1, "title": "Dune"}
        assert client.get("/books/1/cover").status_code == 500
    book, cover = [span for span in usage.exporter.get_finished_spans() if span.kind is SpanKind.SERVER]
    assert (book.name, book.status.status_code) == ("GET /books/1", StatusCode.UNSET)
    assert (cover.name, cover.status.status_code) == ("GET /books/1/cover", StatusCode.ERROR)
    assert [event.name for event in cover.events] == ["exception"]


def test_options_exclude_name_and_tag_spans() -> None:
    options.exporter.clear()
    with TestClient(options.app) as client:
        assert client.get("/health").text == "ok"
        assert client.get("/orders", headers={"x-tenant": "acme", "x-request-id": "r-9"}).json() == [1, 2]
    (span,) = options.exporter.get_finished_spans()
    assert span.name == "shop GET /orders"
    attributes = dict(span.attributes or {})
    assert attributes["shop.tenant"] == "acme"
    assert attributes["http.request.header.x_request_id"] == ("r-9",)
    assert attributes["http.route"] == "shop GET /orders"
