"""CSRF: safe requests get a signed token cookie; unsafe ones must send it back in the header or form field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outpour import Request, Router, asgi, get, post, put
from outpour.config.csrf import CSRFConfig
from outpour.contrib.jinja import JinjaTemplateEngine
from outpour.exceptions import ImproperlyConfiguredException
from outpour.middleware.csrf import CSRFMiddleware, generate_csrf_hash, generate_csrf_token
from outpour.response import Template
from outpour.template import TemplateConfig
from outpour.testing import TestClient, create_test_client
from outpour.types import Receive, Scope, Send

SECRET = "test-secret"


@get("/")
def index() -> str:
    return "index"


@post("/echo")
async def echo(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@put("/things", status_code=200)
def replace() -> str:
    return "replaced"


@post("/webhook", opt={"exclude_from_csrf": True})
def webhook() -> str:
    return "hooked"


@post("/public/ping")
def ping() -> str:
    return "pong"


@get("/form")
def form_page() -> Template:
    return Template(template_str="<form>{{ csrf_input | safe }}</form><p>{{ csrf_token() }}</p>")


@asgi("/mounted", is_mount=True)
async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"mounted"})


HANDLERS: list[Any] = [index, echo, replace, webhook, ping, form_page, mounted]


def _client(**config: Any) -> TestClient[Any]:
    return create_test_client(
        HANDLERS,
        csrf_config=CSRFConfig(secret=SECRET, **config),
        template_config=TemplateConfig(instance=JinjaTemplateEngine()),
    )


def _token(client: TestClient[Any], name: str = "csrftoken") -> str:
    assert client.get("/").status_code == 200
    return str(client.cookies[name])


def test_safe_request_gets_a_signed_token_cookie_once() -> None:
    with _client() as client:
        first = client.get("/")
        second = client.get("/")
    cookie = first.headers["set-cookie"]
    assert re.fullmatch(r"csrftoken=[0-9a-f]{128}; Path=/; SameSite=lax", cookie)
    assert "set-cookie" not in second.headers
    token = cookie.split(";")[0].split("=")[1]
    assert generate_csrf_hash(token[:64], SECRET) == token[64:]


def test_token_in_header_or_form_field_is_accepted() -> None:
    with _client() as client:
        token = _token(client)
        by_header = client.put("/things", headers={"x-csrftoken": token})
        by_form = client.post("/echo", data={"_csrf_token": token, "name": "ada"})
        by_multipart = client.post("/echo", data={"_csrf_token": token, "name": "bo"}, files={"f": ("f.txt", b"x")})
    assert (by_header.status_code, by_header.text) == (200, "replaced")
    assert by_form.json() == {"_csrf_token": token, "name": "ada"}  # the handler reads the same body
    assert by_multipart.json()["name"] == "bo"


@pytest.mark.parametrize(
    ("headers", "data", "params", "reason"),
    [
        pytest.param({}, None, None, "send the value of the `csrftoken` cookie in the `x-csrftoken` header", id="none"),
        pytest.param({}, None, "query", "send the value of the `csrftoken` cookie", id="query-is-ignored"),
        pytest.param({"x-csrftoken": "0" * 128}, None, None, "does not match", id="wrong-token"),
        pytest.param({"x-csrftoken": "abc"}, None, None, "does not match", id="wrong-length"),
        pytest.param({"x-csrftoken": b"\xff\xfe" * 64}, None, None, "does not match", id="not-hex"),
        pytest.param({}, {"_csrf_token": "zz"}, None, "does not match", id="wrong-form-field"),
        pytest.param({"content-type": "text/plain"}, None, None, "header or the `_csrf_token` form field", id="text"),
    ],
)
def test_missing_or_wrong_token_is_a_403_saying_so(
    headers: dict[str, Any], data: dict[str, str] | None, params: str | None, reason: str
) -> None:
    with _client() as client:
        token = _token(client)
        response = client.post("/echo", headers=headers, data=data, params={"_csrf_token": token} if params else None)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF token verification failed: ")
    assert reason in response.json()["detail"]


def test_without_cookie_the_request_is_refused_even_with_a_valid_token() -> None:
    with _client() as client:
        token = _token(client)
        client.cookies.clear()
        response = client.post("/echo", headers={"x-csrftoken": token})
    assert response.status_code == 403
    assert "has no `csrftoken` cookie" in response.text


def test_forged_cookie_and_header_pair_is_refused() -> None:
    """Double submit alone is not enough: the cookie must carry the app's signature."""
    forged = "a" * 128
    with _client() as client:
        client.cookies.set("csrftoken", forged)
        response = client.post("/echo", headers={"x-csrftoken": forged})
        page = client.get("/")
    assert response.status_code == 403
    assert page.headers["set-cookie"].startswith("csrftoken=")  # a forged cookie is replaced


