"""Secret values: masked wherever they are shown, readable with ``get_secret``, decoded from what clients send."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

import pytest

from outpour import get, post
from outpour.datastructures import SecretBytes, SecretString
from outpour.datastructures.secret_values import SecretValue
from outpour.exceptions import NotAuthorizedException
from outpour.params import Parameter
from outpour.testing import create_test_client


@pytest.mark.parametrize(
    ("secret", "value", "mask", "shown"),
    [
        pytest.param(SecretString("hunter2"), "hunter2", "******", "SecretString('******')", id="string"),
        pytest.param(SecretBytes(b"hunter2"), b"hunter2", b"******", "SecretBytes(b'******')", id="bytes"),
    ],
)
def test_secret_is_masked_but_readable(secret: SecretValue[Any], value: Any, mask: Any, shown: str) -> None:
    assert secret.get_secret() == value
    assert secret.get_obscured() == mask
    assert repr(secret) == str(secret) == f"{secret}" == shown
    assert "hunter2" not in repr([secret, {"k": secret}])


def test_secret_stays_masked_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("app").info("token=%s", SecretString("hunter2"))
    assert "hunter2" not in caplog.text
    assert "token=SecretString('******')" in caplog.text


def test_secret_header_parameter() -> None:
    @get("/")
    async def handler(secret: Annotated[SecretString, Parameter(header="x-secret")]) -> str:
        if not secrets.compare_digest(secret.get_secret(), "super-secret"):
            raise NotAuthorizedException()
        return "sensitive data"

    with create_test_client([handler]) as client:
        allowed = client.get("/", headers={"x-secret": "super-secret"})
        refused = client.get("/", headers={"x-secret": "guess"})
    assert (allowed.status_code, allowed.text) == (200, "sensitive data")
    assert refused.status_code == 401


@dataclass
class Sensitive:
    value: SecretString
    key: SecretBytes


def test_secret_body_fields_decode_and_render_masked() -> None:
    received: list[Sensitive] = []

    @post("/")
    async def handler(data: Sensitive) -> Sensitive:
        received.append(data)
        return data

    with create_test_client([handler]) as client:
        response = client.post("/", json={"value": "hunter2", "key": "k3y"})
    assert response.json() == {"value": "******", "key": "******"}
    assert (received[0].value.get_secret(), received[0].key.get_secret()) == ("hunter2", b"k3y")


def test_secret_field_rejects_a_non_string() -> None:
    @post("/")
    async def handler(data: Sensitive) -> None:
        return None

    with create_test_client([handler]) as client:
        response = client.post("/", json={"value": 1, "key": "k"})
    assert response.status_code == 400
    assert response.json()["extra"][0] == {"message": "Expected `str`, got `int`", "key": "value", "source": "body"}
