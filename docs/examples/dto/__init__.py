"""Runnable examples of the DTOs guide (docs/usage/dto.md)."""
