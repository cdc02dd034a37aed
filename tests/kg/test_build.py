import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from ipkg.kg import IPKG, load_graph, validate
from ipkg.kg.mint import graph_iri


def test_build_trig_round_trip_is_isomorphic(seed_build, seed_graph):
    _, out = seed_build
    again = load_graph(out)
    for g in seed_graph.graphs():
        assert isomorphic(Graph(store=g.store, identifier=g.identifier), Graph(store=again.store, identifier=g.identifier)) or len(g) == 0


def test_build_is_deterministic(seed_build, tmp_path):
    from conftest import SEEDS
    from ipkg.workflow import build

    build([SEEDS], tmp_path)
    assert (tmp_path / "graph.trig").read_bytes() == (seed_build[1] / "graph.trig").read_bytes()


def test_build_is_the_same_bytes_in_processes_with_other_hash_seeds(seed_build, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import SEEDS

    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-m", "ipkg", "build", str(SEEDS), "--out", str(tmp_path / seed), "-q"], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    for name in ("graph.trig", "graph.html"):
        first = (tmp_path / "1" / name).read_bytes()
        assert first == (tmp_path / "2" / name).read_bytes() == (seed_build[1] / name).read_bytes(), name


def test_build_conforms_to_shapes(seed_graph):
    result = validate(seed_graph)
    assert result.conforms, result.report
    assert result.violations == 0


def test_build_one_named_graph_per_document(seed_graph):
    names = {str(g.identifier) for g in seed_graph.graphs()}
    assert str(graph_iri("000_0828b3b12d76d6f1")) in names
    assert len([n for n in names if "/graph/" in n and not n.endswith(("/ontology", "/actors"))]) == 5


def test_build_actors_are_described_once_and_named_by_each_document(seed_graph):
    from rdflib.namespace import RDF, SKOS

    from ipkg.kg.mint import ACTORS_GRAPH

    actors = seed_graph.graph(ACTORS_GRAPH)
    described = set(actors.subjects(RDF.type))
    assert len(described) > 20 and set(actors.subjects(SKOS.prefLabel)) == described
    for g in seed_graph.graphs():
        if "/graph/0" in str(g.identifier):
            named = set(g.subjects(SKOS.altLabel))
            assert named and named <= described
            assert not set(g.subjects(SKOS.prefLabel)) & described


def test_build_evidence_offsets_point_into_original_files(seed_graph):
    from conftest import SEEDS

    n = 0
    for ev in seed_graph.subjects(predicate=IPKG.sentence):
        sentence = str(seed_graph.value(ev, IPKG.sentence))
        start = int(seed_graph.value(ev, IPKG.startOffset))
        end = int(seed_graph.value(ev, IPKG.endOffset))
        doc_id = str(seed_graph.value(seed_graph.value(ev, IPKG.document), __import__("rdflib").namespace.DCTERMS.identifier))
        text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert text[start:end] == sentence
        n += 1
    assert n > 20


def test_build_shacl_reports_a_broken_event():
    from rdflib import Literal, URIRef

    from ipkg.facts import resolve
    from ipkg.kg import facts_to_graph

    ds = facts_to_graph(resolve([]))
    ds.graph(URIRef("urn:x")).add((URIRef("urn:e"), __import__("rdflib").RDF.type, IPKG.Event))
    ds.graph(URIRef("urn:x")).add((URIRef("urn:e"), IPKG.date, Literal("soon")))
    result = validate(ds)
    assert not result.conforms and result.violations >= 4


@pytest.mark.parametrize(
    "namespaces, iris, expected",
    [
        ({"a": "http://x/a/", "b": "http://x/a/"}, ["http://x/a/1"], {"a": "http://x/a/"}),  # one namespace, two names: the first
        ({"a": "http://x/", "b": "http://x/a/"}, ["http://x/a/1"], {"b": "http://x/a/"}),  # the longest that fits
        ({"a": "http://x/"}, ["http://x/a/1", "http://x/"], {}),  # a "/" left, or nothing left
        ({"a": "http://x/a/", "w": "http://x/a/ir"}, ["http://x/a/iran"], {"w": "http://x/a/ir"}),  # ends inside the name
        ({"a": "http://x/a/", "w": "http://x/a/ir"}, ["http://x/a/ir"], {}),  # the longest leaves nothing
        ({"h": "http://x/o#", "": "http://x/o#"}, ["http://x/o#T", "http://x/o#a/b"], {"h": "http://x/o#"}),
    ],
)
def test_trig_prefixes_picks_what_the_longest_namespace_leaves(namespaces, iris, expected):
    from ipkg.kg.io import trig_prefixes

    assert trig_prefixes(namespaces, iris) == expected
