"""Every bundled query answers over HTTP exactly what ipkg's Python API answers."""

from __future__ import annotations

import pytest

from ipkg.query.sparql import list_queries, load_query

from conftest import answers
from .conftest import SPARQL_JSON


@pytest.mark.parametrize("name", sorted(list_queries()))
def test_bundled_query_over_http_equals_run_query(http, seed_graph, api_rows, name):
    """The SPARQL JSON rows of a bundled query equal run_query's rows (as multisets)."""
    r = http.post("sparql", data={"query": load_query(name)[1]}, headers={"Accept": SPARQL_JSON})
    assert r.status_code == 200, r.text
    body = r.json()
    nm = seed_graph.namespace_manager
    assert answers(body["results"]["bindings"], nm) == answers(api_rows(name), nm)


def test_parity_is_not_vacuous(api_rows):
    """The seeds give rows for the bundled queries, so the comparison above means something."""
    assert sum(bool(api_rows(name)) for name in list_queries()) >= len(list_queries()) - 1
