"""Secret values: ``SecretString`` and ``SecretBytes`` hold a password, token or key without showing it.

Their ``repr`` and ``str`` are masked, so a secret does not end up in logs, tracebacks or error messages, and a response
that includes one renders ``"******"``. ``get_secret()`` returns the value. A handler parameter or body field annotated
``SecretString`` (or ``SecretBytes``) is decoded from the string the client sent::

    @get("/")
    async def handler(token: Annotated[SecretString, Parameter(header="x-token")]) -> None:
        if not secrets.compare_digest(token.get_secret(), EXPECTED):
            raise NotAuthorizedException()

Compare secrets with ``secrets.compare_digest``, which takes the same time whatever the value: ``==`` compares
secret objects by identity.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Final, Generic, TypeVar

__all__ = ["SecretBytes", "SecretString", "SecretT", "SecretValue"]

SecretT = TypeVar("SecretT", str, bytes)
"""The type of the value a secret holds."""

_MASK: Final = "******"


class SecretValue(ABC, Generic[SecretT]):
    """A secret: masked in ``repr`` and ``str``, readable with :meth:`get_secret`.

    Args:
        secret_value: The value to keep secret.
    """

    __slots__ = ("_secret_value",)

    def __init__(self, secret_value: SecretT) -> None:
        self._secret_value: SecretT = secret_value

    def get_secret(self) -> SecretT:
        """Return the secret value.

        Returns:
            The value given to the constructor.
        """
        return self._secret_value

    @abstractmethod
    def get_obscured(self) -> SecretT:
        """Return the mask shown instead of the value, of the value's type.

        Returns:
            ``"******"`` (as bytes for ``SecretBytes``), whatever the value.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.get_obscured()!r})"

    def __str__(self) -> str:
        return repr(self)


class SecretString(SecretValue[str]):
    """A secret string."""

    __slots__ = ()

    def get_obscured(self) -> str:
        """Return ``"******"``."""
        return _MASK


class SecretBytes(SecretValue[bytes]):
    """A secret byte string."""

    __slots__ = ()

    def get_obscured(self) -> bytes:
        """Return ``b"******"``."""
        return _MASK.encode()
