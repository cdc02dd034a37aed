"""Validation brought up to date from a cache gives the results of a whole validation."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from ipkg.kg.namespace import IPKG
from ipkg.kg.quads import NQuads, rdflib_to_ox
from ipkg.kg.shaclcache import cached_validate
from ipkg.kg.validate import validate
from ipkg.store.oxigraph import OxigraphStore, store_changes, update_store
from test_shacl import EXTRA_DATA, EXTRAS, Mutator, Quad

pytestmark = pytest.mark.filterwarnings("ignore:Serializing weird numerical")

ACTORS = URIRef("https://w3id.org/ipkg/id/graph/actors")
#: Graphs of one triple each, so that update_store patches the store (it does when at most 1 graph in 50 changed).
FILLER = [(URIRef(f"urn:ex:f{i}"), URIRef("urn:ex:p"), URIRef("urn:ex:o"), URIRef(f"urn:ex:fill{i}")) for i in range(400)]


@pytest.fixture(scope="module")
def seeds() -> list[Quad]:
    from ipkg.workflow import build_graph

    ds, _ = build_graph(["seeds"])
    return sorted(ds.quads((None, None, None, None)), key=lambda q: tuple(t.n3() for t in q))


class Build:
    """A store at ``tmp/oxigraph`` rewritten as ``ipkg build`` does, validated through the cache after each write."""

    def __init__(self, tmp, shapes: Graph | None = None) -> None:
        self.folder = tmp / "oxigraph"
        self.cache = tmp / "cache" / "shacl.json"
        self.shapes = shapes

    def write(self, quads: list[Quad]) -> int | None:
        return update_store(NQuads.from_quads([ox.Quad(*(rdflib_to_ox(t) for t in q)) for q in quads]), self.folder)

    def check(self, quads: list[Quad]):
        """Write ``quads``, validate through the cache, and assert the results are a whole validation's."""
        self.write(quads)
        store = OxigraphStore(self.folder, read_only=True)
        try:
            ours, whole = cached_validate(store, self.cache, self.shapes), validate(store, shapes=self.shapes)
        finally:
            store.close()
        assert whole.revalidated is None
        assert ours.report == whole.report
        assert ours.results == whole.results and (ours.conforms, ours.violations) == (whole.conforms, whole.violations)
        return ours


def in_graph(quads: list[Quad], graph: URIRef) -> list[Quad]:
    return [q for q in quads if q[3] == graph]


def test_shaclcache_reuses_results_when_nothing_changed(seeds, tmp_path):
    b = Build(tmp_path)
    assert b.check(seeds + FILLER).revalidated is None
    assert b.check(seeds + FILLER).revalidated == 0


def test_shaclcache_type_removed_from_the_actors_graph_makes_events_elsewhere_violate(seeds, tmp_path):
    """An actor loses its type in the actors' graph: the events of unchanged document graphs that name it violate sh:class, and stop when it is back."""
    b = Build(tmp_path)
    base = seeds + FILLER
    b.check(base)
    actor = next(o for s, p, o, g in seeds if p == IPKG.actor)
    typed = [q for q in base if q[0] == actor and q[1] == RDF.type]
    assert typed and all(q[3] == ACTORS for q in typed)
    untyped = b.check([q for q in base if q not in typed])
    assert untyped.revalidated is not None and untyped.revalidated > 0
    events = {s for s, p, o, g in seeds if p in (IPKG.actor, IPKG.target) and o == actor}
    assert {v.focus for v in untyped.results if v.shape.startswith("ipkgsh:EventShape")} == events
    assert {g for s, p, o, g in seeds if s in events} & {ACTORS} == set()  # the events are in graphs that did not change
    back = b.check(base)
    assert back.revalidated is not None and back.conforms


def test_shaclcache_graphs_added_changed_and_removed(seeds, tmp_path):
    b = Build(tmp_path)
    base = seeds + FILLER
    b.check(base)
    docs = sorted({g for *_, g in seeds} - {ACTORS}, key=str)
    removed = [q for q in base if q[3] != docs[0]]
    assert b.check(removed).revalidated is not None  # a document's graph removed: its actors and events go
    added = removed + [(s, p, o, URIRef("urn:ex:copy")) for s, p, o, g in in_graph(seeds, docs[0])]
    assert b.check(added).revalidated is not None  # and added back under another name
    event = next(s for s, p, o, g in in_graph(seeds, docs[1]) if p == RDF.type and o == IPKG.Event)
    changed = [q for q in added if not (q[0] == event and q[1] == IPKG.evidence)]
    result = b.check(changed)
    assert result.revalidated is not None and any(v.focus == event for v in result.results)
    assert b.check(base).revalidated is not None


@pytest.mark.parametrize("seed", range(30))
def test_shaclcache_mutations_give_a_whole_validations_results(seeds, tmp_path, seed):
    """Seeded changes of the kinds that break the shapes (and graphs dropped), one after the other and then undone."""
    rng = random.Random(seed)
    b = Build(tmp_path)
    base = seeds + FILLER
    b.check(base)
    quads = base
    for step in range(3):
        quads = Mutator(quads, seed * 10 + step).run(1 + rng.randrange(2))
        if step == 2 and rng.random() < 0.5:
            graph = rng.choice(sorted({q[3] for q in seeds}, key=str))
            quads = [q for q in quads if q[3] != graph]
        b.check(quads)
    assert b.check(base).conforms


def test_shaclcache_mutations_are_mostly_brought_up_to_date(seeds, tmp_path):
    """Across seeds, most mutated builds are not validated whole (subclasses and blank nodes are)."""
    counts = []
    for seed in range(10):
        b = Build(tmp_path / str(seed))
        b.check(seeds + FILLER)
        counts.append(b.check(Mutator(seeds + FILLER, seed).run(1)).revalidated is not None)
    assert sum(counts) >= 6, counts


def test_shaclcache_other_paths_and_targets(tmp_path):
    """Shapes with inverse, sequence, alternative and zero-or-more paths, and subject, object and node targets."""
    shapes = Graph().parse(data=EXTRAS.split("ex:B sh:targetSubjectsOf")[0] + """
        ex:G sh:targetObjectsOf ex:q ; sh:property [ sh:path [ sh:inversePath ex:q ] ; sh:maxCount 1 ] .
        ex:H sh:targetSubjectsOf ex:r ; sh:property [ sh:path ( ex:r [ sh:alternativePath ( ex:p ex:q ) ] ) ; sh:minCount 2 ; sh:class ex:C ] .
        ex:F a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:oneOrMorePath ex:p ] ; sh:class ex:C ; sh:datatype <http://www.w3.org/2001/XMLSchema#integer> .
        """, format="turtle")
    data = Graph().parse(data=EXTRA_DATA.replace("_:x", "ex:x"), format="turtle")
    g0, g1 = URIRef("urn:ex:g0"), URIRef("urn:ex:g1")
    base = [(s, p, o, g0 if i % 2 else g1) for i, (s, p, o) in enumerate(sorted(data))] + FILLER
    b = Build(tmp_path, shapes)
    first = b.check(base)
    assert first.violations > 0
    rng = random.Random(7)
    terms = sorted({t for q in base[:30] for t in q[:3] if isinstance(t, URIRef)} | {URIRef("urn:ex:a"), URIRef("urn:ex:n")})
    quads = base
    patched = 0
    for step in range(40):
        if rng.random() < 0.5 and len(quads) > len(FILLER):
            quads = [q for i, q in enumerate(quads) if i != rng.randrange(len(quads) - len(FILLER))]
        else:
            s, o = rng.choice(terms), rng.choice(terms)
            p = rng.choice([URIRef("urn:ex:p"), URIRef("urn:ex:q"), URIRef("urn:ex:r"), RDF.type])
            quads = quads + [(s, p, o, rng.choice([g0, g1]))]
        patched += b.check(quads).revalidated is not None
    assert patched > 30


def test_shaclcache_falls_back_to_a_whole_validation(seeds, tmp_path):
    b = Build(tmp_path)
    base = seeds + FILLER
    b.check(base)
    docs = sorted({g for *_, g in seeds} - {ACTORS}, key=str)
    many = seeds + FILLER[:300]
    assert b.write(many) is None and store_changes(b.folder) is None  # written whole: no record of the changes
    assert b.check(many).revalidated is None
    b.check(base)
    shorter = [q for q in base if q[3] != docs[0]]
    data = json.loads(b.cache.read_text())
    b.cache.write_text(json.dumps({**data, "key": "other"}))
    assert b.check(shorter).revalidated is None  # a cache of other shapes or code
    b.cache.write_text("{not json")
    assert b.check(base).revalidated is None
    b.write(shorter)
    assert b.check([q for q in shorter if q[3] != docs[1]]).revalidated is None  # the store was patched twice since the cache was written
