"""SPARQL results and RDF as the media types a client asks for, with a row limit."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["SOLUTION_TYPES", "BOOLEAN_TYPES", "GRAPH_TYPES", "FORMAT_PARAM", "negotiate", "solutions_body", "boolean_body", "triples_body"]

T = TypeVar("T")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: Media types offered for SELECT results, the first being the default.
SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
]
BOOLEAN_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "application/json", "application/xml"]
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
#: The ``format`` request parameter, for clients that cannot set ``Accept``.
FORMAT_PARAM = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers most, or ``None`` if none is acceptable.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SOLUTION_TYPES)
    'application/sparql-results+xml'
    >>> negotiate(None, SOLUTION_TYPES)
    'application/sparql-results+json'
    >>> negotiate("text/*", ["text/turtle", "application/n-triples"])
    'text/turtle'
    >>> negotiate("image/png", SOLUTION_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, int] | None = None
    choice = None
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        if q <= 0:
            continue
        for rank, candidate in enumerate(offered):
            major = candidate.split("/")[0]
            specificity = 2 if media == candidate else 1 if media == f"{major}/*" else 0 if media == "*/*" else -1
            if specificity < 0:
                continue
            score = (q, specificity, -rank)
            if best is None or score > best:
                best, choice = score, candidate
    return choice


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if hasattr(term, "value") else str(term)


def _tsv(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return str(term).replace("\t", "\\t")


def _limited(items: Iterable[T], max_rows: int) -> tuple[list[T], bool]:
    out: list[T] = []
    for item in items:
        if len(out) == max_rows:
            return out, True
        out.append(item)
    return out, False


def solutions_body(solutions: ox.QuerySolutions, media: str, max_rows: int) -> tuple[bytes, bool]:
    """``solutions`` in ``media``, at most ``max_rows`` of them; also whether rows were cut.

    Examples
    --------
    >>> store = ox.Store()
    >>> body, cut = solutions_body(store.query("SELECT ?x { VALUES ?x { 1 2 } }"), "text/csv", 1)
    >>> body, cut
    (b'x\\r\\n1\\r\\n', True)
    """
    names = [v.value for v in solutions.variables]
    rows, cut = _limited(solutions, max_rows)
    values = [[row[name] for name in names] for row in rows]
    if media in ("application/sparql-results+json", "application/json"):
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in values]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8"), cut
    if media in ("application/sparql-results+xml", "application/xml"):
        parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_RESULTS_NS}"><head>']
        parts += [f"<variable name={quoteattr(n)}/>" for n in names]
        parts.append("</head><results>")
        for row in values:
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t is not None)
            parts.append(f"<result>{cells}</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8"), cut
    if media == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([["" if t is None else _plain(t) for t in row] for row in values])
        return buf.getvalue().encode("utf-8"), cut
    lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join("" if t is None else _tsv(t) for t in row) for row in values]
    return ("\n".join(lines) + "\n").encode("utf-8"), cut


def boolean_body(answer: bool, media: str) -> bytes:
    """An ASK answer in SPARQL JSON or XML.

    Examples
    --------
    >>> boolean_body(True, "application/sparql-results+json")
    b'{"head": {}, "boolean": true}'
    """
    if media in ("application/sparql-results+xml", "application/xml"):
        value = "true" if answer else "false"
        return f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_RESULTS_NS}"><head/><boolean>{value}</boolean></sparql>\n'.encode("utf-8")
    return json.dumps({"head": {}, "boolean": bool(answer)}).encode("utf-8")


def triples_body(triples: Iterator[ox.Triple], media: str, max_rows: int, prefixes: dict[str, str]) -> tuple[bytes, bool]:
    """CONSTRUCT or DESCRIBE triples in ``media``, at most ``max_rows`` of them.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))
    >>> triples_body(iter([t]), "application/n-triples", 10, {})
    (b'<urn:s> <urn:p> "o" .\\n', False)
    """
    kept, cut = _limited(triples, max_rows)
    fmt = GRAPH_TYPES[media]
    with_prefixes = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML)
    return ox.serialize(kept, format=fmt, prefixes=prefixes if with_prefixes else None) or b"", cut
