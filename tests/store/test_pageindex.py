"""The page index: pages read from it are the pages computed without it, on the seeds and on
graphs that break every rule the index could lean on; update_store's patches keep it equal to
one written from scratch."""

import random
from collections import defaultdict

import pyoxigraph as ox
import pytest

from conftest import answers
from ipkg.kg.quads import dataset_quads
from ipkg.query.sparql import list_queries, load_query, run_query
from ipkg.store import OxigraphStore, pageindex

INDEXED = sorted(q for q in list_queries() if "#index" in load_query(q)[1])
IPKG = "https://w3id.org/ipkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class _NoIndex(OxigraphStore):
    """The same Oxigraph store, answering as if it had no page index."""

    page_index = False  # type: ignore[assignment]

    def __init__(self, store):
        self.__dict__.update(store.__dict__)


def _store(quads, index=True):
    store = OxigraphStore()
    store.load_quads(list(quads))
    if index:
        store.refresh_index()
    return store


def _index(store):
    return {str(q) for q in store.oxigraph.quads_for_pattern(None, None, None, pageindex.GRAPH)}


def _same_pages(store, pages, names=INDEXED):
    """Every page of ``names`` read from the index is the page computed without it."""
    assert store.page_index
    plain = _NoIndex(store)
    for name in names:
        full = run_query(plain, name).rows
        assert run_query(store, name).rows == full, name
        for limit, offset in pages(len(full)):
            with_index = run_query(store, name, limit=limit, offset=offset)
            without = run_query(plain, name, limit=limit, offset=offset)
            assert with_index.rows == without.rows, (name, limit, offset)
            assert with_index.more == without.more
            key = next(iter(full[0])) if full else None
            assert [r[key] for r in with_index.rows] == [r[key] for r in full[offset : offset + limit]]


