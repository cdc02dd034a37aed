"""Hostile requests to ``ipkg serve``: no file outside its pages, no data from elsewhere, bounded requests."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from .conftest import SPARQL_JSON


@pytest.mark.parametrize(
    "path",
    ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../../etc/passwd", "/query/../../graph.trig", "//etc/passwd", "/graph.trig", "/oxigraph/CURRENT"],
)
def test_hostile_no_path_reaches_a_file(server, path):
    """Only the fixed pages are served: no traversal, and not even the build's own files."""
    answer = _raw_get(server, path)
    status = answer.split(b"\r\n", 1)[0]
    assert b" 404 " in status or b" 400 " in status, status
    assert b"root:" not in answer and b"@prefix" not in answer


def test_hostile_from_a_file_reads_nothing(http):
    """FROM and GRAPH name graphs in the store; they never load a file or a URL."""
    q = "SELECT (COUNT(*) AS ?n) FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    r = http.post("sparql", data={"query": q}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_hostile_load_is_refused(http):
    r = http.post("sparql", content="LOAD <file:///etc/passwd>", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403


def test_hostile_oversized_body_is_refused(http):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2_000_000
    r = http.post("sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_hostile_oversized_url_is_refused(server, http):
    answer = _raw_get(server, "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%23" + "x" * 70_000)
    assert b" 414 " in answer.split(b"\r\n", 1)[0]
    assert http.get("health").status_code == 200


def _raw_get(server, path: str) -> bytes:
    """A GET sent over a plain socket, so no client library normalises or refuses the path."""
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer
