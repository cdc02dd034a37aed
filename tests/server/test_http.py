"""The SPARQL 1.1 Protocol over raw HTTP (httpx): paths, methods, status codes, content negotiation."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.query import Result

from ipkg.query.sparql import list_queries, load_query

from .conftest import ASK_FALSE, ASK_TRUE, CONSTRUCT, IRAN, NEW, PREFIXES, SELECT, SPARQL_JSON

SR = "{http://www.w3.org/2005/sparql-results#}"


def ctype(r) -> str:
    """The media type of a response, without parameters."""
    return r.headers.get("content-type", "").split(";")[0].strip().lower()


def get(http, params: dict, accept: str | None):
    """GET /sparql with this Accept header, or with none at all (httpx would send */*)."""
    req = http.build_request("GET", "sparql", params=params)
    if accept is None:
        del req.headers["Accept"]
    else:
        req.headers["Accept"] = accept
    return http.send(req)


def ask(http, query: str) -> bool:
    r = http.get("sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


@pytest.fixture(scope="module")
def expected_select(seed_graph):
    """SELECT's answer from rdflib on the seeds graph: a set of term tuples."""
    return {tuple(row) for row in seed_graph.query(SELECT)}


@pytest.fixture(scope="module")
def expected_construct(seed_graph):
    return set(seed_graph.query(CONSTRUCT).graph)


# ---- other paths ------------------------------------------------------------------------------

def test_health(http, seed_graph):
    """/health is JSON with status ok, a store name and the graph's triple count."""
    r = http.get("health")
    assert r.status_code == 200 and ctype(r) == "application/json"
    body = r.json()
    assert body["status"] == "ok" and isinstance(body["store"], str)
    distinct, quads = len(set(seed_graph.triples((None, None, None)))), sum(1 for _ in seed_graph.quads())
    assert body["triples"] in (distinct, quads)  # a triple in two named graphs may count twice


def test_root_is_the_explorer_page(http, seed_build):
    """GET / serves the build's graph.html."""
    r = http.get("")
    assert r.status_code == 200 and ctype(r) == "text/html"
    page = (seed_build[1] / "graph.html").read_text(encoding="utf-8")
    data = [line.strip() for line in page.splitlines() if "new vis.DataSet" in line]
    assert data and all(line in r.text for line in data)


def test_query_page_lists_bundled_queries(http):
    """GET /query is an HTML page naming every bundled query."""
    r = http.get("query")
    assert r.status_code == 200 and ctype(r) == "text/html"
    missing = [name for name in list_queries() if name not in r.text]
    assert not missing


def _code(text: str) -> list[str]:
    """SPARQL text without comment lines, as a list of tokens."""
    return " ".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).split()


def test_queries_json_lists_bundled_queries(http):
    """GET /queries is a JSON list of {name, question, sparql}, one per bundled query."""
    r = http.get("queries")
    assert r.status_code == 200 and ctype(r) == "application/json"
    items = r.json()
    assert isinstance(items, list) and sorted(i["name"] for i in items) == sorted(list_queries())
    for item in items:
        assert item["question"] == list_queries()[item["name"]]
        assert _code(item["sparql"]) == _code(load_query(item["name"])[1])


def test_unknown_path_is_404(http):
    """An unknown path is 404."""
    assert http.get("no-such-page").status_code == 404
    assert http.get("sparql/extra", params={"query": ASK_TRUE}).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_on_sparql_are_405(http, method):
    """Methods other than GET/POST/HEAD on /sparql are 405, with an Allow header (RFC 9110)."""
    r = http.request(method, "sparql", params={"query": ASK_TRUE})
    assert r.status_code == 405
    assert {"GET", "POST"} <= {m.strip().upper() for m in r.headers.get("allow", "").split(",")}


def test_head_on_sparql(http):
    """HEAD on /sparql answers like GET, without a body."""
    r = http.head("sparql", params={"query": ASK_TRUE})
    assert r.status_code == 200 and ctype(r) == SPARQL_JSON and r.content == b""


def test_get_sparql_without_query_is_400(http):
    """GET /sparql with no query is 400."""
    assert http.get("sparql").status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_post_unsupported_content_type_is_415(http, content_type):
    """POST /sparql with a body that is neither a form nor application/sparql-query is 415."""
    r = http.post("sparql", content=ASK_TRUE.encode(), headers={"Content-Type": content_type})
    assert r.status_code == 415


# ---- the three ways to send a query ---------------------------------------------------------

def test_query_get_post_form_and_post_direct_agree(http, expected_select):
    """GET ?query=, POST form query= and POST application/sparql-query give the same answer."""
    responses = [
        http.get("sparql", params={"query": SELECT}),
        http.post("sparql", data={"query": SELECT}),
        http.post("sparql", content=SELECT.encode("utf-8"), headers={"Content-Type": "application/sparql-query"}),
    ]
    for r in responses:
        assert r.status_code == 200, r.text
        rows = Result.parse(io.BytesIO(r.content), format="json")
        assert {tuple(row) for row in rows} == expected_select


def test_non_ascii_query_text(http):
    """A query with non-ASCII characters survives GET and POST (UTF-8)."""
    q = PREFIXES + 'SELECT ?x WHERE { BIND("Tehrān – تهران" AS ?x) }'
    direct = {"Content-Type": "application/sparql-query"}
    for r in (http.get("sparql", params={"query": q}), http.post("sparql", content=q.encode("utf-8"), headers=direct)):
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"][0]["x"]["value"] == "Tehrān – تهران"


# ---- SELECT / ASK result formats ------------------------------------------------------------

@pytest.mark.parametrize("accept", [None, "*/*"])
def test_select_default_is_sparql_json(http, accept):
    """With no Accept header, or */*, SELECT answers SPARQL JSON."""
    r = get(http, {"query": SELECT}, accept)
    assert r.status_code == 200 and ctype(r) == SPARQL_JSON
    assert r.json()["head"]["vars"]


def test_select_json_body(http, expected_select):
    """SPARQL JSON: head.vars in projection order and one binding per solution, terms typed."""
    r = http.get("sparql", params={"query": SELECT}, headers={"Accept": SPARQL_JSON})
    body = r.json()
    assert body["head"]["vars"] == ["actor", "label", "n", "wd"]
    bindings = body["results"]["bindings"]
    assert len(bindings) == len(expected_select)
    iran = next(b for b in bindings if b["actor"]["value"] == IRAN)
    assert iran["actor"]["type"] == "uri"
    assert iran["label"] == {"type": "literal", "value": "Iran", "xml:lang": "en"}
    assert iran["n"]["value"] == "4" and iran["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert any("wd" not in b for b in bindings)  # unbound variables are left out


def test_select_xml_body(http, expected_select):
    """SPARQL XML: the results namespace, head variables in order, and the same solutions."""
    r = http.get("sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and ctype(r) == "application/sparql-results+xml"
    root = ET.fromstring(r.content)
    assert root.tag == f"{SR}sparql"
    assert [v.get("name") for v in root.find(f"{SR}head").findall(f"{SR}variable")] == ["actor", "label", "n", "wd"]
    assert len(root.find(f"{SR}results").findall(f"{SR}result")) == len(expected_select)
    assert {tuple(row) for row in Result.parse(io.BytesIO(r.content), format="xml")} == expected_select


def test_select_csv_body(http, expected_select):
    """CSV: a header of variable names, CRLF line ends, plain values, empty cells for unbound."""
    r = http.get("sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and ctype(r) == "text/csv"
    text = r.text
    assert text.startswith("actor,label,n,wd\r\n") and text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["actor", "label", "n", "wd"]
    expected = {tuple("" if t is None else str(t) for t in row) for row in expected_select}
    assert {tuple(row) for row in rows[1:]} == expected and len(rows) - 1 == len(expected_select)


def test_select_tsv_body(http, expected_select):
    """TSV: a header of ?names, IRIs in <>, literals quoted, and the same solutions."""
    r = http.get("sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200 and ctype(r) == "text/tab-separated-values"
    lines = r.text.rstrip("\r\n").split("\n")
    assert lines[0].rstrip("\r") == "?actor\t?label\t?n\t?wd"
    iran = next(line.rstrip("\r").split("\t") for line in lines[1:] if line.startswith(f"<{IRAN}>\t"))
    assert iran[1] == '"Iran"@en'
    assert {tuple(row) for row in Result.parse(io.BytesIO(r.content), format="tsv")} == expected_select


@pytest.mark.parametrize("fmt,media", [
    ("json", SPARQL_JSON), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_select_format_parameter(http, fmt, media):
    """The format parameter picks the result format (with a browser-like Accept: */*)."""
    r = http.get("sparql", params={"query": SELECT, "format": fmt}, headers={"Accept": "*/*"})
    assert r.status_code == 200 and ctype(r) == media


def test_accept_quality_values(http):
    """Accept is negotiated by q-values, and types the server lacks are skipped."""
    r = http.get("sparql", params={"query": SELECT},
                 headers={"Accept": "text/csv;q=0.2, application/x-unknown, text/tab-separated-values;q=0.9"})
    assert r.status_code == 200 and ctype(r) == "text/tab-separated-values"


@pytest.mark.parametrize("query,answer", [(ASK_TRUE, True), (ASK_FALSE, False)])
def test_ask_json_and_xml(http, query, answer):
    """ASK answers a boolean in SPARQL JSON and SPARQL XML."""
    r = http.get("sparql", params={"query": query})
    assert r.status_code == 200 and ctype(r) == SPARQL_JSON
    body = r.json()
    assert "head" in body and body["boolean"] is answer and "results" not in body
    r = http.get("sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and ctype(r) == "application/sparql-results+xml"
    assert ET.fromstring(r.content).find(f"{SR}boolean").text.strip() == str(answer).lower()


# ---- CONSTRUCT / DESCRIBE graph formats ----------------------------------------------------

@pytest.mark.parametrize("accept,fmt,media,parser", [
    (None, None, "text/turtle", "turtle"),
    ("text/turtle", None, "text/turtle", "turtle"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("*/*", "turtle", "text/turtle", "turtle"),
    ("*/*", "ntriples", "application/n-triples", "nt"),
    ("*/*", "jsonld", "application/ld+json", "json-ld"),
])
def test_construct_formats(http, expected_construct, accept, fmt, media, parser):
    """CONSTRUCT answers Turtle by default, N-Triples or JSON-LD on request, each parsing to the same triples."""
    r = get(http, {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}, accept)
    assert r.status_code == 200, r.text
    assert ctype(r) == media
    if parser == "nt":
        assert all(line.endswith(" .") for line in r.text.splitlines() if line.strip())
    g = Graph().parse(data=r.content, format=parser)
    assert set(g) == expected_construct


def test_describe(http):
    """DESCRIBE answers Turtle holding the resource's own triples."""
    r = http.get("sparql", params={"query": f"DESCRIBE <{IRAN}>"})
    assert r.status_code == 200 and ctype(r) == "text/turtle"
    g = Graph().parse(data=r.content, format="turtle")
    assert (URIRef(IRAN), SKOS.prefLabel, Literal("Iran", lang="en")) in g


@pytest.mark.parametrize("query,accept", [
    (SELECT, "text/turtle"),
    (SELECT, "image/png"),
    (ASK_TRUE, "application/n-triples"),
    (CONSTRUCT, SPARQL_JSON),
    (CONSTRUCT, "text/csv"),
])
def test_unsatisfiable_accept_is_406(http, query, accept):
    """An Accept the server cannot meet for the query form is 406."""
    r = http.get("sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406


# ---- errors and refusals -------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_syntax_error_is_400_with_message(http, method):
    """A malformed query is 400 with the parser's message as text/plain."""
    bad = "SELECT ?x WHERE { ?x ?y "
    r = (http.get("sparql", params={"query": bad}) if method == "GET"
         else http.post("sparql", data={"query": bad}))
    assert r.status_code == 400 and ctype(r) == "text/plain"
    assert r.text.strip() and "Traceback" not in r.text


@pytest.mark.parametrize("how", ["sparql-update", "form"])
def test_updates_are_403_and_change_nothing(http, how):
    """SPARQL Update is refused with 403 and the graph is unchanged."""
    before = http.get("health").json()["triples"]
    for update in (f"INSERT DATA {{ {NEW} }}", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL"):
        if how == "form":
            r = http.post("sparql", data={"update": update})
        else:
            r = http.post("sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
        assert r.status_code == 403, (update, r.status_code)
    assert ask(http, f"ASK {{ {NEW} }}") is False
    assert ask(http, ASK_TRUE) is True
    assert http.get("health").json()["triples"] == before


def test_update_sent_as_query_is_refused(http):
    """An update in the query parameter is not run (400 or 403)."""
    for r in (http.get("sparql", params={"query": f"INSERT DATA {{ {NEW} }}"}),
              http.post("sparql", data={"query": f"INSERT DATA {{ {NEW} }}"})):
        assert r.status_code in (400, 403)
    assert ask(http, f"ASK {{ {NEW} }}") is False


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { ?a ?b ?c OPTIONAL { service silent <http://127.0.0.1:9/sparql> { ?a ?p ?o } } } LIMIT 1",
])
def test_service_is_403_by_default(http, query):
    """Federated queries (SERVICE) are refused with 403 unless --allow-service."""
    assert http.get("sparql", params={"query": query}).status_code == 403
    r = http.post("sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 403


def test_the_word_service_in_a_literal_is_not_a_service_call(http):
    """Only a SERVICE clause is refused, not a query mentioning the word in a string."""
    r = http.get("sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) }'})
    assert r.status_code == 200, r.text
