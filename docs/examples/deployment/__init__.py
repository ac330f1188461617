"""Docs examples: deployment behind a proxy."""
