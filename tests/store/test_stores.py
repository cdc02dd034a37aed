"""The stores behind one interface: the same answers in rdflib and in Oxigraph, on disk and in memory."""

import pytest
from rdflib import Literal, URIRef

from conftest import answers
from ipkg.errors import IpkgError, QuerySyntaxError
from ipkg.query.sparql import list_queries, run_query
from ipkg.store import STORE_DIR, MemoryStore, OxigraphStore, open_store, write_store

QUERIES = sorted(list_queries())


@pytest.fixture(scope="module")
def disk_store(seed_build):
    store = open_store(seed_build[1])
    yield store
    store.close()


def test_stores_build_writes_an_oxigraph_store(seed_build):
    """`ipkg build` leaves a store next to graph.trig, and open_store picks it."""
    summary, out = seed_build
    assert summary.store_path == str(out / STORE_DIR)
    assert (out / STORE_DIR / "CURRENT").is_file()
    assert open_store(out).kind == "oxigraph"
    assert open_store(out, engine="memory").kind == "memory"


@pytest.mark.parametrize("name", QUERIES)
def test_stores_oxigraph_answers_as_rdflib(name, seed_graph, disk_store):
    """Every bundled query gives the same rows from the Oxigraph store as from rdflib."""
    expected = run_query(seed_graph, name).rows
    assert expected, f"{name} has no rows on the seeds, so the comparison would prove nothing"
    assert answers(run_query(disk_store, name).rows) == answers(expected)


@pytest.mark.parametrize("name", QUERIES)
def test_stores_oxigraph_pages_as_rdflib(name, seed_graph, disk_store):
    """A page of a bundled query from Oxigraph holds rdflib's rows of that page."""
    full = run_query(seed_graph, name).rows
    for limit, offset in [(1, 0), (3, 2), (100, 0)]:
        page = run_query(disk_store, name, limit=limit, offset=offset)
        assert answers(page.rows) == answers(full[offset : offset + limit])
        assert page.more == (len(full) > offset + limit)


def test_stores_same_size(seed_graph, disk_store):
    """The store holds every quad of the build, in the same named graphs, and its page index in a
    graph of its own, which its size leaves out."""
    mem = MemoryStore(seed_graph)
    quads = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/ipkg/index#graph>) }"
    assert [r[0] for r in disk_store.query(quads)] == [r[0] for r in mem.query(quads)]
    assert len(disk_store) == int(next(iter(mem.query(quads)))[0])
    assert disk_store.page_index


@pytest.mark.parametrize("store_kind", ["memory", "oxigraph"])
def test_stores_bindings_fix_variables(store_kind, seed_graph):
    """A binding restricts the query like initBindings, in every store."""
    store = MemoryStore(seed_graph) if store_kind == "memory" else OxigraphStore()
    if store_kind == "oxigraph":
        store.load(seed_graph)
    iran = URIRef("https://w3id.org/ipkg/id/actor/iran")
    rows = run_query(store, "SELECT ?l WHERE { ?actor <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", actor=iran).rows
    assert [r["l"] for r in rows] == ["Iran"]
    hostile = run_query(store, "SELECT ?l WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", l=Literal('"} ; DROP ALL #')).rows
    assert hostile == []


@pytest.mark.parametrize("store_kind", ["memory", "oxigraph"])
def test_stores_syntax_error_is_reported(store_kind):
    store = MemoryStore() if store_kind == "memory" else OxigraphStore()
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?s WHERE { ?s ?p }")


def test_stores_construct_and_ask(disk_store):
    assert disk_store.query("ASK { ?s a <https://w3id.org/ipkg/ontology#Event> }").askAnswer is True
    graph = disk_store.query("CONSTRUCT { ?s a ?c } WHERE { ?s a <https://w3id.org/ipkg/ontology#Visit> , ?c } LIMIT 5").graph
    assert graph is not None


def test_stores_write_store_replaces_whole(tmp_path, seed_build):
    """Writing a store again replaces it, and a reader opened before keeps its view."""
    trig = seed_build[1] / "graph.trig"
    folder = write_store([trig], tmp_path / STORE_DIR)
    before = OxigraphStore(folder, read_only=True)
    n = len(before)
    empty = tmp_path / "empty.trig"
    empty.write_text("")
    write_store([empty], folder)
    assert len(OxigraphStore(folder, read_only=True)) == 0
    assert len(before) == n > 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[1:] == ["empty.trig", STORE_DIR] and names[0].startswith(".oxigraph-")  # one store folder left
    assert (tmp_path / STORE_DIR).is_symlink()


