from outpour import get
from outpour.exceptions import HTTPException
from outpour.params import FromQuery


@get("/answer", sync_to_thread=False)
def answer(q: FromQuery[int]) -> str:
    """A text handler: its errors are sent as text too, their body the usual JSON document."""
    if q < 0:
        raise HTTPException("q must not be negative", status_code=400)
    return f"the answer is {q}"
