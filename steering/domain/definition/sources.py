"""Where indicator values come from: files, survey exports, SQL, manual entry."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from steering.domain.definition.common import Slug, StrictModel


class ColumnMapping(StrictModel):
    """Which file column holds which field (long format: one value per row)."""

    indicator: str | None = None
    organisation: str | None = None
    period: str | None = None
    value: str | None = None
    note: str | None = None


class TableSource(StrictModel):
    """A CSV or XLSX file, German conventions detected or configured."""

    kind: Literal["table"]
    key: Slug
    title: str = ""
    path: str | None = None
    format: Literal["auto", "csv", "xlsx"] = "auto"
    encoding: Literal["auto", "utf-8", "utf-8-sig", "cp1252", "latin-1"] = "auto"
    separator: Literal["auto", ";", ",", "\t", "|"] = "auto"
    decimal: Literal["auto", ",", "."] = "auto"
    sheet: str | None = None
    columns: ColumnMapping = ColumnMapping()
    # Wide format: file column -> indicator key (one row per organisation and period).
    value_columns: dict[str, Slug] = Field(default_factory=dict)
    fixed: dict[Literal["indicator", "organisation", "period"], str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete_mapping(self) -> TableSource:
        cols = self.columns
        if self.value_columns and (cols.value or cols.indicator):
            raise ValueError("use either columns.value/indicator (long) or value_columns (wide)")
        if not self.value_columns and not cols.value:
            raise ValueError("map the value column (columns.value) or give value_columns")
        if not self.value_columns and not (cols.indicator or "indicator" in self.fixed):
            raise ValueError("map the indicator column or fix it (fixed.indicator)")
        if not (cols.period or "period" in self.fixed):
            raise ValueError("map the period column or fix it (fixed.period)")
        return self


class SurveySource(StrictModel):
    """A moodle feedback download or a LimeSurvey response export."""

    kind: Literal["moodle_feedback", "limesurvey"]
    key: Slug
    title: str = ""
    path: str | None = None
    scale: tuple[int, int] = (-2, 2)
    questions: list[str] = Field(default_factory=list)
    mean_indicator: Slug | None = None
    responses_indicator: Slug | None = None
    participation_indicator: Slug | None = None
    base_population: int | None = Field(default=None, gt=0)
    organisation_column: str | None = None
    keep_free_text: bool = False

    @model_validator(mode="after")
    def _participation_needs_base(self) -> SurveySource:
        if self.participation_indicator and not self.base_population:
            raise ValueError("participation_indicator needs base_population (e.g. 350)")
        return self


class SqlSource(StrictModel):
    """A query against any SQLAlchemy URL returning indicator, organisation, period, value."""

    kind: Literal["sql"]
    key: Slug
    title: str = ""
    url: str = Field(pattern=r"^\$\{[A-Z_][A-Z0-9_]*\}$|^sqlite:")
    query: str = Field(min_length=10)
    timeout_seconds: float = Field(default=30, gt=0, le=600)


class JsonSource(StrictModel):
    """A JSON file: a list of records with indicator, organisation, period, value (and note)."""

    kind: Literal["json"]
    key: Slug
    title: str = ""
    path: str | None = None


class ManualSource(StrictModel):
    """Values typed in by the project lead (steer record)."""

    kind: Literal["manual"]
    key: Slug
    title: str = ""


class ProgressSource(StrictModel):
    """Built in: the driver integration and PDCA phases read from the store at each checkpoint.

    Every checkpoint measures each organisation as of the period's end (or today, if earlier)
    and stores the figures as values of the indicators named here (per organisation).
    """

    kind: Literal["progress"]
    key: Slug
    title: str = ""
    steps_done_indicator: Slug | None = None
    """Steps done per driver (mean over the organisation's selected drivers)."""
    steps_planned_indicator: Slug | None = None
    """Steps per driver that are due by then according to their due dates."""
    on_plan_indicator: Slug | None = None
    """Steps done / steps due by then, all drivers (1.0 while nothing is due)."""
    overdue_steps_indicator: Slug | None = None
    """Steps due before then and not done, all drivers."""
    days_overdue_indicator: Slug | None = None
    """Days the most overdue step is late."""
    phase_overdue_indicator: Slug | None = None
    """Days the current PDCA phase runs past its due date (start + default_duration_days)."""

    def indicator_keys(self) -> dict[str, str]:
        """Figure name -> indicator key, for the figures this source feeds."""
        figures = {
            "steps_done": self.steps_done_indicator,
            "steps_planned": self.steps_planned_indicator,
            "on_plan": self.on_plan_indicator,
            "overdue_steps": self.overdue_steps_indicator,
            "days_overdue": self.days_overdue_indicator,
            "phase_overdue": self.phase_overdue_indicator,
        }
        return {name: key for name, key in figures.items() if key is not None}

    @model_validator(mode="after")
    def _feeds_something(self) -> ProgressSource:
        if not self.indicator_keys():
            raise ValueError("name at least one indicator, e.g. steps_done_indicator")
        return self


Source = Annotated[
    TableSource | SurveySource | SqlSource | JsonSource | ManualSource | ProgressSource,
    Field(discriminator="kind"),
]
