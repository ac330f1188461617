from outpour import Outpour, get


@get("/ratio/{a:int}/{b:int}")
async def ratio(a: int, b: int) -> dict[str, float]:
    return {"ratio": a / b}  # /ratio/1/0 raises ZeroDivisionError


app = Outpour([ratio], debug=True)  # never in production
