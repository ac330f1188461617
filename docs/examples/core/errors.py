from typing import Any

from outpour import MediaType, Outpour, Request, Response, get
from outpour.exceptions import HTTPException, NotFoundException


class OutOfStock(Exception):
    pass


def out_of_stock_handler(request: Request[Any, Any, Any], exc: OutOfStock) -> Response[str]:
    return Response(f"Sorry, {exc} is out of stock", status_code=409, media_type=MediaType.TEXT)


@get("/items/{name:str}")
async def get_item(name: str) -> dict[str, str]:
    if name == "ghost":
        raise NotFoundException(f"No item named {name}")
    if name == "teapot":
        raise HTTPException(status_code=418, detail="I'm a teapot", extra={"brew": "later"})
    if name == "gold":
        raise OutOfStock(name)
    return {"name": name}


app = Outpour(route_handlers=[get_item], exception_handlers={OutOfStock: out_of_stock_handler})
