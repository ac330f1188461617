"""``ParsedSignature`` under Litestar's ``litestar.utils.signature`` name: a callable's parameters and return type."""

from outpour._parsed_signature import ParsedSignature

__all__ = ["ParsedSignature"]
