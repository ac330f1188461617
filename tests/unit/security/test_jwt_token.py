"""``Token``: encoding and verifying a JWT's claims, and the 401 message of each way a token is refused."""

from __future__ import annotations

import dataclasses
import importlib
import re
import secrets
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from outpour.exceptions import ImproperlyConfiguredException, MissingDependencyException, NotAuthorizedException
from outpour.security.jwt import Token
from outpour.security.jwt.token import JWTDecodeOptions

SECRET = secrets.token_hex()


def _in(delta: timedelta) -> datetime:
    return datetime.now(UTC) + delta


def _pem(key: Any) -> bytes:
    return bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


KEYS = [
    pytest.param("HS256", SECRET, id="HS256"),
    pytest.param("HS512", SECRET.encode(), id="HS512-bytes"),
    pytest.param("RS256", _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)), id="RS256"),
    pytest.param("ES256", _pem(ec.generate_private_key(ec.SECP256R1())), id="ES256"),
    pytest.param("EdDSA", _pem(ed25519.Ed25519PrivateKey.generate()), id="EdDSA"),
]


@pytest.mark.parametrize(("algorithm", "secret"), KEYS)
def test_a_token_survives_encoding_and_decoding(algorithm: str, secret: str | bytes) -> None:
    """Asymmetric algorithms verify with the public half of the private key they sign with."""
    token = Token(
        exp=_in(timedelta(days=1)),
        sub="ann",
        iss="https://auth.example",
        aud=["api", "admin"],
        jti="id-1",
        extras={"role": "admin"},
    )
    decoded = Token.decode(token.encode(secret, algorithm), secret=secret, algorithm=algorithm)
    assert dataclasses.asdict(decoded) == dataclasses.asdict(token)


def test_times_are_utc_seconds_and_empty_fields_are_left_out() -> None:
    exp = datetime(2100, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    encoded = Token(exp=exp, sub="ann", iat=datetime(2000, 1, 1, tzinfo=UTC)).encode(SECRET, "HS256")
    assert jwt.decode(encoded, SECRET, algorithms=["HS256"]) == {"exp": 4102542245, "sub": "ann", "iat": 946684800}


def test_unknown_claims_land_in_extras() -> None:
    claims = {
        "sub": "ann",
        "exp": _in(timedelta(days=1)),
        "iat": datetime.now(UTC),
        "azp": "web",
        "extras": {"a": 1},
    }
    token = Token.decode(jwt.encode(claims, SECRET, algorithm="HS256"), secret=SECRET, algorithm="HS256")
    assert token.extras == {"a": 1, "azp": "web"}


def test_extras_values_are_encoded_as_json() -> None:
    when = datetime(2030, 1, 1, tzinfo=UTC)
    encoded = Token(exp=_in(timedelta(days=1)), sub="ann", extras={"at": when}).encode(SECRET, "HS256")
    assert Token.decode(encoded, secret=SECRET, algorithm="HS256").extras == {"at": "2030-01-01T00:00:00Z"}


def test_encode_adds_jose_headers() -> None:
    encoded = Token(exp=_in(timedelta(days=1)), sub="ann").encode(SECRET, "HS256", headers={"kid": "key-1"})
    assert jwt.get_unverified_header(encoded) == {"alg": "HS256", "kid": "key-1", "typ": "JWT"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"sub": ""}, "A JWT `sub` (subject) must be a non-empty string", id="empty-sub"),
        pytest.param(
            {"exp": datetime.now(UTC) - timedelta(days=1)}, "`exp` must be a datetime in the future", id="exp"
        ),
        pytest.param({"iat": datetime.now(UTC) + timedelta(days=1)}, "`iat` must be a datetime now or in", id="iat"),
    ],
)
def test_a_token_to_issue_is_checked(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=re.escape(message)):
        Token(**{"exp": _in(timedelta(days=1)), "sub": "ann", **options})


