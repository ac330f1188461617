"""``UploadFile``: a file uploaded in a ``multipart/form-data`` request, kept in memory until it grows large."""

from __future__ import annotations

from tempfile import SpooledTemporaryFile

from anyio.to_thread import run_sync

__all__ = ["ONE_MEGABYTE", "UploadFile"]

ONE_MEGABYTE = 1024 * 1024


class UploadFile:
    """An uploaded file, held in a ``tempfile.SpooledTemporaryFile``.

    The data stays in memory up to ``max_spool_size`` bytes and is then moved to a temporary file on disk. The async
    methods run file operations in a worker thread (``anyio.to_thread``) once the data is on disk, or when a write
    would move it there, so the event loop never waits on the disk; in-memory operations run inline.

    Attributes:
        content_type: The file's media type, as sent by the client.
        filename: The file's name, as sent by the client; never trust it as a path.
        headers: The headers of the multipart part that carried the file, names lowercased.
        file: The underlying spooled temporary file.

    Args:
        content_type: The file's media type.
        filename: The file's name.
        file_data: Initial content, written at construction; the position is then rewound to the start.
        headers: The headers of the part that carried the file.
        max_spool_size: How many bytes to keep in memory before moving the data to disk.
    """

    __slots__ = ("_max_spool_size", "content_type", "file", "filename", "headers")

    def __init__(
        self,
        content_type: str,
        filename: str,
        file_data: bytes | None = None,
        headers: dict[str, str] | None = None,
        max_spool_size: int = ONE_MEGABYTE,
    ) -> None:
        self.content_type = content_type
        self.filename = filename
        self.headers: dict[str, str] = headers or {}
        self._max_spool_size = max_spool_size
        self.file: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(  # noqa: SIM115
            max_size=max_spool_size, mode="w+b"
        )
        if file_data:
            self.file.write(file_data)
            self.file.seek(0)

    @property
    def rolled_to_disk(self) -> bool:
        """Whether the data has been moved from memory to a temporary file on disk."""
        return bool(getattr(self.file, "_rolled", True))

    async def write(self, data: bytes) -> int:
        """Write ``data`` at the current position.

        Args:
            data: The bytes to write.

        Returns:
            The number of bytes written.
        """
        if self.rolled_to_disk or self.file.tell() + len(data) > self._max_spool_size:
            return await run_sync(self.file.write, data)
        return self.file.write(data)

    async def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes from the current position.

        Args:
            size: How many bytes to read; a negative number reads to the end.

        Returns:
            The bytes read; empty at the end of the file.
        """
        if self.rolled_to_disk:
            return await run_sync(self.file.read, size)
        return self.file.read(size)

    async def seek(self, offset: int) -> int:
        """Move to byte ``offset`` from the start.

        Args:
            offset: The new position.

        Returns:
            The new position.
        """
        if self.rolled_to_disk:
            return await run_sync(self.file.seek, offset)
        return self.file.seek(offset)

    async def close(self) -> None:
        """Close the file, deleting its temporary file on disk if there is one; closing twice does nothing."""
        if self.file.closed:
            return
        if self.rolled_to_disk:
            await run_sync(self.file.close)
        else:
            self.file.close()

    def __repr__(self) -> str:
        return f"{self.filename} - {self.content_type}"  # as Litestar's
