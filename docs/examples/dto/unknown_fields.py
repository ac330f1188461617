"""`forbid_unknown_fields=True`: client data with a field the DTO does not know is a 400 instead of being ignored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from outpour import Outpour, post
from outpour.dto import DataclassDTO, DTOConfig


@dataclass
class Signup:
    email: str
    newsletter: bool = False


@post("/signups", dto=DataclassDTO[Annotated[Signup, DTOConfig(forbid_unknown_fields=True)]])
async def sign_up(data: Signup) -> Signup:
    return data


app = Outpour([sign_up])