@pytest.mark.parametrize(
    ("algorithm", "secret"),
    [pytest.param("nope", SECRET, id="unknown-algorithm"), pytest.param("RS256", SECRET, id="not-a-private-key")],
)
def test_encoding_with_a_bad_algorithm_or_key_says_so(algorithm: str, secret: str) -> None:
    token = Token(exp=_in(timedelta(days=1)), sub="ann")
    with pytest.raises(ImproperlyConfiguredException, match=f"Could not encode the JWT with algorithm '{algorithm}'"):
        token.encode(secret, algorithm)


def _claims(**claims: Any) -> str:
    payload = {"sub": "ann", "exp": _in(timedelta(days=1)), "iat": datetime.now(UTC), **claims}
    return jwt.encode({key: value for key, value in payload.items() if value is not None}, SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    ("encoded", "options", "reason"),
    [
        pytest.param("abc", {}, "it is not a well-formed JWT", id="malformed"),
        pytest.param(_claims(), {"secret": secrets.token_hex()}, "its signature does not match", id="other-secret"),
        pytest.param(_claims(), {"algorithm": "HS384"}, "signed with an algorithm that is not accepted", id="alg"),
        pytest.param(
            _claims(), {"algorithm": "nope"}, "signed with an algorithm that is not accepted", id="unknown-alg"
        ),
        pytest.param(_claims(exp=datetime.now(UTC) - timedelta(seconds=5)), {}, "it has expired (`exp`)", id="expired"),
        pytest.param(_claims(nbf=_in(timedelta(days=1))), {}, "it is not valid yet", id="nbf"),
        pytest.param(_claims(aud="web"), {"audience": ["api"]}, "its audience (`aud`) is not accepted", id="aud"),
        pytest.param(_claims(iss="evil"), {"issuer": ["good"]}, "its issuer (`iss`) is not accepted", id="iss"),
        pytest.param(_claims(), {"require_claims": ["jti"]}, "it lacks the required `jti` claim", id="require"),
        pytest.param(_claims(sub=None), {}, "it lacks the required `sub` claim", id="no-sub"),
        pytest.param(_claims(iat=None), {}, "it lacks the required `iat` claim", id="no-iat"),
        pytest.param(_claims(exp=None), {}, "it lacks the required `exp` claim", id="no-exp"),
        pytest.param(_claims(jti=5), {}, "Invalid JWT token:", id="jti-not-a-string"),
        pytest.param(_claims(exp=10**20), {}, "Invalid JWT token:", id="exp-out-of-range"),
    ],
)
def test_a_refused_token_says_why(encoded: str, options: dict[str, Any], reason: str) -> None:
    arguments: dict[str, Any] = {"secret": SECRET, "algorithm": "HS256", **options}
    with pytest.raises(NotAuthorizedException) as error:
        Token.decode(encoded, **arguments)
    assert error.value.status_code == 401
    assert reason in error.value.detail


def test_an_expired_token_is_accepted_when_expiry_is_not_verified() -> None:
    @dataclasses.dataclass
    class LenientToken(Token):
        def validate_issued_claims(self) -> None:
            """Issue an expired token."""

    encoded = LenientToken(exp=datetime.now(UTC) - timedelta(days=1), sub="ann").encode(SECRET, "HS256")
    assert Token.decode(encoded, secret=SECRET, algorithm="HS256", verify_exp=False).sub == "ann"


@pytest.mark.parametrize(
    ("token_audience", "audience", "accepted"),
    [
        pytest.param("api", "api", True, id="string"),
        pytest.param("api", ["api"], True, id="one-element-list"),
        pytest.param(["api"], ["api"], False, id="list-claim"),
        pytest.param("web", ["api"], False, id="other"),
    ],
)
def test_strict_audience_takes_one_string_claim(token_audience: Any, audience: Any, accepted: bool) -> None:
    encoded = Token(exp=_in(timedelta(days=1)), sub="ann", aud=token_audience).encode(SECRET, "HS256")
    if accepted:
        token = Token.decode(encoded, secret=SECRET, algorithm="HS256", audience=audience, strict_audience=True)
        assert token.aud == token_audience
    else:
        with pytest.raises(NotAuthorizedException, match="audience"):
            Token.decode(encoded, secret=SECRET, algorithm="HS256", audience=audience, strict_audience=True)


