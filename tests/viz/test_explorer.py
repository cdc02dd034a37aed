"""The build's explorer page straight from the rows: the bytes of actor_network_to_pyvis + write_html, with or without its cache."""

import json

import networkx as nx
import numpy as np
import pytest

from conftest import change_plans, write_plans
from ipkg.analysis import graph_to_actor_network, rowcache
from ipkg.store import OxigraphStore
from ipkg.viz import actor_network_to_pyvis, write_html
from ipkg.viz import explorer
from ipkg.viz.explorer import write_explorer
from ipkg.viz.focus import actor_names
from ipkg.viz.layout import explorer_layout, layout_pairs

VISIT = ("visit", ["iran"], ["pakistan"], "2025-08-02")
DOCS = {
    "d1": [VISIT, ("condemn", ["pakistan"], ["iran"], "2024-01")],
    "d2": [VISIT, ("strike", ["united-states"], ["iran"], "2025-06-22")],
    "d3": [("praise", ["china"], ["pakistan"], "2025-05"), ("praise", ["oman"], ["oman"], "2025-05")],
    "d4": [("condemn", ["iran"], ["israel", "united-states"], "2025-06")],
    "d5": [("visit", ["qatar"], ["egypt"], "2023")],
}


def _write(folder, docs):
    write_plans(folder, docs, "{doc_id} says <b>{kind}</b> {i}.")


def _fresh(store, physics_max_nodes):
    G = graph_to_actor_network(store)
    return actor_network_to_pyvis(G, aliases=actor_names(G), physics_max_nodes=physics_max_nodes)


def _page(tmp_path, store_path, physics_max_nodes=0, cache=True):
    store = OxigraphStore(store_path, read_only=True)
    try:
        got = write_explorer(
            store,
            tmp_path / "got.html",
            rows=tmp_path / "projection.rows" if cache else None,
            cache=tmp_path / explorer.PAGE_CACHE if cache else None,
            physics_max_nodes=physics_max_nodes,
        ).read_bytes()
        want = write_html(_fresh(store, physics_max_nodes), tmp_path / "want.html").read_bytes()
    finally:
        store.close()
    assert got == want
    return got


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(rowcache, "CHANGED_SHARE", 1)  # the tiny store: let every graph change


@pytest.mark.parametrize("physics_max_nodes", [0, 300])
def test_explorer_page_is_the_networks_page(tmp_path, physics_max_nodes, small):
    _write(tmp_path / "oxigraph", DOCS)
    page = _page(tmp_path, tmp_path / "oxigraph", physics_max_nodes, cache=False)
    assert b"\\u003cb\\u003evisit\\u003c/b\\u003e" in page and b"<b>visit" not in page
    assert (tmp_path / explorer.PAGE_CACHE).exists() is False
    _page(tmp_path, tmp_path / "oxigraph", physics_max_nodes)
    assert (tmp_path / explorer.PAGE_CACHE).exists() is (physics_max_nodes == 0)  # no cache for a page with physics


def test_explorer_page_of_no_events(tmp_path):
    _write(tmp_path / "oxigraph", {})
    _page(tmp_path, tmp_path / "oxigraph")


def test_explorer_cache_follows_added_changed_and_removed_documents(tmp_path, small):
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    del docs["d4"]
    _write(store, docs)
    _page(tmp_path, store)
    for change in ("add", "change", "remove", "none"):
        if change == "add":
            docs["d4"] = DOCS["d4"]
        elif change == "change":
            docs["d2"] = [("visit", ["iran"], ["china"], "2025-08-02"), *DOCS["d2"][1:]]
        elif change == "remove":
            del docs["d1"]
        _write(store, docs)
        _page(tmp_path, store)


def _tamper(path, old, new):
    """The cache file with one edge's piece ``old`` replaced by ``new`` (same length: the file stays well-formed)."""
    blob = path.read_bytes()
    assert len(old) == len(new) and blob.count(old) >= 1
    path.write_bytes(blob.replace(old, new))


