"""Shared fixtures: the real pipeline, and one build of the seeds for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from ipkg.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def annotate(nlp):
    from ipkg.ingest import TextRecord
    from ipkg.nlp import record_to_doc

    def _annotate(text: str, published=None, doc_id: str = "t"):
        rec = TextRecord(doc_id, f"{doc_id}.txt", text, published=published)
        return nlp(record_to_doc(nlp, rec))

    return _annotate


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """``ipkg build seeds`` once: (summary, output folder)."""
    from ipkg.workflow import build

    out = tmp_path_factory.mktemp("out")
    return build([SEEDS], out), out


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    from ipkg.kg.io import load_graph

    return load_graph(seed_build[1])


@pytest.fixture(scope="session")
def q(seed_graph):
    from ipkg.query.sparql import run_query

    def _q(name: str, **bindings):
        return run_query(seed_graph, name, **bindings).rows

    return _q


def answers(rows):
    """Rows as a comparable multiset: GROUP_CONCAT parts (" | ") as sets, numbers by value.

    SPARQL leaves the order of GROUP_CONCAT and of tied rows open, and stores write a decimal's
    lexical form differently ("-2.0" in rdflib, "-2" in Oxigraph), so answers are compared as values.
    """
    import re
    from decimal import Decimal

    def value(text):
        return str(Decimal(text).normalize()) if re.fullmatch(r"[+-]?\d+(\.\d+)?", text) else text

    def cell(text):
        return " | ".join(sorted(value(part) for part in text.split(" | ")))

    return sorted(tuple(sorted((k, cell(v)) for k, v in row.items())) for row in rows)
