"""Resolved facts -> an RDF dataset: one named graph per source document, plus the ontology."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Identifier
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..facts.model import DocumentFacts, Evidence, FigureFact, PositionFact, QuoteFact
from ..facts.resolve import Resolved, ResolvedActor, ResolvedEvent
from ..resources import load_event_kinds, ontology_dir
from .chunks import Chunk, GraphChunks
from .mint import ACTORS_GRAPH, ONTOLOGY_GRAPH, date_literal, document_iri, evidence_iri, graph_iri, graph_text, node_iri
from .namespace import IPKG, IPKGID
from .quads import NQuads, _Memo, quads_to_dataset, rdflib_to_ox, sorted_chunk

__all__ = ["facts_to_graph", "facts_to_nquads", "ontology_quads", "new_dataset", "ONTOLOGY_FILES", "namespaces", "bind_namespaces"]

ONTOLOGY_FILES = ("ipkg.ttl", "events.ttl", "offices.ttl")


class _Terms:
    """A namespace's terms, each looked up once (rdflib looks a namespace attribute up anew on
    every access, which was a sixth of the time of writing a large graph)."""

    def __init__(self, ns: Any) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._ns, name)
        setattr(self, name, term)
        return term  # type: ignore[no-any-return]


_IPKG, _RDF, _RDFS, _SKOS, _DCTERMS = (_Terms(ns) for ns in (IPKG, RDF, RDFS, SKOS, DCTERMS))


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    ds = Dataset(default_union=True)
    for prefix, ns in (("ipkg", IPKG._NS), ("id", IPKGID), ("skos", SKOS), ("dcterms", DCTERMS), ("xsd", XSD), ("rdfs", RDFS)):
        ds.bind(prefix, ns)
    ds.bind("actor", IPKGID["actor/"])
    ds.bind("event", IPKGID["event/"])
    ds.bind("graph", IPKGID["graph/"])
    return ds


class _Lines:
    """N-Quads lines under construction, per graph; each term written once as N-Triples text by Oxigraph."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}
        self.chunks: dict[str, bytes] = {}
        self.iris: set[str] = set()
        self.term = _Memo(self._term)
        self.iri = _Memo(self._iri)
        self.date = _Memo(lambda iso: self.term[date_literal(iso)])
        self.evidence_node = _Memo(lambda key: self.node(evidence_iri(*key)))
        self.position_node = _Memo(lambda key: self.node(node_iri("position", *key)))

    def _iri(self, value: str) -> str:
        self.iris.add(value)
        return str(ox.NamedNode(value))

    def _term(self, term: Identifier) -> str:
        o = rdflib_to_ox(term)
        if isinstance(o, ox.NamedNode):
            self.iris.add(o.value)
        return str(o)

    def graph(self, iri: URIRef) -> str:
        name = self.iri[str(iri)]
        self.lines.setdefault(name, [])
        return name

    def finish(self, g: str) -> None:
        """Make graph ``g``'s lines a chunk (:func:`ipkg.kg.quads.sorted_chunk`) and let them go."""
        self.chunks[g] = sorted_chunk(self.lines.pop(g))

    def add(self, g: str, s: str, p: URIRef, o: str) -> None:
        self.lines[g].append(f"{s} {self.term[p]} {o} {g} .\n")

    def head(self, s: str, p: URIRef, o: str) -> str:
        """Subject, predicate and object of a line, for :meth:`put` in several graphs."""
        return f"{s} {self.term[p]} {o}"

    def put(self, g: str, heads: Iterable[str]) -> None:
        self.lines[g].extend([f"{h} {g} .\n" for h in heads])

    def node(self, iri: URIRef) -> str:
        return self.iri[str(iri)]

    def evidence(self, g: str, ev: Evidence) -> str:
        node = self.evidence_node[ev.doc_id, ev.start, ev.end]
        self.add(g, node, _RDF.type, self.term[_IPKG.Evidence])
        self.add(g, node, _IPKG.document, self.node(document_iri(ev.doc_id)))
        self.add(g, node, _IPKG.sentence, _literal(ev.sentence))
        self.add(g, node, _IPKG.startOffset, _literal(ev.start))
        self.add(g, node, _IPKG.endOffset, _literal(ev.end))
        return node


