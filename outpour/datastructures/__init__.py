"""Data structures of requests and responses: headers, cookies, Cache-Control, ETag, multi-dicts, URL, state, secrets.

Names are imported lazily on first access, so that ``import outpour`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from outpour.datastructures.cookie import Cookie
    from outpour.datastructures.headers import (
        Accept,
        CacheControlHeader,
        ETag,
        Header,
        Headers,
        MutableScopeHeaders,
    )
    from outpour.datastructures.multi_dicts import FormMultiDict, ImmutableMultiDict, MultiDict, MultiMixin
    from outpour.datastructures.response_header import ResponseHeader
    from outpour.datastructures.secret_values import SecretBytes, SecretString
    from outpour.datastructures.state import ImmutableState, State
    from outpour.datastructures.upload_file import UploadFile
    from outpour.datastructures.url import URL, Address

__all__ = [
    "URL",
    "Accept",
    "Address",
    "CacheControlHeader",
    "Cookie",
    "ETag",
    "FormMultiDict",
    "Header",
    "Headers",
    "ImmutableMultiDict",
    "ImmutableState",
    "MultiDict",
    "MultiMixin",
    "MutableScopeHeaders",
    "ResponseHeader",
    "SecretBytes",
    "SecretString",
    "State",
    "UploadFile",
]

_WHERE = {
    "Accept": "headers",
    "CacheControlHeader": "headers",
    "ETag": "headers",
    "Header": "headers",
    "Headers": "headers",
    "MutableScopeHeaders": "headers",
    "Cookie": "cookie",
    "FormMultiDict": "multi_dicts",
    "ImmutableMultiDict": "multi_dicts",
    "MultiDict": "multi_dicts",
    "MultiMixin": "multi_dicts",
    "ResponseHeader": "response_header",
    "SecretBytes": "secret_values",
    "SecretString": "secret_values",
    "ImmutableState": "state",
    "State": "state",
    "UploadFile": "upload_file",
    "URL": "url",
    "Address": "url",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module `outpour.datastructures` has no attribute `{name}`")
    value = getattr(importlib.import_module(f"outpour.datastructures.{module}"), name)
    globals()[name] = value
    return value
