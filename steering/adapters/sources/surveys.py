"""Summarise moodle feedback and LimeSurvey exports: per-question statistics, indicator rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.found import found_columns
from steering.adapters.sources.frame import Table, TableOptions, normalise, read_table
from steering.adapters.sources.german import format_number
from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, ImportRow, RowError
from steering.adapters.sources.survey_columns import (
    COMPLETED,
    NO_ANSWER,
    answer_value,
    is_answer_column,
    is_scale_column,
)
from steering.adapters.sources.validate import RAW_COLUMNS, validate_frame
from steering.domain.definition.sources import SurveySource


@dataclass
class SurveyOutcome:
    """Rows, errors, the per-question summary and (only if configured) free-text answers."""

    rows: list[ImportRow]
    errors: list[RowError]
    summary: pd.DataFrame
    free_text: pd.DataFrame | None


def _problem(lang: str, key: str, column: str = "", **params: object) -> FileProblem:
    return FileProblem([RowError(0, column, "", msg(key, lang, column=column, **params), lang)])


def _complete(table: Table, source: SurveySource, lang: str) -> pd.DataFrame:
    frame = table.frame
    if source.kind != "limesurvey":
        return frame
    for name in COMPLETED:
        if positions := table.position(name):
            return frame[frame[positions[0]].str.strip() != ""]
    found = found_columns(table.header, lang)
    raise _problem(lang, "missing_column", column="submitdate", found=found)


def _questions(table: Table, frame: pd.DataFrame, source: SurveySource, lang: str) -> list[int]:
    if source.questions:
        missing = [q for q in source.questions if not table.position(q)]
        if missing:
            found = found_columns(table.header, lang)
            errors = [
                RowError(0, q, "", msg("question_missing", lang, column=q, found=found), lang)
                for q in missing
            ]
            raise FileProblem(errors)
        return [table.position(q)[0] for q in source.questions]
    candidates = [
        i
        for i, name in enumerate(table.header)
        if is_answer_column(name, source.organisation_column)
    ]
    questions = [i for i in candidates if is_scale_column(frame[i].tolist(), source.scale)]
    if not questions:
        raise _problem(lang, "no_scale_questions", low=source.scale[0], high=source.scale[1])
    return questions


def _answers(
    table: Table, frame: pd.DataFrame, questions: list[int], source: SurveySource, lang: str
) -> tuple[pd.DataFrame, list[RowError]]:
    low, high = source.scale
    answers = pd.DataFrame(np.nan, index=frame.index, columns=[table.header[q] for q in questions])
    errors: list[RowError] = []
    for position, name in zip(questions, answers.columns, strict=True):
        for line, text in frame[position].items():
            if normalise(text) in NO_ANSWER:
                continue
            number = answer_value(text)
            if number is None:
                shown = text.strip()[:40]
                errors.append(
                    RowError(
                        int(line),
                        name,
                        shown,
                        msg("answer_not_on_scale", lang, value=shown, low=low, high=high),
                        lang,
                    )
                )
            elif not low <= number <= high:
                errors.append(
                    RowError(
                        int(line),
                        name,
                        text.strip(),
                        msg("answer_out_of_range", lang, value=number, low=low, high=high),
                        lang,
                    )
                )
            else:
                answers.at[line, name] = number
    errors.sort(key=lambda e: e.line)
    return answers, errors


def summarise(answers: pd.DataFrame, scale: tuple[int, int]) -> pd.DataFrame:
    """Per question: number of answers, mean and how often each scale value was chosen."""
    summary = pd.DataFrame({"count": answers.count().astype(int), "mean": answers.mean()})
    for value in range(scale[0], scale[1] + 1):
        summary[str(value)] = (answers == value).sum().astype(int)
    summary.index.name = "question"
    return summary


def _indicator_values(
    answers: pd.DataFrame, responses: int, source: SurveySource
) -> dict[str, float]:
    values: dict[str, float] = {}
    pooled = answers.stack().dropna().astype(float)
    if source.mean_indicator and len(pooled):
        values[source.mean_indicator] = float(pooled.mean())
    if source.responses_indicator:
        values[source.responses_indicator] = float(responses)
    if source.participation_indicator and source.base_population:
        values[source.participation_indicator] = responses / source.base_population
    return values


def read_survey(
    raw: bytes, source: SurveySource, catalog: Catalog, period: str | None
) -> SurveyOutcome:
    """Read a survey export of one period; only numeric answers are kept."""
    lang = catalog.lang
    if period is None:
        raise _problem(lang, "period_required")
    expected = [*source.questions, *COMPLETED, "Response number", "id"]
    table = read_table(raw, TableOptions(), lang, expected=expected, values=[])
    frame = _complete(table, source, lang)
    questions = _questions(table, frame, source, lang)
    answers, errors = _answers(table, frame, questions, source, lang)
    groups, org_errors = _groups(table, frame, source, catalog)
    raw_rows = []
    for organisation, index in groups.items():
        for key, value in _indicator_values(answers.loc[index], len(index), source).items():
            raw_rows.append((0, key, organisation, period, format_number(value, "."), key, ""))
    org_label = source.organisation_column or ""
    labels = {"indicator": source.key, "organisation": org_label, "period": "period"}
    raw_frame = pd.DataFrame(raw_rows, columns=list(RAW_COLUMNS), dtype=object)
    rows, row_errors = validate_frame(raw_frame, catalog, decimal=".", labels=labels)
    free_text = _free_text(table, frame, questions, source) if source.keep_free_text else None
    errors = sorted(row_errors + org_errors + errors, key=lambda e: e.line)
    return SurveyOutcome(rows, errors, summarise(answers, source.scale), free_text)


def _groups(
    table: Table, frame: pd.DataFrame, source: SurveySource, catalog: Catalog
) -> tuple[dict[str, list[int]], list[RowError]]:
    """Responses per organisation id (all under '' without an organisation column)."""
    name = source.organisation_column
    if name is None:
        return {"": [int(line) for line in frame.index]}, []
    positions = table.position(name)
    if len(positions) != 1:
        found = found_columns(table.header, catalog.lang)
        raise _problem(catalog.lang, "missing_column", column=name, found=found)
    groups: dict[str, list[int]] = {}
    errors: list[RowError] = []
    for line, text in frame[positions[0]].items():
        organisation, reason = catalog.organisation(text)
        if reason:
            errors.append(RowError(int(line), name, text, reason, catalog.lang))
        else:
            groups.setdefault(organisation, []).append(int(line))
    return groups, errors


def _free_text(
    table: Table, frame: pd.DataFrame, questions: list[int], source: SurveySource
) -> pd.DataFrame:
    kept = [
        i for i, name in enumerate(table.header)
        if i not in questions and is_answer_column(name, source.organisation_column)
    ]  # fmt: skip
    result = frame[kept].copy()
    result.columns = pd.Index([table.header[i] for i in kept])
    return result
