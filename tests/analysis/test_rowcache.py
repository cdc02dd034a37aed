"""The row cache of graph_to_actor_network: a store ``ipkg build`` updated gives the network a fresh read gives."""

import pytest

from conftest import ACTOR_BASE, change_plans, plan_doc, write_plans
from ipkg.analysis import graph_to_actor_network, project, rowcache
from ipkg.store.oxigraph import store_digests

VISIT = ("visit", ["iran"], ["pakistan"], "2025-08-02")
DOCS = {
    "d1": [VISIT, ("condemn", ["pakistan"], ["iran"], "2024-01")],
    "d2": [VISIT, ("strike", ["united-states"], ["iran"], "2025-06-22")],  # the visit d1 reports too: one event
    "d3": [("praise", ["china"], ["pakistan"], "2025-05")],
    "d4": [("condemn", ["iran"], ["israel", "united-states"], "2025-06")],
}


def _write(folder, docs):
    write_plans(folder, docs)


def _same(store_path, cache):
    from ipkg.store import OxigraphStore

    store = OxigraphStore(store_path, read_only=True)
    G, H = graph_to_actor_network(store, cache=cache), graph_to_actor_network(store)
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    return G


@pytest.fixture
def queries(monkeypatch):
    """The names of the projection queries run, in order."""
    ran = []
    select = project._select

    def counting(store, name, names, **bindings):
        ran.append(name)
        return select(store, name, names, **bindings)

    monkeypatch.setattr(project, "_select", counting)
    monkeypatch.setattr(rowcache, "CHANGED_SHARE", 1)  # the tiny store: let every graph change
    return ran


def test_rowcache_follows_added_changed_and_removed_documents(tmp_path, queries):
    store, cache, docs = tmp_path / "oxigraph", tmp_path / "explorer.json", dict(DOCS)
    del docs["d4"]
    _write(store, docs)
    G = _same(store, cache)
    assert "edges" in queries and cache.is_file()
    assert G.number_of_edges() == 4 and sorted(G.edges["actor:iran", "actor:pakistan", next(iter(G["actor:iran"]["actor:pakistan"]))]["documents"]) == ["d1", "d2"]

    for change in ("add", "change", "remove"):
        if change == "add":
            docs["d4"] = DOCS["d4"]
        elif change == "change":
            docs["d2"] = [("visit", ["iran"], ["china"], "2025-08-02"), *DOCS["d2"][1:]]  # d1's visit is d2's no more
        else:
            del docs["d1"]
        _write(store, docs)
        queries.clear()
        G = _same(store, cache)
        assert "edges-of-event" in queries[: queries.index("edges")], change  # brought up to date, not read whole
        assert queries.index("edges") > queries.index("edges-of-event")  # (the second, uncached read)
    assert [(u, v, d["documents"]) for u, v, d in G.edges(data=True) if d["kind"] == "visit"] == [("actor:iran", "actor:china", ["d2"])]

    queries.clear()
    before = cache.stat().st_mtime_ns
    _same(store, cache)
    assert queries.count("edges") == 1 and "edges-of-event" not in queries  # nothing changed: nothing read (but by the uncached call)
    assert cache.stat().st_mtime_ns == before


def test_rowcache_reads_whole_when_it_cannot_tell(tmp_path, queries):
    from ipkg.store import OxigraphStore, write_store
    from ipkg.facts import resolve
    from ipkg.kg.build import facts_to_nquads

    store, cache = tmp_path / "oxigraph", tmp_path / "explorer.json"
    _write(store, DOCS)
    _same(store, cache)
    # a changed graph that described no document, as the ontology, may have touched any event
    key = rowcache._fingerprint(project._Names(OxigraphStore(store, read_only=True).namespace_manager))
    data = rowcache._read(cache, key)
    data["graph_docs"].pop("<https://w3id.org/ipkg/id/graph/d4>")
    cache.write_bytes(b"".join(rowcache._encode(data)))
    _write(store, {**DOCS, "d4": [("condemn", ["iran"], ["israel"], "2025-06")]})
    queries.clear()
    _same(store, cache)
    assert "edges-of-event" not in queries and "graph-events" not in queries
    # a cache of other code, or a store without digests (written whole), is not used
    cache.write_bytes(cache.read_bytes().replace(b'"key":"', b'"key":"x', 1))
    queries.clear()
    _same(store, cache)
    assert "edges-of-event" not in queries and queries.count("edges") == 2
    write_store([facts_to_nquads(resolve([plan_doc(d, p) for d, p in sorted(DOCS.items())]))], store)
    queries.clear()
    _same(store, cache)
    assert "edges-of-event" not in queries and "graph-documents" not in queries


