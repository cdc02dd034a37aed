import json

import pytest
from rdflib import URIRef

from conftest import answers
from ipkg.errors import IpkgError
from ipkg.query import list_queries, load_query, run_query
from ipkg.query.sparql import page_query
from ipkg.store import MemoryStore


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


PAGES = [(0, 0), (1, 0), (3, 2), (10, 5), (100, 0)]


class _Spy(MemoryStore):
    """rdflib, remembering the query texts it was given, and cutting pages in the query as the
    other stores do."""

    pages_in_query = True

    def __init__(self, dataset):
        super().__init__(dataset)
        self.texts = []

    def query(self, text, bindings=None):
        self.texts.append(text)
        return super().query(text, bindings)


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_sparql_pages_are_slices_of_the_rows(name, seed_graph):
    """A page holds the rows the whole answer has there, in the same order, and says whether more
    follow; the bundled queries cut it in SPARQL (one row more than asked, to know). The parts of
    a " | " list may come in another order, as SPARQL leaves it open."""
    full = run_query(seed_graph, name).rows
    spy = _Spy(seed_graph)
    key = next(iter(full[0]))
    for limit, offset in PAGES:
        page = run_query(spy, name, limit=limit, offset=offset)
        want = full[offset : offset + limit]
        assert answers(page.rows) == answers(want) and [r[key] for r in page.rows] == [r[key] for r in want]
        assert page.more == (len(full) > offset + limit)
        assert len(json.loads(page.to_json())["results"]["bindings"]) == len(page.rows)
        assert f"LIMIT {limit + 1} OFFSET {offset}" in spy.texts[-1]


def test_sparql_pages_of_other_queries_and_with_bindings_are_cut_after(seed_graph):
    """Inline SPARQL, and bundled queries given bindings or run by rdflib, run whole and are cut
    in Python."""
    text = "SELECT ?l WHERE { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l"
    full = run_query(seed_graph, text).rows
    assert run_query(seed_graph, text, limit=2, offset=3).rows == full[3:5]
    assert run_query(seed_graph, text, offset=len(full) - 1).rows == full[-1:]
    spy = _Spy(seed_graph)
    iran = URIRef("https://w3id.org/ipkg/id/actor/iran")
    page = run_query(spy, "actors", limit=1, actor=iran)
    assert [r["label"] for r in page.rows] == ["Iran"] and not page.more
    assert "LIMIT $limit" in spy.texts[-1]
    rdflib = _Spy(seed_graph)
    rdflib.pages_in_query = False
    assert run_query(rdflib, "visits", limit=2).rows == run_query(seed_graph, "visits").rows[:2]
    assert "LIMIT $limit" in rdflib.texts[-1]


@pytest.mark.parametrize("bad", [{"limit": -1}, {"offset": -1}, {"limit": True}, {"limit": "5"}, {"limit": 2.5}])
def test_sparql_page_bounds_are_whole_numbers(bad, seed_graph):
    with pytest.raises(IpkgError, match="expected a whole number"):
        run_query(seed_graph, "visits", **bad)


def test_sparql_page_lines_are_comments_until_switched_on():
    """Every bundled query has page lines; without a limit they are comments, so the text is the
    whole query for every engine. Index lines are switched on instead of them for a store with a
    page index, and stay comments otherwise."""
    for name in list_queries():
        text = load_query(name)[1]
        assert "#page" in text and "$limit" in text
        for index, on, off in [(False, "#page", "#index"), (True, "#index", "#page")]:
            if index and "#index" not in text:
                on, off = "#page", "#index"
            paged = page_query(text, 5, 10, index=index)
            code = [line for line in paged.splitlines() if not line.lstrip().startswith(off)]
            assert "LIMIT 5 OFFSET 10" in paged and not any("$" in line for line in code)
            assert not any(line.lstrip().startswith(on) for line in paged.splitlines())
            # the columns the index keeps are read from it with it, computed without it
            kept = [line for line in paged.splitlines() if line.lstrip().startswith("#kept")]
            computed = [line for line in paged.splitlines() if line.rstrip().endswith("#noindex") and not line.lstrip().startswith("#")]
            if "#kept" in text and on == "#index":
                assert not kept and not computed
            else:
                assert kept == [line for line in text.splitlines() if line.lstrip().startswith("#kept")]
                assert computed == [line for line in text.splitlines() if line.rstrip().endswith("#noindex")]
    assert any("#kept" in load_query(name)[1] for name in list_queries())
