"""The compiled SHACL validator (SPARQL on Oxigraph) gives pySHACL's results."""

from __future__ import annotations

import random
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS

from ipkg.kg.namespace import IPKG
from ipkg.kg.quads import NQuads, rdflib_to_ox
from ipkg.kg.shacl import Unsupported, compile_shapes
from ipkg.kg.validate import validate
from ipkg.store.oxigraph import OxigraphStore, write_store

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
EX = "urn:ex:"
GRAPH = URIRef("urn:ex:mutations")
#: A datatype per kind of literal change (a lang tag stands for rdf:langString).
DATATYPES = ["string", "integer", "decimal", "double", "boolean", "date", "dateTime", "gYear", "gYearMonth", "@en"]
REQUIRED = [IPKG.eventType, IPKG.kind, IPKG.actor, IPKG.target, IPKG.evidence, IPKG.document, IPKG.sentence, IPKG.startOffset,
            IPKG.endOffset, IPKG.holder, IPKG.office, IPKG.speaker, IPKG.text, IPKG.value, IPKG.unit, SKOS.prefLabel, RDF.type]
SINGLE = [IPKG.eventType, IPKG.kind, IPKG.date, IPKG.document, IPKG.sentence, IPKG.startOffset, IPKG.endOffset, IPKG.holder,
          IPKG.office, IPKG.speaker, IPKG.text, IPKG.value, IPKG.unit, SKOS.prefLabel]
CLASSED = [IPKG.eventType, IPKG.kind, IPKG.actor, IPKG.target, IPKG.evidence, IPKG.document, IPKG.holder, IPKG.office]
LITERALS = [IPKG.date, IPKG.sentence, IPKG.startOffset, IPKG.endOffset, IPKG.value]

Quad = tuple[URIRef, URIRef, object, URIRef]
pytestmark = pytest.mark.filterwarnings("ignore:Serializing weird numerical")


@pytest.fixture(scope="module")
def seeds() -> list[Quad]:
    from ipkg.workflow import build_graph

    ds, _ = build_graph(["seeds"])
    return sorted(ds.quads((None, None, None, None)), key=lambda q: tuple(t.n3() for t in q))


def dataset(quads: list[Quad]) -> Dataset:
    ds = Dataset(default_union=True)
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    return ds


def keys(result) -> Counter:
    return Counter((v.shape, v.focus, v.path, v.component) for v in result.results)


def union(quads: list[Quad]) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def assert_same(ours, theirs) -> None:
    assert ours.engine == "sparql" and theirs.engine == "pyshacl"
    assert keys(ours) == keys(theirs), ours.report + theirs.report
    assert ours.violations == theirs.violations == len(ours.results)
    assert ours.conforms == theirs.conforms
    assert {(v.focus, v.path, v.component, v.message) for v in ours.results if v.path is not None and "Every" in v.message} == {
        (v.focus, v.path, v.component, v.message) for v in theirs.results if v.path is not None and "Every" in v.message}


def same(data, reference: Graph, shapes: Graph | None = None):
    """The compiled validator's results on ``data``, asserted equal to pySHACL's on ``reference``."""
    ours = validate(data, shapes=shapes)
    assert_same(ours, validate(reference, engine="pyshacl", shapes=shapes))
    return ours


def test_seeds_conform(seeds):
    ours = same(dataset(seeds), union(seeds))
    assert ours.conforms and ours.violations == 0 and ours.report.splitlines() == ["SHACL (sparql): conforms, 0 results"]


@pytest.mark.parametrize("make", [Dataset, Graph, list, lambda: ox.Store(), OxigraphStore])
def test_empty_graph_conforms(make):
    ours = validate(make())
    assert (ours.conforms, ours.violations, ours.results) == (True, 0, ())
    assert validate(Graph(), engine="pyshacl").violations == 0


