"""RDF terms and quads between rdflib and Oxigraph, and the order ipkg writes quads in."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import Errors, IpkgError

__all__ = ["NQuads", "batches", "chunk_iris", "sorted_chunk", "ox_to_rdflib", "rdflib_to_ox", "dataset_quads", "quads_to_dataset", "union_graph"]

_XSD_STRING = str(XSD.string)


class _Memo(dict):  # type: ignore[type-arg]
    """``fn`` of a term, computed once per distinct term."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, term: Any) -> Any:
        value = self[term] = self.fn(term)
        return value


class NQuads:
    """A dataset as N-Quads text: per named graph, its distinct lines in sorted order, the graphs in
    the order of their names; with the IRIs it uses.

    Text takes about a third of the memory of as many :class:`pyoxigraph.Quad` objects (each holds
    its own copies of its terms), and Oxigraph parses it in bulk. Iterating gives the quads.

    Parameters
    ----------
    lines : mapping of str to iterable of str, or to bytes
        Graph term (``<iri>``) -> N-Quads lines of that graph (each ending ``" .\\n"``), or
        those lines already made a chunk by :func:`sorted_chunk`.
    iris : iterable of str
        The IRIs the lines use (their prefixes are chosen from these when writing TriG).

    Examples
    --------
    >>> nq = NQuads({"<urn:g>": ['<urn:s> <urn:p> "o" <urn:g> .\\n'] * 2}, ["urn:s", "urn:p", "urn:g"])
    >>> len(nq), [str(q) for q in nq]
    (1, ['<urn:s> <urn:p> "o" <urn:g>'])
    """

    def __init__(self, lines: Mapping[str, Iterable[str] | bytes], iris: Iterable[str], digests: Mapping[str, str] | None = None) -> None:
        self.graphs: dict[str, bytes | memoryview] = {g: lines[g] if isinstance(lines[g], (bytes, memoryview)) else sorted_chunk(lines[g]) for g in sorted(lines)}  # type: ignore[arg-type,misc]
        self.iris = frozenset(iris)
        self._digests: dict[str, str] = {g: d for g, d in (digests or {}).items() if g in self.graphs}
        self._all: dict[str, str] | None = None
        self._key: str | None = None

    def digest(self, name: str) -> str:
        """The SHA-256 (hex) of graph ``name``'s chunk: computed once, or given to the constructor
        by a caller that already knows it (a chunk reused from an earlier build).

        Examples
        --------
        >>> NQuads({"<urn:g>": []}, []).digest("<urn:g>")[:8]
        'e3b0c442'
        """
        d = self._digests.get(name)
        if d is None:
            d = self._digests[name] = hashlib.sha256(self.graphs[name]).hexdigest()
        return d

    @property
    def digests(self) -> dict[str, str]:
        """:meth:`digest` of every graph, in the graphs' order (a new dict each time, computed once)."""
        if self._all is None:
            self._all = {name: self.digest(name) for name in self.graphs}
        return dict(self._all)

    @property
    def digests_key(self) -> str:
        """One SHA-256 (hex) of :attr:`digests` (see :func:`ipkg.store.oxigraph.digests_key`), computed once."""
        if self._key is None:
            from ..store.oxigraph import digests_key

            self._key = digests_key(self.digests)
        return self._key

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> NQuads:
        """The text of Oxigraph ``quads`` (those of the default graph are left out)."""
        lines: dict[str, list[str]] = {}
        iris: set[str] = set()
        for q in quads:
            if not isinstance(q.graph_name, ox.DefaultGraph):
                lines.setdefault(str(q.graph_name), []).append(f"{q} .\n")
                iris.update(t.value for t in (q.subject, q.predicate, q.object, q.graph_name) if isinstance(t, ox.NamedNode))
        return cls(lines, iris)

    def union(self, size: int = 32 << 20) -> Iterator[bytes]:
        """The distinct triples of all the graphs as N-Triples text, in pieces of about ``size`` bytes
        (in no particular order): a triple that many graphs state is in it once.

        Examples
        --------
        >>> nq = NQuads({g: [f'<urn:s> <urn:p> "o" {g} .\\n'] for g in ("<urn:g>", "<urn:h>")}, [])
        >>> list(nq.union())
        [b'<urn:s> <urn:p> "o" .\\n']
        """
        distinct: set[bytes] = set()
        for name, chunk in self.graphs.items():
            # only a line's end is its graph's term and a newline: a literal holds no raw newline
            distinct.update(bytes(chunk).replace(f" {name} .\n".encode("utf-8"), b" .\n").split(b"\n"))
        distinct.discard(b"")
        lines = list(distinct)
        del distinct
        per = max(1, len(lines) * size // max(1, sum(map(len, lines))))
        for i in range(0, len(lines), per):
            yield b"\n".join(lines[i : i + per]) + b"\n"

    def __iter__(self) -> Iterator[ox.Quad]:
        for chunk in self.graphs.values():
            yield from ox.parse(bytes(chunk), format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return sum(bytes(chunk).count(b"\n") for chunk in self.graphs.values())


def batches(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """``chunks`` joined into pieces of about ``size`` bytes (a chunk is never split).

    Examples
    --------
    >>> list(batches([b"ab", b"c", b"de"], 3))
    [b'abc', b'de']
    """
    batch: list[bytes] = []
    n = 0
    for chunk in chunks:
        batch.append(chunk)
        n += len(chunk)
        if n >= size:
            yield b"".join(batch)
            batch, n = [], 0
    if batch:
        yield b"".join(batch)


_LINE_IRIS = re.compile(rb"^(?:<([^>]*)>|_:\S+) <([^>]*)> (?:<([^>]*)>)?", re.MULTILINE)


def chunk_iris(chunk: bytes) -> list[str]:
    """The IRIs a chunk's lines use as subject, predicate or object (not as datatype or graph), each once, in order.

    Examples
    --------
    >>> chunk_iris(b'<urn:s> <urn:p> "1"^^<urn:int> <urn:g> .\\n<urn:s> <urn:q> <urn:o> <urn:g> .\\n')
    ['urn:s', 'urn:p', 'urn:q', 'urn:o']
    """
    seen: dict[bytes, None] = {}
    for groups in _LINE_IRIS.findall(chunk):
        seen.update(dict.fromkeys(g for g in groups if g))
    return [iri.decode("utf-8") for iri in seen]


def sorted_chunk(lines: Iterable[str]) -> bytes:
    """N-Quads lines as one UTF-8 chunk, distinct and sorted.

    Examples
    --------
    >>> sorted_chunk(["<b> <p> <o> <g> .\\n", "<a> <p> <o> <g> .\\n", "<b> <p> <o> <g> .\\n"])
    b'<a> <p> <o> <g> .\\n<b> <p> <o> <g> .\\n'
    """
    return "".join(sorted(set(lines))).encode("utf-8")


def ox_to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Identifier:
    """An Oxigraph term as the rdflib term it stands for (``xsd:string`` literals become plain).

    Examples
    --------
    >>> ox_to_rdflib(ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise IpkgError(Errors.E009.format(reason=f"RDF-star term {term} is not supported"))


def rdflib_to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term.

    Examples
    --------
    >>> rdflib_to_ox(Literal("Tehran", lang="en"))
    <Literal value=Tehran language=en>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise IpkgError(Errors.E009.format(reason=f"cannot bind {term!r}"))


def dataset_quads(ds: Dataset) -> list[ox.Quad]:
    """The quads of ``ds`` as Oxigraph quads (in no particular order; :class:`NQuads` sorts them).

    A dataset made with ``default_union`` lists the triples of its named graphs once more as
    its default graph's; those are left out.

    Examples
    --------
    >>> from ipkg.kg import new_dataset
    >>> ds = new_dataset()
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal("o")))
    >>> [str(q) for q in dataset_quads(ds)]
    ['<urn:s> <urn:p> "o" <urn:g>']
    """
    conv = _Memo(rdflib_to_ox).__getitem__
    default = ds.default_graph.identifier
    quads: list[ox.Quad] = []
    for graph in ds.graphs():
        name = ox.DefaultGraph() if graph.identifier == default else conv(graph.identifier)
        quads.extend(ox.Quad(conv(s), conv(p), conv(o), name) for s, p, o in graph.triples((None, None, None)))
    return quads


def quads_to_dataset(quads: Iterable[ox.Quad], dataset: Dataset) -> Dataset:
    """Add Oxigraph ``quads`` to an rdflib ``dataset``; returns it.

    Examples
    --------
    >>> from ipkg.kg import new_dataset
    >>> q = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))
    >>> len(quads_to_dataset([q], new_dataset()))
    1
    """
    conv = _Memo(ox_to_rdflib).__getitem__
    graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, Graph] = {}
    for q in quads:
        g = graphs.get(q.graph_name)
        if g is None:
            g = graphs[q.graph_name] = dataset.default_graph if isinstance(q.graph_name, ox.DefaultGraph) else dataset.graph(conv(q.graph_name))
        g.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return dataset


def union_graph(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of the distinct triples of ``quads``, whatever their graphs.

    Examples
    --------
    >>> q = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))
    >>> len(union_graph([q, ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:h"))]))
    1
    """
    conv = _Memo(ox_to_rdflib).__getitem__
    g = Graph()
    for s, p, o in {ox.Triple(q.subject, q.predicate, q.object) for q in quads}:
        g.add((conv(s), conv(p), conv(o)))
    return g
