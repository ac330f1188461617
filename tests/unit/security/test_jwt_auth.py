"""The JWT backends through the client: ``login`` issues the token, the middleware accepts it or answers a 401."""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from outpour import Outpour, Request, Response, get, post, websocket
from outpour.connection import ASGIConnection, WebSocket
from outpour.exceptions import ImproperlyConfiguredException, WebSocketDisconnect
from outpour.openapi.config import OpenAPIConfig
from outpour.security.jwt import (
    BaseJWTAuth,
    JWTAuth,
    JWTAuthenticationMiddleware,
    JWTCookieAuth,
    JWTCookieAuthenticationMiddleware,
    OAuth2PasswordBearerAuth,
    Token,
)
from outpour.testing import TestClient, create_test_client

SECRET = secrets.token_hex()
USERS = {"1": "ann", "2": "bob"}
REVOKED: set[str] = set()


@dataclasses.dataclass
class User:
    id: str
    name: str


def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    return User(token.sub, USERS[token.sub]) if token.sub in USERS else None


async def retrieve_user_async(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    return retrieve_user(token, connection)


def is_revoked(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return token.jti in REVOKED


async def is_revoked_async(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return is_revoked(token, connection)


@get("/me", sync_to_thread=False)
def me(request: Request[User, Token, Any]) -> dict[str, Any]:
    return {"name": request.user.name, "sub": request.auth.sub, "extras": request.auth.extras}


@get("/health", sync_to_thread=False, opt={"exclude_from_auth": True})
def health() -> str:
    return "ok"


BACKENDS: list[Any] = [
    pytest.param(JWTAuth, {}, id="JWTAuth"),
    pytest.param(JWTCookieAuth, {}, id="JWTCookieAuth"),
    pytest.param(OAuth2PasswordBearerAuth, {"token_url": "/login"}, id="OAuth2PasswordBearerAuth"),
]


def _backend(cls: type[BaseJWTAuth[Any, Any]], **options: Any) -> BaseJWTAuth[Any, Any]:
    if cls is OAuth2PasswordBearerAuth:
        options.setdefault("token_url", "/login")
    options.setdefault("retrieve_user_handler", retrieve_user)
    return cls(token_secret=options.pop("token_secret", SECRET), **options)


def _client(auth: BaseJWTAuth[Any, Any], *handlers: Any) -> TestClient[Any]:
    @post("/login/{user_id:str}", sync_to_thread=False, opt={"exclude_from_auth": True})
    def login(user_id: str, jti: str | None = None) -> Response[Any]:
        return auth.login(user_id, token_unique_jwt_id=jti, token_extras={"plan": "pro"})

    return create_test_client([login, me, health, *handlers], on_app_init=[auth.on_app_init])


@pytest.mark.parametrize(("cls", "options"), BACKENDS)
@pytest.mark.parametrize("handler", [retrieve_user, retrieve_user_async], ids=["sync", "async"])
def test_login_issues_a_token_that_authenticates(
    cls: type[BaseJWTAuth[Any, Any]], options: dict[str, Any], handler: Callable[..., Any]
) -> None:
    auth = _backend(cls, retrieve_user_handler=handler, **options)
    with _client(auth) as client:
        login = client.post("/login/1")
        client.cookies.clear()
        response = client.get("/me", headers={"Authorization": login.headers["authorization"]})
    assert login.status_code == 201
    assert login.headers["authorization"].startswith("Bearer ")
    assert (response.status_code, response.json()) == (200, {"name": "ann", "sub": "1", "extras": {"plan": "pro"}})


def _encoded(**claims: Any) -> str:
    payload = {"sub": "1", "exp": datetime.now(UTC) + timedelta(days=1), "iat": datetime.now(UTC), **claims}
    return jwt.encode({key: value for key, value in payload.items() if value is not None}, SECRET, algorithm="HS256")


VALID = _encoded()
WRONG_SECRET = jwt.encode({"sub": "1", "exp": datetime.now(UTC) + timedelta(days=1), "iat": 0}, secrets.token_hex())


@pytest.mark.parametrize(("cls", "options"), BACKENDS)
@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        pytest.param({}, "No JWT token found in the `Authorization` header", id="missing"),
        pytest.param(
            {"Authorization": VALID}, "The `Authorization` header must hold `Bearer <token>`.", id="no-scheme"
        ),
        pytest.param(
            {"Authorization": "Bearer "}, "The `Authorization` header must hold `Bearer <token>`.", id="empty"
        ),
        pytest.param({"Authorization": "Bearer abc"}, "Invalid JWT token: it is not a well-formed JWT.", id="garbage"),
        pytest.param(
            {"Authorization": f"Bearer {VALID[:-4]}AAAA"},
            "Invalid JWT token: its signature does not match.",
            id="tampered-signature",
        ),
        pytest.param(
            {"Authorization": f"Bearer {WRONG_SECRET}"},
            "Invalid JWT token: its signature does not match.",
            id="other-secret",
        ),
        pytest.param(
            {"Authorization": f"Bearer {_encoded(exp=datetime.now(UTC) - timedelta(seconds=5))}"},
            "Invalid JWT token: it has expired (`exp`).",
            id="expired",
        ),
        pytest.param(
            {"Authorization": f"Bearer {_encoded(sub='9')}"}, "No user found for the JWT token.", id="unknown-user"
        ),
        pytest.param(
            {"Authorization": f"Bearer {_encoded(iat='yesterday')}"},
            "Invalid JWT token: its claims are not valid.",
            id="iat-not-a-number",
        ),
    ],
)
def test_a_refused_token_is_a_401_saying_why(
    cls: type[BaseJWTAuth[Any, Any]], options: dict[str, Any], headers: dict[str, str], detail: str
) -> None:
    with _client(_backend(cls, **options)) as client:
        response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"].startswith(detail)


def test_a_tampered_payload_is_refused() -> None:
    header, _, signature = VALID.split(".")
    other_payload = _encoded(sub="2").split(".")[1]
    with _client(_backend(JWTAuth)) as client:
        response = client.get("/me", headers={"Authorization": f"Bearer {header}.{other_payload}.{signature}"})
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "Invalid JWT token: its signature does not match.",
    )


