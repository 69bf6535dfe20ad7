"""Publish a checkpoint's results as Prefect artifacts with stable keys."""

from __future__ import annotations

import asyncio
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.runtime import flow_run, task_run

from steering.services.table_width import fit_rows

# Prefect's SQLite backend serialises writes; more parallel requests only queue up.
_CONCURRENCY = 4


def publish_tables(tables: dict[str, tuple[list[dict[str, Any]], str]]) -> None:
    """Create table artifacts: key -> (rows, description); long cells cut to fit 1440 px."""
    for key, (rows, description) in tables.items():
        create_table_artifact(key=key, table=fit_rows(rows), description=description)


def publish_markdown(documents: dict[str, tuple[str, str]]) -> None:
    """Create markdown artifacts concurrently: key -> (markdown, description)."""
    if len(documents) <= 2:
        for key, (markdown, description) in documents.items():
            create_markdown_artifact(key=key, markdown=markdown, description=description)
        return

    flow_run_id, task_run_id = flow_run.get_id(), task_run.get_id()

    async def create_all() -> None:
        limit = asyncio.Semaphore(_CONCURRENCY)
        async with get_client() as client:

            async def one(key: str, markdown: str, description: str) -> None:
                artifact = ArtifactCreate(
                    key=key,
                    type="markdown",
                    data=markdown,
                    description=description,
                    flow_run_id=flow_run_id,
                    task_run_id=task_run_id,
                )
                async with limit:
                    await client.create_artifact(artifact)

            await asyncio.gather(*(one(k, m, d) for k, (m, d) in documents.items()))

    asyncio.run(create_all())


def publish_link(key: str, link: str, text: str, description: str) -> None:
    """Create a link artifact (e.g. to the written report)."""
    create_link_artifact(key=key, link=link, link_text=text, description=description)
