"""``media_type`` picks the serialization and the Content-Type: text, HTML and MessagePack next to default JSON."""

from __future__ import annotations

from outpour import MediaType, Outpour, get


@get("/resources", media_type=MediaType.TEXT, sync_to_thread=False)
def retrieve_resource() -> str:
    return "The rumbling rabbit ran around the rock"


@get("/health-check", media_type=MediaType.MESSAGEPACK, sync_to_thread=False)
def health_check() -> dict[str, str]:
    return {"hello": "world"}


@get("/ping", media_type=MediaType.TEXT, sync_to_thread=False)
def ping() -> str:
    return "healthy"


@get("/page", media_type=MediaType.HTML, sync_to_thread=False)
def page() -> str:
    return """
    <html>
        <body>
            <div>
                <span>Hello World!</span>
            </div>
        </body>
    </html>
    """


@get("/logo.svg", media_type="image/svg+xml", sync_to_thread=False)
def logo() -> bytes:
    # Any IANA media type: the handler returns the body already serialized, as str or bytes.
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


app = Outpour(route_handlers=[retrieve_resource, health_check, ping, page, logo])