class Mutator:
    """Seeded random changes of the kinds that break the shapes (and a few that do not)."""

    def __init__(self, quads: list[Quad], seed: int) -> None:
        self.quads = list(quads)
        self.rng = random.Random(seed)
        self.types = {(s, o) for s, p, o, _ in quads if p == RDF.type}
        self.n = 0

    def pick(self, predicates: list[URIRef]) -> Quad:
        return self.rng.choice([q for q in self.quads if q[1] in predicates])

    def fresh(self) -> URIRef:
        self.n += 1
        return URIRef(f"{EX}n{self.n}")

    def instance(self, cls: URIRef) -> URIRef:
        return self.rng.choice(sorted(s for s, c in self.types if c == cls))

    def add(self, s, p, o) -> None:
        self.quads.append((s, p, o, GRAPH))

    def delete_required(self) -> None:
        s, p, _, _ = self.pick(REQUIRED)
        self.quads = [q for q in self.quads if (q[0], q[1]) != (s, p)]

    def second_value(self) -> None:
        s, p, o, _ = self.pick(SINGLE)
        if isinstance(o, Literal):
            self.add(s, p, Literal(f"{o}0", datatype=o.datatype, lang=o.language))
        else:
            self.add(s, p, self.rng.choice(sorted({q[2] for q in self.quads if q[1] == p and q[2] != o})))

    def change_datatype(self) -> None:
        q = self.pick(LITERALS)
        self.quads.remove(q)
        dt = self.rng.choice(DATATYPES)
        o = Literal(str(q[2]), lang="en") if dt == "@en" else Literal(str(q[2]), datatype=URIRef(XSD_NS + dt))
        self.quads.append((q[0], q[1], o, q[3]))

    def wrong_class(self) -> None:
        s, p, _, _ = self.pick(CLASSED)
        cls = self.rng.choice([IPKG.Evidence, IPKG.Event, IPKG.Office, IPKG.State, IPKG.Document, IPKG.EventType])
        self.add(s, p, self.instance(cls))

    def untyped_value(self) -> None:
        s, p, _, _ = self.pick(CLASSED + LITERALS)
        self.add(s, p, self.rng.choice([self.fresh(), Literal("x"), BNode()]))

    def subclass(self) -> None:
        parent = self.rng.choice([IPKG.Actor, IPKG.Person, IPKG.Organization, IPKG.Event, IPKG.Evidence, IPKG.EventType])
        sub, node = self.fresh(), self.fresh()
        self.add(sub, RDFS.subClassOf, parent)
        self.add(node, RDF.type, sub)
        if self.rng.random() < 0.5:
            self.add(node, SKOS.prefLabel, Literal("Sub", lang="en"))
        if self.rng.random() < 0.5:
            s, p, _, _ = self.pick([IPKG.actor, IPKG.target, IPKG.holder, IPKG.eventType])
            self.add(s, p, node)

    def retype(self) -> None:
        s, _, _, _ = self.pick([SKOS.prefLabel, IPKG.sentence, IPKG.unit])
        self.add(s, RDF.type, self.rng.choice([IPKG.Event, IPKG.Quote, IPKG.Position, IPKG.Figure, IPKG.Actor]))

    KINDS = ["delete_required", "second_value", "change_datatype", "wrong_class", "untyped_value", "subclass", "retype"]

    def run(self, changes: int) -> list[Quad]:
        for _ in range(changes):
            getattr(self, self.rng.choice(self.KINDS))()
        return self.quads


def as_input(quads: list[Quad], kind: int, tmp_path):
    """The same data as a dataset, Oxigraph quads, NQuads, or a store (in memory, or on disk opened read-only)."""
    if kind == 0:
        return dataset(quads)
    oxq = [ox.Quad(*(rdflib_to_ox(t) for t in q)) for q in quads]
    if kind == 1:
        return oxq
    if kind == 2:
        return NQuads.from_quads(oxq)
    if kind == 3:
        store = OxigraphStore()
        store.load_quads(oxq)
        return store
    return OxigraphStore(write_store([NQuads.from_quads(oxq)], tmp_path / "oxigraph"), read_only=True)


SEEDS = range(40)


@pytest.fixture(scope="module")
def compared(seeds, tmp_path_factory):
    """Per seed, the compiled validator's and pySHACL's results on the seeds' graph after 1 to 3 random changes,
    given to the compiled validator as each kind of input in turn."""
    out = {}
    for seed in SEEDS:
        quads = Mutator(seeds, seed).run(1 + seed % 3)
        data = as_input(quads, seed % 5, tmp_path_factory.mktemp("store"))
        out[seed] = validate(data), validate(union(quads), engine="pyshacl")
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_graphs_give_pyshacls_results(compared, seed):
    assert_same(*compared[seed])


def test_mutations_reach_every_component(compared):
    found = Counter(v.component for ours, _ in compared.values() for v in ours.results)
    for c in ("MinCount", "MaxCount", "Class", "Datatype", "Or"):
        assert found[f"{c}ConstraintComponent"] > 0, found
    assert sum(ours.conforms for ours, _ in compared.values()) < len(SEEDS) // 2


def test_targets_reach_instances_of_subclasses_in_the_data(seeds):
    quads = [*seeds, (URIRef(EX + "Militia"), RDFS.subClassOf, IPKG.ArmedGroup, GRAPH), (URIRef(EX + "m"), RDF.type, URIRef(EX + "Militia"), GRAPH)]
    result = same(dataset(quads), union(quads))
    assert [(str(v.focus), v.path, v.component) for v in result.results] == [(EX + "m", "skos:prefLabel", "MinCountConstraintComponent")]


