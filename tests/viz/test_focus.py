"""Focused views: date windows at their own precision, an actor's neighbourhood, ``ipkg viz``."""

import subprocess
import sys

import networkx as nx
import pytest

from chromium import page_data
from conftest import ROOT
from ipkg.errors import IpkgError
from ipkg.analysis.metrics import resolve_actor
from ipkg.viz.focus import date_bounds, focus_actor_network, in_window


@pytest.mark.parametrize(
    "date, since, until, kept",
    [
        ("2024-01-15", "2024-01", None, True),
        ("2024", "2024-01", None, True),  # only the year is known: it may fall in the window
        ("2023-12-31", "2024-01", None, False),
        ("2024-01-31", None, "2024-01", True),
        ("2024-02-01", None, "2024-01", False),
        ("2024-01", "2024-01-20", "2024-01-20", True),
        ("2023", "2024", "2025", False),
        ("", "2024", None, False),  # undated: dropped once a bound is given
        ("", None, None, True),
    ],
)
def test_focus_window_overlaps_at_the_dates_precision(date, since, until, kept):
    assert in_window(date, since, until) is kept


@pytest.mark.parametrize("bad", ["2024-1", "Jan 2024", "24", "2024-01-1"])
def test_focus_bad_date_is_an_error(bad):
    with pytest.raises(IpkgError, match="Bad date"):
        in_window("2024", since=bad)


def test_focus_date_bounds_of_a_month():
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-31")


def test_focus_actor_by_label_alias_or_iri_and_errors():
    G = nx.MultiDiGraph()
    G.add_node("actor:asim-munir", label="Asim Munir", iri="https://w3id.org/ipkg/id/actor/asim-munir", aliases=["General Munir"])
    G.add_node("actor:a1", label="Khan")
    G.add_node("actor:a2", label="Khan")
    for name in ("Asim Munir", "general munir", "https://w3id.org/ipkg/id/actor/asim-munir", "actor:asim-munir"):
        assert resolve_actor(G, name) == "actor:asim-munir"
    with pytest.raises(IpkgError, match="Unknown actor 'Asim Munit'.*Did you mean Asim Munir"):
        resolve_actor(G, "Asim Munit")
    with pytest.raises(IpkgError, match="Ambiguous actor 'Khan'"):
        resolve_actor(G, "Khan")


def test_focus_hops_follow_both_directions_within_the_window():
    G = nx.MultiDiGraph()
    for n in "abcde":
        G.add_node(n, label=n.upper())
    G.add_edge("b", "a", date="2024-03")
    G.add_edge("b", "c", date="2024")
    G.add_edge("c", "d", date="2022")
    G.add_edge("d", "e", date="2024-05")
    assert sorted(focus_actor_network(G, "a", hops=2)) == ["a", "b", "c"]
    assert sorted(focus_actor_network(G, "a", hops=3, since="2024-02")) == ["a", "b", "c"]
    assert sorted(focus_actor_network(G, "a", hops=0)) == ["a"]
    assert sorted(focus_actor_network(G, since="2024-04").edges()) == [("b", "c"), ("d", "e")]
    with pytest.raises(IpkgError, match="--hops"):
        focus_actor_network(G, "a", hops=-1)


def _ipkg(*args):
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "ipkg", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_viz_around_an_actor(seed_build, tmp_path):
    out_dir = seed_build[1]
    full = page_data((out_dir / "graph.html").read_text(encoding="utf-8"))
    page = tmp_path / "munir.html"
    r = _ipkg("viz", "--graph", str(out_dir), "--out", str(page), "--around", "Asim Munir", "--hops", "1", "--since", "2024-01")
    assert r.returncode == 0, r.stderr
    assert f"wrote {page}" in r.stdout and "around actor:asim-munir" in r.stdout
    data = page_data(page.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert "actor:asim-munir" in ids and 1 < len(ids) < len(full["nodes"])
    assert data["edges"] and all(in_window(e["date"], "2024-01") for e in data["edges"])
    assert all("actor:asim-munir" in (e["from"], e["to"]) for e in data["edges"])  # one hop


def test_cli_viz_default_out_is_beside_the_graph(seed_build, tmp_path):
    import shutil

    shutil.copy(seed_build[1] / "graph.trig", tmp_path / "graph.trig")
    r = _ipkg("viz", "--graph", str(tmp_path), "--until", "2000")
    assert r.returncode == 0, r.stderr
    data = page_data((tmp_path / "viz.html").read_text(encoding="utf-8"))
    assert data["edges"] and all(e["date"] and e["date"] <= "2000-12-31" for e in data["edges"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--around", "Nobody Atall"], "error: Unknown actor 'Nobody Atall'"),
        (["--since", "2024-1"], "error: Bad date '2024-1'"),
    ],
)
def test_cli_viz_errors_exit_2(seed_build, tmp_path, args, message):
    r = _ipkg("viz", "--graph", str(seed_build[1]), "--out", str(tmp_path / "x.html"), *args)
    assert r.returncode == 2
    assert r.stderr.startswith(message)
    assert not (tmp_path / "x.html").exists()
