"""The outpour demo app, served by ``make demo`` on http://127.0.0.1:8000."""

from __future__ import annotations

from outpour import MediaType, Outpour, get


@get("/", media_type=MediaType.HTML)
async def index() -> str:
    """The index page, linking one live example of each response kind."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>outpour demo</title></head><body>"
        "<h1>outpour demo</h1><ul>"
        "<li><a href='/hello'>Hello world (text)</a></li>"
        "<li><a href='/json'>JSON</a></li>"
        "</ul></body></html>"
    )


@get("/hello")
async def hello() -> str:
    """Plain text."""
    return "Hello, world!"


@get("/json")
async def json_example() -> dict[str, str]:
    """A JSON body."""
    return {"hello": "world"}


app = Outpour(route_handlers=[index, hello, json_example])
