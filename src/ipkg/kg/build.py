"""Resolved facts -> an RDF dataset: one named graph per source document, plus the ontology."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..facts.model import Evidence
from ..facts.resolve import Resolved
from ..resources import load_event_kinds, ontology_dir
from .mint import ONTOLOGY_GRAPH, date_literal, document_iri, evidence_iri, graph_iri, node_iri
from .namespace import IPKG, IPKGID
from .quads import OxTerm, _Memo, quads_to_dataset, rdflib_to_ox, sort_quads

__all__ = ["facts_to_graph", "facts_to_quads", "ontology_quads", "new_dataset", "ONTOLOGY_FILES", "namespaces", "bind_namespaces"]

ONTOLOGY_FILES = ("ipkg.ttl", "events.ttl", "offices.ttl")


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    ds = Dataset(default_union=True)
    for prefix, ns in (("ipkg", IPKG._NS), ("id", IPKGID), ("skos", SKOS), ("dcterms", DCTERMS), ("xsd", XSD), ("rdfs", RDFS)):
        ds.bind(prefix, ns)
    ds.bind("actor", IPKGID["actor/"])
    ds.bind("event", IPKGID["event/"])
    ds.bind("graph", IPKGID["graph/"])
    return ds


class _Quads:
    """Quads under construction, with each term converted to Oxigraph's once."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.term = _Memo(rdflib_to_ox)
        self.iri = _Memo(ox.NamedNode)

    def add(self, g: ox.NamedNode, s: ox.NamedNode, p: URIRef, o: OxTerm) -> None:
        self.quads.append(ox.Quad(s, self.term[p], o, g))

    def evidence(self, g: ox.NamedNode, ev: Evidence) -> ox.NamedNode:
        node = self.term[evidence_iri(ev.doc_id, ev.start, ev.end)]
        self.add(g, node, RDF.type, self.term[IPKG.Evidence])
        self.add(g, node, IPKG.document, self.term[document_iri(ev.doc_id)])
        self.add(g, node, IPKG.sentence, ox.Literal(ev.sentence))
        self.add(g, node, IPKG.startOffset, ox.Literal(ev.start))
        self.add(g, node, IPKG.endOffset, ox.Literal(ev.end))
        return node


def ontology_quads() -> tuple[list[ox.Quad], dict[str, str]]:
    """The ontology files (``ONTOLOGY_FILES`` under :func:`ipkg.resources.ontology_dir`) as quads of ``id:graph/ontology``, and the prefixes they declare."""
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    base = ontology_dir()
    quads: list[ox.Quad] = []
    prefixes: dict[str, str] = {}
    for name in ONTOLOGY_FILES:
        if (base / name).is_file():
            parser = ox.parse(path=str(base / name), format=ox.RdfFormat.TURTLE)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in parser)
            prefixes.update(parser.prefixes)
    return quads, prefixes


def namespaces() -> dict[str, str]:
    """The prefixes ipkg writes graphs with: its own and those the ontology files declare.

    Examples
    --------
    >>> namespaces()["actor"]
    'https://w3id.org/ipkg/id/actor/'
    """
    ours = {prefix: str(ns) for prefix, ns in new_dataset().namespaces() if prefix}
    return {**ontology_quads()[1], **ours}


