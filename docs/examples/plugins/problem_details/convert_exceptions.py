"""``exception_to_problem_detail_map``: turn your own exceptions into problem documents."""

from __future__ import annotations

from dataclasses import dataclass

from outpour import Outpour, post
from outpour.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin


@dataclass
class Purchase:
    item_id: int
    quantity: int


class PurchaseNotAllowedError(Exception):
    def __init__(self, account_id: int, balance: int, detail: str) -> None:
        super().__init__(detail)
        self.account_id = account_id
        self.balance = balance
        self.detail = detail


@post("/purchase")
async def purchase(data: Purchase) -> None:
    raise PurchaseNotAllowedError(account_id=12345, balance=30, detail="Your current balance is 30, but that costs 50.")


def out_of_credit(exc: PurchaseNotAllowedError) -> ProblemDetailsException:
    return ProblemDetailsException(
        type_="https://example.com/probs/out-of-credit",
        title="You do not have enough credit.",
        detail=exc.detail,
        status_code=403,
        instance=f"/account/{exc.account_id}/msgs/abc",
        extra={"balance": exc.balance},
    )


app = Outpour(
    [purchase],
    plugins=[
        ProblemDetailsPlugin(
            ProblemDetailsConfig(
                enable_for_all_http_exceptions=True,
                exception_to_problem_detail_map={PurchaseNotAllowedError: out_of_credit},
            )
        )
    ],
)
