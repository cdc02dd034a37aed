"""Hostile strings in titles, quotes and sentences survive every serialisation ipkg writes."""

from __future__ import annotations

import pytest
from decimal import Decimal

from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic

from rdflib.namespace import DCTERMS
from rdflib.namespace import XSD as _XSD

from ipkg.kg import new_dataset
from ipkg.kg.namespace import IPKG
from ipkg.kg.io import load_graph, save_graph
from ipkg.kg.validate import validate

XSS = '"><img src=x onerror=alert(1)>'
LONG = "\\\"<>&'\n" * 3_000  # 21,000 characters to escape
ARTICLES = {
    "script.txt": (
        "---\n"
        f"title: <script>alert(1)</script> {XSS} \\ \"Talks\"\n"
        "url: https://example.org/a?b=<c>&d=\"e\"\n"
        "published: 2024-04-22\n"
        "---\n"
        'Pakistani Prime Minister Shehbaz Sharif met Iranian President "Ali <script>alert(1)</script>" in Tehran on April 22, 2024.\n'
        'Iranian President Masoud Pezeshkian said: "we \\ reject </p><img src=x onerror=alert(1)> and > all \'of\' it\\\\."\n'
        f"Pakistan's envoy said {XSS} was posted.\n"
        "Iranian Ambassador Reza Amiri said: \"Ali <script>alert('x')</script> \\ is here\u2028really > there.\"\n"
    ),
    "newlines.md": (
        "Pakistan condemned the attack by Jaish al-Adl, Foreign Office spokesperson Mumtaz Zahra Baloch said \\n <b>today</b>.\r\n"
        "Iran was the first country to recognize Pakistan in 1947 \"\"\" ''' \\\" }}> .\n"
    ),
    "long.txt": "Iran was the first country to recognize Pakistan in 1947, " + LONG.replace("\n", "\\n") + ".\n",
}
DECIMAL, STRING = _XSD.decimal, _XSD.string
del _XSD
HOSTILE = ("<script>", XSS, "\\", '"', ">")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, nlp):
    from ipkg.workflow import build_graph

    folder = tmp_path_factory.mktemp("hostile")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    ds, summary = build_graph([folder], nlp=nlp)
    return ds, summary


def same_dataset(a, b) -> bool:
    """The same named graphs, each isomorphic to its counterpart. (The Oxigraph store's default
    graph is the union of the named graphs, by design, so default graphs are not compared.)"""
    names = lambda ds: {g.identifier for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier}  # noqa: E731
    if names(a) != names(b):
        return False
    return all(isomorphic(Graph(store=a.store, identifier=n), Graph(store=b.store, identifier=n)) for n in names(a))


def _by_value(ds) -> set[tuple]:
    def term(t):
        return ("decimal", Decimal(str(t))) if isinstance(t, Literal) and t.datatype == DECIMAL else t

    return {tuple(term(t) for t in q) for q in ds.quads() if q[3] != ds.default_graph.identifier}


def _literals(ds) -> set[str]:
    return {str(o) for _, _, o, _ in ds.quads((None, None, None, None)) if isinstance(o, Literal) and o.datatype in (None, STRING)}


def test_hostile_strings_reach_the_graph(hostile):
    ds, summary = hostile
    assert summary.documents == 3 and summary.events >= 2
    titles = {str(o) for o in ds.objects(None, DCTERMS.title)}
    quotes = {str(o) for o in ds.objects(None, IPKG.text)}
    sentences = {str(o) for o in ds.objects(None, IPKG.sentence)}
    assert '<script>alert(1)</script> "><img src=x onerror=alert(1)> \\ "Talks' in titles
    assert "we \\ reject </p><img src=x onerror=alert(1)> and > all 'of' it\\\\." in quotes
    assert any('President "Ali <script>alert(1)</script>" in Tehran' in x for x in sentences)
    assert any("\\n <b>today</b>" in x for x in sentences)
    assert any("\u2028" in x for x in _literals(ds))
    assert any(LONG.replace("\n", "\\n") in x for x in sentences)
    assert "https://example.org/a?b=<c>&d=\"e" in {str(o) for o in ds.objects(None, DCTERMS.source)}


def test_hostile_trig_round_trip(hostile, tmp_path):
    ds, _ = hostile
    back = load_graph(save_graph(ds, tmp_path))
    assert same_dataset(ds, back)
    assert _literals(back) == _literals(ds)


def test_hostile_nquads_round_trip(hostile):
    ds, _ = hostile
    back = new_dataset()
    back.parse(data=ds.serialize(format="nquads"), format="nquads")
    assert same_dataset(ds, back)
    assert _literals(back) == _literals(ds)


def test_hostile_oxigraph_store_round_trip(hostile, tmp_path):
    from ipkg.store import OxigraphStore, pageindex, write_store
    from ipkg.store.oxigraph import ox_to_rdflib

    ds, _ = hostile
    folder = write_store([save_graph(ds, tmp_path)], tmp_path / "oxigraph")
    store = OxigraphStore(folder, read_only=True)
    back = new_dataset()
    for q in store.oxigraph.quads_for_pattern(None, None, None, None):
        if not hasattr(q.graph_name, "value") or q.graph_name == pageindex.GRAPH:  # the union of the others; the page index
            continue
        g = back.graph(ox_to_rdflib(q.graph_name))
        g.add((ox_to_rdflib(q.subject), ox_to_rdflib(q.predicate), ox_to_rdflib(q.object)))
    store.close()
    # Oxigraph writes a decimal's canonical form ("1.0" -> "1"): compare decimals by value.
    assert not any(isinstance(t, BNode) for q in ds.quads() for t in q)
    assert _by_value(ds) == _by_value(back)
    assert _literals(back) == _literals(ds)


def test_hostile_shacl_conforms(hostile):
    assert validate(hostile[0]).violations == 0
