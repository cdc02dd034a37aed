"""Data safety: a build killed at any moment leaves a usable graph and store; adding a document duplicates nothing."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from conftest import SEEDS
from ipkg.kg.io import load_graph
from ipkg.query.sparql import run_query
from ipkg.store import open_store
from ipkg.workflow import build

SMALL = [SEEDS / "001_ae461dcb86a6c762.txt"]
MORE = SMALL + [SEEDS / "003_837904dac7d69cd7.txt"]


def _state(out):
    """What a reader finds in ``out``: the TriG bytes and the store's quads, both loadable."""
    load_graph(out)
    with open_store(out) as store:
        quads = len(store)
    return (out / "graph.trig").read_bytes(), quads


def _cli_build(paths, out):
    env = {**os.environ, "PYTHONPATH": str(SEEDS.parent / "src")}
    return subprocess.Popen([sys.executable, "-m", "ipkg", "build", *map(str, paths), "--out", str(out), "-q"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The two states a killed rebuild may leave: the previous build's and the new one's (and how long a build takes)."""
    before = tmp_path_factory.mktemp("before")
    build(SMALL, before)
    after = tmp_path_factory.mktemp("after")
    started = time.monotonic()
    assert _cli_build(MORE, after).wait(300) == 0
    return before, _state(before), _state(after), time.monotonic() - started


@pytest.mark.parametrize("fraction", [0.5, 0.8, 0.9, 0.95, 0.99])
def test_safety_sigkill_leaves_the_previous_or_the_new_graph(states, fraction, tmp_path):
    """SIGKILL at a point of a rebuild: graph.trig and the store are each complete, old or new."""
    before, old, new, seconds = states
    out = tmp_path / "out"
    build(SMALL, out)
    assert _state(out) == old
    proc = _cli_build(MORE, out)
    time.sleep(seconds * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    trig, quads = _state(out)
    assert trig in (old[0], new[0])
    assert quads in (old[1], new[1])
    build(MORE, out)
    assert _state(out) == new
    assert len([p for p in out.iterdir() if p.name.startswith(".oxigraph-")]) == 1


def test_safety_adding_a_document_duplicates_nothing(states, tmp_path):
    """Rebuilding with one more document keeps one node per actor and one event per fact."""
    before = states[0]
    out = tmp_path / "out"
    build(MORE, out)
    old, new = load_graph(before), load_graph(out)
    old_actors = {r["actor"]: r["label"] for r in run_query(old, "actors").rows}
    new_actors = Counter(r["label"] for r in run_query(new, "actors").rows)
    assert all(new_actors[label] == 1 for label in new_actors)
    assert set(old_actors.values()) <= set(new_actors)
    events = run_query(new, "events").rows
    keys = Counter((r["type"], r["actorLabel"], r["targetLabel"], r["date"]) for r in events)
    assert keys and max(keys.values()) == 1
    assert len(run_query(old, "events").rows) <= len(events)
