"""Litestar's import paths for the few helpers that code written for Litestar imports from ``litestar.utils``.

outpour's own helpers live in modules named after what they do (STYLE.md, section 3); this package only re-exports.
"""

from outpour.utils.helpers import get_exception_group, unique_name_for_scope, unwrap_partial
from outpour.utils.predicates import (
    is_any,
    is_async_callable,
    is_class_and_subclass,
    is_class_var,
    is_dataclass_class,
    is_generic,
    is_mapping,
    is_non_string_iterable,
    is_non_string_sequence,
    is_optional_union,
    is_undefined_sentinel,
    is_union,
)
from outpour.utils.sync import AsyncIteratorWrapper, ensure_async_callable

__all__ = [
    "AsyncIteratorWrapper",
    "ensure_async_callable",
    "get_exception_group",
    "is_any",
    "is_async_callable",
    "is_class_and_subclass",
    "is_class_var",
    "is_dataclass_class",
    "is_generic",
    "is_mapping",
    "is_non_string_iterable",
    "is_non_string_sequence",
    "is_optional_union",
    "is_undefined_sentinel",
    "is_union",
    "unique_name_for_scope",
    "unwrap_partial",
]
