"""The middleware examples of docs/usage/middleware.md: an authentication middleware and middleware constraints."""

from __future__ import annotations

import pytest

from docs.examples.middleware import authentication, constraints
from outpour import Outpour
from outpour.middleware.constraints import ConstraintViolationError
from outpour.testing import TestClient


@pytest.mark.parametrize(
    ("path", "headers", "status", "body"),
    [
        pytest.param("/me", {"x-api-key": "k-123"}, 200, '{"name":"ada"}', id="authenticated"),
        pytest.param("/me", {}, 401, '{"status_code":401,"detail":"Send a valid `X-API-Key` header."}', id="no-key"),
        pytest.param("/me", {"x-api-key": "k-999"}, 401, None, id="unknown-key"),
        pytest.param("/health", {}, 200, "ok", id="excluded-by-opt"),
        pytest.param("/docs/intro", {}, 200, "Welcome", id="excluded-by-path"),
    ],
)
def test_authentication(path: str, headers: dict[str, str], status: int, body: str | None) -> None:
    with TestClient(authentication.app) as client:
        response = client.get(path, headers=headers)
    assert response.status_code == status
    if body is not None:
        assert response.text == body


def test_constraints() -> None:
    with TestClient(constraints.app) as client:
        allowed = client.get("/profile", headers={"authorization": "Bearer let-me-in"})
        refused = client.get("/profile")
    assert (allowed.status_code, allowed.headers["cache-control"], refused.status_code) == (200, "private", 401)


def test_constraints_refuse_the_wrong_order() -> None:
    with pytest.raises(ConstraintViolationError, match=r"`CacheHeaders` .* must come after `TokenAuthentication`"):
        Outpour(
            route_handlers=[constraints.profile],
            middleware=[constraints.CacheHeaders(), constraints.TokenAuthentication],
        )
