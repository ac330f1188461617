"""Response compression: ``CompressionMiddleware`` and the ``CompressionFacade`` of each coding.

The app adds the middleware to every route when given a ``compression_config``
(:class:`~outpour.config.compression.CompressionConfig`). gzip comes with Python; brotli and zstd need the
``brotli`` and ``zstd`` extras.
"""

from __future__ import annotations

from outpour.middleware.compression.facade import CompressionFacade
from outpour.middleware.compression.middleware import CompressionMiddleware

__all__ = ["CompressionFacade", "CompressionMiddleware"]