def _literal(value: str | int, language: str | None = None) -> str:
    """A literal as N-Triples text (a plain string, a language-tagged string or an xsd:integer).

    Examples
    --------
    >>> _literal(7), _literal("Tehran", "en")
    ('"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '"Tehran"@en')
    """
    if type(value) is int:
        return f'"{value}"{_INTEGER}'
    return str(ox.Literal(value, language=language) if language else ox.Literal(value))


_INTEGER = "^^" + str(ox.NamedNode(str(XSD.integer)))


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


def facts_to_nquads(
    resolved: Resolved,
    *,
    chunks: GraphChunks | None = None,
    keys: Mapping[str, str] | None = None,
    kept: Mapping[str, str] | None = None,
    signatures: dict[str, str] | None = None,
) -> NQuads:
    """Write resolved facts as RDF: N-Quads text per named graph (see :class:`ipkg.kg.quads.NQuads`).

    Parameters
    ----------
    resolved : Resolved
        The output of :func:`ipkg.facts.resolve`.
    chunks : GraphChunks, optional
        The graphs of an earlier build (:class:`ipkg.kg.chunks.GraphChunks`): a document's graph
        whose inputs are unchanged is taken from there instead of being written again, and those
        written are put there. Used with ``keys``.
    keys : mapping of str to str, optional
        Document id -> the key its facts are cached under (:func:`ipkg.facts.cache.record_key`),
        which names the facts; documents without one are always written.
    kept : mapping of str to str, optional
        Documents not in ``resolved`` whose graphs are taken from ``chunks`` as they are: id -> the
        signature they were stored under (see :class:`ipkg.facts.state.ResolutionState`).
    signatures : dict, optional
        Receives the signature of each document graph written (id -> signature).

    Raises
    ------
    KeyError
        If ``chunks`` has not the graph of a ``kept`` document under its signature.

    Returns
    -------
    NQuads
        Graph ``id:graph/ontology`` with the ontology, event types and offices; graph
        ``id:graph/actors`` with each actor's type, preferred label and Wikidata ID; and one named
        graph per document with the facts it supports, their evidence and the names it used.

    Examples
    --------
    >>> from ipkg.facts import resolve
    >>> list(facts_to_nquads(resolve([])).graphs)
    ['<https://w3id.org/ipkg/id/graph/ontology>']
    """
    out = _Lines()
    onto = out.graph(ONTOLOGY_GRAPH)
    for q in ontology_quads()[0]:
        out.lines[onto].append(f"{q} .\n")
        out.iris.update(t.value for t in (q.subject, q.predicate, q.object) if isinstance(t, ox.NamedNode))
    out.finish(onto)
    kinds = load_event_kinds()
    actors_of: dict[str, list[str]] = {}
    for key in resolved.actors:
        for doc_id in resolved.actor_docs.get(key, ()):
            actors_of.setdefault(doc_id, []).append(key)
    mentions_of: dict[str, list[tuple[ResolvedEvent, Any]]] = {}
    for ev in resolved.events:
        for m in ev.mentions:
            mentions_of.setdefault(m.evidence.doc_id, []).append((ev, m))
    positions_of: dict[str, list[tuple[str, PositionFact]]] = {}
    for person, pos in resolved.positions:
        positions_of.setdefault(pos.evidence.doc_id, []).append((person, pos))
    quotes_of: dict[str, list[tuple[str, QuoteFact]]] = {}
    for speaker, quote in resolved.quotes:
        quotes_of.setdefault(quote.evidence.doc_id, []).append((speaker, quote))
    figures_of: dict[str, list[FigureFact]] = {}
    for f in resolved.figures:
        figures_of.setdefault(f.evidence.doc_id, []).append(f)
    mentioned = sorted(resolved.actors)  # every actor is some document's (resolution registers them by document)
    if mentioned:
        g = out.graph(ACTORS_GRAPH)
        for key in mentioned:
            out.put(g, _actor_heads(out, key, resolved.actors[key]))
        out.finish(g)
    names = lambda iris: ", ".join(resolved.actors[i].label for i in iris)  # noqa: E731
    digests: dict[str, str] = {}
    tokens: dict[int, str] = {}
    event_heads: dict[int, tuple[str, ...]] = {}
    labels: dict[str, str] = {}

    reused: dict[str, Chunk] = {}
    for d in resolved.documents:
        mentions = mentions_of.get(d.doc_id, ())
        for ev, _ in mentions:
            if ev.iri not in labels:  # events that share an IRI share the first one's label
                labels[ev.iri] = _literal(f"{kinds[ev.kind].label}: {names(ev.actors)} → {names(ev.targets)}" + (f" ({ev.date})" if ev.date else ""))
        facts_key = keys.get(d.doc_id) if chunks is not None and keys is not None else None
        if facts_key is not None:
            for ev, _ in mentions:
                if id(ev) not in tokens:
                    tokens[id(ev)] = repr((ev.iri, labels[ev.iri], ev.kind, ev.actors, ev.targets, ev.place, ev.date, ev.end_date, ev.casualties, ev.denies))
            signature = _signature(facts_key, d.doc_id, resolved, actors_of.get(d.doc_id, ()), mentions, tokens, positions_of.get(d.doc_id, ()), quotes_of.get(d.doc_id, ()))
            name = str(ox.NamedNode(str(graph_iri(d.doc_id))))
            hit = chunks.get(name, signature)  # type: ignore[union-attr]
            if signatures is not None:
                signatures[d.doc_id] = signature
            if hit is not None:
                reused[name] = hit
                out.iris.add(str(graph_iri(d.doc_id)))
                continue
        g = out.graph(graph_iri(d.doc_id))
        _document(out, g, d)
        for key in actors_of.get(d.doc_id, ()):
            node = out.iri[key]
            for surface in resolved.actors[key].aliases.get(d.doc_id, ()):
                out.add(g, node, _SKOS.altLabel, _literal(surface, "en"))
        for ev, m in mentions:
            if id(ev) not in event_heads:
                event_heads[id(ev)] = _event_heads(out, ev, kinds[ev.kind], labels[ev.iri])
            out.put(g, event_heads[id(ev)])
            out.add(g, out.iri[ev.iri], _IPKG.evidence, out.evidence(g, m.evidence))
        for person, pos in positions_of.get(d.doc_id, ()):
            _position(out, g, person, resolved.actors[person].label, pos)
        for speaker, quote in quotes_of.get(d.doc_id, ()):
            _quote(out, g, speaker, quote)
        for f in figures_of.get(d.doc_id, ()):
            _figure(out, g, f)
        out.finish(g)
        if facts_key is not None:
            chunks.put(g, signature, out.chunks[g], digests.setdefault(g, hashlib.sha256(out.chunks[g]).hexdigest()))  # type: ignore[union-attr]
            if signatures is not None:
                signatures[d.doc_id] = signature
    if kept:
        if chunks is None:
            raise KeyError("no graphs kept")
        iris = {doc_id: graph_text(doc_id) for doc_id in kept}
        taken, witnesses = chunks.take({f"<{iris[doc_id]}>": signature for doc_id, signature in kept.items()})
        reused.update(taken)
        out.iris.update(iris.values())
        out.iris.update(witnesses)
    for name, hit in reused.items():
        out.chunks[name] = hit.data
        digests[name] = hit.digest
        out.iris.update(hit.witnesses)
    return NQuads(out.chunks, out.iris, digests)