@pytest.mark.parametrize("handler", [is_revoked, is_revoked_async], ids=["sync", "async"])
def test_a_revoked_token_is_refused(handler: Callable[..., Any]) -> None:
    auth = _backend(JWTAuth, revoked_token_handler=handler)

    @post("/logout", sync_to_thread=False)
    def logout(request: Request[User, Token, Any]) -> None:
        assert request.auth.jti is not None
        REVOKED.add(request.auth.jti)

    jti = secrets.token_hex()
    with _client(auth, logout) as client:
        headers = {"Authorization": client.post("/login/1", params={"jti": jti}).headers["authorization"]}
        before = client.get("/me", headers=headers)
        client.post("/logout", headers=headers)
        after = client.get("/me", headers=headers)
    assert before.status_code == 200
    assert (after.status_code, after.json()["detail"]) == (401, "The JWT token has been revoked.")


def test_excluded_routes_and_methods_are_not_authenticated() -> None:
    @get("/public/info", sync_to_thread=False)
    def info() -> str:
        return "info"

    with _client(_backend(JWTAuth, exclude=["^/public"]), info) as client:
        statuses = [
            client.get("/public/info").status_code,
            client.get("/health").status_code,
            client.options("/me").status_code,
            client.head("/health").status_code,
            client.get("/me").status_code,
        ]
    assert statuses == [200, 200, 204, 200, 401]


@pytest.mark.parametrize(("cls", "options"), BACKENDS[1:])
def test_the_cookie_backends_set_an_httponly_cookie_that_authenticates(
    cls: type[BaseJWTAuth[Any, Any]], options: dict[str, Any]
) -> None:
    auth = _backend(cls, key="access", path="/", secure=True, samesite="strict", **options)
    with _client(auth) as client:
        login = client.post("/login/2")
        token = login.cookies["access"]
        client.cookies.clear()
        by_cookie = client.get("/me", headers={"Cookie": f"access={token}"})
        by_bearer_cookie = client.get("/me", headers={"Cookie": f'access="Bearer {token}"'})
        header_wins = client.get("/me", headers={"Cookie": f"access={token}", "Authorization": "Bearer abc"})
        missing = client.get("/me")
    assert login.headers["set-cookie"] == (f"access={token}; HttpOnly; Max-Age=86400; Path=/; SameSite=strict; Secure")
    assert login.headers["authorization"] == f"Bearer {token}"
    assert (by_cookie.status_code, by_cookie.json()["name"]) == (200, "bob")
    assert by_bearer_cookie.status_code == 200
    assert header_wins.status_code == 401
    assert missing.json()["detail"] == "No JWT token found in the `Authorization` header or the `access` cookie."


