"""`max_nested_depth`: how many levels of nested models are transferred (1 by default; deeper fields are left out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from outpour import Outpour, get
from outpour.dto import DataclassDTO, DTOConfig


@dataclass
class Employee:
    name: str
    manager: Employee | None = None


boss = Employee("Grace")
lead = Employee("Linus", manager=boss)
dev = Employee("Ada", manager=lead)


@get("/employees/ada", return_dto=DataclassDTO[Employee])
async def one_level() -> Employee:
    return dev  # `manager` is sent, the manager's manager is not


@get("/employees/ada/flat", return_dto=DataclassDTO[Annotated[Employee, DTOConfig(max_nested_depth=0)]])
async def no_nesting() -> Employee:
    return dev


app = Outpour([one_level, no_nesting])
