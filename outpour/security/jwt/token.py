"""``Token``: the claims of a JSON Web Token (RFC 7519), encoded and verified with PyJWT."""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict

import jwt
import msgspec
from jwt.algorithms import get_default_algorithms

from outpour.exceptions import ImproperlyConfiguredException, NotAuthorizedException

if TYPE_CHECKING:
    from typing import Self

__all__ = ["JWTDecodeOptions", "Token"]

# Set while ``Token.decode`` builds a token: a received token's ``exp`` and ``iat`` are checked by PyJWT (as the
# backend's ``verify_expiry`` says), not by the checks a token being issued goes through.
_decoding: contextvars.ContextVar[bool] = contextvars.ContextVar("outpour_jwt_decoding", default=False)

# Registered claims (RFC 7519, section 4.1) whose value is a NumericDate: seconds since the epoch.
_NUMERIC_DATE_CLAIMS = frozenset({"exp", "iat", "nbf"})


def _normalize_datetime(value: datetime) -> datetime:
    """``value`` in UTC (a naive one taken as local time, as ``datetime.timestamp`` does), without microseconds."""
    return value.astimezone(UTC).replace(microsecond=0)


def _now() -> datetime:
    return _normalize_datetime(datetime.now(UTC))


class JWTDecodeOptions(TypedDict, total=False):
    """The ``options`` of PyJWT's ``jwt.decode``: which claims to verify, and which to require."""

    verify_aud: bool
    verify_iss: bool
    verify_exp: bool
    verify_nbf: bool
    strict_aud: bool
    require: list[str]


# What a rejected token's 401 says, by PyJWT's exception (the most specific class first).
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "it has expired (`exp`)"),
    (jwt.ImmatureSignatureError, "it is not valid yet (`nbf` or `iat` is in the future)"),
    (jwt.InvalidAudienceError, "its audience (`aud`) is not accepted"),
    (jwt.InvalidIssuerError, "its issuer (`iss`) is not accepted"),
    (jwt.InvalidAlgorithmError, "it is signed with an algorithm that is not accepted"),
    (jwt.InvalidSignatureError, "its signature does not match"),
    (jwt.DecodeError, "it is not a well-formed JWT"),
)


def _reason(error: Exception) -> str:
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"it lacks the required `{error.claim}` claim"
    for error_class, reason in _REASONS:
        if isinstance(error, error_class):
            return reason
    return "its claims are not valid"


def _verification_key(secret: str | bytes, algorithm: str) -> Any:
    """The key that verifies ``algorithm``'s signatures: the public half when ``secret`` is a private key."""
    algorithm_object = get_default_algorithms().get(algorithm)
    if algorithm_object is None:
        return secret  # PyJWT refuses the token: `InvalidAlgorithmError`
    key = algorithm_object.prepare_key(secret)
    public_key = getattr(key, "public_key", None)
    return public_key() if callable(public_key) else key