def test_rowcache_graph_reads_finds_the_triples_rows_read(tmp_path):
    from rdflib import URIRef

    from ipkg.kg.mint import ACTORS_GRAPH
    from ipkg.store import OxigraphStore

    _write(tmp_path / "oxigraph", DOCS)
    store = OxigraphStore(tmp_path / "oxigraph", read_only=True)
    names = project._Names(store.namespace_manager)
    assert project._select(store, "graph-reads", names, g=URIRef(ACTORS_GRAPH)) == []
    assert len(project._select(store, "graph-reads", names, g=URIRef("https://w3id.org/ipkg/id/graph/d1"))) == 1


def test_rowcache_skipped_queries_stay_stale_until_needed(tmp_path, queries):
    from dataclasses import replace

    from ipkg.facts import resolve
    from ipkg.facts.model import ActorRef, Evidence, PositionFact
    from ipkg.kg.build import facts_to_nquads
    from ipkg.store import OxigraphStore, update_store

    def write(docs, holders):
        facts = [plan_doc(d, plan) for d, plan in sorted(docs.items())]
        person = ActorRef(ACTOR_BASE + "someone", "Someone", "Person", "Someone")
        org = ActorRef(ACTOR_BASE + "pakistan", "Pakistan", "State", "Pakistan")
        facts = [
            replace(f, positions=[PositionFact(person, "https://w3id.org/ipkg/id/office/minister", "Minister", org, "current", Evidence(f.doc_id, f"{f.doc_id}: Someone, minister.", 0, 10))] if f.doc_id in holders else [])
            for f in facts
        ]
        update_store(facts_to_nquads(resolve(facts)), folder)

    folder, cache = tmp_path / "oxigraph", tmp_path / "rows"
    write(DOCS, {"d1"})
    _same(folder, cache)
    store = OxigraphStore(folder, read_only=True)
    names = project._Names(store.namespace_manager)
    had = project._select(store, "positions", names)
    assert had  # the test's premise: the position is a row
    store.close()

    write({**DOCS, "d5": [("praise", ["china"], ["iran"], "2025-07")]}, set())  # the position gone, one document more
    store = OxigraphStore(folder, read_only=True)
    queries.clear()
    rows = project._projection_rows(store, project._Names(store.namespace_manager), cache, skip=("positions",))
    assert "positions" not in rows and "positions" not in queries and "edges-of-event" in queries
    assert [r[:8] for r in rows["edges"]] == sorted(r[:8] for r in project._select(store, "edges", names))
    data = rowcache._read(cache, rowcache._fingerprint(names))
    assert data["stale"] == ["positions"] and data["rows"]["positions"] == had  # kept as it was, marked
    # skipped again with nothing changed: neither read nor written
    before = cache.stat().st_mtime_ns
    queries.clear()
    project._projection_rows(store, names, cache, skip=("positions",))
    assert queries == [] and cache.stat().st_mtime_ns == before
    # needed: read again (only it), and the cache no longer stale
    queries.clear()
    rows = project._projection_rows(store, names, cache)
    assert queries == ["positions"] and rows["positions"] == project._select(store, "positions", names) != had
    assert rowcache._read(cache, rowcache._fingerprint(names))["stale"] == []
    store.close()
    _same(folder, cache)
    # a stale mark naming what is not a query: the cache is damaged, read whole
    blob = cache.read_bytes()
    assert b'"stale":["positions"]' in blob  # the base file's, written before the journal on it
    cache.write_bytes(blob.replace(b'"stale":["positions"]', b'"stale":["x"]', 1))
    assert rowcache._read(cache, rowcache._fingerprint(names)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1],
        lambda b: b + b"x",
        lambda b: b + b"\x00",
        lambda b: b.replace(b'"counts":[', b'"counts":[1', 1),
        lambda b: b.replace(b'"lengths":false', b'"lengths":true', 1),
        lambda b: b"",
    ],
)
def test_rowcache_damaged_file_is_read_whole(tmp_path, queries, damage):
    from ipkg.store import OxigraphStore

    store, cache = tmp_path / "oxigraph", tmp_path / "rows"
    _write(store, DOCS)
    _same(store, cache)
    names = project._Names(OxigraphStore(store, read_only=True).namespace_manager)
    key = rowcache._fingerprint(names)
    assert rowcache._read(cache, key) is not None
    cache.write_bytes(damage(cache.read_bytes()))
    assert rowcache._read(cache, key) is None
    queries.clear()
    _same(store, cache)
    assert queries.count("edges") == 2  # read whole, by both calls
    assert rowcache._read(cache, key) is not None  # and written again