def test_explorer_cache_is_used_where_the_rows_say_it_holds(tmp_path, small):
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    # the store as it was: every edge from the cache (a piece changed there shows on the page)
    _tamper(cache, b'"date": "2023"', b'"date": "1999"')
    with pytest.raises(AssertionError):
        _page(tmp_path, store)
    cache.unlink()
    _page(tmp_path, store)
    # another document changed: the event it does not touch still comes from the cache...
    _tamper(cache, b'"date": "2023"', b'"date": "1999"')
    docs["d4"] = [("condemn", ["iran"], ["israel"], "2025-06")]
    _write(store, docs)
    with pytest.raises(AssertionError):
        _page(tmp_path, store)
    cache.unlink()
    _page(tmp_path, store)
    # ...but not the events of the document that changed
    _tamper(cache, b'"date": "2025-06"', b'"date": "1999-06"')
    docs["d4"] = [("condemn", ["iran"], ["israel"], "2025-07")]
    _write(store, docs)
    _page(tmp_path, store)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b"",
        lambda b: b.replace(b"ipkg explorer page", b"ipkg explorer pagX", 1),
        lambda b: b[:40] + b"\xff" + b[41:],
        lambda b: b + b"x",
        lambda b: b.replace(b'"key":"', b'"key":"0', 1),
    ],
)
def test_explorer_damaged_or_stale_cache_is_not_used(tmp_path, small, damage):
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    _tamper(cache, b'"date": "2023"', b'"date": "1999"')
    blob, rows = cache.read_bytes(), (tmp_path / "projection.rows").read_bytes()
    cache.write_bytes(damage(blob))
    docs["d4"] = [("condemn", ["iran"], ["israel"], "2025-06")]  # d5's event untouched: from a sound cache it would be reused
    _write(store, docs)
    _page(tmp_path, store)
    cache.write_bytes(blob)
    (tmp_path / "projection.rows").write_bytes(rows)
    (tmp_path / "projection.rows.journal").unlink(missing_ok=True)  # the rows as they were: no journal on them yet
    with pytest.raises(AssertionError):
        _page(tmp_path, store)


def test_explorer_cache_of_other_rows_is_not_used(tmp_path, small):
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    _tamper(cache, b'"date": "2023"', b'"date": "1999"')
    kept = cache.read_bytes()
    cache.unlink()
    del docs["d1"]
    _write(store, docs)
    _page(tmp_path, store)
    docs["d2"] = DOCS["d1"]
    _write(store, docs)
    cache.write_bytes(kept)  # made from rows two changes ago
    _page(tmp_path, store)


def test_layout_memo_gives_the_same_positions_and_keeps_only_this_graphs_components():
    G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("d", "e"), ("f", "f"), ("b", "a")])
    G.add_node("g")
    want = explorer_layout(G)
    pairs = [(u, v) for u, nbrs in G.adjacency() for v in nbrs]
    memo = {"stale": np.zeros((3, 2))}
    assert layout_pairs(G, pairs, memo=memo) == want
    assert len(memo) == 4 and "stale" not in memo
    assert layout_pairs(G, pairs, memo=memo) == want
    memo = {k: np.full((len(xy), 2), 7.0) for k, xy in memo.items()}
    assert layout_pairs(G, pairs, memo=dict(memo)) != want  # the memo is what is used
    memo = {k: np.zeros((len(xy) + 1, 2)) for k, xy in memo.items()}
    assert layout_pairs(G, pairs, memo=memo) == want  # of another shape: made again


def test_explorer_cache_file_round_trips(tmp_path, small, monkeypatch):
    monkeypatch.setattr(explorer, "JOURNAL_SHARE", 1)
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    blob = cache.read_bytes()
    header = json.loads(blob[len(explorer._MAGIC) : blob.index(b"\n", len(explorer._MAGIC))])
    data = explorer._read(cache, header["key"])
    assert data is not None and data.rows == header["rows"] and data.base == header["id"] and not data.events
    assert len(data.keys) == len(data.before) == len(data.after) == header["edges"] > 0 and data.keys == sorted(set(data.keys))
    assert data.layout.keys() == data.base_layout and data.base_size == len(blob)
    assert explorer._read(cache, "other") is None
    docs["d5"] = [("visit", ["qatar"], ["egypt"], "2022")]
    _write(store, docs)
    _page(tmp_path, store)
    assert cache.read_bytes() == blob  # the change went to the journal
    journal = explorer._read(cache, header["key"])
    assert journal is not None and journal.rows != data.rows and journal.base == data.base and journal.events and len(journal.keys) == len(data.keys)
    was = dict(zip(data.keys, zip(data.before, data.after)))
    changed = {k for k, a, b in zip(journal.keys, journal.before, journal.after) if (a, b) != was.get(k)}
    assert changed and {k[0] for k in changed} | {k[0] for k in set(data.keys) - set(journal.keys)} <= journal.events


