"""``UploadFile``: spooled in memory, then on disk; async reads and writes; closing."""

from __future__ import annotations

import pytest

from outpour.datastructures import UploadFile
from outpour.datastructures.upload_file import ONE_MEGABYTE


def test_attributes_and_repr() -> None:
    upload = UploadFile("text/csv", "data.csv", headers={"content-type": "text/csv"})
    other = UploadFile("a/b", "f")
    assert upload.content_type == "text/csv"
    assert upload.filename == "data.csv"
    assert upload.headers == {"content-type": "text/csv"}
    assert repr(upload) == "data.csv - text/csv"
    assert other.headers == {}
    assert upload._max_spool_size == ONE_MEGABYTE
    upload.file.close()
    other.file.close()


@pytest.mark.anyio
async def test_file_data_is_readable_from_start() -> None:
    upload = UploadFile("text/plain", "a.txt", file_data=b"hello world")
    assert not upload.rolled_to_disk
    assert await upload.read(5) == b"hello"
    assert await upload.read() == b" world"
    assert await upload.read() == b""
    await upload.close()


@pytest.mark.anyio
async def test_in_memory_write_seek_read() -> None:
    upload = UploadFile("text/plain", "a.txt", max_spool_size=100)
    assert await upload.write(b"abc") == 3
    assert await upload.write(b"def") == 3
    assert await upload.seek(1) == 1
    assert await upload.read() == b"bcdef"
    assert not upload.rolled_to_disk
    await upload.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_rolls_to_disk_past_spool_size() -> None:
    upload = UploadFile("application/octet-stream", "big.bin", max_spool_size=10)
    await upload.write(b"x" * 8)
    rolled_before = upload.rolled_to_disk
    await upload.write(b"y" * 8)
    assert not rolled_before
    assert upload.rolled_to_disk
    await upload.write(b"z")
    assert await upload.seek(0) == 0
    assert await upload.read() == b"x" * 8 + b"y" * 8 + b"z"
    assert await upload.seek(8) == 8
    assert await upload.read(2) == b"yy"
    await upload.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_large_file_data_rolls_at_construction() -> None:
    upload = UploadFile("application/octet-stream", "big.bin", file_data=b"a" * 20, max_spool_size=10)
    assert upload.rolled_to_disk
    assert await upload.read() == b"a" * 20
    await upload.close()


@pytest.mark.anyio
async def test_close_twice_is_harmless() -> None:
    upload = UploadFile("text/plain", "a.txt", file_data=b"a")
    await upload.close()
    await upload.close()
    assert upload.file.closed
