import datetime as dt

import edtf as reference
import pytest

from newsdossier.edtf import EDTFError, parse


@pytest.mark.parametrize("text, german", [
    ("2024-10-18", "18. Oktober 2024"),
    ("2024-10", "Oktober 2024"),
    ("2024", "2024"),
    ("2024-06-01/2024-06-10", "Anfang Juni 2024"),
    ("2024-06-11/2024-06-20", "Mitte Juni 2024"),
    ("2024-06-21/2024-06-30", "Ende Juni 2024"),
    ("2024-02-21/2024-02-29", "Ende Februar 2024"),
    ("2024-10~", "ca. Oktober 2024"),
    ("2024-10?", "vermutlich Oktober 2024"),
    ("1965/1973", "1965–1973"),
    ("196X", "1960er-Jahre"),
    ("196X/197X", "1960er-Jahre bis 1970er-Jahre"),
    ("2024-10-18/..", "frühestens 18. Oktober 2024"),
    ("../2024-10-18", "spätestens 18. Oktober 2024"),
    ("2024-06/2024-08", "Juni bis August 2024"),
    ("2024-10-03/2024-10-05", "3. bis 5. Oktober 2024"),
])
def test_german_display_keeps_precision(text, german):
    assert parse(text).german() == german


@pytest.mark.parametrize("text, message", [
    ("2024-02-30", "impossible date '2024-02-30': Februar 2024 has 29 days"),
    ("2023-02-29", "Februar 2023 has 28 days"),
    ("2024-13", "there is no month 13"),
    ("2024-10-18/2024-10-01", "ends before it starts"),
    ("18.10.2024", "is not an EDTF date"),
    ("2024/", "empty end"),
    ("", "empty date"),
])
def test_impossible_or_malformed_dates_are_refused_with_a_hint(text, message):
    with pytest.raises(EDTFError) as exc:
        parse(text)
    assert message in str(exc.value)
    assert exc.value.hint


@pytest.mark.parametrize("text", [
    "2024-10-18", "2024-10", "2024", "2024-10~", "2024-10?", "1965/1973", "196X",
    "2024-06-11/2024-06-20", "2024-02", "2023-02", "1999-12-31", "196X/197X",
])
def test_bounds_agree_with_reference_implementation(text):
    ours = parse(text)
    ref = reference.parse_edtf(text)
    assert ours.lower == dt.date(*ref.lower_strict()[:3])
    assert ours.upper == dt.date(*ref.upper_strict()[:3])


def test_sorting_uses_earliest_possible_day():
    dates = ["2024-10", "2024-06-11/2024-06-20", "2024-10-18", "2024", "196X", "2024-10-01"]
    ordered = sorted(dates, key=lambda t: parse(t).sort_key())
    assert ordered == ["196X", "2024", "2024-06-11/2024-06-20", "2024-10-01", "2024-10", "2024-10-18"]


def test_a_span_open_at_the_start_sorts_by_its_latest_day():
    dates = ["2024-03", "../2024-10-18", "2024-10-19"]
    assert sorted(dates, key=lambda t: parse(t).sort_key()) == ["2024-03", "../2024-10-18", "2024-10-19"]


def test_approximate_and_uncertain_flags():
    assert parse("2024-10~").approximate and not parse("2024-10~").uncertain
    assert parse("2024-10?").uncertain
    assert not parse("2024-10-18").approximate


@pytest.mark.parametrize("text", ["196X/197X", "1965/197X", "19XX/2024", "../197X", "2024-10/..", "2024-10?/2024-11~"])
def test_the_editor_schema_accepts_every_span_the_checker_accepts(text):
    """A span may end in a year with unspecified digits ("196X/197X", "späte 1960er und
    1970er"): the JSON Schema for editors must not underline what parse() accepts."""
    import re

    from newsdossier.schema import Date

    parse(text)
    assert re.match(Date().schema()["pattern"], text)
