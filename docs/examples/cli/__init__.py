"""Docs examples: the command line."""