def test_the_cookie_expires_with_the_token() -> None:
    auth = JWTCookieAuth[User](token_secret=SECRET, retrieve_user_handler=retrieve_user)

    @post("/login", sync_to_thread=False)
    def login() -> Response[Any]:
        return auth.login("1", token_expiration=timedelta(days=1))

    with create_test_client([login]) as client:
        assert "Max-Age=86400" in client.post("/login").headers["set-cookie"]


@pytest.mark.parametrize(
    ("options", "body"),
    [
        pytest.param({}, None, id="no-body"),
        pytest.param({"send_token_as_response_body": True}, "token", id="token-body"),
        pytest.param({"send_token_as_response_body": True, "response_body": None}, None, id="explicit-none"),
        pytest.param({"response_body": {"welcome": "ann"}}, {"welcome": "ann"}, id="own-body"),
    ],
)
def test_login_bodies(options: dict[str, Any], body: Any) -> None:
    auth = JWTAuth[User](token_secret=SECRET, retrieve_user_handler=retrieve_user)

    @post("/login", sync_to_thread=False)
    def login() -> Response[Any]:
        return auth.login("1", response_status_code=200, **options)

    with create_test_client([login]) as client:
        response = client.post("/login")
    token = response.headers["authorization"].removeprefix("Bearer ")
    assert response.status_code == 200
    assert response.json() == ({"token": token} if body == "token" else body)


def test_oauth2_login_answers_with_an_oauth2_token_response() -> None:
    auth = OAuth2PasswordBearerAuth[User](token_secret=SECRET, retrieve_user_handler=retrieve_user, token_url="/login")

    @post("/login", sync_to_thread=False)
    def login() -> Response[Any]:
        return auth.login("1", token_expiration=timedelta(hours=1))

    @post("/login/plain", sync_to_thread=False)
    def plain() -> Response[Any]:
        return auth.login("1", send_token_as_response_body=False)

    @post("/login/own", sync_to_thread=False)
    def own() -> Response[Any]:
        return auth.login("1", response_body={"welcome": "ann"})

    with create_test_client([login, plain, own]) as client:
        response = client.post("/login")
        plain_response = client.post("/login/plain")
        own_response = client.post("/login/own")
    token = response.headers["authorization"].removeprefix("Bearer ")
    assert response.json() == {"access_token": token, "token_type": "bearer", "expires_in": 3600}
    assert plain_response.json() is None
    assert own_response.json() == {"welcome": "ann"}


def test_login_uses_the_backend_type_encoders() -> None:
    class Account:
        def __init__(self, name: str) -> None:
            self.name = name

    auth = JWTAuth[User](
        token_secret=SECRET, retrieve_user_handler=retrieve_user, type_encoders={Account: lambda a: {"name": a.name}}
    )

    @post("/login", sync_to_thread=False)
    def login() -> Response[Any]:
        return auth.login("1", response_body=Account("ann"))

    with create_test_client([login]) as client:
        assert client.post("/login").json() == {"name": "ann"}


