"""CORS: a single-page app on https://app.example.com calls this API with its cookies."""

from __future__ import annotations

from outpour import Outpour, get, post
from outpour.config.cors import CORSConfig


@get("/profile")
async def profile() -> dict[str, str]:
    return {"name": "ada"}


@post("/orders")
async def create_order() -> dict[str, int]:
    return {"id": 1}


cors_config = CORSConfig(
    allow_origins=["https://app.example.com"],
    allow_origin_regex=r"https://[a-z0-9-]+\.preview\.example\.com",  # whole origins only
    allow_methods=["GET", "POST"],
    allow_headers=["Content-Type", "X-Request-Id"],
    allow_credentials=True,
    expose_headers=["X-Request-Id"],
    max_age=3600,
)

app = Outpour(route_handlers=[profile, create_order], cors_config=cors_config)
