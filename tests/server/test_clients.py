"""Real SPARQL clients against the server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from urllib.error import HTTPError

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import GET, JSON, JSONLD, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from ipkg.query.sparql import list_queries, load_query

from conftest import answers
from .conftest import ASK_FALSE, ASK_TRUE, CONSTRUCT, IRAN, NEW

IRAN_LABEL = (URIRef(IRAN), SKOS.prefLabel, Literal("Iran", lang="en"))


def wrapper(server, query: str, fmt: str, method: str = GET, request: str = URLENCODED) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    sw.setRequestMethod(request)
    sw.setTimeout(30)
    return sw


# ---- SPARQLWrapper --------------------------------------------------------------------------

@pytest.mark.parametrize("method,request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json(server, seed_graph, api_rows, method, request_method):
    """SPARQLWrapper SELECT in JSON, by GET, POST form and POST body, gives run_query's rows."""
    result = wrapper(server, load_query("visits")[1], JSON, method, request_method).queryAndConvert()
    assert result["head"]["vars"][0] == "event"
    nm = seed_graph.namespace_manager
    assert answers(result["results"]["bindings"], nm) == answers(api_rows("visits"), nm)


def test_sparqlwrapper_select_xml(server, api_rows):
    """SPARQLWrapper SELECT in XML: a DOM with one result element per row."""
    doc = wrapper(server, load_query("actors")[1], XML).queryAndConvert()
    assert len(doc.getElementsByTagName("result")) == len(api_rows("actors"))


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_ask(server, method):
    """SPARQLWrapper ASK returns the boolean."""
    assert wrapper(server, ASK_TRUE, JSON, method).queryAndConvert()["boolean"] is True
    assert wrapper(server, ASK_FALSE, JSON, method).queryAndConvert()["boolean"] is False


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct_turtle(server, seed_graph, method):
    """SPARQLWrapper CONSTRUCT in Turtle parses into the graph rdflib builds locally."""
    data = wrapper(server, CONSTRUCT, TURTLE, method).queryAndConvert()
    g = Graph().parse(data=data, format="turtle")
    assert set(g) == set(seed_graph.query(CONSTRUCT).graph) and IRAN_LABEL in g


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct_jsonld(server, seed_graph):
    """SPARQLWrapper CONSTRUCT in JSON-LD (content negotiation only) converts to an rdflib graph."""
    sw = wrapper(server, CONSTRUCT, JSONLD)
    sw.setOnlyConneg(True)  # else it also sends format=json-ld, a name the spec does not define
    g = sw.queryAndConvert()
    assert set(g) == set(seed_graph.query(CONSTRUCT).graph)


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_bad_query(server, method):
    """A malformed query raises SPARQLWrapper's QueryBadFormed (HTTP 400)."""
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELECT ?x WHERE { ?x ?y ", JSON, method).query()


def test_sparqlwrapper_update_is_refused(server, http):
    """An update through SPARQLWrapper fails with HTTP 403."""
    sw = wrapper(server, f"INSERT DATA {{ {NEW} }}", JSON, POST)
    with pytest.raises(HTTPError) as exc:
        sw.query()
    assert exc.value.code == 403
    assert http.get("sparql", params={"query": f"ASK {{ {NEW} }}"}).json()["boolean"] is False


# ---- rdflib SPARQLStore ---------------------------------------------------------------------

BY_STORE = [("json", "GET", name) for name in sorted(list_queries())]
BY_STORE += [(fmt, method, name) for fmt, method in [("xml", "GET"), ("xml", "POST_FORM"), ("json", "POST")] for name in ("actors", "visits")]


@pytest.mark.parametrize("fmt,method,name", BY_STORE)
def test_sparqlstore_bundled_query(server, seed_graph, api_rows, name, fmt, method):
    """A bundled query through Graph(store=SPARQLStore) gives run_query's rows."""
    g = Graph(store=SPARQLStore(server.sparql, returnFormat=fmt, method=method))
    rows = [row.asdict() for row in g.query(load_query(name)[1])]
    nm = seed_graph.namespace_manager
    assert answers(rows, nm) == answers(api_rows(name), nm)


def test_sparqlstore_len_and_lookups(server, seed_graph):
    """len() and triple-pattern lookups work on a graph backed by the endpoint."""
    g = Graph(store=SPARQLStore(server.sparql, returnFormat="json"))
    distinct, quads = len(set(seed_graph.triples((None, None, None)))), sum(1 for _ in seed_graph.quads())
    assert distinct <= len(g) <= quads  # a union default graph may count a triple once per named graph
    assert IRAN_LABEL in g
    assert (URIRef(IRAN), SKOS.prefLabel, Literal("Atlantis", lang="en")) not in g
    pattern = (URIRef(IRAN), None, None)
    assert set(g.triples(pattern)) == set(seed_graph.triples(pattern))


def test_sparqlupdatestore_is_refused(server, http):
    """Writes through SPARQLUpdateStore raise (HTTP 403) and leave the graph unchanged."""
    store = SPARQLUpdateStore(query_endpoint=server.sparql, update_endpoint=server.sparql, returnFormat="json")
    with pytest.raises(HTTPError) as exc:
        store.update(f"INSERT DATA {{ {NEW} }}")
    assert exc.value.code == 403
    s, p, o = (URIRef(t.strip("<>")) for t in NEW.split())
    with pytest.raises(HTTPError):
        Graph(store=store, identifier=URIRef("urn:ipkg-test:g")).add((s, p, o))
    with pytest.raises(HTTPError):
        store.update("DELETE WHERE { ?s ?p ?o }")
    assert http.get("sparql", params={"query": f"ASK {{ {NEW} }}"}).json()["boolean"] is False
    assert http.get("sparql", params={"query": ASK_TRUE}).json()["boolean"] is True
