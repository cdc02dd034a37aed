import datetime as dt

import pytest

from ipkg.errors import IpkgError
from ipkg.ingest import iter_records, parse_front_matter, read_record


def test_readers_front_matter_sets_fields_and_offset(tmp_path):
    raw = "---\ntitle: Raisi in Lahore\nurl: https://example.org/a\npublished: 2024-04-23\n---\nRaisi visited Lahore.\n"
    p = tmp_path / "a.txt"
    p.write_text(raw, encoding="utf-8")
    rec = read_record(p)
    assert rec.title == "Raisi in Lahore"
    assert rec.url == "https://example.org/a"
    assert rec.published == dt.date(2024, 4, 23)
    assert raw[rec.offset :] == rec.text == "Raisi visited Lahore.\n"


def test_readers_without_front_matter_offset_zero():
    assert parse_front_matter("Plain text") == ({}, 0)


def test_readers_bad_front_matter_is_a_clear_error(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("---\nthis is not a field\n---\nBody", encoding="utf-8")
    with pytest.raises(IpkgError, match="front matter"):
        read_record(p)


def test_readers_bad_date_is_a_clear_error(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("---\npublished: last Tuesday\n---\nBody", encoding="utf-8")
    with pytest.raises(IpkgError, match="YYYY-MM-DD"):
        read_record(p)


def test_readers_manifest_gives_seed_metadata():
    from conftest import SEEDS

    recs = {r.doc_id: r for r in iter_records([SEEDS])}
    assert len(recs) == 5
    assert recs["003_837904dac7d69cd7"].published == dt.date(2025, 11, 25)
    assert recs["004_eff385449cca70d7"].kind == "encyclopedia"
    assert recs["000_0828b3b12d76d6f1"].published is None


def test_readers_seeds_are_unchanged_copies():
    from conftest import ROOT, SEEDS

    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.fail(f"{shared} missing: CI clones the repo with shared/ beside it")
    for f in shared.glob("*.txt"):
        assert (SEEDS / f.name).read_bytes() == f.read_bytes()


def test_readers_no_documents_is_an_error(tmp_path):
    with pytest.raises(IpkgError, match="No input documents"):
        list(iter_records([tmp_path]))


def _script_by_count(text):
    """dominant_script's rule, counted letter by letter: the most frequent script unless Latin has
    at least half of the letters (ties go to the script seen first)."""
    import unicodedata
    from collections import Counter

    scripts = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts["LATIN" if ch.isascii() else (name.split(" ", 1)[0] if name else "UNKNOWN")] += 1
    if not scripts:
        return ""
    top, _ = scripts.most_common(1)[0]
    if top == "LATIN" or scripts["LATIN"] * 2 >= sum(scripts.values()):
        return ""
    return "CJK" if top == "CJK" else top.title()


@pytest.mark.parametrize("latin", [0, 1, 5, 9, 10, 11, 20])
@pytest.mark.parametrize("other", ["ا", "ب ", "é", "—", "Ж", "中", "ایران، "])
def test_dominant_script_agrees_with_counting_letters(latin, other):
    from ipkg.ingest.readers import dominant_script

    for text in ("a" * latin + other * 10, other * 10 + "a" * latin, ("a" + other) * latin + other):
        assert dominant_script(text) == _script_by_count(text), text