def test_explorer_cache_is_not_written_again_when_nothing_changed(tmp_path, small):
    _write(tmp_path / "oxigraph", DOCS)
    _page(tmp_path, tmp_path / "oxigraph")
    cache = tmp_path / explorer.PAGE_CACHE
    journal = cache.with_name(cache.name + ".journal")
    before = cache.stat().st_ino
    _page(tmp_path, tmp_path / "oxigraph")
    assert cache.stat().st_ino == before and not journal.exists()
    docs = dict(DOCS, d5=[("visit", ["qatar"], ["egypt"], "2022")])
    _write(tmp_path / "oxigraph", docs)
    _page(tmp_path, tmp_path / "oxigraph")
    assert cache.stat().st_ino != before or journal.exists()
    state = cache.stat().st_ino, journal.exists() and journal.stat().st_ino
    _page(tmp_path, tmp_path / "oxigraph")
    assert (cache.stat().st_ino, journal.exists() and journal.stat().st_ino) == state


STEPS = [
    ("d6", [("strike", ["israel"], ["iran"], "2025-06-13"), VISIT]),
    ("d2", [("visit", ["iran"], ["china"], "2025-08-02"), *DOCS["d2"][1:]]),
    ("d1", None),
    ("d7", [("praise", ["egypt"], ["qatar"], "2024"), ("visit", ["newland"], ["oman"], "2024")]),
    ("d3", None),
    ("d1", DOCS["d1"]),
]


@pytest.mark.parametrize("share", [1, 10**9])
def test_explorer_journal_gives_the_fresh_page_step_after_step(tmp_path, small, monkeypatch, share):
    """Documents added, changed and removed one after the other: each page is the fresh one, made
    with the journal (``share`` 1: the base file is written once) or a new base file each time."""
    monkeypatch.setattr(explorer, "JOURNAL_SHARE", share)
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    journal = cache.with_name(cache.name + ".journal")
    base = cache.read_bytes()
    for doc, plan in STEPS:
        change_plans(docs, {doc: plan})
        _write(store, docs)
        _page(tmp_path, store)
        assert journal.exists() is (share == 1)
        assert (cache.read_bytes() == base) is (share == 1)
    if share == 1:
        grown = journal.stat().st_size
        monkeypatch.setattr(explorer, "JOURNAL_SHARE", 10**9)  # the journal outgrows the base: a new base, no journal
        del docs["d7"]
        _write(store, docs)
        _page(tmp_path, store)
        assert not journal.exists() and cache.read_bytes() != base and grown > 0
        _page(tmp_path, store)


def _with_journal(tmp_path, monkeypatch):
    """A store, its documents, its cache with a journal holding d4's edges, and that journal's bytes
    with a piece of d4 changed (same length), which a page made from it would show."""
    monkeypatch.setattr(explorer, "JOURNAL_SHARE", 1)
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    docs["d4"] = [("condemn", ["iran"], ["israel"], "2025-07")]
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    journal = cache.with_name(cache.name + ".journal")
    blob = journal.read_bytes()
    assert blob.count(b'"date": "2025-07"') == 1
    tampered = blob.replace(b'"date": "2025-07"', b'"date": "1999-07"')
    journal.write_bytes(tampered)
    with pytest.raises(AssertionError):  # the journal is what the page is made from
        _page(tmp_path, store)
    return store, docs, cache, journal, tampered


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1],
        lambda b: b"",
        lambda b: b.replace(b"ipkg explorer journal", b"ipkg explorer journaX", 1),
        lambda b: b + b"x",
        lambda b: b + b"\x00",
        lambda b: b.replace(b'"key":"', b'"key":"0', 1),
        lambda b: b.replace(b'"base":"', b'"base":"0', 1),
        lambda b: b.replace(b'"edges":', b'"edges":1', 1),
    ],
)
def test_explorer_damaged_journal_is_not_used(tmp_path, small, monkeypatch, damage):
    store, docs, cache, journal, tampered = _with_journal(tmp_path, monkeypatch)
    journal.write_bytes(damage(tampered))
    _page(tmp_path, store)


def test_explorer_journal_of_another_base_is_not_used(tmp_path, small, monkeypatch):
    store, docs, cache, journal, tampered = _with_journal(tmp_path, monkeypatch)
    cache.unlink()
    journal.unlink()
    _page(tmp_path, store)  # a new base file of the same rows
    assert not journal.exists()
    journal.write_bytes(tampered)  # the journal of the old base, of the same rows too
    _page(tmp_path, store)