def test_stores_leftovers_of_a_killed_build_are_removed(tmp_path, seed_build):
    """A half-written store folder (a build killed while loading) is ignored, then cleaned up."""
    trig = seed_build[1] / "graph.trig"
    folder = write_store([trig], tmp_path / STORE_DIR)
    half = tmp_path / ".oxigraph-killed"
    (half / "db").mkdir(parents=True)
    (half / "db" / "junk").write_bytes(b"\0" * 10)
    live = folder.resolve()
    assert len(OxigraphStore(folder, read_only=True)) > 0
    write_store([trig], folder)
    assert not half.exists() and not live.exists() and folder.resolve() != live
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(".oxigraph-")]) == 1


def test_stores_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(IpkgError, match="No Oxigraph store"):
        OxigraphStore(tmp_path / "nothing", read_only=True)
    with pytest.raises(IpkgError, match="No graph found"):
        open_store(tmp_path)


def test_stores_a_failed_write_leaves_the_live_store(tmp_path, seed_build):
    """A rebuild that fails while loading (as a killed one stops) never touches the store in use."""
    trig = seed_build[1] / "graph.trig"
    folder = write_store([trig], tmp_path / STORE_DIR)
    n = len(OxigraphStore(folder, read_only=True))
    bad = tmp_path / "bad.trig"
    bad.write_text("<urn:s> <urn:p> .")
    with pytest.raises(IpkgError):
        write_store([trig, bad], folder)
    assert len(OxigraphStore(folder, read_only=True)) == n
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(".oxigraph-")]) == 1



def _contents(folder):
    """Named quads, default graph, page index and graph names of the store at ``folder``, as text."""
    import pyoxigraph as ox

    from ipkg.store import pageindex

    store = OxigraphStore(folder, read_only=True).oxigraph
    named, default, index = set(), set(), set()
    for q in store:
        (default if isinstance(q.graph_name, ox.DefaultGraph) else index if q.graph_name == pageindex.GRAPH else named).add(str(q))
    return named, default, index, {str(g) for g in store.named_graphs()}


def _edit(quads, how):
    """Seed quads before and after an edit ``how`` of two document graphs."""
    import pyoxigraph as ox

    graphs = {}
    for q in quads:
        graphs.setdefault(q.graph_name, []).append(q)
    docs = sorted((g for g in graphs if "/document/" in str(g) or "/doc/" in str(g)), key=str)[:2] or sorted(graphs, key=str)[:2]
    d, e = docs
    p = ox.NamedNode("urn:p")
    base = {g: list(qs) for g, qs in graphs.items()}
    shared = base[d][:3]
    base[e] = base[e] + [ox.Quad(q.subject, q.predicate, q.object, e) for q in shared]
    after = {g: list(qs) for g, qs in base.items()}
    if how == "loses triples another graph states":
        after[d] = [q for q in after[d] if q not in shared[:2]][:-1]
    elif how == "graph removed":
        del after[d]
    elif how == "triple moved between graphs":
        # one that e does not state already (which quad of d comes last is not fixed)
        moved = next(q for q in sorted(after[d], key=str, reverse=True) if q.triple not in {x.triple for x in after[e]})
        after[d] = [q for q in after[d] if q != moved]
        after[e] = after[e] + [ox.Quad(moved.subject, moved.predicate, moved.object, e)]
    elif how == "graph added":
        after[ox.NamedNode("urn:new")] = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:new")) for q in after[d][:5]] + [
            ox.Quad(ox.NamedNode("urn:s"), p, ox.Literal("new"), ox.NamedNode("urn:new"))
        ]
    flat = lambda gs: [q for qs in gs.values() for q in qs]  # noqa: E731
    return flat(base), flat(after)


