"""${secret:name} placeholders from Prefect Secret blocks."""

from __future__ import annotations


def prefect_secret(name: str) -> str:
    """The value of the Prefect Secret block `name` (raises when it does not exist)."""
    from prefect.blocks.system import Secret

    value = Secret.load(name).get()  # type: ignore[union-attr]  # sync call returns the block
    return str(value)
