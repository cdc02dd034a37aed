"""Deterministic IRIs for everything ipkg mints, so a rebuild gives the same graph."""

from __future__ import annotations

import hashlib

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..facts.resolve import slugify
from .namespace import IPKGID

__all__ = ["graph_iri", "graph_text", "document_iri", "evidence_iri", "node_iri", "date_literal", "ONTOLOGY_GRAPH", "ACTORS_GRAPH", "RESERVED_GRAPHS"]

ONTOLOGY_GRAPH = IPKGID["graph/ontology"]
#: The graph of what ipkg holds of each actor whatever the document: its type, preferred label and
#: Wikidata ID (a document's graph says which names it used).
ACTORS_GRAPH = IPKGID["graph/actors"]
#: Named graphs that are not a document's, by the slug a document's id would need to take them
#: (:func:`ipkg.ingest.iter_records` renames such a document).
RESERVED_GRAPHS = {g.rsplit("/", 1)[1]: g for g in (ONTOLOGY_GRAPH, ACTORS_GRAPH)}
_GRAPHS = str(IPKGID) + "graph/"


def graph_iri(doc_id: str) -> URIRef:
    """The named graph of one document.

    Raises
    ------
    ValueError
        If that is the IRI of a graph that is not a document's (``RESERVED_GRAPHS``).

    Examples
    --------
    >>> str(graph_iri("003_837904dac7d69cd7"))
    'https://w3id.org/ipkg/id/graph/003-837904dac7d69cd7'
    """
    return URIRef(graph_text(doc_id))


def graph_text(doc_id: str) -> str:
    """:func:`graph_iri` as a string, without the term (a build names 10^4 graphs at a time).

    Examples
    --------
    >>> graph_text("003_837904dac7d69cd7") == str(graph_iri("003_837904dac7d69cd7"))
    True
    """
    slug = slugify(doc_id)
    if slug in RESERVED_GRAPHS:
        raise ValueError(f"document id {doc_id!r} would name the graph {RESERVED_GRAPHS[slug]}")
    return _GRAPHS + slug


def document_iri(doc_id: str) -> URIRef:
    return IPKGID["document/" + slugify(doc_id)]


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return IPKGID[f"evidence/{slugify(doc_id)}/{start}-{end}"]


def node_iri(kind: str, *parts: object) -> URIRef:
    """An IRI under ``kind/`` from a digest of ``parts``."""
    return IPKGID[f"{kind}/" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]]


def date_literal(iso: str) -> Literal:
    """An ISO date at its own precision: xsd:date, xsd:gYearMonth or xsd:gYear.

    Examples
    --------
    >>> date_literal("2025-08").datatype == XSD.gYearMonth
    True
    """
    dtype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(iso)]
    return Literal(iso, datatype=dtype)
