"""The ``virtuoso`` fixture itself: updates, Graph Store Protocol writes and reads, over urllib."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from .virtuoso import VirtuosoServer


def _select(v: VirtuosoServer, query: str) -> list[dict[str, dict[str, str]]]:
    """Run a SELECT on the anonymous endpoint; the JSON result's bindings."""
    req = urllib.request.Request(
        v.sparql,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with v.opener().open(req, timeout=30) as r:
        assert r.status == 200
        return json.load(r)["results"]["bindings"]


def _values(v: VirtuosoServer, graph: str) -> list[str]:
    rows = _select(v, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?o")
    return [r["o"]["value"] for r in rows]


def _update(v: VirtuosoServer, text: str, form: bool = False) -> int:
    if form:
        data, ctype = urllib.parse.urlencode({"update": text}).encode(), "application/x-www-form-urlencoded"
    else:
        data, ctype = text.encode(), "application/sparql-update"
    req = urllib.request.Request(v.update, data=data, method="POST", headers={"Content-Type": ctype})
    with v.opener().open(req, timeout=30) as r:
        return int(r.status)


def _gsp(v: VirtuosoServer, method: str, graph: str, body: bytes | None = None) -> int:
    headers = {"Content-Type": "text/turtle"} if body is not None else {}
    req = urllib.request.Request(v.graph_url(graph), data=body, method=method, headers=headers)
    with v.opener().open(req, timeout=30) as r:
        return int(r.status)


def test_update_insert_data_then_select(virtuoso: VirtuosoServer) -> None:
    g = "urn:ipkg:test:update"
    assert _update(virtuoso, f'INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> "one", "two" }} }}') == 200
    assert _update(virtuoso, f'INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> "three" }} }}', form=True) == 200
    assert _values(virtuoso, g) == ["one", "three", "two"]
    assert _update(virtuoso, f'DELETE DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> "two" }} }}') == 200
    assert _values(virtuoso, g) == ["one", "three"]


def test_graph_store_put_replaces_post_appends_delete_drops(virtuoso: VirtuosoServer) -> None:
    g = "urn:ipkg:test:gsp"
    ttl = '@prefix ex: <urn:ex:> .\nex:s ex:p "first" ; ex:q "älpha"@en .\n'
    assert _gsp(virtuoso, "PUT", g, ttl.encode()) in (200, 201, 204)
    assert _values(virtuoso, g) == ["first", "älpha"]
    rows = _select(virtuoso, f'SELECT ?o WHERE {{ GRAPH <{g}> {{ <urn:ex:s> <urn:ex:q> ?o }} }}')
    assert rows[0]["o"].get("xml:lang") == "en"
    # a second PUT replaces the graph's content
    assert _gsp(virtuoso, "PUT", g, b'<urn:ex:s> <urn:ex:p> "second" .\n') in (200, 201, 204)
    assert _values(virtuoso, g) == ["second"]
    # POST adds to it
    assert _gsp(virtuoso, "POST", g, b'<urn:ex:s> <urn:ex:p> "third" .\n') in (200, 201, 204)
    assert _values(virtuoso, g) == ["second", "third"]
    # GET returns it, DELETE drops it
    req = urllib.request.Request(virtuoso.graph_url(g), headers={"Accept": "text/turtle"})
    with virtuoso.opener().open(req, timeout=30) as r:
        assert r.status == 200 and b"third" in r.read()
    assert _gsp(virtuoso, "DELETE", g) in (200, 204)
    assert _values(virtuoso, g) == []


def test_anonymous_endpoint_is_read_only(virtuoso: VirtuosoServer) -> None:
    import urllib.error

    req = urllib.request.Request(
        virtuoso.sparql,
        data=b'INSERT DATA { GRAPH <urn:ipkg:test:anon> { <urn:s> <urn:p> "x" } }',
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        no_proxy.open(req, timeout=30)
    except urllib.error.HTTPError as exc:
        assert exc.code >= 400
    else:  # pragma: no cover - would mean the fixture's endpoints are not what they say
        raise AssertionError("the anonymous endpoint accepted an update")
    assert _values(virtuoso, "urn:ipkg:test:anon") == []


def test_large_bodies_go_through_digest_auth(virtuoso: VirtuosoServer) -> None:
    """A 2 MB PUT: the body is sent once, already authenticated (see ``VirtuosoServer.opener``).

    The graph is left in place: deleting 30000 triples takes from 0.5 s to 20 s in Virtuoso.
    """
    g = "urn:ipkg:test:large"
    body = "".join(f'<urn:ex:s{i}> <urn:ex:p> "value {i} padded to make the document larger" .\n' for i in range(30000))
    assert len(body) > 2_000_000
    assert _gsp(virtuoso, "PUT", g, body.encode()) in (200, 201, 204)
    rows = _select(virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert rows[0]["n"]["value"] == "30000"
