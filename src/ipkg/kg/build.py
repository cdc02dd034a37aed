"""Resolved facts -> an RDF dataset: one named graph per source document, plus the ontology."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..facts.model import Evidence
from ..facts.resolve import Resolved
from ..resources import load_event_kinds, ontology_dir
from .mint import ONTOLOGY_GRAPH, date_literal, document_iri, evidence_iri, graph_iri, node_iri
from .namespace import IPKG, IPKGID

__all__ = ["facts_to_graph", "new_dataset", "ONTOLOGY_FILES"]

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


def _evidence(g: Graph, ev: Evidence) -> URIRef:
    node = evidence_iri(ev.doc_id, ev.start, ev.end)
    g.add((node, RDF.type, IPKG.Evidence))
    g.add((node, IPKG.document, document_iri(ev.doc_id)))
    g.add((node, IPKG.sentence, Literal(ev.sentence)))
    g.add((node, IPKG.startOffset, Literal(ev.start)))
    g.add((node, IPKG.endOffset, Literal(ev.end)))
    return node


def facts_to_graph(resolved: Resolved, dataset: Dataset | None = None) -> Dataset:
    """Write resolved facts as RDF.

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
    ds = dataset if dataset is not None else new_dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    base = ontology_dir()
    for name in ONTOLOGY_FILES:
        if (base / name).is_file():
            onto.parse(base / name, format="turtle")
    kinds = load_event_kinds()
    graphs = {d.doc_id: ds.graph(graph_iri(d.doc_id)) for d in resolved.documents}

    for d in resolved.documents:
        g = graphs[d.doc_id]
        doc = document_iri(d.doc_id)
        g.add((doc, RDF.type, IPKG.Document))
        g.add((doc, DCTERMS.identifier, Literal(d.doc_id)))
        g.add((doc, RDFS.label, Literal(d.title or d.doc_id)))
        if d.title:
            g.add((doc, DCTERMS.title, Literal(d.title)))
        if d.url:
            g.add((doc, DCTERMS.source, Literal(d.url)))
        if d.kind:
            g.add((doc, IPKG.genre, Literal(d.kind)))
        if d.published:
            g.add((doc, DCTERMS.issued, date_literal(d.published)))
        for p in d.passages:
            node = IPKGID[f"passage/{graph_iri(d.doc_id).split('/')[-1]}/{p.start}-{p.end}"]
            g.add((doc, IPKG.passage, node))
            g.add((node, RDF.type, IPKG.Passage))
            g.add((node, IPKG.reason, Literal(p.reason.split(":")[0])))
            if p.reason.startswith("lang:"):
                g.add((node, DCTERMS.language, Literal(p.reason.split(":", 1)[1])))
            g.add((node, IPKG.startOffset, Literal(p.start)))
            g.add((node, IPKG.endOffset, Literal(p.end)))
            g.add((node, IPKG.text, Literal(p.text)))

    for iri, actor in resolved.actors.items():
        node = URIRef(iri)
        for doc_id in sorted(resolved.actor_docs.get(iri, ())):
            g = graphs[doc_id]
            g.add((node, RDF.type, IPKG[actor.type]))
            g.add((node, SKOS.prefLabel, Literal(actor.label, lang="en")))
            if actor.wikidata:
                g.add((node, SKOS.exactMatch, URIRef(actor.wikidata)))
            for surface in sorted(actor.aliases.get(doc_id, ())):
                g.add((node, SKOS.altLabel, Literal(surface, lang="en")))

    for ev in resolved.events:
        node = URIRef(ev.iri)
        kind = kinds[ev.kind]
        names = lambda iris: ", ".join(resolved.actors[i].label for i in iris)  # noqa: E731
        label = f"{kind.label}: {names(ev.actors)} → {names(ev.targets)}" + (f" ({ev.date})" if ev.date else "")
        for m in ev.mentions:
            g = graphs[m.evidence.doc_id]
            g.add((node, RDF.type, IPKG.Event))
            g.add((node, RDFS.label, Literal(label)))
            g.add((node, IPKG.kind, URIRef(kind.iri)))
            g.add((node, IPKG.eventType, URIRef(kind.cameo_iri)))
            for a in ev.actors:
                g.add((node, IPKG.actor, URIRef(a)))
            for t in ev.targets:
                g.add((node, IPKG.target, URIRef(t)))
            if ev.place:
                g.add((node, IPKG.place, URIRef(ev.place)))
            if ev.date:
                g.add((node, IPKG.date, date_literal(ev.date)))
            if ev.end_date:
                g.add((node, IPKG.endDate, date_literal(ev.end_date)))
            if ev.casualties is not None:
                g.add((node, IPKG.casualties, Literal(ev.casualties)))
            if ev.denies:
                g.add((node, IPKG.denies, URIRef(ev.denies)))
            g.add((node, IPKG.evidence, _evidence(g, m.evidence)))

    for person, p in resolved.positions:
        org = p.org.key if p.org else ""
        node = node_iri("position", person, p.office, org)
        g = graphs[p.evidence.doc_id]
        g.add((node, RDF.type, IPKG.Position))
        g.add((node, IPKG.holder, URIRef(person)))
        g.add((node, IPKG.office, URIRef(p.office)))
        g.add((node, RDFS.label, Literal(f"{resolved.actors[person].label}, {p.office_label}" + (f" of {p.org.label}" if p.org else ""))))
        if p.org:
            g.add((node, IPKG.organization, URIRef(p.org.key)))
        g.add((node, IPKG.status, Literal(p.status)))
        if p.date:
            g.add((node, IPKG.date, date_literal(p.date)))
        g.add((node, IPKG.evidence, _evidence(g, p.evidence)))

    for speaker, q in resolved.quotes:
        node = node_iri("quote", speaker, " ".join(q.text.split()))
        g = graphs[q.evidence.doc_id]
        g.add((node, RDF.type, IPKG.Quote))
        g.add((node, IPKG.speaker, URIRef(speaker)))
        g.add((node, IPKG.text, Literal(q.text)))
        g.add((node, IPKG.startOffset, Literal(q.start)))
        g.add((node, IPKG.endOffset, Literal(q.end)))
        if q.date:
            g.add((node, IPKG.date, date_literal(q.date)))
        g.add((node, IPKG.evidence, _evidence(g, q.evidence)))

    for f in resolved.figures:
        node = node_iri("figure", f.label, repr(f.value), f.unit, f.date)
        g = graphs[f.evidence.doc_id]
        g.add((node, RDF.type, IPKG.Figure))
        g.add((node, RDFS.label, Literal(f.label)))
        g.add((node, IPKG.value, Literal(Decimal(repr(f.value)).normalize(), datatype=XSD.decimal)))
        g.add((node, IPKG.unit, Literal(f.unit)))
        if f.date:
            g.add((node, IPKG.date, date_literal(f.date)))
        g.add((node, IPKG.evidence, _evidence(g, f.evidence)))
    return ds
