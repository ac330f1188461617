"""The Prometheus docs examples under docs/examples/plugins/prometheus/ run and behave as documented."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from docs.examples.plugins.prometheus import using_prometheus_exporter, using_prometheus_exporter_with_extra_configs
from outpour.testing import TestClient


def test_metrics_grouped_by_route_template() -> None:
    with TestClient(using_prometheus_exporter.create_app()) as client:
        client.get("/users/1")
        client.get("/users/2")
        response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    counts = {
        sample.labels["path"]: sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "litestar_requests_total"
    }
    assert counts["/users/{user_id:int}"] >= 2
    assert "/users/1" not in counts


def test_metrics_with_extra_configs() -> None:
    with TestClient(using_prometheus_exporter_with_extra_configs.app) as client:
        client.get("/orders", headers={"x-api-version": "v2", "x-trace-id": "abc"})
        assert client.post("/orders").status_code == 201
        response = client.get("/custom-path")
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    lines = [line for line in response.text.splitlines() if line.startswith("shop_requests_total{")]
    assert lines == [
        'shop_requests_total{app_name="shop",location="earth",method="GET",path="/orders",status_code="200",'
        f'version_no="v2"}} 1.0 # {{trace_id="abc"}} 1.0 {lines[0].rsplit(" ", 1)[1]}'
    ]
    assert 'shop_request_duration_seconds_bucket{app_name="shop",le="0.5"' in response.text
