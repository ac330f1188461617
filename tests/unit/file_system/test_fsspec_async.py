"""Asynchronous fsspec file systems: a wrapped memory file system, and S3 through s3fs against moto's server mode.

The S3 server is moto's (``moto[server]`` from PyPI), started once for the module on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fsspec.implementations.asyn_wrapper import AsyncFileSystemWrapper
from fsspec.implementations.memory import MemoryFileSystem

from outpour import Outpour, get
from outpour.file_system import FileSystemRegistry, FsspecAsyncWrapper, maybe_wrap_fsspec_file_system
from outpour.response import File
from outpour.static_files import create_static_files_router
from outpour.testing import AsyncTestClient

CONTENT = bytes(range(256)) * 4


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # fsspec's async file systems (and aiobotocore) run on asyncio


async def collect(fs: Any, path: str, chunksize: int, start: int = 0, end: int = -1) -> list[bytes]:
    return [chunk async for chunk in fs.iter(path, chunksize, start, end)]


@pytest.mark.anyio
async def test_async_wrapper_over_memory() -> None:
    memory = MemoryFileSystem()
    memory.pipe_file("/async-tests/data.bin", CONTENT)
    try:
        fs = maybe_wrap_fsspec_file_system(AsyncFileSystemWrapper(memory, asynchronous=True))
        assert isinstance(fs, FsspecAsyncWrapper)
        info = await fs.info("/async-tests/data.bin")
        assert (info["size"], info["type"]) == (1024, "file")
        assert await fs.read_bytes("/async-tests/data.bin", 5, 9) == CONTENT[5:10]
        assert await fs.read_bytes("/async-tests/data.bin") == CONTENT
        assert b"".join(await collect(fs, "/async-tests/data.bin", 100)) == CONTENT
        memory.pipe_file("/async-tests/data.bin", b"short")
        assert await collect(fs, "/async-tests/data.bin", 2, 0, 99) == [b"sh", b"or", b"t"]
    finally:
        memory.rm("/async-tests", recursive=True)


# -- S3 ----------------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """Start moto's S3 server on 127.0.0.1; skip the S3 tests only if it cannot start."""
    port = _free_port()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"cannot start moto's S3 server (`python -m moto.server`): {exc}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:  # pragma: no cover
                    pytest.skip(f"moto's S3 server did not start on 127.0.0.1:{port} (exit code {proc.poll()})")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
async def s3(s3_endpoint: str) -> AsyncIterator[Any]:
    """An asynchronous s3fs file system with bucket ``media`` holding a few files."""
    s3fs = pytest.importorskip("s3fs")
    fs = s3fs.S3FileSystem(
        key="testing",
        secret="testing",
        endpoint_url=s3_endpoint,
        asynchronous=True,
        skip_instance_cache=True,
        client_kwargs={"region_name": "us-east-1"},
    )
    await fs.set_session()
    with contextlib.suppress(FileExistsError):
        await fs._call_s3("create_bucket", Bucket="media")
    await fs._pipe_file("media/covers/dune.jpg", CONTENT)
    await fs._pipe_file("media/site/index.html", b"<h1>bucket site</h1>")
    await fs._pipe_file("media/site-secret/key.txt", b"secret")
    try:
        yield fs
    finally:
        await fs._s3.close()


@pytest.mark.anyio
async def test_s3_wrapper(s3: Any) -> None:
    fs = maybe_wrap_fsspec_file_system(s3)
    assert isinstance(fs, FsspecAsyncWrapper)
    info = await fs.info("media/covers/dune.jpg")
    assert (info["size"], info["type"]) == (1024, "file")
    assert info["mtime"] > 0
    assert (await fs.info("media/covers"))["type"] == "directory"
    assert await fs.read_bytes("media/covers/dune.jpg", 1000, 2000) == CONTENT[1000:]
    assert b"".join(await collect(fs, "media/covers/dune.jpg", 300)) == CONTENT
    with pytest.raises(FileNotFoundError):
        await fs.info("media/covers/missing.jpg")


@pytest.mark.anyio
@pytest.mark.parametrize("by_name", [pytest.param(False, id="passed"), pytest.param(True, id="registry-name")])
async def test_file_from_s3(s3: Any, by_name: bool) -> None:
    @get("/covers/{name:str}")
    async def cover(name: str) -> File:
        return File(f"media/covers/{name}", file_system="s3" if by_name else s3, filename=name, chunk_size=256)

    app = Outpour([cover], plugins=[FileSystemRegistry({"s3": s3})])
    async with AsyncTestClient(app) as client:
        whole = await client.get("/covers/dune.jpg")
        part = await client.get("/covers/dune.jpg", headers={"range": "bytes=100-199,-10"})
        revalidated = await client.get("/covers/dune.jpg", headers={"if-none-match": whole.headers["etag"]})
        missing = await client.get("/covers/nope.jpg")
    assert (whole.status_code, whole.content, whole.headers["content-type"]) == (200, CONTENT, "image/jpeg")
    assert "last-modified" in whole.headers
    assert part.status_code == 206
    assert part.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert CONTENT[100:200] in part.content
    assert CONTENT[-10:] in part.content
    assert revalidated.status_code == 304
    assert missing.status_code == 404


@pytest.mark.anyio
async def test_static_files_from_s3(s3: Any) -> None:
    app = Outpour(
        [create_static_files_router(path="/site", directories=["media/site"], file_system=s3, html_mode=True)]
    )
    async with AsyncTestClient(app) as client:
        index = await client.get("/site")
        escape = await client.get("/site/..%2f..%2fsite-secret/key.txt")
    assert (index.status_code, index.content) == (200, b"<h1>bucket site</h1>")
    assert escape.status_code == 404
