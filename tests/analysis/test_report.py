import csv
import re
import subprocess
import sys

from typer.testing import CliRunner

from conftest import ROOT
from ipkg.analysis.report import write_report

PNG = b"\x89PNG\r\n\x1a\n"
CHARTS = ("timeline.png", "dyads.png", "top_actors.png", "communities.png")
HEADERS = (
    "Top 10 actors by weighted degree (events)",
    "Top 10 actors by PageRank",
    "Top 10 actors by betweenness",
    "Louvain communities (seed 0)",
    "Dyad series per year",
    "Brokers between Iran and Pakistan",
)


def _check_folder(folder):
    md = (folder / "report.md").read_text(encoding="utf-8")
    for name in CHARTS:
        data = (folder / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 1000, name
        assert f"]({name})" in md, name
    for name in ("actors.csv", "dyads_year.csv", "dyads_month.csv"):
        assert f"]({name})" in md and (folder / name).stat().st_size > 0
    return md


def test_report_writes_markdown_charts_and_csv(world, tmp_path):
    summary = write_report(world[0], tmp_path, top=3, seed=1)
    md = _check_folder(tmp_path)
    assert summary.report == tmp_path / "report.md" and summary.events == 9 and summary.actors == 8
    assert [t.title for t in summary.tables][:3] == ["Top 3 actors by weighted degree (events)", "Top 3 actors by PageRank (events, actor -> target)", "Top 3 actors by betweenness"]
    assert "| 1 | Iran | State | 6 | 25.4 |" in md  # |-2| + 6 + |-10| + 3.4 + 2 x |-2|
    assert "skip 1 event-dyad pair(s) dated only to a year" in md
    rows = list(csv.DictReader((tmp_path / "dyads_month.csv").open(encoding="utf-8")))
    assert all(re.fullmatch(r"\d{4}-\d{2}", r["period"]) for r in rows)
    actors = list(csv.DictReader((tmp_path / "actors.csv").open(encoding="utf-8")))
    assert {r["label"]: r["state"] for r in actors}["Ava Example"] == "https://w3id.org/ipkg/id/actor/pakistan"


def test_report_is_the_same_twice(world, tmp_path):
    write_report(world[0], tmp_path / "a")
    write_report(world[0], tmp_path / "b")
    for name in ("report.md", *CHARTS, "dyads_year.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_report_cli_defaults_to_graph_report_and_reports_errors(world, tmp_path):
    from ipkg.cli import app
    from ipkg.kg.io import save_graph

    save_graph(world[0], tmp_path)
    res = CliRunner().invoke(app, ["analyze", "--graph", str(tmp_path), "--top", "2"])
    assert res.exit_code == 0, res.output
    assert "Top 2 actors by weighted degree" in res.output and (tmp_path / "report" / "report.md").is_file()
    res = CliRunner().invoke(app, ["analyze", "--graph", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "No graph found" in res.output


def test_analyze_seeds_end_to_end(seed_build, tmp_path):
    _, out = seed_build
    res = subprocess.run(
        [sys.executable, "-m", "ipkg", "analyze", "--graph", str(out), "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert res.returncode == 0, res.stderr
    for header in HEADERS:
        assert header in res.stdout, header
    assert re.search(r"^Iran → Pakistan\s+\d{4}\s+\d+", res.stdout, re.MULTILINE)
    assert re.search(r"^Pakistan → Iran\s+\d{4}\s+\d+", res.stdout, re.MULTILINE)
    md = _check_folder(tmp_path)
    assert "## Relations over time" in md and "## Brokers between Iran and Pakistan" in md
    assert f"wrote {tmp_path / 'report.md'}" in res.stdout
