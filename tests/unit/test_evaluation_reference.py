"""The columnar reasons store exactly the lights and reasons the row-wise build stored."""

from __future__ import annotations

import gzip
import json

from tests.evaluation_reference import SNAPSHOT, stored_rows


def test_synthetic_programme_stores_the_same_lights_and_reasons_as_before() -> None:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as snapshot:
        before = json.load(snapshot)
    now = json.loads(json.dumps(stored_rows(), ensure_ascii=False, sort_keys=True))
    assert len(now) == len(before)
    for row, (old, new) in enumerate(zip(before, now, strict=True)):
        assert new == old, f"row {row}: {old.get('organisation')}/{old.get('dimension')}"
