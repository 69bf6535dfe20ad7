"""Check one value typed in by hand (`steer record`, the portal) as an import checks a row."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.result import ImportRow, RowError
from steering.adapters.sources.validate import RAW_COLUMNS, validate_frame
from steering.domain.definition import ProgrammeDefinition


def check_entered_value(
    definition: ProgrammeDefinition,
    source_key: str,
    *,
    indicator: str,
    organisation: str,
    period: str,
    value: str,
    note: str,
    lang: str,
) -> tuple[list[ImportRow], list[RowError]]:
    """The validated row of one entered value, or its errors (named by field)."""
    catalog = Catalog(definition, source_key, lang, any_source=True)
    raw = pd.DataFrame(
        [(1, indicator, organisation, period, value, "Wert" if lang == "de" else "value", note)],
        columns=list(RAW_COLUMNS),
        dtype=object,
    )
    labels = {"indicator": "Indikator", "organisation": "Organisation", "period": "Zeitraum"}
    decimal: Literal[",", "."] = "," if "," in value else "."
    return validate_frame(raw, catalog, decimal=decimal, labels=labels)