def _signature(
    key: str,
    doc_id: str,
    resolved: Resolved,
    actors: Iterable[str],
    mentions: Iterable[tuple[ResolvedEvent, Any]],
    tokens: Mapping[int, str],
    positions: Iterable[tuple[str, PositionFact]],
    quotes: Iterable[tuple[str, QuoteFact]],
) -> str:
    """A digest of everything a document's graph is written from: its facts (``key``) and what
    resolution made of them (``tokens`` holds each event's, by ``id``)."""
    parts = [key, doc_id]
    for a in sorted(actors):
        names = resolved.actors[a].aliases.get(doc_id, ())
        parts += [a, *(names if len(names) < 2 else sorted(names)), "\x1e"]
    parts += [f"{tokens[id(ev)]}@{m.evidence.start}-{m.evidence.end}" for ev, m in mentions]
    parts += [f"{person}={resolved.actors[person].label}" for person, _ in positions]
    parts += [speaker for speaker, _ in quotes]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _document(out: _Lines, g: str, d: DocumentFacts) -> None:
    term, add = out.term, out.add
    doc = out.node(document_iri(d.doc_id))
    add(g, doc, _RDF.type, term[_IPKG.Document])
    add(g, doc, _DCTERMS.identifier, _literal(d.doc_id))
    add(g, doc, _RDFS.label, _literal(d.title or d.doc_id))
    if d.title:
        add(g, doc, _DCTERMS.title, _literal(d.title))
    if d.url:
        add(g, doc, _DCTERMS.source, _literal(d.url))
    if d.kind:
        add(g, doc, _IPKG.genre, _literal(d.kind))
    if d.published:
        add(g, doc, _DCTERMS.issued, term[date_literal(d.published)])
    for p in d.passages:
        node = out.node(IPKGID[f"passage/{graph_iri(d.doc_id).split('/')[-1]}/{p.start}-{p.end}"])
        add(g, doc, _IPKG.passage, node)
        add(g, node, _RDF.type, term[_IPKG.Passage])
        add(g, node, _IPKG.reason, _literal(p.reason.split(":")[0]))
        if p.reason.startswith("lang:"):
            add(g, node, _DCTERMS.language, _literal(p.reason.split(":", 1)[1]))
        add(g, node, _IPKG.startOffset, _literal(p.start))
        add(g, node, _IPKG.endOffset, _literal(p.end))
        add(g, node, _IPKG.text, _literal(p.text))


