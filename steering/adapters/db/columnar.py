"""Query results read straight into compact columns (categorical texts, float values)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import Executable
from sqlalchemy.orm import Session

from steering.gc_pause import gc_paused

READ_BATCH = 100_000  # rows fetched and encoded at a time


def categorical_frame(
    session: Session,
    query: Executable,
    texts: Sequence[str],
    numbers: Sequence[str],
) -> pd.DataFrame:
    """Columns `texts` as categoricals and `numbers` as float64, in the query's column order.

    A million values as Python strings take hundreds of MB; read in batches, each text
    column keeps one code per row plus its few distinct labels.
    """
    names = [*texts, *numbers]
    coded: dict[str, list[pd.Categorical]] = {name: [] for name in texts}
    floats: dict[str, list[np.ndarray]] = {name: [] for name in numbers}
    # Plain tuples from the driver's cursor: SQLAlchemy's Row objects cost seconds per
    # million rows here, and these columns need no type conversion. (Not streamed: with
    # stream_results SQLAlchemy reads ahead from this cursor into a buffer of its own.)
    result = session.connection().execute(query)
    cursor = result.cursor
    assert cursor is not None
    with gc_paused():
        while batch := cursor.fetchmany(READ_BATCH):
            columns = dict(zip(names, zip(*batch, strict=True), strict=True))
            for name in texts:
                coded[name].append(pd.Categorical(columns[name]))
            for name in numbers:
                # None (no value) becomes NaN.
                floats[name].append(np.array(columns[name], dtype=float))
    result.close()
    frame = {
        name: pd.Series(union_categoricals(parts) if parts else pd.Categorical([]))
        for name, parts in coded.items()
    }
    frame.update(
        {
            name: pd.Series(np.concatenate(parts) if parts else np.array([], dtype=float))
            for name, parts in floats.items()
        }
    )
    return pd.DataFrame(frame)[names]
