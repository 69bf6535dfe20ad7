"""The `steer` command line (typer + rich); German by default, `--lang en` for English."""

from steering.cli.app import app, main

__all__ = ["app", "main"]