def _actor_heads(out: _Lines, key: str, actor: ResolvedActor) -> tuple[str, ...]:
    """What the actors' graph says of an actor (the names a document used are in that document's graph)."""
    node = out.iri[key]
    heads = [out.head(node, _RDF.type, out.term[IPKG[actor.type]]), out.head(node, _SKOS.prefLabel, _literal(actor.label, "en"))]
    if actor.wikidata:
        heads.append(out.head(node, _SKOS.exactMatch, out.iri[actor.wikidata]))
    return tuple(heads)


def _event_heads(out: _Lines, ev: ResolvedEvent, kind: Any, label: str) -> tuple[str, ...]:
    """What every graph with a mention of the event says of it (the evidence is each graph's own)."""
    iri, term, head = out.iri, out.term, out.head
    node = iri[ev.iri]
    heads = [
        head(node, _RDF.type, term[_IPKG.Event]),
        head(node, _RDFS.label, label),
        head(node, _IPKG.kind, iri[kind.iri]),
        head(node, _IPKG.eventType, iri[kind.cameo_iri]),
    ]
    heads += [head(node, _IPKG.actor, iri[a]) for a in ev.actors]
    heads += [head(node, _IPKG.target, iri[t]) for t in ev.targets]
    if ev.place:
        heads.append(head(node, _IPKG.place, iri[ev.place]))
    if ev.date:
        heads.append(head(node, _IPKG.date, out.date[ev.date]))
    if ev.end_date:
        heads.append(head(node, _IPKG.endDate, out.date[ev.end_date]))
    if ev.casualties is not None:
        heads.append(head(node, _IPKG.casualties, _literal(ev.casualties)))
    if ev.denies:
        heads.append(head(node, _IPKG.denies, iri[ev.denies]))
    return tuple(heads)