@pytest.mark.parametrize(("cls", "options"), BACKENDS)
@pytest.mark.parametrize(
    ("backend_options", "token_options", "status"),
    [
        pytest.param({"accepted_issuers": ["a", "b"]}, {"token_issuer": "b"}, 200, id="issuer"),
        pytest.param({"accepted_issuers": ["a"]}, {"token_issuer": "b"}, 401, id="other-issuer"),
        pytest.param({"accepted_issuers": ["a"]}, {}, 401, id="no-issuer"),
        pytest.param({"accepted_audiences": ["x", "y"]}, {"token_audience": "y"}, 200, id="audience"),
        pytest.param({"accepted_audiences": ["x"]}, {"token_audience": "y"}, 401, id="other-audience"),
        pytest.param({"accepted_audiences": ["x"], "strict_audience": True}, {"token_audience": "x"}, 200, id="strict"),
        pytest.param({"require_claims": ["jti"]}, {"token_unique_jwt_id": "j"}, 200, id="required"),
        pytest.param({"require_claims": ["jti"]}, {}, 401, id="required-missing"),
    ],
)
def test_claims_are_verified_as_configured(
    cls: type[BaseJWTAuth[Any, Any]],
    options: dict[str, Any],
    backend_options: dict[str, Any],
    token_options: dict[str, Any],
    status: int,
) -> None:
    auth = _backend(cls, **options, **backend_options)
    with _client(auth) as client:
        token = auth.create_token("1", **token_options)
        response = client.get("/me", headers={"Authorization": auth.format_auth_header(token)})
    assert response.status_code == status


@dataclasses.dataclass
class NotBeforeToken(Token):
    nbf: datetime | None = None

    def validate_issued_claims(self) -> None:
        """Issue expired tokens too."""


@pytest.mark.parametrize(
    ("backend_options", "token_options", "status"),
    [
        pytest.param({}, {"nbf": datetime.now(UTC) + timedelta(hours=1)}, 401, id="not-yet"),
        pytest.param({"verify_not_before": False}, {"nbf": datetime.now(UTC) + timedelta(hours=1)}, 200, id="nbf-off"),
        pytest.param({}, {"nbf": datetime.now(UTC) - timedelta(hours=1)}, 200, id="nbf-past"),
        pytest.param({}, {"token_expiration": timedelta(seconds=-5)}, 401, id="expired"),
        pytest.param({"verify_expiry": False}, {"token_expiration": timedelta(seconds=-5)}, 200, id="expiry-off"),
    ],
)
def test_time_claims_are_verified_as_configured(
    backend_options: dict[str, Any], token_options: dict[str, Any], status: int
) -> None:
    auth = _backend(JWTAuth, token_cls=NotBeforeToken, **backend_options)
    with _client(auth) as client:
        response = client.get(
            "/me", headers={"Authorization": auth.format_auth_header(auth.create_token("1", **token_options))}
        )
    assert response.status_code == status


def test_a_custom_token_class_reaches_the_handler() -> None:
    @dataclasses.dataclass
    class AppToken(Token):
        level: int = 0

    auth = JWTAuth[User, AppToken](token_secret=SECRET, retrieve_user_handler=retrieve_user, token_cls=AppToken)

    @get("/level", sync_to_thread=False)
    def level(request: Request[User, AppToken, Any]) -> int:
        return request.auth.level

    with _client(auth, level) as client:
        response = client.get(
            "/level", headers={"Authorization": auth.format_auth_header(auth.create_token("1", level=3))}
        )
    assert response.json() == 3


def test_a_private_rsa_key_signs_and_verifies() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    auth = _backend(JWTAuth, token_secret=pem, algorithm="RS256")
    with _client(auth) as client:
        header = client.post("/login/1").headers["authorization"]
        response = client.get("/me", headers={"Authorization": header})
    assert jwt.get_unverified_header(header.removeprefix("Bearer "))["alg"] == "RS256"
    assert response.status_code == 200


def test_a_custom_auth_header() -> None:
    auth = _backend(JWTAuth, auth_header="X-API-Key")
    with _client(auth) as client:
        header = client.post("/login/1").headers["x-api-key"]
        accepted = client.get("/me", headers={"X-API-Key": header})
        refused = client.get("/me", headers={"Authorization": header})
    assert (accepted.status_code, refused.json()["detail"]) == (200, "No JWT token found in the `X-API-Key` header.")


def test_the_middleware_can_be_given_to_a_route() -> None:
    auth = _backend(JWTAuth)

    @get("/private", sync_to_thread=False, middleware=[auth.middleware])
    def private(request: Request[User, Token, Any]) -> str:
        return request.user.name

    @get("/open", sync_to_thread=False)
    def open_route() -> str:
        return "open"

    with create_test_client([private, open_route]) as client:
        header = auth.format_auth_header(auth.create_token("2"))
        statuses = [client.get("/open").status_code, client.get("/private").status_code]
        name = client.get("/private", headers={"Authorization": header}).text
    assert (statuses, name) == ([200, 401], "bob")