@pytest.mark.parametrize("how", ["loses triples another graph states", "graph removed", "triple moved between graphs", "graph added"])
def test_stores_update_store_patch_equals_a_fresh_store(tmp_path, seed_graph, how, monkeypatch):
    """A patch writes only the triples that changed; the store then holds what a fresh store of the
    same quads holds: named quads, default graph (the union), page index and graph names."""
    from ipkg.kg.quads import NQuads, dataset_quads
    from ipkg.store import oxigraph, update_store

    monkeypatch.setattr(oxigraph, "PATCH_SHARE", 1)  # patch however many graphs change
    base, after = _edit(dataset_quads(seed_graph), how)
    folder = tmp_path / STORE_DIR
    assert update_store(NQuads.from_quads(base), folder) is None
    assert update_store(NQuads.from_quads(after), folder) == (2 if how == "triple moved between graphs" else 1)
    fresh = write_store([NQuads.from_quads(after)], tmp_path / "fresh")
    assert _contents(folder) == _contents(fresh)
    assert _contents(folder)[2]  # the page index is there, and current
    assert OxigraphStore(folder, read_only=True).page_index


def test_stores_replace_graphs_reads_text_written_otherwise_as_the_same_triples():
    """A graph's N-Quads text need not be written as Oxigraph writes it: a triple spelled another
    way is the same triple, neither removed nor added."""
    import pyoxigraph as ox

    g = ox.NamedNode("urn:g")
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    store = OxigraphStore()
    store.load_quads([ox.Quad(s, p, ox.Literal("café"), g), ox.Quad(s, p, ox.Literal("x"), g)])
    text = b'<urn:s> <urn:p> "caf\\u00E9"^^<http://www.w3.org/2001/XMLSchema#string> <urn:g> .\n<urn:s> <urn:p> "y" <urn:g> .\n'
    changed = store.replace_graphs({g: text})
    assert {str(t) for t in changed} == {'<urn:s> <urn:p> "x"', '<urn:s> <urn:p> "y"'}
    assert {str(q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())} == {'"café"', '"y"'}
    assert {str(q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, g)} == {'"café"', '"y"'}


def test_stores_union_size_follows_patches_and_refuses_a_stale_record(tmp_path, seed_graph, monkeypatch):
    """The union's size kept beside the store is its count after a whole write and after each
    patch; a record for other graphs, damaged or missing, is not used."""
    import json

    import pyoxigraph as ox

    from ipkg.kg.quads import NQuads, dataset_quads
    from ipkg.store import oxigraph, update_store
    from ipkg.store.oxigraph import SIZE, union_size

    monkeypatch.setattr(oxigraph, "PATCH_SHARE", 1)
    folder = tmp_path / STORE_DIR
    base, after = _edit(dataset_quads(seed_graph), "loses triples another graph states")
    g = ox.NamedNode("urn:extra")
    extra = [*after, ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), g), ox.Quad(*base[0].triple, g)]
    for quads in (base, after, extra, base):
        nq = NQuads.from_quads(quads)
        update_store(nq, folder)
        counted = OxigraphStore(folder, read_only=True).default_size()
        assert union_size(folder) == union_size(folder, nq.digests) == counted > 0
    assert union_size(folder, NQuads.from_quads(after).digests) is None
    record = folder.resolve().parent / SIZE
    for damage in ('{"graphs": "0", "triples": 5}', "not json", json.dumps({**json.loads(record.read_text()), "triples": -1}), None):
        if damage is None:
            record.unlink()
        else:
            record.write_text(damage)
        assert union_size(folder) is None


