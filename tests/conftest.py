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



def answers(rows, nm=None):
    """Rows as a multiset that compares across stores, servers and clients.

    ``rows`` are mappings of variable -> value, where a value is a SPARQL JSON term (a dict), an
    rdflib term, a string already rendered by ``run_query``, or None. IRIs become ``n3(nm)``
    (``event:abc``), other terms their lexical form. SPARQL leaves the order of GROUP_CONCAT open,
    so values joined with " | " become sets of parts; stores write a decimal's lexical form
    differently ("-2.0" in rdflib, "-2" in Oxigraph and Virtuoso), so numbers compare by value.
    Unbound and empty values are dropped, and so are rows left empty (``run_query`` skips them).
    """
    import re
    from collections import Counter
    from decimal import Decimal

    from rdflib import BNode, Literal, URIRef

    if nm is None:
        from ipkg.kg import new_dataset

        nm = new_dataset().namespace_manager
    out = Counter()
    for row in rows:
        vals = {}
        for var, v in row.items():
            if isinstance(v, dict):
                kind = v["type"]
                v = URIRef(v["value"]) if kind == "uri" else BNode(v["value"]) if kind == "bnode" else Literal(v["value"], lang=v.get("xml:lang"), datatype=v.get("datatype"))
            text = "" if v is None else v.n3(nm) if isinstance(v, URIRef) else str(v)
            if not text:
                continue
            if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
                vals[str(var)] = Decimal(text)
            else:
                vals[str(var)] = frozenset(text.split(" | ")) if " | " in text else text
        if vals:
            out[tuple(sorted(vals.items()))] += 1
    return out


ACTOR_BASE = "https://w3id.org/ipkg/id/actor/"


def plan_doc(doc_id, plan, sentence="{doc_id} says {kind} {i}."):
    """A document's facts: ``plan`` is [(kind, actor slugs, target slugs, date)]; each event's
    evidence sentence is ``sentence`` formatted with ``doc_id``, ``kind`` and its index ``i``."""
    from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence

    def ref(slug):
        return ActorRef(ACTOR_BASE + slug, slug.title(), "State", slug.title())

    events = [
        EventFact(kind, tuple(map(ref, actors)), tuple(map(ref, targets)), Evidence(doc_id, sentence.format(doc_id=doc_id, kind=kind, i=i), 100 * i, 100 * i + 20), date=date)
        for i, (kind, actors, targets, date) in enumerate(plan)
    ]
    actors = sorted({a for _, xs, ys, _ in plan for a in (*xs, *ys)})
    return DocumentFacts(doc_id, f"{doc_id}.txt", title=doc_id, actors=[ref(a) for a in actors], events=events)


def change_plans(docs, changes):
    """Apply ``changes`` to ``docs`` (both id -> plan, see :func:`plan_doc`): a plan of None removes the document."""
    for doc_id, plan in changes.items():
        if plan is None:
            del docs[doc_id]
        else:
            docs[doc_id] = plan


def write_plans(folder, docs, sentence="{doc_id} says {kind} {i}."):
    """Patch the store in ``folder`` to hold the documents ``docs`` (id -> plan, see :func:`plan_doc`)."""
    from ipkg.facts import resolve
    from ipkg.kg.build import facts_to_nquads
    from ipkg.store import update_store

    update_store(facts_to_nquads(resolve([plan_doc(d, plan, sentence) for d, plan in sorted(docs.items())])), folder)
