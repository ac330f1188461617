"""One layer dumps pydantic models with its own options: ``PydanticInitPlugin.encoders`` as its ``type_encoders``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from outpour import Outpour, Router, get
from outpour.plugins.pydantic import PydanticInitPlugin


class Account(BaseModel):
    user_name: str = Field(alias="userName")
    nickname: str | None = None


ADA = Account(userName="ada")


@get("/account")
async def account() -> Account:
    return ADA


@get("/account")
async def public_account() -> Account:
    return ADA


public = Router(
    "/public",
    route_handlers=[public_account],
    type_encoders=PydanticInitPlugin.encoders(prefer_alias=True, exclude_none=True),
)

app = Outpour([account, public])
