"""The examples of docs/usage/security-jwt.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from docs.examples.security import jwt_auth, jwt_cookie_auth, jwt_custom_token, jwt_revocation, oauth2_password_bearer
from outpour.testing import TestClient


def test_jwt_auth() -> None:
    with TestClient(jwt_auth.app) as client:
        refused = client.get("/me")
        login = client.post("/login", json={"id": "1", "name": "Ann"})
        response = client.get("/me", headers={"Authorization": login.headers["authorization"]})
        schema = client.get("/schema/openapi.json").json()
    assert refused.status_code == 401
    assert (login.status_code, login.json()) == (201, {"id": "1", "name": "Ann"})
    assert response.json() == {"name": "Ann", "plan": "pro"}
    assert schema["security"] == [{"BearerToken": []}]


def test_jwt_cookie_auth() -> None:
    with TestClient(jwt_cookie_auth.app, base_url="https://testserver.local") as client:
        login = client.post("/login/ann")
        by_cookie = client.get("/hello")  # the client sends the cookie back
        client.cookies.clear()
        refused = client.get("/hello")
    assert "HttpOnly" in login.headers["set-cookie"]
    assert by_cookie.text == "Hello, ann!"
    assert refused.status_code == 401


def test_oauth2_password_bearer() -> None:
    with TestClient(oauth2_password_bearer.app) as client:
        wrong = client.post("/login", data={"username": "ann", "password": "wrong"})
        login = client.post("/login", data={"username": "ann", "password": "correct horse"})
        body = login.json()
        response = client.get("/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        scheme = client.get("/schema/openapi.json").json()["components"]["securitySchemes"]["BearerToken"]
    assert (wrong.status_code, wrong.json()["detail"]) == (401, "Wrong username or password.")
    assert (body["token_type"], body["expires_in"]) == ("bearer", 86400)
    assert response.text == "ann"
    assert scheme["flows"] == {"password": {"tokenUrl": "/login", "scopes": {}}}


def test_jwt_revocation() -> None:
    with TestClient(jwt_revocation.app) as client:
        headers = {"Authorization": client.post("/login/ann").headers["authorization"]}
        before = client.get("/me", headers=headers)
        client.post("/logout", headers=headers)
        after = client.get("/me", headers=headers)
    assert before.text == "ann"
    assert (after.status_code, after.json()["detail"]) == (401, "The JWT token has been revoked.")


def test_jwt_custom_token() -> None:
    auth = jwt_custom_token.jwt_auth
    exp = datetime.now(UTC) + timedelta(minutes=5)

    def header(issuer: str) -> dict[str, str]:
        token = jwt_custom_token.AppToken(
            exp=exp, sub="ann", iss=issuer, aud="https://api.example.com", admin=True
        ).encode(auth.token_secret, auth.algorithm)
        return {"Authorization": auth.format_auth_header(token)}

    with TestClient(jwt_custom_token.app) as client:
        accepted = client.get("/me", headers=header("https://auth.example.com"))
        refused = client.get("/me", headers=header("https://evil.example.com"))
    assert accepted.json() == {"user": "ann", "admin": True}
    assert refused.json()["detail"] == "Invalid JWT token: its issuer (`iss`) is not accepted."
