"""Calling a guard directly: ``RequestFactory`` makes the request, no client or server needed."""

from __future__ import annotations

import pytest

from outpour import Request, get
from outpour.exceptions import NotAuthorizedException
from outpour.handlers import BaseRouteHandler
from outpour.testing import RequestFactory


def api_key_guard(request: Request, route_handler: BaseRouteHandler) -> None:
    expected = route_handler.opt.get("api_key")
    if expected and request.headers.get("X-API-Key") != expected:
        raise NotAuthorizedException("a valid X-API-Key header is required")


@get("/reports", guards=[api_key_guard], opt={"api_key": "k-123"}, sync_to_thread=False)
def reports() -> list[str]:
    return ["q1"]


def test_guard_rejects_a_missing_key() -> None:
    request = RequestFactory().get("/reports")
    with pytest.raises(NotAuthorizedException):
        api_key_guard(request, reports)


def test_guard_accepts_the_key() -> None:
    request = RequestFactory().get("/reports", headers={"X-API-Key": "k-123"})
    api_key_guard(request, reports)
