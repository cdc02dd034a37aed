"""End to end on the seeds: representative answers of every bundled query."""

import json
import re

import pytest

from ipkg.query import list_queries


def _find(rows, **want):
    return [r for r in rows if all(v in r[k].split(" | ") or r[k] == v for k, v in want.items())]


def test_project_summary(seed_build):
    summary, out = seed_build
    assert summary.documents == 5
    assert summary.violations == 0
    assert summary.events >= 20 and summary.actors >= 20
    assert (out / "graph.trig").is_file() and (out / "graph.html").is_file()


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_project_every_query_returns_rows(q, name):
    assert q(name), f"{name} returned no rows on the seeds"


def test_project_recognition_1947(q):
    rows = _find(q("recognitions"), recognizerLabel="Iran", recognizedLabel="Pakistan")
    assert len(rows) == 1 and rows[0]["date"] == "1947"


def test_project_pezeshkian_visit_told_twice_counted_once(q):
    rows = _find(q("visits"), visitorLabel="Masoud Pezeshkian", destinationLabel="Pakistan")
    assert len(rows) == 1
    assert rows[0]["date"] == "2025-08-02" and rows[0]["sources"] == "2"


def test_project_call_june_14(q):
    rows = _find(q("meetings"), actorLabel="Shehbaz Sharif", counterpartLabel="Masoud Pezeshkian", kind="call")
    assert "2025-06-14" in [r["date"] for r in rows]


def test_project_positions(q):
    rows = q("positions")
    assert _find(rows, personLabel="Asim Munir", position="Chief of Army Staff", orgLabel="Pakistan")
    assert _find(rows, personLabel="Ali Larijani", orgLabel="Supreme National Security Council")


def test_project_statements_and_quotes(q):
    assert _find(q("statements"), speakerLabel="Asif Ali Zardari", stance="thank", aboutLabel="Ali Khamenei")
    quotes = _find(q("quotes"), speakerLabel="Mohsen Rezaei")
    assert quotes and quotes[0]["quote"].startswith("Pakistan has stated that if Israel drops")


def test_project_no_spam_actor(q):
    labels = {r["label"] for r in q("actors")}
    for spam in ("Nia Peeples", "Ashley Judd", "Chad Kroeger", "Al Horford", "Daily Caller"):
        assert not any(spam in l for l in labels)


def test_project_namesakes_apart(q):
    labels = {r["label"] for r in q("actors")}
    assert {"Asif Ali Zardari", "Bilawal Bhutto Zardari", "Khawaja Asif"} <= labels


def test_project_figures(q):
    rows = q("figures")
    assert _find(rows, unit="USD/MMBtu")
    assert any(float(r["value"]) == 2.8e9 and r["unit"] == "USD" for r in rows)


def test_project_dates_are_iso_at_text_precision(q):
    for r in q("events"):
        assert r["date"] == "" or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", r["date"])


def test_project_json_results_format(seed_graph):
    from ipkg.query import run_query

    data = json.loads(run_query(seed_graph, "visits").to_json())
    assert "visitorLabel" in data["head"]["vars"] and data["results"]["bindings"]
