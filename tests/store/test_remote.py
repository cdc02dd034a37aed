"""A real SPARQL server (Virtuoso on loopback): push the seeds' graph, get the same answers."""

import subprocess
import sys

import pytest

from conftest import answers
from ipkg.query.sparql import list_queries, run_query
from ipkg.store import RemoteStore
from ipkg.workflow import build, push

QUERIES = sorted(list_queries())


def _store(virtuoso, graph_store=False):
    return RemoteStore(
        virtuoso.update,
        graph_store=virtuoso.graph_store if graph_store else None,
        user=virtuoso.user,
        password=virtuoso.password,
    )


@pytest.fixture(scope="module")
def pushed(virtuoso, seed_graph):
    """The seeds' graph pushed by the Graph Store Protocol; queries go to the anonymous endpoint."""
    sent = push(seed_graph, _store(virtuoso, graph_store=True))
    return RemoteStore(virtuoso.sparql), sent


def test_remote_push_holds_every_quad(pushed, seed_graph):
    store, sent = pushed
    assert sent == len(seed_graph) > 0
    quads = sum(len(g) for g in seed_graph.graphs() if g.identifier != seed_graph.default_graph.identifier)
    ours = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/ipkg/')) }"
    assert int(next(iter(store.query(ours)))[0]) == quads
    assert len(store) > quads  # Virtuoso's own system graphs count too


@pytest.mark.parametrize("name", QUERIES)
def test_remote_answers_as_rdflib(name, pushed, seed_graph):
    """Every bundled query gives the same rows from Virtuoso as from rdflib."""
    expected = run_query(seed_graph, name).rows
    assert expected
    assert answers(run_query(pushed[0], name).rows) == answers(expected)


@pytest.mark.parametrize("name", QUERIES)
def test_remote_pages_as_rdflib(name, pushed, seed_graph):
    """Virtuoso compiles the page lines of every bundled query and returns rdflib's page."""
    full = run_query(seed_graph, name).rows
    for limit, offset in [(1, 0), (3, 2), (100, 0)]:
        page = run_query(pushed[0], name, limit=limit, offset=offset)
        assert answers(page.rows) == answers(full[offset : offset + limit])
        assert page.more == (len(full) > offset + limit)


def test_remote_bindings_reach_the_server(pushed):
    from rdflib import URIRef

    rows = run_query(pushed[0], "SELECT DISTINCT ?l WHERE { ?actor <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", actor=URIRef("https://w3id.org/ipkg/id/actor/iran")).rows
    assert [r["l"] for r in rows] == ["Iran"]


def test_remote_update_push_replaces_graphs(virtuoso, seed_graph, pushed):
    """Pushing again by SPARQL Update (small chunks) replaces each graph: no triple is doubled."""
    store = _store(virtuoso)
    store.chunk = 500
    before = len(pushed[0])
    assert push(seed_graph, store) == len(seed_graph)
    assert len(pushed[0]) == before


def test_remote_syntax_error_is_reported(pushed):
    from ipkg.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError, match="400"):
        pushed[0].query("SELECT ?s WHERE { ?s ?p }")


def test_remote_cli_push_and_query(virtuoso, seed_build, tmp_path):
    """`ipkg push` then `ipkg query --graph URL`, as a user types them."""
    env = {"IPKG_SPARQL_PASSWORD": virtuoso.password, "PATH": "", "HOME": str(tmp_path)}
    out = seed_build[1]
    run = lambda *args: subprocess.run([sys.executable, "-m", "ipkg", *args], capture_output=True, text=True, env=env, timeout=300)  # noqa: E731
    pushed = run("push", "--graph", str(out), "--endpoint", virtuoso.update, "--user", virtuoso.user)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.startswith("pushed 2")
    listed = run("query", "visits", "--graph", virtuoso.sparql, "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert "Pezeshkian" in listed.stdout


def test_remote_build_store_url(virtuoso, tmp_path):
    """`build --store URL` builds and pushes in one step."""
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Iran was the first country to recognize Pakistan in 1947.", encoding="utf-8")
    summary = build([doc.parent], tmp_path / "out", remote=_store(virtuoso))
    assert summary.pushed_to == virtuoso.update
    rows = run_query(RemoteStore(virtuoso.sparql), "recognitions").rows
    assert any(r["date"] == "1947" for r in rows)


def test_remote_unreachable_server_is_a_clear_error():
    from ipkg.errors import IpkgError

    with pytest.raises(IpkgError, match="Cannot reach"):
        run_query(RemoteStore("http://127.0.0.1:9/sparql", timeout=5), "visits")