def _write_named(folder, docs, actors):
    """Patch the store in ``folder`` to hold ``docs`` (see :func:`conftest.plan_doc`), the actors of ``actors`` (slug -> (label, type, surface)) named so."""
    from dataclasses import replace

    from ipkg.facts import resolve
    from ipkg.kg.build import facts_to_nquads
    from ipkg.store import update_store

    def ref(r):
        slug = r.key[len(ACTOR_BASE) :]
        return replace(r, **dict(zip(("label", "type", "surface"), actors[slug]))) if slug in actors else r

    facts = [plan_doc(d, plan) for d, plan in sorted(docs.items())]
    facts = [replace(f, actors=[ref(a) for a in f.actors], events=[replace(e, actors=tuple(map(ref, e.actors)), targets=tuple(map(ref, e.targets))) for e in f.events]) for f in facts]
    update_store(facts_to_nquads(resolve(facts)), folder)


def _rows(folder, cache=None):
    """The projection rows of the store at ``folder`` (through the row cache ``cache``), GROUP_CONCAT's order aside."""
    from ipkg.store import OxigraphStore

    store = OxigraphStore(folder, read_only=True)
    try:
        rows = project._projection_rows(store, project._Names(store.namespace_manager), cache)
    finally:
        store.close()
    rows["edges"] = [tuple("\x1f".join(sorted(c.split("\x1f"))) if i in (8, 9) else c for i, c in enumerate(row)) for row in rows["edges"]]
    return rows


@pytest.fixture
def bound(monkeypatch):
    """The projection queries Oxigraph answered (those started in a thread too), each with whether it had bindings."""
    ran = []
    solutions = project._solutions

    def recording(store, name, bindings):
        ran.append((name, bool(bindings)))
        return solutions(store, name, bindings)

    monkeypatch.setattr(project, "_solutions", recording)
    _patch_tiny_stores(monkeypatch)
    return ran


def _patch_tiny_stores(monkeypatch):
    """Let every graph change, in the store (patched, with a record of its changes) and in the cache."""
    from ipkg.store import oxigraph

    monkeypatch.setattr(oxigraph, "PATCH_SHARE", 1)
    monkeypatch.setattr(rowcache, "CHANGED_SHARE", 1)


ZORB = ("zorbland", "Zorbland", "State", "Zorbland")
STEPS = [
    ({}, {}),
    ({"d5": [("praise", ["zorbland"], ["iran"], "2025-07")]}, {"zorbland": ZORB[1:]}),  # a new actor
    ({}, {"zorbland": ("Zorbland Republic", "State", "Zorbland")}),  # its label
    ({}, {"zorbland": ("Zorbland Republic", "State", "the Zorbs")}),  # its alias
    ({}, {"zorbland": ("Zorbland Republic", "Person", "the Zorbs")}),  # its type
    ({"d6": [("visit", ["quuxia"], ["zorbland"], "2025-08")]}, {"zorbland": ("Zorbland Republic", "Person", "the Zorbs"), "quuxia": ("Quuxia", "Organization", "Quuxia")}),
    ({"d1": None}, {"zorbland": ("Zorbland Republic", "Person", "the Zorbs"), "quuxia": ("Quuxia", "Organization", "Quuxia")}),  # a document gone
    ({"d5": None}, {"quuxia": ("Quuxia", "Organization", "Quuxia")}),
]


