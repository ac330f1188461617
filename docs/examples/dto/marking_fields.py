"""Marked fields: read-only ones are sent but never read, write-only ones read but never sent, private ones neither."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from outpour import Outpour, post
from outpour.dto import DataclassDTO, dto_field


def _now() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Account:
    username: str
    password: str = field(metadata=dto_field("write-only"))
    created_at: datetime = field(default_factory=_now, metadata=dto_field("read-only"))
    password_hash: str = field(default="", metadata=dto_field("private"))
    _audit: str = "kept on the server"  # a leading underscore makes a field private too


@post("/accounts", dto=DataclassDTO[Account])
async def create_account(data: Account) -> Account:
    data.password_hash = f"hashed:{len(data.password)}"
    return data


app = Outpour([create_account])
