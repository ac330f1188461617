"""Allowed hosts: the app answers for example.com, its www. name and any subdomain of api.example.com."""

from __future__ import annotations

from outpour import Outpour, get
from outpour.config.allowed_hosts import AllowedHostsConfig


@get("/")
async def index() -> str:
    return "home"


@get("/healthz", opt={"any_host": True})
async def healthz() -> str:
    return "ok"


app = Outpour(
    route_handlers=[index, healthz],
    allowed_hosts=AllowedHostsConfig(
        allowed_hosts=["www.example.com", "*.api.example.com"],
        exclude_opt_key="any_host",  # the load balancer probes by IP address
    ),
)

# A list of names is enough when the defaults suit: `www_redirect` is on.
simple_app = Outpour(route_handlers=[index], allowed_hosts=["example.com", "*.example.com"])