def _steps(folder):
    """The stores of :data:`STEPS`, one after the other (each step's changes on the documents so far)."""
    docs = dict(DOCS)
    for changes, actors in STEPS:
        change_plans(docs, changes)
        _write_named(folder, docs, actors)
        yield


@pytest.mark.parametrize("share", [0, 10**9])  # a journal on every change; a new base file on every change
def test_rowcache_journal_gives_the_rows_of_whole_reads(tmp_path, bound, monkeypatch, share):
    from ipkg.store import OxigraphStore
    from ipkg.store.oxigraph import digests_key, store_digests

    monkeypatch.setattr(rowcache, "JOURNAL_SHARE", share)
    folder, cache = tmp_path / "oxigraph", tmp_path / "rows"
    journal = tmp_path / "rows.journal"
    labels = set()
    for i, _ in enumerate(_steps(folder)):
        base = cache.read_bytes() if cache.exists() else None
        bound.clear()
        rows = _rows(folder, cache)
        ran = list(bound)
        assert rows == _rows(folder), i
        labels.update(label for _, label, _ in rows["nodes"])
        key = rowcache._fingerprint(project._Names(OxigraphStore(folder, read_only=True).namespace_manager))
        assert rowcache._open(cache, key).digests_key() == digests_key(rowcache._read(cache, key)["digests"]) == digests_key(store_digests(folder)), i
        if i == 0:
            continue
        assert ("edges", False) not in ran and (("edges-of-event", True) in ran or not STEPS[i][0]), i  # brought up to date
        assert ("nodes", False) not in ran and ("aliases", False) not in ran, i  # actor by actor
        if share == 0:
            assert cache.read_bytes() == base and journal.is_file(), i
        else:
            assert cache.read_bytes() != base and not journal.exists(), i
    assert {"Zorbland", "Zorbland Republic", "Quuxia"} <= labels  # the test's premise: labels changed
    # nothing changed: nothing read, nothing written
    before = (cache.stat().st_mtime_ns, journal.stat().st_mtime_ns if journal.exists() else None)
    bound.clear()
    assert _rows(folder, cache) == _rows(folder)
    assert [name for name, _ in bound].count("edges") == 1  # the uncached read
    assert (cache.stat().st_mtime_ns, journal.stat().st_mtime_ns if journal.exists() else None) == before


def test_rowcache_journal_folded_into_a_new_base_when_it_grows(tmp_path, monkeypatch):
    _patch_tiny_stores(monkeypatch)
    monkeypatch.setattr(rowcache, "JOURNAL_SHARE", 20)  # the journal of one change, not of two
    folder, cache = tmp_path / "oxigraph", tmp_path / "rows"
    journal = tmp_path / "rows.journal"
    journaled = folded = 0
    for i, _ in enumerate(_steps(folder)):
        base = cache.read_bytes() if cache.exists() else None
        assert _rows(folder, cache) == _rows(folder), i
        journaled += cache.read_bytes() == base and journal.is_file()
        folded += i > 0 and cache.read_bytes() != base
    assert journaled and folded


