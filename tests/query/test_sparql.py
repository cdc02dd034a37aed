import pytest
from rdflib import URIRef

from ipkg.errors import IpkgError
from ipkg.query import list_queries, load_query, run_query


def test_sparql_catalog_has_the_eleven_queries():
    assert set(list_queries()) == {"actors", "positions", "events", "visits", "meetings", "strikes", "statements", "recognitions", "agreements", "quotes", "figures"}
    assert all(list_queries().values())


def test_sparql_bindings_restrict_rows(seed_graph):
    iran = URIRef("https://w3id.org/ipkg/id/actor/iran")
    rows = run_query(seed_graph, "actors", actor=iran).rows
    assert [r["label"] for r in rows] == ["Iran"]


def test_sparql_binding_value_is_not_code(seed_graph):
    rows = run_query(seed_graph, "actors", actor='Iran" } UNION { ?s ?p ?o').rows
    assert rows == []


def test_sparql_unknown_query_and_syntax_error():
    with pytest.raises(IpkgError, match="Unknown query"):
        load_query("no_such_query")
    from ipkg.kg import facts_to_graph
    from ipkg.facts import resolve

    with pytest.raises(IpkgError, match="Query failed"):
        run_query(facts_to_graph(resolve([])), "SELECT ?x WHERE { ?x ")