def facts_to_quads(resolved: Resolved) -> list[ox.Quad]:
    """Write resolved facts as RDF quads (Oxigraph terms), in :func:`ipkg.kg.quads.sort_quads` order.

    Parameters
    ----------
    resolved : Resolved
        The output of :func:`ipkg.facts.resolve`.

    Returns
    -------
    list of pyoxigraph.Quad
        Graph ``id:graph/ontology`` with the ontology, event types and offices, and one named
        graph per document with the facts it supports and their evidence.

    Examples
    --------
    >>> from ipkg.facts import resolve
    >>> {str(q.graph_name) for q in facts_to_quads(resolve([]))}
    {'<https://w3id.org/ipkg/id/graph/ontology>'}
    """
    out = _Quads()
    out.quads.extend(ontology_quads()[0])
    term, iri, add = out.term, out.iri, out.add
    kinds = load_event_kinds()
    graphs = {d.doc_id: term[graph_iri(d.doc_id)] for d in resolved.documents}

    for d in resolved.documents:
        g = graphs[d.doc_id]
        doc = term[document_iri(d.doc_id)]
        add(g, doc, RDF.type, term[IPKG.Document])
        add(g, doc, DCTERMS.identifier, ox.Literal(d.doc_id))
        add(g, doc, RDFS.label, ox.Literal(d.title or d.doc_id))
        if d.title:
            add(g, doc, DCTERMS.title, ox.Literal(d.title))
        if d.url:
            add(g, doc, DCTERMS.source, ox.Literal(d.url))
        if d.kind:
            add(g, doc, IPKG.genre, ox.Literal(d.kind))
        if d.published:
            add(g, doc, DCTERMS.issued, term[date_literal(d.published)])
        for p in d.passages:
            node = term[IPKGID[f"passage/{graph_iri(d.doc_id).split('/')[-1]}/{p.start}-{p.end}"]]
            add(g, doc, IPKG.passage, node)
            add(g, node, RDF.type, term[IPKG.Passage])
            add(g, node, IPKG.reason, ox.Literal(p.reason.split(":")[0]))
            if p.reason.startswith("lang:"):
                add(g, node, DCTERMS.language, ox.Literal(p.reason.split(":", 1)[1]))
            add(g, node, IPKG.startOffset, ox.Literal(p.start))
            add(g, node, IPKG.endOffset, ox.Literal(p.end))
            add(g, node, IPKG.text, ox.Literal(p.text))

    for key, actor in resolved.actors.items():
        node = iri[key]
        for doc_id in sorted(resolved.actor_docs.get(key, ())):
            g = graphs[doc_id]
            add(g, node, RDF.type, term[IPKG[actor.type]])
            add(g, node, SKOS.prefLabel, ox.Literal(actor.label, language="en"))
            if actor.wikidata:
                add(g, node, SKOS.exactMatch, iri[actor.wikidata])
            for surface in sorted(actor.aliases.get(doc_id, ())):
                add(g, node, SKOS.altLabel, ox.Literal(surface, language="en"))

    for ev in resolved.events:
        node = iri[ev.iri]
        kind = kinds[ev.kind]
        names = lambda iris: ", ".join(resolved.actors[i].label for i in iris)  # noqa: E731
        label = ox.Literal(f"{kind.label}: {names(ev.actors)} → {names(ev.targets)}" + (f" ({ev.date})" if ev.date else ""))
        for m in ev.mentions:
            g = graphs[m.evidence.doc_id]
            add(g, node, RDF.type, term[IPKG.Event])
            add(g, node, RDFS.label, label)
            add(g, node, IPKG.kind, iri[kind.iri])
            add(g, node, IPKG.eventType, iri[kind.cameo_iri])
            for a in ev.actors:
                add(g, node, IPKG.actor, iri[a])
            for t in ev.targets:
                add(g, node, IPKG.target, iri[t])
            if ev.place:
                add(g, node, IPKG.place, iri[ev.place])
            if ev.date:
                add(g, node, IPKG.date, term[date_literal(ev.date)])
            if ev.end_date:
                add(g, node, IPKG.endDate, term[date_literal(ev.end_date)])
            if ev.casualties is not None:
                add(g, node, IPKG.casualties, ox.Literal(ev.casualties))
            if ev.denies:
                add(g, node, IPKG.denies, iri[ev.denies])
            add(g, node, IPKG.evidence, out.evidence(g, m.evidence))

    for person, pos in resolved.positions:
        org = pos.org.key if pos.org else ""
        node = term[node_iri("position", person, pos.office, org)]
        g = graphs[pos.evidence.doc_id]
        add(g, node, RDF.type, term[IPKG.Position])
        add(g, node, IPKG.holder, iri[person])
        add(g, node, IPKG.office, iri[pos.office])
        add(g, node, RDFS.label, ox.Literal(f"{resolved.actors[person].label}, {pos.office_label}" + (f" of {pos.org.label}" if pos.org else "")))
        if pos.org:
            add(g, node, IPKG.organization, iri[pos.org.key])
        add(g, node, IPKG.status, ox.Literal(pos.status))
        if pos.date:
            add(g, node, IPKG.date, term[date_literal(pos.date)])
        add(g, node, IPKG.evidence, out.evidence(g, pos.evidence))

    for speaker, q in resolved.quotes:
        node = term[node_iri("quote", speaker, " ".join(q.text.split()))]
        g = graphs[q.evidence.doc_id]
        add(g, node, RDF.type, term[IPKG.Quote])
        add(g, node, IPKG.speaker, iri[speaker])
        add(g, node, IPKG.text, ox.Literal(q.text))
        add(g, node, IPKG.startOffset, ox.Literal(q.start))
        add(g, node, IPKG.endOffset, ox.Literal(q.end))
        if q.date:
            add(g, node, IPKG.date, term[date_literal(q.date)])
        add(g, node, IPKG.evidence, out.evidence(g, q.evidence))

    for f in resolved.figures:
        node = term[node_iri("figure", f.label, repr(f.value), f.unit, f.date)]
        g = graphs[f.evidence.doc_id]
        add(g, node, RDF.type, term[IPKG.Figure])
        add(g, node, RDFS.label, ox.Literal(f.label))
        add(g, node, IPKG.value, term[Literal(Decimal(repr(f.value)).normalize(), datatype=XSD.decimal)])
        add(g, node, IPKG.unit, ox.Literal(f.unit))
        if f.date:
            add(g, node, IPKG.date, term[date_literal(f.date)])
        add(g, node, IPKG.evidence, out.evidence(g, f.evidence))
    return sort_quads(out.quads)


def facts_to_graph(resolved: Resolved, dataset: Dataset | None = None) -> Dataset:
    """Write resolved facts as an rdflib dataset: the quads of :func:`facts_to_quads`.

    Parameters
    ----------
    resolved : Resolved
        The output of :func:`ipkg.facts.resolve`.
    dataset : rdflib.Dataset, optional
        A dataset to add to; a new one by default.

    Returns
    -------
    rdflib.Dataset
        Named graph ``id:graph/ontology`` with the ontology, event types and offices, and one
        named graph per document with the facts it supports and their evidence.

    Examples
    --------
    >>> from ipkg.facts import resolve
    >>> ds = facts_to_graph(resolve([]))
    >>> len(list(ds.graphs())) >= 1
    True
    """
    ds = bind_namespaces(dataset if dataset is not None else new_dataset())
    return quads_to_dataset(facts_to_quads(resolved), ds)


def bind_namespaces(ds: Dataset) -> Dataset:
    """Bind those of :func:`namespaces` that ``ds`` has no prefix for yet; returns ``ds``."""
    bound = {str(ns) for _, ns in ds.namespaces()}
    for prefix, ns in namespaces().items():
        if ns not in bound:
            ds.bind(prefix, ns)
    return ds