def _journal_setup(tmp_path, monkeypatch):
    """A store of the first three steps, a cache of the first step's rows and a journal of the next two on it."""
    _patch_tiny_stores(monkeypatch)
    monkeypatch.setattr(rowcache, "JOURNAL_SHARE", 0)
    folder, cache = tmp_path / "oxigraph", tmp_path / "rows"
    steps = _steps(folder)
    for _ in range(3):
        next(steps)
        _rows(folder, cache)
    return folder, cache, tmp_path / "rows.journal", steps


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1],
        lambda b: b + b"x",
        lambda b: b.replace(b'"counts":[', b'"counts":[1', 1),
        lambda b: b.replace(b'"whole":[', b'"whole":["x"', 1),
        lambda b: b.replace(b'"base":"', b'"base":"0', 1),  # a journal on another base
        lambda b: b.replace(b'"key":"', b'"key":"0', 1),
        lambda b: b"",
    ],
)
def test_rowcache_damaged_journal_leaves_the_base(tmp_path, monkeypatch, bound, damage):
    from ipkg.store import OxigraphStore

    folder, cache, journal, steps = _journal_setup(tmp_path, monkeypatch)
    names = project._Names(OxigraphStore(folder, read_only=True).namespace_manager)
    key = rowcache._fingerprint(names)
    base = rowcache._decode(cache.read_bytes(), key)
    whole = rowcache._read(cache, key)
    assert whole["digests"] != base["digests"]  # the test's premise: the journal moved the rows on
    journal.write_bytes(damage(journal.read_bytes()))
    assert rowcache._read(cache, key)["digests"] == base["digests"]  # the base's rows, as they were
    next(steps)
    bound.clear()
    assert _rows(folder, cache) == _rows(folder)
    assert ("edges-of-event", True) in bound  # from the base, two steps behind, brought up to date
    assert rowcache._read(cache, key)["digests"] == store_digests(folder)


def test_rowcache_journal_of_another_base_is_not_used(tmp_path, monkeypatch):
    from ipkg.store import OxigraphStore

    folder, cache, journal, steps = _journal_setup(tmp_path, monkeypatch)
    names = project._Names(OxigraphStore(folder, read_only=True).namespace_manager)
    key = rowcache._fingerprint(names)
    old = journal.read_bytes()
    data = rowcache._read(cache, key)
    cache.write_bytes(b"".join(rowcache._encode(data)))  # the same rows in a new base file: its own id
    assert rowcache._read(cache, key)["digests"] == data["digests"]
    next(steps)
    assert _rows(folder, cache) == _rows(folder)
    journal.write_bytes(old)  # of the first base
    assert rowcache._read(cache, key) is not None and b'"base":"' + rowcache._decode(cache.read_bytes(), key)["id"].encode() not in old
    next(steps)
    assert _rows(folder, cache) == _rows(folder)


@pytest.mark.parametrize("record", ["missing", "before", "after", "damaged"])
def test_rowcache_reads_nodes_whole_without_a_record_of_the_changes(tmp_path, monkeypatch, bound, record):
    import json

    from ipkg.store.oxigraph import CHANGES

    folder, cache, journal, steps = _journal_setup(tmp_path, monkeypatch)
    next(steps)  # the alias of an actor changes
    changes = (folder.resolve().parent / CHANGES)
    data = json.loads(changes.read_text(encoding="utf-8"))
    assert any("altLabel" in t for t in data["triples"])  # the test's premise
    if record == "missing":
        changes.unlink()
    elif record == "damaged":
        changes.write_text(changes.read_text(encoding="utf-8")[:-10], encoding="utf-8")
    else:
        data[record] = "0" * 64
        changes.write_text(json.dumps(data), encoding="utf-8")
    bound.clear()
    assert _rows(folder, cache) == _rows(folder)
    assert bound.count(("nodes", False)) == 2 and ("nodes", True) not in bound  # read whole (and by the uncached read)


def test_rowcache_reads_nodes_whole_when_a_record_spans_more_than_the_cache(tmp_path, monkeypatch, bound):
    folder, cache, journal, steps = _journal_setup(tmp_path, monkeypatch)
    next(steps)
    next(steps)  # two patches since the cache: the record names the last only
    bound.clear()
    assert _rows(folder, cache) == _rows(folder)
    assert bound.count(("nodes", False)) == 2 and ("edges-of-event", True) in bound


def test_rowcache_reads_nodes_whole_for_many_actors(tmp_path, monkeypatch, bound):
    folder, cache, journal, steps = _journal_setup(tmp_path, monkeypatch)
    monkeypatch.setattr(rowcache, "ACTORS_MAX", 0)
    next(steps)
    bound.clear()
    assert _rows(folder, cache) == _rows(folder)
    assert bound.count(("nodes", False)) == 2