def test_stores_patch_reads_a_kept_text_only_if_it_is_the_graph_written(tmp_path, seed_graph, monkeypatch):
    """A large graph's text kept beside the store stands for the graph when a patch compares it;
    one that was damaged (not the chunk its name says) is passed over and the graph read from the
    store: the patched store is the one written whole either way."""
    import pyoxigraph as ox

    from ipkg.kg.quads import NQuads, dataset_quads
    from ipkg.store import oxigraph, update_store
    from ipkg.store.oxigraph import TEXTS

    monkeypatch.setattr(oxigraph, "PATCH_SHARE", 1)
    monkeypatch.setattr(oxigraph, "TEXT_MIN", 1)
    quads = dataset_quads(seed_graph)
    big = max({q.graph_name for q in quads}, key=lambda g: sum(q.graph_name == g for q in quads))
    mine = [q for q in quads if q.graph_name == big]
    for damage in (False, True):
        folder = tmp_path / f"s{damage}" / STORE_DIR
        update_store(NQuads.from_quads(quads), folder)
        texts = folder.resolve().parent / TEXTS
        kept = texts / f"{NQuads.from_quads(quads).digest(str(big))}.nq"
        assert kept.is_file() and len(list(texts.iterdir())) == len({q.graph_name for q in quads})
        if damage:  # the text says the graph lacks the triple that goes: trusted, the triple would stay
            line = f"{mine[0]} .\n".encode("utf-8")
            assert line in kept.read_bytes()
            kept.write_bytes(kept.read_bytes().replace(line, b""))
        after = [q for q in quads if q != mine[0]] + [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("y"), big)]
        assert update_store(NQuads.from_quads(after), folder) == 1
        fresh = write_store([NQuads.from_quads(after)], tmp_path / f"fresh{damage}")
        assert _contents(folder) == _contents(fresh)


@pytest.mark.parametrize("case", ["used", "store swapped since", "nothing changed", "written whole"])
def test_stores_update_store_patches_a_prepared_checkpoint_only_of_the_live_store(tmp_path, seed_graph, case, monkeypatch):
    """A checkpoint made ahead (prepare_update) is the store patched while the link still points
    at the store it copied; else it is deleted and the update is what it is without one."""
    from ipkg.kg.quads import NQuads, dataset_quads
    from ipkg.store import oxigraph, update_store
    from ipkg.store.oxigraph import prepare_update

    monkeypatch.setattr(oxigraph, "PATCH_SHARE", 1)
    base, after = _edit(dataset_quads(seed_graph), "graph added")
    folder = tmp_path / STORE_DIR
    assert prepare_update(folder) is None  # no store yet
    update_store(NQuads.from_quads(base), folder)
    checkpoint = prepare_update(folder)
    assert checkpoint is not None and checkpoint.target.is_dir()
    if case == "store swapped since":
        update_store(NQuads.from_quads(base[1:]), folder)
    target = after if case != "nothing changed" else (base[1:] if case == "store swapped since" else base)
    if case == "written whole":
        monkeypatch.setattr(oxigraph, "PATCH_SHARE", 10**9)
        target = after[: len(after) // 2]
    update_store(NQuads.from_quads(target), folder, checkpoint)
    used = folder.resolve().parent == checkpoint.target
    assert used == (case == "used")
    assert used or not checkpoint.target.exists()
    fresh = write_store([NQuads.from_quads(target)], tmp_path / "fresh")
    assert _contents(folder) == _contents(fresh)
    assert [p.name for p in tmp_path.glob(".oxigraph-*")] == [folder.resolve().parent.name]  # nothing left beside the live store


def test_stores_digests_are_read_again_when_the_file_is_another(tmp_path):
    """The digests beside a store are remembered between reads, as the file they were read from:
    a file written over, or the link moved to another store, is read again."""
    import json
    import os

    import pyoxigraph as ox

    from ipkg.kg.quads import NQuads
    from ipkg.store.oxigraph import DIGESTS, digests_key, store_digests, store_digests_keyed, update_store

    folder = tmp_path / "oxigraph"
    q = lambda s, g: ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(g))  # noqa: E731
    first = NQuads.from_quads([q(f"urn:s{i}", f"urn:g{i}") for i in range(3)])
    update_store(first, folder)
    assert store_digests_keyed(folder) == (first.digests, first.digests_key)
    got = store_digests(folder)
    got.clear()  # a copy: the remembered digests are not the caller's to change
    assert store_digests(folder) == first.digests
    second = NQuads.from_quads([q(f"urn:s{i}", f"urn:g{i}") for i in range(2, 6)])
    update_store(second, folder)  # the link now points at another store
    assert store_digests_keyed(folder) == (second.digests, second.digests_key)
    path = folder.resolve().parent / DIGESTS
    edited = {**second.digests, "<urn:x>": "00"}
    path.write_text(json.dumps(edited), encoding="utf-8")  # written over in place
    os.utime(path, ns=(1, 1))
    assert store_digests_keyed(folder) == (edited, digests_key(edited))
    path.write_text("[", encoding="utf-8")
    assert store_digests(folder) is None and store_digests_keyed(folder) is None