def test_a_websocket_is_authenticated_too() -> None:
    auth = _backend(JWTAuth)

    @websocket("/ws")
    async def ws(socket: WebSocket[Any, User, Token, Any]) -> None:
        await socket.accept()
        await socket.send_text(socket.user.name)
        await socket.close()

    with _client(auth, ws) as client:
        header = auth.format_auth_header(auth.create_token("1"))
        with client.websocket_connect("/ws", headers={"Authorization": header}) as connection:
            assert connection.receive_text() == "ann"
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/ws"):
            pass
    assert (refused.value.code, refused.value.detail) == (4401, "No JWT token found in the `Authorization` header.")


@pytest.mark.parametrize(("cls", "options"), BACKENDS)
def test_the_middleware_classes(cls: type[BaseJWTAuth[Any, Any]], options: dict[str, Any]) -> None:
    middleware = _backend(cls, **options).middleware
    expected = JWTAuthenticationMiddleware if cls is JWTAuth else JWTCookieAuthenticationMiddleware
    assert middleware.middleware is expected


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(value=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80))
def test_any_header_value_is_a_200_or_a_401(value: str) -> None:
    """A hostile ``Authorization`` header never reaches a 500."""
    with _client(_backend(JWTCookieAuth)) as client:
        response = client.get("/me", headers={"Authorization": value, "Cookie": f"token={value}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("cls", "options", "scheme"),
    [
        pytest.param(
            JWTAuth,
            {},
            {
                "type": "http",
                "description": "JWT api-key authentication and authorization.",
                "scheme": "Bearer",
                "bearerFormat": "JWT",
            },
            id="JWTAuth",
        ),
        pytest.param(
            JWTAuth,
            {"auth_header": "X-API-Key", "openapi_security_scheme_name": "apiKey", "description": "Key."},
            {"type": "apiKey", "description": "Key.", "name": "X-API-Key", "in": "header"},
            id="JWTAuth-own-header",
        ),
        pytest.param(
            JWTCookieAuth,
            {},
            {
                "type": "http",
                "description": "JWT cookie-based authentication and authorization.",
                "scheme": "Bearer",
                "bearerFormat": "JWT",
            },
            id="JWTCookieAuth",
        ),
        pytest.param(
            OAuth2PasswordBearerAuth,
            {"token_url": "/login", "oauth_scopes": {"read": "Read things."}},
            {
                "type": "oauth2",
                "description": "OAUTH2 password bearer authentication and authorization.",
                "flows": {"password": {"tokenUrl": "/login", "scopes": {"read": "Read things."}}},
            },
            id="OAuth2PasswordBearerAuth",
        ),
    ],
)
def test_the_openapi_document_describes_the_scheme(
    cls: type[BaseJWTAuth[Any, Any]], options: dict[str, Any], scheme: dict[str, Any]
) -> None:
    auth = _backend(cls, **options)
    app = Outpour([me], on_app_init=[auth.on_app_init], openapi_config=OpenAPIConfig(title="API", version="1.0.0"))
    document = app.openapi_schema.to_schema()
    name = options.get("openapi_security_scheme_name", "BearerToken")
    assert document["components"]["securitySchemes"] == {name: scheme}
    assert document["security"] == [{name: []}]
    validate(document)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            {"algorithm": "HS999"}, "`JWTAuth(algorithm='HS999')` is not a JWT algorithm PyJWT knows", id="alg"
        ),
        pytest.param({"algorithm": "RS256"}, "`JWTAuth.token_secret` is not a valid key for `RS256`", id="key"),
        pytest.param(
            {"strict_audience": True},
            "`JWTAuth(strict_audience=True)` needs exactly one accepted audience",
            id="strict",
        ),
        pytest.param(
            {"strict_audience": True, "accepted_audiences": ["a", "b"]},
            "got `accepted_audiences=['a', 'b']`",
            id="strict-two",
        ),
    ],
)
def test_a_configuration_mistake_raises_when_the_backend_is_created(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=re.escape(message)):
        _backend(JWTAuth, **options)
