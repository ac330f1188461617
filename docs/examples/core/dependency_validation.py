"""An injected value is checked against its parameter's annotation; `SkipValidation` hands it over unchecked."""

from typing import Any

from outpour import Outpour, get
from outpour.di import NamedDependency, Provide
from outpour.params import SkipValidation


async def provide_str() -> str:
    return "whoops"


@get("/checked", dependencies={"injected": Provide(provide_str)})
async def checked(injected: NamedDependency[int]) -> dict[str, Any]:
    return {"hello": injected}  # never reached: the provider returned a `str`, a 500


@get("/unchecked", dependencies={"injected": Provide(provide_str)})
async def unchecked(injected: SkipValidation[int]) -> dict[str, Any]:
    return {"hello": injected}  # {"hello": "whoops"}


app = Outpour(route_handlers=[checked, unchecked])
