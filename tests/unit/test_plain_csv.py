"""Plain CSV text is split by pandas' C parser into exactly the records the csv module gives.

Text with quotes, ragged lines or giant lines is declined, so the csv module reads it and
names lines and problems as before.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from steering.adapters.sources import plain_csv
from steering.adapters.sources.plain_csv import plain_rows
from steering.adapters.sources.textfile import reader_records

PIECES = ["a", "Träger", "12,5", " ", "\t", ";", ",", "|", "\n", "\r\n", "\r", '"', "\xa0", "\x0c"]


def _by_csv_module(text: str, separator: str) -> tuple[list[tuple[object, ...]], list[int]]:
    records = reader_records(text, separator, "de")
    return [tuple(row) for row in records.rows], records.lines


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([";", ",", "\t", "|"]))
def test_plain_text_gives_the_csv_modules_records_and_lines(
    pieces: list[str], separator: str
) -> None:
    text = "".join(pieces)
    found = plain_rows(text, separator)
    if found is not None:
        assert ([tuple(row) for row in found[0]], found[1]) == _by_csv_module(text, separator)
    with pytest.MonkeyPatch.context() as patch:
        # Tiny blocks: a large file's lines and bytes cross block borders the same way.
        patch.setattr(plain_csv, "_BLOCK_BYTES", 3)
        patch.setattr(plain_csv, "_LINES", 2)
        assert plain_rows(text, separator) == found


def test_a_windows_export_with_blank_lines_keeps_its_line_numbers() -> None:
    text = "Kennzahl;Träger;Wert\r\n\r\nind-1;org-1;12,5\r\n ; ;\r\nind-2;\xa0org-2 ;3\r\n"

    rows, lines, width = plain_rows(text, ";") or ([], [], 0)

    assert rows == [
        ("Kennzahl", "Träger", "Wert"),
        ("ind-1", "org-1", "12,5"),
        ("ind-2", "\xa0org-2 ", "3"),
    ]
    assert lines == [1, 3, 5]
    assert width == 3


@pytest.mark.parametrize(
    "text",
    [
        'Kennzahl;Wert\nind-1;"12,5"\n',  # quoted cells
        "Kennzahl;Wert\nind-1;12,5;x\n",  # a line with another field count
        "Kennzahl;Wert\rind-1;12,5\r",  # old Mac line ends
        "Kennzahl;Wert\nind-1;" + "9" * (csv.field_size_limit() + 1) + "\n",  # a giant cell
        "",
    ],
)
def test_text_that_is_not_plain_is_left_to_the_csv_module(text: str) -> None:
    assert plain_rows(text, ";") is None
