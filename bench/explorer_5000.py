"""How long a 5,000-actor explorer page takes: to build in Python, and to be drawn in headless Chromium.

A speed target, not a test: run it by hand.

    PYTHONPATH=src python bench/explorer_5000.py [--nodes 5000] [--edges 10000] [--keep page.html]

The graph is synthetic (preferential attachment, as news networks are: a few states and leaders
in most events), with the attributes of :func:`ipkg.analysis.project.graph_to_actor_network`.
"Usable" is the explorer's own ready flag: the first frame drawn with every node placed (no
physics above 300 nodes). The browser is the tests' offline headless Chromium.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "viz"))

from chromium import offline_chromium, page_url, remote_urls, requested_urls, wait_ready  # noqa: E402

from ipkg.viz import actor_network_to_pyvis, write_html  # noqa: E402
from ipkg.viz.network import QUAD_COLORS, TYPE_COLORS  # noqa: E402

KINDS = ["visit", "meeting", "talks", "call", "support", "praise", "condemn", "accuse", "deny", "strike", "attack"]


def synthetic_actor_network(n: int, m: int, seed: int = 0) -> nx.MultiDiGraph:
    """``n`` actors and ``m`` events, attached preferentially."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    types, quads = list(TYPE_COLORS), list(QUAD_COLORS)
    for i in range(n):
        G.add_node(f"actor:a{i}", label=f"Actor {i}", type=rng.choice(types))
    ends: list[str] = ["actor:a0", "actor:a1"]
    for i in range(m):
        u = f"actor:a{i % n}" if i < n else rng.choice(ends)
        v = rng.choice(ends) if rng.random() < 0.8 else f"actor:a{rng.randrange(n)}"
        if u == v:
            v = f"actor:a{(int(v[7:]) + 1) % n}"
        year = rng.randrange(1990, 2026)
        G.add_edge(
            u,
            v,
            event=f"event:{i:06x}",
            kind=rng.choice(KINDS),
            quad=rng.choice(quads),
            goldstein=round(rng.uniform(-10, 10), 1),
            date=rng.choice([f"{year}", f"{year}-{rng.randrange(1, 13):02d}", f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"]),
            sentences=[f"Actor {u[7:]} did something to Actor {v[7:]} in a sentence of ordinary length for a news report."],
            documents=[f"doc{rng.randrange(200):03d}"],
        )
        ends += [u, v]
    return G


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--edges", type=int, default=10000)
    ap.add_argument("--keep", type=Path, help="also keep the page here")
    args = ap.parse_args()

    G = synthetic_actor_network(args.nodes, args.edges)
    t0 = time.perf_counter()
    net = actor_network_to_pyvis(G)
    t1 = time.perf_counter()
    page = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "explorer.html"
    write_html(net, page)
    t2 = time.perf_counter()
    print(f"graph      {G.number_of_nodes()} actors, {G.number_of_edges()} events")
    print(f"python     {t1 - t0:.2f} s to lay out and build the Network, {t2 - t1:.2f} s to write {page.stat().st_size / 1e6:.1f} MB")

    with offline_chromium() as drv:
        drv.get("about:blank")
        t3 = time.perf_counter()
        drv.get(page_url(page))
        ready_ms = wait_ready(drv, timeout=120)
        t4 = time.perf_counter()
        drawn = drv.execute_script("var n = ipkgExplorer.network.body; return [n.nodeIndices.length, n.edgeIndices.length, ipkgExplorer.physics]")
        f0 = time.perf_counter()
        drv.execute_script("document.getElementById('filter-from').value = '2020'; ipkgExplorer.applyFilters();")
        shown = drv.execute_script("return ipkgExplorer.edgesView.length")
        f1 = time.perf_counter()
        drv.execute_script("ipkgExplorer.focusActor('Actor 4999')")
        f2 = time.perf_counter()
        errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
        remote = remote_urls(requested_urls(drv))
    print(f"browser    drawn and usable {ready_ms / 1000:.2f} s after navigation start ({t4 - t3:.2f} s wall clock, load included)")
    print(f"           drawn {drawn[0]} nodes, {drawn[1]} edges, physics {'on' if drawn[2] else 'off'}")
    print(f"           filter From 2020: {f1 - f0:.2f} s ({shown} events shown); search and focus: {f2 - f1:.2f} s")
    print(f"           console errors {len(errors)}, remote requests {len(remote)}")


if __name__ == "__main__":
    main()
