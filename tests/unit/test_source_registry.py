"""The source registry of bootstrap: every kind of the definition is read, or never read."""

from __future__ import annotations

from typing import get_args

import pytest

from steering.bootstrap import SOURCE_READERS, indicator_sources
from steering.domain.definition.sources import (
    ManualSource,
    ProgressSource,
    Source,
    SqlSource,
    SurveySource,
    TableSource,
)

NEVER_READ = {"manual", "progress"}  # typed in by hand, measured from the store


def _kinds() -> set[str]:
    union = get_args(Source)[0]
    return {
        kind for spec in get_args(union) for kind in get_args(spec.model_fields["kind"].annotation)
    }


def test_every_kind_of_source_has_a_reader_unless_its_values_are_typed_in_or_measured() -> None:
    assert set(SOURCE_READERS) == _kinds() - NEVER_READ


@pytest.mark.parametrize(
    ("source", "collected"),
    [
        (
            TableSource(
                kind="table",
                key="t",
                path="t.csv",
                columns={"value": "v", "indicator": "i", "period": "p"},
            ),
            True,
        ),
        (
            TableSource(
                kind="table", key="t", columns={"value": "v", "indicator": "i", "period": "p"}
            ),
            False,
        ),
        (SurveySource(kind="limesurvey", key="s", path="s.csv"), False),
        (SqlSource(kind="sql", key="q", url="sqlite:///x.db", query="SELECT 1 FROM kpi"), True),
    ],
)
def test_a_checkpoint_collects_files_with_a_path_and_queries_but_no_surveys(
    source: TableSource | SurveySource | SqlSource, collected: bool
) -> None:
    reader = indicator_sources().reader(source)

    assert reader is not None and reader.collects(source) is collected


@pytest.mark.parametrize(
    "source",
    [
        ManualSource(kind="manual", key="m"),
        ProgressSource(kind="progress", key="p", on_plan_indicator="x"),
    ],
)
def test_values_typed_in_or_measured_have_no_reader(source: ManualSource | ProgressSource) -> None:
    assert indicator_sources().reader(source) is None
