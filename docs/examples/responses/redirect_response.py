"""Redirects: a 302 by default, the handler's redirect status code when it sets one, or the ``Redirect``'s own."""

from __future__ import annotations

from outpour import Outpour, get, post
from outpour.response import Redirect
from outpour.status_codes import HTTP_301_MOVED_PERMANENTLY, HTTP_303_SEE_OTHER


@get("/home")
def home() -> Redirect:
    return Redirect(path="/")  # 302 Found


@get("/old-blog/{slug:str}", status_code=HTTP_301_MOVED_PERMANENTLY)
def old_blog(slug: str) -> Redirect:
    return Redirect(path=f"/blog/{slug}")  # the handler's 301


@post("/search")
def search(q: str) -> Redirect:
    # After a POST, send the browser to a page it can GET: 303 See Other, with the query in the URL.
    return Redirect(path="/results", query_params={"q": q}, status_code=HTTP_303_SEE_OTHER)


app = Outpour([home, old_blog, search])
