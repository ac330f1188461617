from outpour import Outpour, get


@get("/")
async def hello() -> str:
    return "Hello, world!"


app = Outpour(route_handlers=[hello])
