import datetime as dt

import pytest

from ipkg.nlp.components.dates import find_dates


@pytest.mark.parametrize(
    "text,published,expected",
    [
        ("On June 14, 2025, they spoke.", None, [("2025-06-14", None)]),
        ("on 10 March 1979 in Tehran", None, [("1979-03-10", None)]),
        ("visited on August 2-3, 2025", None, [("2025-08-02", "2025-08-03")]),
        ("In November 2024, they met.", None, [("2024-11", None)]),
        ("founded in 1947.", None, [("1947", None)]),
        ("On January 13, 2026, Asif said so; on January 20 he met him.", None, [("2026-01-13", None), ("2026-01-20", None)]),
        ("They met on Tuesday.", dt.date(2025, 11, 25), [("2025-11-25", None)]),
        ("earlier this year", dt.date(2025, 11, 25), [("2025", None)]),
        ("They met on Tuesday.", None, [(None, None)]),
        ("It grew by 2025 percent", None, []),
        ("troops post-2001 stayed", None, []),
    ],
)
def test_dates_normalise_at_text_precision(text, published, expected):
    assert [(d.iso, d.end_iso) for d in find_dates(text, published)] == expected


def test_dates_month_without_year_takes_narrative_year():
    ds = find_dates("Pezeshkian visited in August 2025. The two had previously met in May.")
    assert [d.iso for d in ds] == ["2025-08", "2025-05"]


def test_dates_adjectival_use_is_flagged():
    (d,) = find_dates("Sharif condemned Israel's June 13 attack.", dt.date(2025, 8, 3))
    assert d.adjectival and d.iso == "2025-06-13"
