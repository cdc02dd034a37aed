"""Scoring the bundled queries against gold annotations, and the project's own targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipkg.evaluate import evaluate, load_gold, render_scores

ROOT = Path(__file__).resolve().parents[1]

TEXT = (
    "Foreign Minister Ishaq Dar visited Tehran on 3 March 2025. "
    "Dar met Iranian President Masoud Pezeshkian on 4 March 2025.\n"
)

GOLD = """
documents = "docs"

[[actors]]
label = "Ishaq Dar"
type = "Person"

[[actors]]
label = "Masoud Pezeshkian"
type = "Person"

[[actors]]
label = "Iran"
type = "State"

[[actors]]
label = "Tehran"
type = "Place"

[[actors]]
label = "Atlantis"
type = "State"

[[visits]]
visitor = "Ishaq Dar"
destination = "Iran"
date = "2025-03"

[[visits]]
visitor = "Ishaq Dar"
destination = "Atlantis"
date = "2025-03-05"
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    (root / "docs").mkdir()
    (root / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "gold.toml").write_text(GOLD, encoding="utf-8")
    from ipkg.workflow import build_graph

    ds, _ = build_graph([root / "docs"])
    return root, ds


def test_evaluate_counts_matches_misses_and_errors(small):
    root, ds = small
    scores = {s.query: s for s in evaluate(ds, load_gold(root / "gold.toml"), ("actors", "visits"))}
    visits = scores["visits"]
    assert (visits.gold, visits.predicted, visits.matched_gold) == (2, 1, 1)
    assert visits.precision == 1.0 and visits.recall == 0.5
    assert [g["destination"] for g in visits.missed] == ["Atlantis"]
    actors = scores["actors"]
    assert actors.matched_gold == actors.gold - len(actors.missed) and "Atlantis" in {g["label"] for g in actors.missed}
    assert actors.recall == pytest.approx(actors.matched_gold / 5)


def test_predicted_label_maps_to_gold_through_its_aliases(small):
    root, ds = small
    gold = load_gold(root / "gold.toml")
    gold["actors"][0] = {"label": "Muhammad Ishaq Dar", "type": "Person", "aliases": ["Ishaq Dar"]}
    gold["visits"][0]["visitor"] = "Muhammad Ishaq Dar"
    (visits,) = evaluate(ds, gold, ("visits",))
    assert visits.matched_gold == 1


def test_render_scores_lists_errors(small):
    root, ds = small
    text = render_scores(evaluate(ds, load_gold(root / "gold.toml"), ("visits",)), "== t", errors=True)
    assert text.splitlines()[0] == "== t"
    assert "visits  missed  visitor=Ishaq Dar, destination=Atlantis" in text


def test_cli_evaluate_fails_below_target(small):
    root, _ = small
    run = [sys.executable, "-m", "ipkg", "evaluate", str(root / "gold.toml")]
    ok = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "visits" in ok.stdout
    low = subprocess.run([*run, "--min-recall", "0.9", "--errors"], capture_output=True, text=True, timeout=300)
    assert low.returncode == 1 and "below target" in low.stderr and "missed" in low.stdout


def test_bad_gold_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[visits]\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "ipkg", "evaluate", str(bad)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.startswith("error:") and "Traceback" not in r.stderr


def test_shortfalls_apply_only_to_the_named_queries():
    from ipkg.evaluate import Score, shortfalls

    table = [Score("visits", 4, 4, 4, 4), Score("agreements", 4, 4, 1, 1)]
    assert shortfalls([table], 0.9, 0.85, only=("visits",)) == []
    assert [str(s) for s in shortfalls([table], 0.9, 0.85)] == ["table 1 agreements: precision 0.25 < 0.90", "table 1 agreements: recall 0.25 < 0.85"]
    assert shortfalls([table, table], 0.9, 0.85, only=("visits",), within=0.1) == []


def test_known_shortfall_fails_only_under_its_floor(small, tmp_path):
    root, _ = small
    known = tmp_path / "known.toml"
    known.write_text('[[shortfall]]\ntable = 1\nquery = "visits"\nmeasure = "recall"\nfloor = 0.5\nreason = "no destination"\n', encoding="utf-8")
    run = [sys.executable, "-m", "ipkg", "evaluate", str(root / "gold.toml"), "--only", "visits", "--min-recall", "0.9", "--known", str(known)]
    ok = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "known shortfall: table 1 visits: recall 0.50 < 0.90 (floor 0.50)" in ok.stderr
    known.write_text(known.read_text().replace("0.5\n", "0.6\n"), encoding="utf-8")
    low = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert low.returncode == 1 and "below target: table 1 visits: recall 0.50 < 0.90" in low.stderr
