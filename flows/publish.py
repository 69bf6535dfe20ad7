"""The publisher port in Prefect: results become artifacts with stable keys."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable

from prefect.artifacts import (
    acreate_progress_artifact,
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.runtime import flow_run, task_run

from steering.ports.publishing import Documents, Progress, Publisher, Tables


async def _at_most(concurrency: int, jobs: Iterable[Awaitable[object]]) -> None:
    """Await the jobs, at most `concurrency` at a time."""
    limit = asyncio.Semaphore(concurrency)

    async def one(job: Awaitable[object]) -> None:
        async with limit:
            await job

    await asyncio.gather(*(one(job) for job in jobs))


class PrefectPublisher:
    """Creates Prefect artifacts in the current flow or task run."""

    def tables(self, tables: Tables) -> None:
        """Create table artifacts: key -> (rows, description)."""
        for key, (rows, description) in tables.items():
            create_table_artifact(key=key, table=rows, description=description)

    def markdown(self, documents: Documents) -> None:
        """Create markdown artifacts (concurrently when many): key -> (markdown, description)."""
        if len(documents) <= 2:
            for key, (markdown, description) in documents.items():
                create_markdown_artifact(key=key, markdown=markdown, description=description)
            return
        runs = {"flow_run_id": flow_run.get_id(), "task_run_id": task_run.get_id()}
        artifacts = [
            ArtifactCreate(key=key, type="markdown", data=text, description=about, **runs)
            for key, (text, about) in documents.items()
        ]

        async def create_all() -> None:
            async with get_client() as client:
                # Prefect's SQLite backend serialises writes; more requests only queue up.
                await _at_most(4, (client.create_artifact(a) for a in artifacts))

        asyncio.run(create_all())

    def link(self, key: str, link: str, text: str, description: str) -> None:
        """Create a link artifact (e.g. to a written report)."""
        create_link_artifact(key=key, link=link, link_text=text, description=description)

    def progress(self, items: Progress) -> None:
        """Create progress artifacts concurrently: key -> (percent done, description)."""
        jobs = (
            acreate_progress_artifact(percent, key=key, description=about)
            for key, (percent, about) in items.items()
        )
        asyncio.run(_at_most(16, jobs))


# Type-checked here: the Prefect publisher keeps the port the services publish through.
_PUBLISHER: type[Publisher] = PrefectPublisher