@dataclass
class Token:
    """The claims of a JWT: what ``login`` encodes and what the authentication middleware gives as ``request.auth``.

    Subclass it (as a dataclass) to add claims of your own; give the subclass as the backend's ``token_cls``. Claims
    of a received token that are no field go into ``extras``.

    Attributes:
        exp: Expiration time: when the token stops being accepted.
        sub: Subject: what the token identifies, usually the user's id.
        iat: Issued at: when the token was created (now, by default).
        iss: Issuer: who created the token.
        aud: Audience: who the token is meant for, one or several.
        jti: JWT ID: a unique identifier of the token (to revoke it, for instance).
        extras: Other claims: encoded under an ``extras`` claim; a received token's unknown claims land here too.

    Raises:
        ImproperlyConfiguredException: A token created in code with an empty ``sub``, an ``exp`` in the past or an
            ``iat`` in the future (see ``validate_issued_claims``).
    """

    exp: datetime
    sub: str
    iat: datetime = field(default_factory=_now)
    iss: str | None = field(default=None)
    aud: str | Sequence[str] | None = field(default=None)
    jti: str | None = field(default=None)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.sub:
            raise ImproperlyConfiguredException("A JWT `sub` (subject) must be a non-empty string, got ''.")
        if isinstance(self.exp, datetime):
            self.exp = _normalize_datetime(self.exp)
        if isinstance(self.iat, datetime):
            self.iat = _normalize_datetime(self.iat)
        if not _decoding.get():
            self.validate_issued_claims()

    def validate_issued_claims(self) -> None:
        """Check the time claims of a token about to be issued: ``exp`` not in the past, ``iat`` not in the future.

        Not called for a decoded token, whose claims are verified as the backend configures. Override it to issue
        tokens that these checks refuse (in tests, for instance).

        Raises:
            ImproperlyConfiguredException: ``exp`` or ``iat`` is not a ``datetime``, or is on the wrong side of now.
        """
        now = _now()
        if not isinstance(self.exp, datetime) or self.exp < now:
            raise ImproperlyConfiguredException(
                f"A JWT's `exp` must be a datetime in the future, got {self.exp!r}: give a later expiration."
            )
        if not isinstance(self.iat, datetime) or self.iat > now:
            raise ImproperlyConfiguredException(
                f"A JWT's `iat` must be a datetime now or in the past, got {self.iat!r}."
            )

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
        """Verify ``encoded_token`` and return its claims; ``decode`` calls it, override it to change the checks.

        Args:
            encoded_token: The encoded JWT.
            secret: The key it is signed with: the shared secret of the ``HS*`` algorithms, or a private or public
                key (PEM) of the asymmetric ones (a private key is verified with its public half).
            algorithms: The accepted signing algorithms.
            issuer: The accepted issuer(s), checked when ``options`` say so.
            audience: The accepted audience(s), checked when ``options`` say so.
            options: PyJWT's decoding options.

        Returns:
            The claims, as a dictionary.

        Raises:
            jwt.InvalidTokenError: The token is malformed, its signature does not match, or a claim is refused.
        """
        key = _verification_key(secret, algorithms[0]) if len(algorithms) == 1 else secret
        return jwt.decode(
            jwt=encoded_token,
            key=key,
            algorithms=algorithms,
            issuer=issuer,
            audience=audience,
            options=options,  # type: ignore[arg-type]  # a TypedDict where PyJWT annotates its own
        )

    @classmethod
    def decode(
        cls,
        encoded_token: str,
        secret: str | bytes,
        algorithm: str,
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_exp: bool = True,
        verify_nbf: bool = True,
        strict_audience: bool = False,
    ) -> Self:
        """Verify an encoded token and build an instance of this class from its claims.

        Args:
            encoded_token: The encoded JWT.
            secret: The key it is signed with (see ``decode_payload``).
            algorithm: The algorithm it must be signed with.
            audience: When given, the token's ``aud`` must name one of these.
            issuer: When given, the token's ``iss`` must be one of these.
            require_claims: Claims the token must carry.
            verify_exp: Refuse a token whose ``exp`` has passed.
            verify_nbf: Refuse a token whose ``nbf`` has not come yet.
            strict_audience: The token's ``aud`` must be one string, equal to the single ``audience``.

        Returns:
            The token.

        Raises:
            NotAuthorizedException: The token is not valid; the message says why.
            ValueError: ``strict_audience`` without exactly one ``audience``.
        """
        options: JWTDecodeOptions = {"verify_aud": bool(audience), "verify_iss": bool(issuer)}
        if require_claims:
            options["require"] = list(require_claims)
        if not verify_exp:
            options["verify_exp"] = False
        if not verify_nbf:
            options["verify_nbf"] = False
        if strict_audience:
            if audience is None or (not isinstance(audience, str) and len(audience) != 1):
                raise ValueError(
                    f"When using `strict_audience=True`, `audience` must be one audience (a string or a sequence of "
                    f"length 1), got {audience!r}."
                )
            options["strict_aud"] = True
            audience = audience if isinstance(audience, str) else audience[0]  # PyJWT wants a string here
        try:
            payload = cls.decode_payload(
                encoded_token=encoded_token,
                secret=secret,
                algorithms=[algorithm],
                issuer=issuer if issuer is None or isinstance(issuer, str) else list(issuer),
                audience=audience,
                options=options,
            )
        except jwt.PyJWTError as error:
            raise NotAuthorizedException(f"Invalid JWT token: {_reason(error)}.") from error
        return cls._from_payload(payload)

    @classmethod
    def _from_payload(cls, payload: Any) -> Self:
        """An instance from verified claims; claims of the wrong type refuse the token."""
        if not isinstance(payload, dict):
            raise NotAuthorizedException("Invalid JWT token: its claims are not a JSON object.")
        for claim in ("sub", "exp", "iat"):
            if claim not in payload:
                raise NotAuthorizedException(f"Invalid JWT token: it lacks the required `{claim}` claim.")
        claims = dict(payload)
        try:
            # PyJWT checked that `exp` and `iat` are numbers; `fromtimestamp` still refuses values out of range
            claims["exp"] = datetime.fromtimestamp(claims["exp"], tz=UTC)
            claims["iat"] = datetime.fromtimestamp(claims["iat"], tz=UTC)
        except (TypeError, ValueError, OverflowError, OSError) as error:
            raise NotAuthorizedException("Invalid JWT token: its `exp` or `iat` is not a valid time.") from error
        names = {token_field.name for token_field in dataclasses.fields(cls)}
        extras = claims.get("extras")
        extras = dict(extras) if isinstance(extras, dict) else {}
        for key in claims.keys() - names:
            extras[key] = claims.pop(key)
        claims["extras"] = extras
        reset = _decoding.set(True)
        try:
            return msgspec.convert(claims, cls, strict=False)
        except (msgspec.ValidationError, ImproperlyConfiguredException) as error:
            raise NotAuthorizedException(f"Invalid JWT token: {error}.") from error
        finally:
            _decoding.reset(reset)

    def encode(self, secret: str | bytes, algorithm: str, headers: dict[str, Any] | None = None) -> str:
        """Sign the token's claims into an encoded JWT.

        ``None`` fields and empty ``extras`` are left out; ``exp``, ``iat`` (and a ``nbf`` field of a subclass) are
        sent as seconds since the epoch.

        Args:
            secret: The signing key: the shared secret of the ``HS*`` algorithms, or a private key (PEM) of the
                asymmetric ones.
            algorithm: The signing algorithm (``HS256``, ``RS256``, ``ES256``, ...).
            headers: Extra JOSE header fields, such as ``{"kid": "key-1"}``.

        Returns:
            The encoded token.

        Raises:
            ImproperlyConfiguredException: The algorithm is unknown, or the key does not suit it.
        """
        claims: dict[str, Any] = {}
        for token_field in dataclasses.fields(self):
            value = getattr(self, token_field.name)
            if value is None or (token_field.name == "extras" and not value):
                continue
            if token_field.name in _NUMERIC_DATE_CLAIMS and isinstance(value, datetime):
                value = int(value.timestamp())
            claims[token_field.name] = value
        try:
            return jwt.encode(payload=msgspec.to_builtins(claims), key=secret, algorithm=algorithm, headers=headers)
        except (jwt.PyJWTError, NotImplementedError, ValueError, TypeError) as error:
            raise ImproperlyConfiguredException(
                f"Could not encode the JWT with algorithm {algorithm!r}: {error}. Check the backend's `algorithm` "
                "and `token_secret`."
            ) from error
