"""Raising ``ProblemDetailsException``: the plugin answers with an RFC 9457 ``application/problem+json`` document."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, post
from outpour.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin


@dataclass
class Purchase:
    item_id: int
    quantity: int


PRICES = {1234: 25}


@post("/purchase")
async def purchase(data: Purchase) -> dict[str, int]:
    balance = 30
    cost = PRICES.get(data.item_id, 0) * data.quantity
    if cost > balance:
        raise ProblemDetailsException(
            type_="https://example.com/probs/out-of-credit",
            title="You do not have enough credit.",
            detail=f"Your current balance is {balance}, but that costs {cost}.",
            instance="/account/12345/msgs/abc",
            status_code=403,
            extra={"balance": balance},
        )
    return {"balance": balance - cost}


app = Outpour([purchase], plugins=[ProblemDetailsPlugin(ProblemDetailsConfig())])