@pytest.mark.parametrize("audience", [None, ["api", "web"]])
def test_strict_audience_needs_one_audience(audience: Any) -> None:
    with pytest.raises(ValueError, match=r"When using `strict_audience=True`, `audience` must be one audience"):
        Token.decode("", secret=SECRET, algorithm="HS256", audience=audience, strict_audience=True)


def test_a_subclass_adds_claims_converted_from_json() -> None:
    @dataclasses.dataclass
    class AppToken(Token):
        level: int = 0

    encoded = jwt.encode({"sub": "ann", "exp": _in(timedelta(days=1)), "iat": datetime.now(UTC), "level": "3"}, SECRET)
    assert AppToken.decode(encoded, secret=SECRET, algorithm="HS256").level == 3


def test_a_claim_of_the_wrong_type_refuses_the_token() -> None:
    @dataclasses.dataclass
    class AppToken(Token):
        level: int = 0

    encoded = jwt.encode(
        {"sub": "ann", "exp": _in(timedelta(days=1)), "iat": datetime.now(UTC), "level": "high"}, SECRET
    )
    with pytest.raises(NotAuthorizedException, match=r"Invalid JWT token: Expected `int`, got `str` - at `\$.level`"):
        AppToken.decode(encoded, secret=SECRET, algorithm="HS256")


def test_decode_payload_can_be_overridden() -> None:
    @dataclasses.dataclass
    class EmailToken(Token):
        @classmethod
        def decode_payload(
            cls,
            encoded_token: str,
            secret: str | bytes,
            algorithms: list[str],
            issuer: str | Sequence[str] | None = None,
            audience: str | Sequence[str] | None = None,
            options: JWTDecodeOptions | None = None,
        ) -> Any:
            payload = super().decode_payload(encoded_token, secret, algorithms, issuer, audience, options)
            payload["sub"] = payload["sub"].split("@", maxsplit=1)[0]
            return payload

    encoded = Token(exp=_in(timedelta(days=1)), sub="ann@example.com").encode(SECRET, "HS256")
    assert EmailToken.decode(encoded, secret=SECRET, algorithm="HS256").sub == "ann"


@pytest.fixture
def without_pyjwt() -> Iterator[None]:
    """Hide PyJWT, and the modules that imported it, for the duration of a test."""
    saved = {
        name: module for name, module in sys.modules.items() if name == "jwt" or name.startswith("outpour.security.jwt")
    }
    for name in saved:
        del sys.modules[name]
    sys.modules["jwt"] = None  # type: ignore[assignment]  # how `sys.modules` marks a module as not importable
    try:
        yield
    finally:
        del sys.modules["jwt"]
        sys.modules.update(saved)


@pytest.mark.usefixtures("without_pyjwt")
def test_importing_without_pyjwt_names_the_extra() -> None:
    with pytest.raises(MissingDependencyException, match=r"pip install 'outpour\[jwt\]'"):
        importlib.import_module("outpour.security.jwt")


def test_claims_that_are_no_object_refuse_the_token() -> None:
    @dataclasses.dataclass
    class ListToken(Token):
        @classmethod
        def decode_payload(
            cls,
            encoded_token: str,
            secret: str | bytes,
            algorithms: list[str],
            issuer: str | Sequence[str] | None = None,
            audience: str | Sequence[str] | None = None,
            options: JWTDecodeOptions | None = None,
        ) -> Any:
            return ["sub"]

    with pytest.raises(NotAuthorizedException, match="its claims are not a JSON object"):
        ListToken.decode(_claims(), secret=SECRET, algorithm="HS256")
