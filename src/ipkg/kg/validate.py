"""SHACL validation of a build against ``ontology/shapes.ttl``.

The shapes are compiled to SPARQL queries (:mod:`ipkg.kg.shacl`) and run on an Oxigraph store
whose default graph is the data graph: the build's store as it is on disk, or a store made in
memory from an rdflib dataset or quads. Shapes the compiler does not handle are validated with
pySHACL instead, which can also be asked for (``engine="pyshacl"``) as the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Identifier, Node

from ..resources import ontology_dir
from .quads import NQuads, _Memo, ox_to_rdflib, rdflib_to_ox, union_graph
from .shacl import Check, Unsupported, compile_shapes, path_text

if TYPE_CHECKING:
    from ..store.oxigraph import OxigraphStore

__all__ = ["ValidationResult", "Violation", "validate"]

Engine = TypingLiteral["sparql", "pyshacl"]
Data: TypeAlias = "Dataset | Graph | Sequence[ox.Quad] | NQuads | OxigraphStore | ox.Store"


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Attributes
    ----------
    shape : str
        The source shape: its name, or for a blank-node property shape, its node shape's name and its path.
    focus : rdflib.term.Identifier
        The focus node.
    path : str or None
        The result path as a SPARQL property path (None for a node shape).
    component : str
        The constraint component without its namespace, e.g. ``MinCountConstraintComponent``.
    value : rdflib.term.Identifier or None
        The value node the result is about (None for counts and ``sh:hasValue``).
    message : str
        The shape's ``sh:message`` (several joined by " / "), or a generated one.
    severity : str
        ``Violation``, ``Warning`` or ``Info``.
    """

    shape: str
    focus: Identifier
    path: str | None
    component: str
    value: Identifier | None
    message: str
    severity: str

    def line(self, short: Graph) -> str:
        """The violation as one line of a report (IRIs with ``short``'s prefixes)."""
        nm = short.namespace_manager
        parts = [f"{self.severity}: {self.shape}", f"focus {self.focus.n3(nm)}"]
        if self.path is not None:
            parts.append(f"path {self.path}")
        if self.value is not None:
            parts.append(f"value {self.value.n3(nm)}")
        parts.append(self.component.removesuffix("ConstraintComponent"))
        return "  ".join(parts) + f": {self.message}"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    conforms : bool
        No result of severity ``sh:Violation`` (warnings and infos are allowed).
    violations : int
        The number of validation results (as pySHACL counts them).
    report : str
        A line per result, sorted, after a summary line.
    results : tuple of Violation
        The results, in the order of ``report``.
    engine : str
        ``"sparql"`` (compiled shapes on Oxigraph) or ``"pyshacl"``.
    revalidated : int or None
        When the results were brought up to date from a cache (:mod:`ipkg.kg.shaclcache`): how many
        focus nodes were validated again (summed over the checks); None when validated whole.
    """

    conforms: bool
    violations: int
    report: str
    results: tuple[Violation, ...] = ()
    engine: str = "sparql"
    revalidated: int | None = None


def validate(
    data: Data,
    *,
    engine: Engine = "sparql",
    shapes: Graph | str | Path | None = None,
    union: bool = False,
) -> ValidationResult:
    """Validate the union of all graphs of ``data`` against the SHACL shapes.

    Parameters
    ----------
    data : Dataset, Graph, sequence of pyoxigraph.Quad, NQuads, OxigraphStore or pyoxigraph.Store
        The data. Datasets and quads are validated as the union of their graphs. A store is
        validated in place (it may be opened read-only) through its default graph, which
        ipkg's stores keep as the union of their named graphs; pass ``union=True`` for a store
        that does not.
    engine : {"sparql", "pyshacl"}
        ``"sparql"`` runs the compiled shapes on Oxigraph (falling back to pySHACL when the
        shapes use something :mod:`ipkg.kg.shacl` does not compile); ``"pyshacl"`` copies the
        data into rdflib and runs pySHACL.
    shapes : Graph, str or Path, optional
        The shapes graph or a Turtle file of it; by default ``ontology/shapes.ttl``.
    union : bool
        For a store: validate the union of its named graphs instead of its default graph.

    Returns
    -------
    ValidationResult

    Examples
    --------
    >>> from ipkg.kg.build import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> validate(facts_to_graph(resolve([]))).conforms
    True
    >>> from ipkg.store import OxigraphStore
    >>> store = OxigraphStore()
    >>> store.load_quads([ox.Quad(ox.NamedNode("urn:e"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    ...                           ox.NamedNode("https://w3id.org/ipkg/ontology#Figure"), ox.NamedNode("urn:g"))])
    >>> result = validate(store)
    >>> result.violations, result.results[0].path, result.results[0].component
    (3, 'ipkg:evidence', 'MinCountConstraintComponent')
    """
    if engine not in ("sparql", "pyshacl"):
        raise ValueError(f"unknown SHACL engine {engine!r}: use 'sparql' or 'pyshacl'")
    sg = _shapes_graph(shapes)
    labels = _shape_labels(sg)
    if engine == "pyshacl":
        return _pyshacl(_rdflib_graph(data, union), sg, labels, "")
    try:
        checks = compile_shapes(sg)
    except Unsupported as exc:
        return _pyshacl(_rdflib_graph(data, union), sg, labels, f"; not compiled: {exc}")
    store = _store_of(data)
    as_union = union and store is not None
    if store is None:
        store = _oxigraph(data)
    convert = _Memo(ox_to_rdflib).__getitem__
    results: list[Violation] = []
    for check in checks:
        shape, path, component, message, severity = _describe(check, sg, labels)
        for row in cast(ox.QuerySolutions, store.query(check.query, use_default_graph_as_union=as_union)):
            value = convert(row["value"]) if check.values else None
            results.append(Violation(shape, convert(row["this"]), path, component, value, message, severity))
    return _result(results, sg, "sparql", "")


def _describe(check: Check, sg: Graph, labels: dict[Node, str]) -> tuple[str, str | None, str, str, str]:
    """The (shape, path, component, message, severity) of every result of ``check``."""
    path = path_text(sg, check.path) if check.path is not None else None
    message = _message(check.messages) or check.default_message
    return labels.get(check.shape, check.shape.n3()), path, _local(check.component), message, _local(check.severity)


def _shapes_graph(shapes: Graph | str | Path | None) -> Graph:
    """The shapes graph: ``shapes``, the Turtle file ``shapes``, or ``ontology/shapes.ttl``."""
    return shapes if isinstance(shapes, Graph) else Graph().parse(shapes or ontology_dir() / "shapes.ttl", format="turtle")


def _store_of(data: Data) -> ox.Store | None:
    """The Oxigraph store ``data`` is, if it is one."""
    from ..store.oxigraph import OxigraphStore

    if isinstance(data, OxigraphStore):
        return data.oxigraph
    return data if isinstance(data, ox.Store) else None


def _oxigraph(data: Data) -> ox.Store:
    """An Oxigraph store in memory of ``data``, laid out as ``ipkg build`` lays out its store."""
    from ..store.oxigraph import OxigraphStore

    store = OxigraphStore()
    if isinstance(data, Graph):
        conv = _Memo(rdflib_to_ox).__getitem__
        name = ox.NamedNode("urn:x-ipkg:data")
        graphs = data.graphs() if isinstance(data, Dataset) else [data]
        store.load_quads([ox.Quad(conv(s), conv(p), conv(o), name) for g in graphs for s, p, o in g])
    else:
        store.load_quads(cast("Sequence[ox.Quad] | NQuads", data))
    return store.oxigraph


def _rdflib_graph(data: Data, union: bool) -> Graph:
    """``data``'s data graph as an rdflib graph (for pySHACL)."""
    store = _store_of(data)
    if store is not None:
        return union_graph(store.quads_for_pattern(None, None, None, None if union else ox.DefaultGraph()))
    if isinstance(data, Dataset):
        g = Graph()
        for graph in data.graphs():
            for t in graph:
                g.add(t)
        return g
    if isinstance(data, Graph):
        return data
    return union_graph(cast(Iterable[ox.Quad], data))


def _pyshacl(data: Graph, sg: Graph, labels: dict[Node, str], why: str) -> ValidationResult:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=sg, inference="none", allow_warnings=True)
    results = []
    paths = _with_prefixes(report, sg)
    for r in report.subjects(SH.resultSeverity, None):
        path_node = report.value(r, SH.resultPath)
        shape = report.value(r, SH.sourceShape)
        results.append(Violation(
            labels.get(shape, shape.n3(sg.namespace_manager)) if shape is not None else "",
            report.value(r, SH.focusNode),
            path_text(paths, path_node) if path_node is not None else None,
            _local(report.value(r, SH.sourceConstraintComponent)),
            report.value(r, SH.value),
            _message(m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal)),
            _local(report.value(r, SH.resultSeverity)),
        ))
    return _result(results, sg, "pyshacl", why)