def _every_page(n):
    return [(limit, offset) for limit in (1, 2, 3, 7, 100) for offset in range(0, n + 2, max(1, limit // 2))]


@pytest.fixture(scope="module")
def seed_quads(seed_graph):
    return dataset_quads(seed_graph)


def test_pageindex_every_indexed_query_has_rows_on_the_seeds(seed_quads):
    """The comparisons below prove something: each indexed query has a list with keys."""
    assert set(INDEXED) == set(list_queries()) - {"agreements"}
    store = _store(seed_quads, index=False)
    assert not store.page_index  # a store is loaded without ...
    store.refresh_index()
    assert store.page_index  # ... until it is written
    store.load_quads([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"), ox.NamedNode("urn:g"))])
    assert not store.page_index  # and a load marks it out of date
    store.refresh_index()
    lists = {str(q.subject) for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(pageindex.NS + "node"), None, pageindex.GRAPH)}
    assert {"<https://w3id.org/ipkg/index#events>", "<https://w3id.org/ipkg/index#actors>", "<https://w3id.org/ipkg/index#category-visit>"} <= lists
    kept = {q.subject: q.object.value for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(pageindex.NS + "evidence"), None, pageindex.GRAPH)}
    figures = {r["figure"]: r["evidence"] for r in run_query(_NoIndex(store), "figures").rows}
    assert len(kept) == len(figures) > 5  # every figure's evidence is kept
    assert sorted(kept.values()) == sorted(figures.values())


def test_pageindex_pages_on_the_seeds(seed_quads, seed_graph):
    store = _store(seed_quads)
    _same_pages(store, _every_page)
    for name in INDEXED:  # and rdflib's
        full = run_query(seed_graph, name).rows
        assert answers(run_query(store, name, limit=5, offset=2).rows) == answers(full[2:7])


def _mutate(quads, rng, steps):
    """``quads`` with ``steps`` random changes that break the shapes the queries could lean on:
    facts dropped (evidence, labels, kinds, types, dates...), second dates, holders and kinds,
    labels made equal to others (ties), facts moved or copied to another graph, new graphs."""
    quads = list(quads)
    graphs = sorted({q.graph_name for q in quads}, key=str)
    by_pred = defaultdict(list)
    for q in quads:
        by_pred[q.predicate.value].append(q)
    dates = [q.object for q in by_pred[IPKG + "date"]] + [ox.Literal("2026-02-06"), ox.Literal("2031")]
    labels = [q.object for q in by_pred[SKOS + "prefLabel"]]
    for _ in range(steps):
        op = rng.randrange(7)
        q = rng.choice(quads)
        if op == 0:  # drop a fact the patterns need
            pred = rng.choice([IPKG + p for p in ("evidence", "document", "sentence", "kind", "eventType", "holder", "office", "speaker", "text", "value", "unit", "date", "category", "quadClass")] + [SKOS + "prefLabel", RDF_TYPE, RDFS + "label"])
            if by_pred[pred]:
                victim = rng.choice(by_pred[pred])
                quads = [x for x in quads if x != victim]
        elif op == 1:  # a second (or first) date, maybe in another graph
            ev = rng.choice(by_pred[IPKG + "kind"]).subject
            quads.append(ox.Quad(ev, ox.NamedNode(IPKG + "date"), rng.choice(dates), rng.choice(graphs)))
        elif op == 2:  # a second holder, speaker or kind
            pred = rng.choice(["holder", "speaker", "kind"])
            a, b = rng.choice(by_pred[IPKG + pred]), rng.choice(by_pred[IPKG + pred])
            quads.append(ox.Quad(a.subject, a.predicate, b.object, rng.choice(graphs)))
        elif op == 3:  # a label equal to another one: ties
            a = rng.choice(by_pred[SKOS + "prefLabel"])
            quads = [x for x in quads if x != a] + [ox.Quad(a.subject, a.predicate, rng.choice(labels), a.graph_name)]
        elif op == 4:  # a fact moved to another graph
            quads = [x for x in quads if x != q] + [ox.Quad(q.subject, q.predicate, q.object, rng.choice(graphs))]
        elif op == 5:  # a fact copied to a new graph
            quads.append(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"urn:g{rng.randrange(3)}")))
        else:  # an evidence's sentence given to another subject
            s = rng.choice(by_pred[IPKG + "sentence"])
            quads.append(ox.Quad(rng.choice(by_pred[IPKG + "evidence"]).object, s.predicate, s.object, s.graph_name))
    return quads


@pytest.mark.parametrize("seed", range(10))
def test_pageindex_pages_on_graphs_that_break_the_shapes(seed_quads, seed):
    """Pages from the index are the pages without it on graphs that violate the SHACL shapes
    (events with two dates or none, facts split across graphs, missing evidence, tied labels)."""
    quads = _mutate(seed_quads, random.Random(seed), 80)
    _same_pages(_store(quads), lambda n: [(1, 0), (2, 1), (3, 3), (5, 0), (10, 4), (100, 0), (4, n - 2 if n > 2 else 0)])


def _by_graph(quads):
    graphs = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(q)
    return graphs


@pytest.mark.parametrize("seed", range(8))
def test_pageindex_replace_graphs_keeps_it_exact(seed_quads, seed):
    """After named graphs are replaced (update_store's patch), the index is the one a fresh
    build of the same graph writes, and its pages are right."""
    rng = random.Random(100 + seed)
    store = _store(seed_quads)
    assert store.page_index
    before = _by_graph(seed_quads)
    after = _by_graph(_mutate(seed_quads, rng, rng.choice([1, 3, 20])))
    if seed % 3 == 0:  # a whole graph goes
        after.pop(rng.choice(sorted((g for g in after if "ontology" not in str(g)), key=str)))
    changed = {g: after.get(g, []) for g in {*before, *after} if sorted(map(str, before.get(g, []))) != sorted(map(str, after.get(g, [])))}
    store.replace_graphs(changed)
    assert pageindex.present(store.oxigraph)
    fresh = _store(q for qs in after.values() for q in qs)
    assert _index(store) == _index(fresh)
    _same_pages(store, lambda n: [(1, 0), (3, 1), (100, 0)])


def test_pageindex_update_looks_only_at_what_changed(seed_quads):
    """Replacing one document's graph re-reads the keys within reach of its changes, not all."""
    store = _store(seed_quads)
    assert store.page_index
    graphs = _by_graph(seed_quads)
    doc = next(g for g in sorted(graphs, key=str) if "ontology" not in str(g))
    kept = [q for q in graphs[doc] if q.predicate.value != IPKG + "date"]
    changed = [ox.Triple(q.subject, q.predicate, q.object) for q in graphs[doc] if q not in kept]
    assert changed
    n = pageindex.update(store.oxigraph, [])
    assert n == 0
    store.replace_graphs({doc: kept})
    looked = pageindex.update(store.oxigraph, changed)
    assert looked is not None and 0 < looked < 100


@pytest.mark.parametrize("how", ["many keys", "subclass"])
def test_pageindex_update_rebuilds_when_it_cannot_patch(seed_quads, how, monkeypatch):
    """Too many keys within reach, or a change of rdfs:subClassOf (actors follow it to any depth):
    the index is written again whole, and is still exact."""
    store = _store(seed_quads)
    assert store.page_index
    graphs = _by_graph(seed_quads)
    if how == "many keys":
        monkeypatch.setattr(pageindex, "MAX_KEYS", 1)
        doc = next(g for g in sorted(graphs, key=str) if "ontology" not in str(g))
        new = {doc: [q for q in graphs[doc] if q.predicate.value != IPKG + "date"]}
    else:
        onto = next(g for g in graphs if "ontology" in str(g))
        sub = [q for q in graphs[onto] if q.predicate.value == RDFS + "subClassOf" and q.object.value == IPKG + "Actor"]
        new = {onto: [q for q in graphs[onto] if q != sub[0]]}
    builds = []
    build = pageindex.build
    monkeypatch.setattr(pageindex, "build", lambda st: (builds.append(st), build(st)))
    store.replace_graphs(new)
    assert len(builds) == 1
    after = {**graphs, **new}
    fresh = _store(q for qs in after.values() for q in qs)
    assert _index(store) == _index(fresh) and pageindex.present(store.oxigraph)


@pytest.mark.parametrize("seed", range(12))
def test_pageindex_focused_definitions_give_the_rows_of_the_full_ones(seed_quads, seed):
    """For any set of keys, the focused definitions (update's) give exactly the rows the full
    definitions (build's) give for those keys, on graphs that break the shapes."""
    rng = random.Random(200 + seed)
    quads = []
    for q in _mutate(seed_quads, rng, 60):  # and a fifth of the facts dropped, a category in three given a language
        if q.predicate.value == IPKG + "category" and rng.random() < 0.3:
            q = ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value, language="en"), q.graph_name)
        if q.predicate.value == RDFS + "subClassOf" or rng.random() > 0.2:
            quads.append(q)
    store = _store(quads, index=False).oxigraph
    full = pageindex._rows(store)
    every = {k for members in full.nodes.values() for k in members} | {q.subject for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    keys = set(rng.sample(sorted(every, key=str), min(len(every), 40 + 20 * seed)))
    expected = full.of(keys)
    assert expected.nodes
    assert pageindex._focused_rows(store, keys) == expected
    assert pageindex._copied_rows(store, keys) == expected


def test_pageindex_links_hold_every_step_the_definitions_take():
    """LINKS (read from the definitions' text) holds each predicate whose object a definition
    reads further, as rdflib's parse of the definitions finds them."""
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def patterns(node, out):
        if isinstance(node, CompValue):
            if node.name == "BGP":
                out.extend(node.triples)
            for value in node.values():
                patterns(value, out)
        elif isinstance(node, (list, tuple)):
            for value in node:
                patterns(value, out)
        return out

    steps = set()
    for text in pageindex.definitions().values():
        found = patterns(prepareQuery(text).algebra, [])
        subjects = {s for s, p, o in found if isinstance(p, URIRef)}
        steps |= {str(p) for s, p, o in found if isinstance(p, URIRef) and isinstance(o, Variable) and o in subjects}
    assert {IPKG + "evidence", IPKG + "document", IPKG + "holder"} <= steps
    assert steps <= {n.value for n in pageindex.LINKS}
