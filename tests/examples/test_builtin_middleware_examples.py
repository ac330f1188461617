"""The examples of the built-in middleware pages: CORS, CSRF, allowed hosts, compression and request logging."""

from __future__ import annotations

import logging
import re

import pytest

from docs.examples.middleware import allowed_hosts, compression, cors, csrf, logging_middleware
from outpour.testing import TestClient


def test_cors() -> None:
    with TestClient(cors.app) as client:
        preflight = client.options(
            "/orders",
            headers={
                "origin": "https://app.example.com",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        preview = client.get("/profile", headers={"origin": "https://pr-12.preview.example.com"})
        other = client.get("/profile", headers={"origin": "https://evil.example"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "https://app.example.com"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert preflight.headers["access-control-max-age"] == "3600"
    assert preview.headers["access-control-allow-origin"] == "https://pr-12.preview.example.com"
    assert preview.headers["access-control-expose-headers"] == "X-Request-Id"
    assert "access-control-allow-origin" not in other.headers


def test_csrf() -> None:
    with TestClient(csrf.app) as client:
        page = client.get("/")
        token = client.cookies["csrftoken"]
        by_form = client.post("/transfer", data={"amount": "10", "_csrf_token": token})
        by_header = client.post("/api/transfer", headers={"x-csrftoken": token})
        forged = client.post("/transfer", data={"amount": "10"})
        webhook = client.post("/webhooks/payment")
    assert f'value="{token}"' in page.text
    assert f'const token = "{token}"' in page.text
    assert (by_form.status_code, by_form.text) == (201, "sent 10")
    assert by_header.text == "sent by script"
    assert forged.status_code == 403
    assert webhook.text == "ok"


def test_allowed_hosts() -> None:
    with TestClient(allowed_hosts.app) as client:
        www = client.get("/", headers={"host": "www.example.com"})
        api = client.get("/", headers={"host": "eu.api.example.com"})
        redirected = client.get("/", headers={"host": "example.com"}, follow_redirects=False)
        refused = client.get("/", headers={"host": "evil.example"})
        probe = client.get("/healthz", headers={"host": "10.0.0.7"})
    assert (www.text, api.text, probe.text) == ("home", "home", "ok")
    assert (redirected.status_code, redirected.headers["location"]) == (301, "http://www.example.com/")
    assert refused.status_code == 400
    with TestClient(allowed_hosts.simple_app) as client:
        assert client.get("/", headers={"host": "shop.example.com"}).text == "home"


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        pytest.param("br, gzip", "br", id="brotli"),
        pytest.param("gzip", "gzip", id="fallback"),
        pytest.param("", None, id="none"),
    ],
)
def test_compression(accept: str, encoding: str | None) -> None:
    with TestClient(compression.app) as client:
        report = client.get("/report", headers={"accept-encoding": accept})
        ticks = client.get("/ticks", headers={"accept-encoding": accept})
        health = client.get("/health", headers={"accept-encoding": accept})
    assert report.headers.get("content-encoding") == encoding
    assert report.json()["values"][-1] == 499
    assert ticks.headers.get("content-encoding") == encoding
    assert "data: tick 2" in ticks.text
    assert "content-encoding" not in health.headers


def test_logging(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="my.app")
    with TestClient(logging_middleware.app) as client:
        client.get("/items/3?sort=asc", headers={"x-session": "abc"})
    lines = [record.getMessage() for record in caplog.records if record.name == "my.app"]
    assert re.fullmatch(r'HTTP Request: method=GET, path=/items/3, query=\{"sort":"asc"\}, headers=\{.*\}', lines[0])
    assert '"x-session":"*****"' in lines[0]
    assert lines[1] == 'HTTP Response: status_code=200, body={"id":3}'
    with TestClient(logging_middleware.structured_app) as client:
        assert client.get("/items/4").json() == {"id": 4}