def _with_prefixes(g: Graph, sg: Graph) -> Graph:
    for prefix, ns in sg.namespace_manager.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _result(results: list[Violation], sg: Graph, engine: str, why: str) -> ValidationResult:
    results.sort(key=lambda v: (v.shape, v.focus.n3(), v.path or "", v.component, v.value.n3() if v.value is not None else ""))
    conforms = not any(v.severity == "Violation" for v in results)
    head = f"SHACL ({engine}{why}): " + ("conforms" if conforms else "does not conform") + f", {len(results)} result" + ("" if len(results) == 1 else "s")
    report = "\n".join([head, *(v.line(sg) for v in results)]) + "\n"
    return ValidationResult(conforms, len(results), report, tuple(results), engine)


def _shape_labels(sg: Graph) -> dict[Node, str]:
    """A readable name per shape: its prefixed IRI, or for a blank node, its parent's name and its path."""
    nm = sg.namespace_manager
    labels: dict[Node, str] = {}

    def label(node: Node, seen: frozenset[Node] = frozenset()) -> str:
        if node in labels:
            return labels[node]
        if isinstance(node, URIRef):
            name = node.n3(nm)
        else:
            parent = sg.value(None, SH.property, node)
            path = sg.value(node, SH.path)
            name = node.n3()
            if parent is not None and path is not None and parent not in seen:
                try:
                    name = f"{label(parent, seen | {node})}/{path_text(sg, path)}"
                except Unsupported:
                    pass
        labels[node] = name
        return name

    for node in {*sg.subjects(SH.property, None), *sg.objects(None, SH.property), *sg.subjects(SH.path, None)}:
        label(node)
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        for node in sg.subjects(p, None):
            label(node)
    return labels


def _local(term: Node | None) -> str:
    return str(term).removeprefix(str(SH)) if term is not None else ""


def _message(messages: Iterable[Literal]) -> str:
    return " / ".join(sorted(str(m) for m in messages))
