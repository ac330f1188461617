"""A custom response class extends serialization with ``type_encoders``; set it with ``response_class`` on a layer."""

from __future__ import annotations

from typing import Any, ClassVar

from outpour import Outpour, Response, get
from outpour.datastructures import MultiDict
from outpour.types import TypeEncodersMap


class MultiDictResponse(Response[Any]):
    type_encoders: ClassVar[TypeEncodersMap | None] = {MultiDict: lambda multi: multi.dict()}


@get("/tags")
async def tags() -> MultiDict[str]:
    return MultiDict([("color", "red"), ("color", "blue"), ("size", "L")])


app = Outpour([tags], response_class=MultiDictResponse)