@pytest.mark.parametrize("cookie", ["abc", "g" * 128], ids=["short", "not-hex"])
def test_malformed_cookie_is_refused_and_replaced(cookie: str) -> None:
    with _client() as client:
        client.cookies.set("csrftoken", cookie)
        refused = client.post("/echo", headers={"x-csrftoken": cookie})
        replaced = client.get("/").headers["set-cookie"]
    assert (refused.status_code, "does not match" in refused.text) == (403, True)
    assert re.match(r"csrftoken=[0-9a-f]{128};", replaced)


def test_a_token_of_another_secret_is_refused() -> None:
    token = generate_csrf_token("other-secret")
    with _client() as client:
        client.cookies.set("csrftoken", token)
        assert client.post("/echo", headers={"x-csrftoken": token}).status_code == 403


def test_exclusions_by_opt_and_path() -> None:
    with _client(exclude=["^/public"]) as client:
        assert client.post("/webhook").text == "hooked"
        assert client.post("/public/ping").text == "pong"
        assert client.post("/echo").status_code == 403


def test_custom_names_and_cookie_options() -> None:
    with _client(
        cookie_name="xsrf",
        header_name="X-XSRF",
        cookie_path="/app",
        cookie_secure=True,
        cookie_httponly=True,
        cookie_samesite="strict",
        cookie_domain="testserver.local",
    ) as client:
        cookie = client.get("/").headers["set-cookie"]
        token = cookie.split(";")[0].split("=")[1]
        client.cookies.set("xsrf", token)
        accepted = client.put("/things", headers={"X-XSRF": token})
    assert "Domain=testserver.local" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/app" in cookie
    assert accepted.status_code == 200


def test_safe_methods_are_configurable() -> None:
    with _client(safe_methods={"GET", "PUT"}) as client:
        assert client.put("/things").status_code == 200


def test_template_gets_the_token_as_csrf_input_and_csrf_token() -> None:
    with _client() as client:
        page = client.get("/form")
    token = page.cookies["csrftoken"]
    assert f'<input type="hidden" name="_csrf_token" value="{token}" />' in page.text
    assert f"<p>{token}</p>" in page.text


def test_mounted_asgi_apps_are_protected() -> None:
    with _client() as client:
        token = _token(client)
        assert client.post("/mounted/x").status_code == 403
        assert client.post("/mounted/x", headers={"x-csrftoken": token}).text == "mounted"


def test_too_large_form_is_a_413_not_a_500() -> None:
    with create_test_client(
        [Router("/", route_handlers=[echo], request_max_body_size=10)], csrf_config=CSRFConfig(secret=SECRET)
    ) as client:
        client.cookies.set("csrftoken", generate_csrf_token(SECRET))
        response = client.post("/echo", data={"_csrf_token": "x" * 100})
    assert response.status_code == 413


def test_send_wrapper_is_send_itself_when_the_cookie_is_current() -> None:
    async def send(message: Any) -> None: ...

    middleware = CSRFMiddleware(index, CSRFConfig(secret=SECRET))  # type: ignore[arg-type]
    assert middleware.create_send_wrapper(send, "t", "t") is send
    assert middleware.create_send_wrapper(send, "t", None) is not send


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"secret": ""}, r"`CSRFConfig\(secret=...\)` is empty", id="empty-secret"),
        pytest.param(
            {"secret": "s", "cookie_samesite": "none"},
            r"`CSRFConfig\(cookie_samesite='none'\)` needs `cookie_secure=True`",
            id="none",
        ),
    ],
)
def test_config_mistakes_raise(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=match):
        CSRFConfig(**kwargs)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200).filter(lambda value: b"\r" not in value and b"\n" not in value))
def test_any_header_token_is_a_403_never_a_500(value: bytes) -> None:
    with _client() as client:
        client.cookies.set("csrftoken", generate_csrf_token(SECRET))
        response = client.post("/echo", headers=[(b"x-csrftoken", value.strip() or b"x")])
    assert response.status_code == 403