def test_report_lists_each_violation_sorted(seeds):
    event = next(s for s, p, o, _ in seeds if p == RDF.type and o == IPKG.Event)
    quads = [q for q in seeds if (q[0], q[1]) != (event, IPKG.eventType)]
    result = validate(dataset(quads))
    head, line = result.report.splitlines()
    assert head == "SHACL (sparql): does not conform, 1 result"
    assert line == f"Violation: ipkgsh:EventShape/ipkg:eventType  focus {event.n3()}  path ipkg:eventType  MinCount: Every event has exactly one CAMEO type."


def test_a_store_can_be_validated_as_the_union_of_its_named_graphs():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(EX + "f"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(IPKG.Figure)), ox.NamedNode(EX + "g")))
    assert validate(store).violations == 0
    assert validate(store, union=True).violations == validate(store, union=True, engine="pyshacl").violations == 3


EXTRAS = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:A sh:targetNode ex:a, ex:nowhere, "lit" ; sh:nodeKind sh:IRI ; sh:in ( ex:a ex:b "lit" ) ;
    sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ; sh:severity sh:Warning ] ;
    sh:property [ sh:path ( ex:p ex:q ) ; sh:hasValue "v" ; sh:message "needs v"@en, "braucht v"@de ] ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ; sh:nodeKind sh:BlankNodeOrIRI ] ;
    sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:maxCount 0 ] .
ex:B sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ;
    sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:xone ( [ sh:datatype xsd:string ] [ sh:nodeKind sh:Literal ] ) ] ;
    sh:or ( [ sh:class ex:C ] [ sh:and ( [ sh:nodeKind sh:BlankNode ] [ sh:not [ sh:hasValue ex:a ] ] ) ] ) ] .
ex:D sh:targetObjectsOf ex:q ; sh:datatype xsd:string ; sh:deactivated false .
ex:E sh:targetObjectsOf ex:q ; sh:nodeKind sh:IRI ; sh:deactivated true .
ex:F a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:oneOrMorePath ex:p ] ; sh:class ex:C ; sh:datatype xsd:integer .
"""
EXTRA_DATA = """
@prefix ex: <urn:ex:> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p ex:b, ex:c, _:x ; ex:r ex:a . ex:b ex:q "v", 1, "w"@en ; ex:p ex:a . ex:c a ex:D ; ex:q ex:e ; ex:p ex:b . ex:D rdfs:subClassOf ex:C .
_:x ex:q "v" ; ex:p "5"^^xsd:integer, "five"^^xsd:integer, ex:a .
"""


def test_other_compiled_components_give_pyshacls_results():
    shapes = Graph().parse(data=EXTRAS, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    result = same(data, data, shapes)
    components = {v.component.removesuffix("ConstraintComponent") for v in result.results}
    assert components >= {"NodeKind", "In", "MinCount", "MaxCount", "HasValue", "Xone", "Or", "Datatype", "Class"}, result.report
    assert not result.conforms and {v.severity for v in result.results} == {"Violation", "Warning"}


def test_shapes_with_an_uncompiled_component_are_validated_by_pyshacl():
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:pattern "^v" ; sh:minCount 1 ] .""", format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    with pytest.raises(Unsupported, match="sh:pattern"):
        compile_shapes(shapes)
    ours, theirs = validate(data, shapes=shapes), validate(data, shapes=shapes, engine="pyshacl")
    assert ours.engine == "pyshacl" and "not compiled: sh:pattern" in ours.report.splitlines()[0]
    assert keys(ours) == keys(theirs) and ours.violations == theirs.violations > 0
    assert {v.component for v in ours.results} == {"PatternConstraintComponent"}


@pytest.mark.parametrize("shape", [
    "ex:S sh:targetClass ex:C ; sh:node ex:T .",
    "ex:S a rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:int ] .",
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1, 2 ] .",
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or ( [ sh:path ex:q ; sh:minCount 1 ] ) ] .",
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:hasValue \"5\"^^xsd:int ] .",
    "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:property ex:S ] .",
])
def test_what_is_not_compiled_is_refused(shape):
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    with pytest.raises(Unsupported):
        compile_shapes(Graph().parse(data=prefixes + shape, format="turtle"))


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        validate(Graph(), engine="topbraid")  # type: ignore[arg-type]


def test_shapes_ttl_compiles():
    from ipkg.resources import ontology_dir

    checks = compile_shapes(Graph().parse(ontology_dir() / "shapes.ttl", format="turtle"))
    assert {c.component for c in checks} == {SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent, SH.ClassConstraintComponent,
                                              SH.DatatypeConstraintComponent, SH.OrConstraintComponent}


def test_datatype_rdfs_literal_follows_the_specification_not_pyshacl():
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:S sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:datatype rdfs:Literal ] .""", format="turtle")
    data = Graph().parse(data="<urn:ex:a> <urn:ex:q> 'x' .", format="turtle")
    assert validate(data, shapes=shapes).violations == 1
    assert validate(data, shapes=shapes, engine="pyshacl").violations == 0
