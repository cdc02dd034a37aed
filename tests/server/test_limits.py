"""The limits of a server started with ``--timeout 1 --max-rows 5``."""

from __future__ import annotations

import time

from .conftest import SPARQL_JSON

# Four independent patterns over ~3000 triples: ~10^14 solutions to count, far beyond one second.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _values(n: int) -> str:
    return "SELECT ?x WHERE { VALUES ?x { %s } }" % " ".join(str(i) for i in range(n))


def test_long_query_is_stopped_with_503(http_limited):
    """A query running past --timeout is answered 503 (text/plain, mentioning the time limit), promptly."""
    start = time.monotonic()
    r = http_limited.get("sparql", params={"query": ENDLESS})
    elapsed = time.monotonic() - start
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/plain") and "time" in r.text.lower()
    assert elapsed < 15


def test_server_keeps_working_after_a_timeout(http_limited):
    """Right after a timed-out query, /health and a normal query answer."""
    assert http_limited.post("sparql", data={"query": ENDLESS}).status_code == 503
    assert http_limited.get("health", timeout=10).status_code == 200
    r = http_limited.get("sparql", params={"query": _values(3)}, headers={"Accept": SPARQL_JSON}, timeout=10)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3


def test_rows_beyond_max_rows_are_cut(http_limited):
    """A SELECT with more solutions than --max-rows returns that many rows and says so in X-SPARQL-MaxRows."""
    for query in (_values(6), "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"):
        r = http_limited.get("sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
        assert r.status_code == 200
        assert len(r.json()["results"]["bindings"]) == 5
        assert r.headers["X-SPARQL-MaxRows"] == "5"


def test_rows_up_to_max_rows_are_all_returned(http_limited):
    """A SELECT with exactly --max-rows solutions loses none."""
    r = http_limited.get("sparql", params={"query": _values(5)}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200
    assert sorted(int(b["x"]["value"]) for b in r.json()["results"]["bindings"]) == [0, 1, 2, 3, 4]


def test_max_rows_applies_to_csv(http_limited):
    """The row limit holds in CSV too: a header and five rows."""
    r = http_limited.get("sparql", params={"query": _values(8)}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["X-SPARQL-MaxRows"] == "5"
    lines = r.text.split("\r\n")
    assert lines[0] == "x" and len(lines) == 1 + 5 + 1 and lines[-1] == ""


def test_default_server_does_not_cut_rows(http):
    """With the default --max-rows (10000) every triple of the seeds comes back."""
    r = http.get("sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    n = int(r.json()["results"]["bindings"][0]["n"]["value"])
    r = http.get("sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == n > 1000
