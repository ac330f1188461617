"""Compression: brotli for clients that accept it, gzip for the others; events flushed one by one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from outpour import Outpour, get
from outpour.config.compression import CompressionConfig
from outpour.response import ServerSentEvent


@get("/report")
async def report() -> dict[str, list[int]]:
    return {"values": list(range(500))}


@get("/ticks")
async def ticks() -> ServerSentEvent:
    async def generate() -> AsyncIterator[str]:
        for index in range(3):
            yield f"tick {index}"  # compressed and flushed before the wait: the browser sees it now
            await asyncio.sleep(0.01)

    return ServerSentEvent(generate())


@get("/health", opt={"skip_compression": True})
async def health() -> str:
    return "ok" * 300


app = Outpour(
    route_handlers=[report, ticks, health],
    compression_config=CompressionConfig(
        backend="brotli",  # `pip install 'outpour[brotli]'`
        brotli_quality=5,
        brotli_gzip_fallback=True,
        minimum_size=500,
        exclude=["^/downloads"],
        exclude_opt_key="skip_compression",
    ),
)