def _position(out: _Lines, g: str, person: str, person_label: str, pos: PositionFact) -> None:
    iri, add = out.iri, out.add
    node = out.position_node[person, pos.office, pos.org.key if pos.org else ""]
    add(g, node, _RDF.type, out.term[_IPKG.Position])
    add(g, node, _IPKG.holder, iri[person])
    add(g, node, _IPKG.office, iri[pos.office])
    add(g, node, _RDFS.label, _literal(f"{person_label}, {pos.office_label}" + (f" of {pos.org.label}" if pos.org else "")))
    if pos.org:
        add(g, node, _IPKG.organization, iri[pos.org.key])
    add(g, node, _IPKG.status, _literal(pos.status))
    if pos.date:
        add(g, node, _IPKG.date, out.date[pos.date])
    add(g, node, _IPKG.evidence, out.evidence(g, pos.evidence))


def _quote(out: _Lines, g: str, speaker: str, q: QuoteFact) -> None:
    add = out.add
    node = out.node(node_iri("quote", speaker, " ".join(q.text.split())))
    add(g, node, _RDF.type, out.term[_IPKG.Quote])
    add(g, node, _IPKG.speaker, out.iri[speaker])
    add(g, node, _IPKG.text, _literal(q.text))
    add(g, node, _IPKG.startOffset, _literal(q.start))
    add(g, node, _IPKG.endOffset, _literal(q.end))
    if q.date:
        add(g, node, _IPKG.date, out.date[q.date])
    add(g, node, _IPKG.evidence, out.evidence(g, q.evidence))


def decimal_lexical(value: float) -> str:
    """``value`` as an xsd:decimal in its canonical form of XSD 1.0: no exponent, and a decimal point
    even for a whole number, which is how Turtle writers abbreviate it (rdflib writes the literal
    "3"^^xsd:decimal as ``3.0``, which reads back as another literal).

    Examples
    --------
    >>> [decimal_lexical(v) for v in (0.0, 3.0, 3000000.0, 2.50, 1e-07)]
    ['0.0', '3.0', '3000000.0', '2.5', '0.0000001']
    """
    d = Decimal(repr(value)).normalize()
    return f"{d:f}.0" if d == d.to_integral_value() else f"{d:f}"


def _figure(out: _Lines, g: str, f: FigureFact) -> None:
    add = out.add
    node = out.node(node_iri("figure", f.label, repr(f.value), f.unit, f.date))
    add(g, node, _RDF.type, out.term[_IPKG.Figure])
    add(g, node, _RDFS.label, _literal(f.label))
    add(g, node, _IPKG.value, out.term[Literal(decimal_lexical(f.value), datatype=XSD.decimal)])
    add(g, node, _IPKG.unit, _literal(f.unit))
    if f.date:
        add(g, node, _IPKG.date, out.date[f.date])
    add(g, node, _IPKG.evidence, out.evidence(g, f.evidence))


def facts_to_graph(resolved: Resolved, dataset: Dataset | None = None) -> Dataset:
    """Write resolved facts as an rdflib dataset: the quads of :func:`facts_to_nquads`.

    Parameters
    ----------
    resolved : Resolved
        The output of :func:`ipkg.facts.resolve`.
    dataset : rdflib.Dataset, optional
        A dataset to add to; a new one by default.

    Returns
    -------
    rdflib.Dataset
        The graphs of :func:`facts_to_nquads`: ``id:graph/ontology``, ``id:graph/actors`` and one
        named graph per document with the facts it supports and their evidence.

    Examples
    --------
    >>> from ipkg.facts import resolve
    >>> ds = facts_to_graph(resolve([]))
    >>> len(list(ds.graphs())) >= 1
    True
    """
    ds = bind_namespaces(dataset if dataset is not None else new_dataset())
    return quads_to_dataset(facts_to_nquads(resolved), ds)


def bind_namespaces(ds: Dataset) -> Dataset:
    """Bind those of :func:`namespaces` that ``ds`` has no prefix for yet; returns ``ds``."""
    bound = {str(ns) for _, ns in ds.namespaces()}
    for prefix, ns in namespaces().items():
        if ns not in bound:
            ds.bind(prefix, ns)
    return ds
