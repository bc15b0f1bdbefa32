"""The `dedup` command line: thin front end over the Python API (parse, call, print)."""

from dedup.cli.app import app, main

__all__ = ["app", "main"]