def test_explorer_journal_and_base_of_different_rows(tmp_path, small, monkeypatch):
    """A base file put back from before its journal was written (or a journal from an older state of
    the same base) holds pieces of other rows: each is used for what its rows token says."""
    monkeypatch.setattr(explorer, "JOURNAL_SHARE", 1)
    store, docs = tmp_path / "oxigraph", dict(DOCS)
    _write(store, docs)
    _page(tmp_path, store)
    cache = tmp_path / explorer.PAGE_CACHE
    journal = cache.with_name(cache.name + ".journal")
    states = []
    for doc, plan in STEPS[:3]:
        change_plans(docs, {doc: plan})
        _write(store, docs)
        _page(tmp_path, store)
        states.append(journal.read_bytes())
    for old in states[:-1]:
        journal.write_bytes(old)
        _page(tmp_path, store)
    journal.write_bytes(states[0])
    docs["d3"] = [("praise", ["china"], ["pakistan"], "2025-06")]
    _write(store, docs)
    _page(tmp_path, store)


def test_drawn_is_the_order_networkx_keeps():
    """Nodes in the order added (an actor without a node row comes when met), each node's targets in
    the order first met, then the events; a repeated (event, actor, target) keeps its last row."""
    rows = sorted(
        [
            ("e1", "b", "a", "k1"),
            ("e1", "b", "c", "k1"),
            ("e2", "a", "b", "k2"),
            ("e3", "c", "c", "k3"),
            ("e4", "b", "a", "k4"),
            ("e4", "b", "a", "k5"),
            ("e5", "z", "b", "k1"),
            ("e6", "a", "b", "k1"),
            ("e6", "b", "c", "k2"),
        ]
    )
    nodes = {"c": {}, "a": {}, "b": {}, "lone": {}}
    G = nx.MultiDiGraph()
    G.add_nodes_from(nodes)
    for row in rows:
        G.add_edge(row[1], row[2], key=row[0], row=row)
    edges, keys = explorer._unique(rows)
    assert len(edges) == len(rows) - 1 and ("e4", "b", "a", "k5") in edges and keys == [r[:3] for r in edges]
    order, degree, place, pairs = explorer._drawn(nodes, edges)
    assert order == list(G.nodes)
    assert degree == {n: d for n, d in G.degree if d}
    assert [edges[i] for i in place] == [d["row"] for _, _, d in G.edges(data=True)]
    assert pairs == [(u, v) for u, nbrs in G.adjacency() for v in nbrs]


def test_explorer_preloaded_caches_give_the_fresh_page(tmp_path, small):
    """Caches decoded ahead (as an update decodes them while the pipeline is built) are what the
    page takes, and it is the fresh page; what was decoded of files changed since is not taken."""
    import os

    from ipkg.kg import io

    store, docs = tmp_path / "oxigraph", dict(DOCS)
    del docs["d4"]
    _write(store, docs)
    _page(tmp_path, store)
    page, rows = tmp_path / explorer.PAGE_CACHE, tmp_path / "projection.rows"
    for change in ("add", "remove"):
        if change == "add":
            docs["d4"] = DOCS["d4"]
        else:
            del docs["d1"]
        _write(store, docs)
        explorer.preload_page(page)
        rowcache.preload_rows(rows)
        assert len(io._PRELOADED) == 2
        _page(tmp_path, store)
        assert not io._PRELOADED  # both taken
    key = explorer._fingerprint(0)
    io.preload(explorer._tag(page, key), [page, explorer._journal(page)], lambda: "held")
    assert explorer._taken(page, key) == "held"
    io.preload(explorer._tag(page, key), [page, explorer._journal(page)], lambda: "held")
    os.utime(page, ns=(1, 1))  # changed since
    assert explorer._taken(page, key) != "held"
    io.drop_preloaded()


def test_layout_components_are_networkxs():
    import random

    from ipkg.viz.layout import _components

    rng = random.Random(7)
    for n in (1, 2, 30, 400):
        for m in (0, n // 2, 2 * n):
            edges = np.array([(rng.randrange(n), rng.randrange(n)) for _ in range(m)], dtype=np.int64).reshape(-1, 2)
            labels = _components(n, edges).tolist()
            G = nx.Graph()
            G.add_nodes_from(range(n))
            G.add_edges_from(edges.tolist())
            assert sorted(sorted(c) for c in nx.connected_components(G)) == sorted(
                sorted(i for i in range(n) if labels[i] == label) for label in set(labels)
            )
            assert all(labels[i] == min(j for j in range(n) if labels[j] == labels[i]) for i in range(n))
