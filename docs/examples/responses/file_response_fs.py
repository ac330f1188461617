"""Send files from S3, or from any other fsspec file system, by passing the file system to ``File``.

Needs ``pip install 'outpour[fsspec]' s3fs``. An asynchronous fsspec file system is used as is; a synchronous one
runs its calls in worker threads.
"""

from __future__ import annotations

from typing import Any

from outpour import Outpour, get
from outpour.response import File


def create_app(bucket: Any, prefix: str = "media-bucket/covers") -> Outpour:
    """Serve ``/covers/<name>`` from ``prefix`` on ``bucket``, an fsspec file system such as s3fs's."""

    @get("/covers/{name:str}")
    async def cover(name: str) -> File:
        return File(f"{prefix}/{name}", file_system=bucket, filename=name, content_disposition_type="inline")

    return Outpour([cover])


if __name__ == "__main__":  # pragma: no cover - needs S3 credentials
    import fsspec
    import uvicorn

    uvicorn.run(create_app(fsspec.filesystem("s3", asynchronous=True)))
