"""Numbers, dates and half-years as German (and English) spreadsheets write them."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from steering.adapters.sources.catalog import half_year_of
from steering.adapters.sources.german import (
    Decimal_,
    DecimalMode,
    NumberError,
    detect_decimal,
    format_number,
    parse_date,
    parse_number,
)
from steering.domain.periods import HalfYear, parse_half_year

DECIMAL_MODES: tuple[DecimalMode, ...] = ("auto", ",", ".")


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("12.500,00", "auto", 12500.0),
        ("12500,5", "auto", 12500.5),
        ("1.234.567", "auto", 1234567.0),
        ("-3,5", "auto", -3.5),
        ("+2", "auto", 2.0),
        (" 42 ", "auto", 42.0),
        ("12 500,00", "auto", 12500.0),
        ("12\u00a0500,00", "auto", 12500.0),  # no-break space as Excel writes it
        ("12\u202f500", "auto", 12500.0),  # narrow no-break space
        ("12.500", ",", 12500.0),
        ("12.500", "auto", 12500.0),  # one dot and three digits: a German thousand
        ("1.234", ".", 1.234),
        ("12,500.00", ".", 12500.0),
        ("12,500.00", "auto", 12500.0),  # both marks: the last one is the decimal mark
        ("0.75", ".", 0.75),
        ("0.75", "auto", 0.75),  # one dot, two digits: clearly a decimal point
        ("1,234,567", "auto", 1234567.0),
        ("12,500", "auto", 12.5),  # one comma: German decimal comma
        (",5", ",", 0.5),
        ("12.500,00 €", ",", 12500.0),
        ("EUR 1.200", ",", 1200.0),
        ("\u22123", ",", -3.0),  # typographic minus
        ("0", ",", 0.0),
        (12.5, ",", 12.5),  # numbers from Excel cells pass through
        (7, ".", 7.0),
    ],
)
def test_parse_number_reads_german_and_english_notation(
    text: object, decimal: DecimalMode, expected: float
) -> None:
    assert parse_number(text, decimal) == pytest.approx(expected)


def test_parse_number_reads_percent_as_a_share_only_when_asked() -> None:
    assert parse_number("30 %", percent=True) == pytest.approx(0.30)
    assert parse_number("12,5%", percent=True) == pytest.approx(0.125)
    with pytest.raises(NumberError) as info:
        parse_number("30 %")
    assert info.value.code == "percent"


@pytest.mark.parametrize(
    ("text", "decimal", "code"),
    [
        ("abc", "auto", "not_a_number"),
        ("1,2,3", "auto", "grouping"),
        ("", "auto", "empty"),
        ("   ", "auto", "empty"),
        ("1.2.3,4,5", "auto", "not_a_number"),
        ("1,5e3", "auto", "not_a_number"),  # no exponents
        ("12,5,3", ",", "not_a_number"),
        ("0.75", ",", "decimal_comma"),  # a decimal point in a decimal-comma file
        ("12,5", ".", "decimal_point"),
        ("1.2345.678", ",", "grouping"),
        ("4402.682,97", ",", "grouping"),
        ("31.12.2019", ",", "date"),
        ("#DIV/0!", ",", "excel_error"),
        ("12,", ",", "not_a_number"),
        ("-", ",", "not_a_number"),
        ("1 2", ",", "grouping"),
        ("٣", ",", "not_a_number"),  # only ASCII digits
        ("1" * 400, ",", "too_large"),
        (True, ",", "not_a_number"),
        (None, ",", "not_a_number"),
        (float("nan"), ",", "not_a_number"),
        (10**400, ",", "too_large"),
    ],
)
def test_parse_number_rejects_with_a_reason(text: object, decimal: DecimalMode, code: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(text, decimal)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12,5", "1.234", "7"], ","),
        (["0.75", "12,500"], "."),
        (["1.234.567", "3"], ","),
        (["1,234,567", "3"], "."),
        (["12.500,00", "0.5", "1,5"], ","),
        (["1", "2", "300"], ","),  # no evidence: German default
        ([], ","),
    ],
)
def test_detect_decimal_votes_by_the_values_of_a_file(values: list[str], expected: str) -> None:
    assert detect_decimal(values) == expected


@pytest.mark.parametrize("value", [12.5, 0.1, -3.25, 1e-05, 12500.0, 123456789.125])
@pytest.mark.parametrize("decimal", [",", "."])
def test_format_number_round_trips_through_parse_number(value: float, decimal: Decimal_) -> None:
    assert parse_number(format_number(value, decimal), decimal) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2019", date(2019, 12, 31)),
        ("1.7.2019", date(2019, 7, 1)),
        ("31.12.19", date(2019, 12, 31)),
        ("01.01.99", date(1999, 1, 1)),
        ("2019-12-31", date(2019, 12, 31)),
        ("2019-12-31 14:35:00", date(2019, 12, 31)),
        ("17.09.2019, 14:35", date(2019, 9, 17)),
        (43830, date(2019, 12, 31)),
        (43830.75, date(2019, 12, 31)),  # serial with a time of day
        ("43830", date(2019, 12, 31)),
        (datetime(2019, 12, 31, 8, 30), date(2019, 12, 31)),
        (date(2019, 12, 31), date(2019, 12, 31)),
    ],
)
def test_parse_date_reads_german_iso_and_excel_dates(text: object, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "31.02.2019", "2019", "12/31/2019", "gestern", "0", -1, 10**9, True, None]
)
def test_parse_date_rejects_what_is_not_a_date(text: object) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.text(max_size=40))
def test_parse_number_raises_only_value_error_on_any_text(text: str) -> None:
    for decimal in DECIMAL_MODES:
        try:
            value = parse_number(text, decimal, percent=True)
        except ValueError:
            continue
        assert value == value  # never NaN


@given(st.text(alphabet="0123456789.,+- %\u00a0€", max_size=20))
def test_parse_number_raises_only_value_error_on_number_like_text(text: str) -> None:
    for decimal in DECIMAL_MODES:
        with contextlib.suppress(ValueError):
            parse_number(text, decimal)


@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789.-: ,T", max_size=25)))
def test_parse_date_raises_only_value_error_on_any_text(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_date(text)


@example(10**400)
@given(st.one_of(st.integers(), st.floats()))
def test_parse_date_raises_only_value_error_on_any_number(number: float) -> None:
    with contextlib.suppress(ValueError):
        parse_date(number)


PERIOD_LIKE = st.text(alphabet="0123456789IiHJhalbjr./- \u0130\u0131", max_size=25)


@example("\u0130. HJ 2019")
@given(st.one_of(st.text(max_size=30), PERIOD_LIKE))
def test_parse_half_year_raises_only_value_error_on_any_text(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_half_year(text)


@example("\u0130. HJ 2019")
@given(st.one_of(st.text(max_size=30), PERIOD_LIKE))
def test_half_year_of_a_cell_never_raises_whatever_the_text(text: str) -> None:
    assert half_year_of(text) is None or isinstance(half_year_of(text), HalfYear)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. HJ 2019", "2019-H1"),
        ("II. HJ 2019", "2019-H2"),
        ("2. Halbjahr 2019", "2019-H2"),
        ("H1/2020", "2020-H1"),
        ("2019-H2", "2019-H2"),
        ("30.06.2019", "2019-H1"),  # a date names the half-year it falls in
        ("01.07.2019", "2019-H2"),
        ("2019-12-31", "2019-H2"),
        ("43830", "2019-H2"),  # Excel serial of 31.12.2019
    ],
)
def test_half_year_of_a_cell_reads_half_years_and_dates(text: str, expected: str) -> None:
    half = half_year_of(text)
    assert half is not None and half.id == expected


@pytest.mark.parametrize("text", ["", "3. HJ 2019", "2019", "Q3 2019", "31.02.2019"])
def test_half_year_of_a_cell_is_none_for_what_names_no_half_year(text: str) -> None:
    assert half_year_of(text) is None
