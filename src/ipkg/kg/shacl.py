"""SHACL Core shapes compiled to SPARQL SELECT queries that return the validation results.

:func:`compile_shapes` reads a shapes graph and turns every constraint of every shape that has a
target into one query. Run over the data graph (the default graph of the store), a query returns
one row per validation result: the focus node ``?this`` and, for constraints on value nodes, the
value ``?value``. The rest of the result (path, constraint component, message, severity, source
shape) is the same for every row of a query and is kept beside it in a :class:`Check`.

Compiled, following SHACL Core (https://www.w3.org/TR/shacl/):

- targets: ``sh:targetClass`` (instances via ``rdf:type/rdfs:subClassOf*`` in the data graph),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- paths: predicates, sequence, ``sh:alternativePath``, ``sh:inversePath``, ``sh:zeroOrMorePath``,
  ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- ``sh:property`` (in node and property shapes), ``sh:minCount``, ``sh:maxCount`` (distinct value
  nodes), ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, and
  ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone`` of shapes made of those value tests;
- ``sh:message``, ``sh:severity``, ``sh:deactivated``; ``sh:name`` and the like are ignored.

A literal matches ``sh:datatype`` when its datatype is that IRI and, for ``xsd:integer``,
``xsd:decimal``, ``xsd:float``, ``xsd:double``, ``xsd:boolean``, ``xsd:dateTime``, ``xsd:date``
and ``xsd:time``, Oxigraph can read its lexical form (other datatypes are compared by IRI only).

Anything else (``sh:pattern``, ``sh:node``, SPARQL constraints, implicit class targets, a
datatype Oxigraph rewrites such as ``xsd:int``, a malformed shape ...) raises :class:`Unsupported`:
the caller then validates with pySHACL instead.

Where pySHACL departs from the specification, the queries follow the specification:
``sh:datatype rdfs:Literal`` is met by no literal (pySHACL accepts every literal). And Oxigraph
stores literals in canonical form (``"01"^^xsd:integer`` is ``"1"^^xsd:integer``, ``"5"^^xsd:int``
is ``"5"^^xsd:integer``), so data that went through a store is validated as stored; rdflib
normalises most such literals when it parses them, too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["Check", "Reads", "Unsupported", "compile_shapes", "path_text"]

_TARGETS = frozenset({SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf})
_INERT = frozenset({SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue})
_VALUE_TESTS = frozenset({SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, SH["or"], SH["and"], SH["not"], SH.xone})
_PARAMETERS = _TARGETS | _INERT | _VALUE_TESTS | {SH.path, SH.property, SH.minCount, SH.maxCount}
_AT_MOST_ONE = frozenset({SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["in"], SH.severity, SH.deactivated})
_SHAPE_TYPES = frozenset({SH.NodeShape, SH.PropertyShape, SH.Shape})

_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
}

#: Datatypes whose ill-typed literals are found by casting to the datatype (SPARQL 1.1's, and
#: xsd:date and xsd:time, which pySHACL checks too).
_CAST = frozenset({XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.dateTime, XSD.date, XSD.time})
#: Oxigraph stores valid literals of these datatypes under another datatype (``"5"^^xsd:int`` becomes
#: ``"5"^^xsd:integer``), so their datatype cannot be checked on an Oxigraph store.
_REWRITTEN = frozenset(XSD[n] for n in (
    "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte", "dateTimeStamp",
))
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBLANK({v})",
    SH.Literal: "isLITERAL({v})",
    SH.BlankNodeOrIRI: "(isBLANK({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBLANK({v}) || isLITERAL({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLITERAL({v}))",
}
_INSTANCE_OF = f"{RDF.type.n3()}/{RDFS.subClassOf.n3()}*"
#: Where :attr:`Check.focused` takes its focus nodes (a newline: never in a term's N3).
_FOCUS = "\n#focus\n"


class Unsupported(Exception):
    """The shapes use something :func:`compile_shapes` does not compile (the message says what)."""


@dataclass(frozen=True)
class Reads:
    """The triples a check reads to validate one focus node, besides the node itself.

    The results of a check for a focus node can change only when a triple of one of these kinds
    was added or removed: a triple of a predicate of ``steps``, in the direction of the step,
    that the path reaches from the focus node; an ``rdf:type`` triple of the focus node of a class
    of ``target_classes``, or of a value node of a class of ``value_classes`` (or of a subclass,
    through ``rdfs:subClassOf``); a triple of a predicate of ``subjects_of`` (of ``objects_of``)
    whose subject (object) is the focus node.

    Attributes
    ----------
    steps : frozenset of (URIRef, bool)
        The predicates of the path, each with ``True`` where the path follows it backwards
        (``sh:inversePath``); empty for a node shape.
    target_classes : frozenset of URIRef
        The shape's ``sh:targetClass`` values.
    subjects_of, objects_of : frozenset of URIRef
        The shape's ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` values.
    value_classes : frozenset of URIRef
        The classes the constraint tests value nodes against (``sh:class``, also inside
        ``sh:or``, ``sh:and``, ``sh:not`` and ``sh:xone``).
    """

    steps: frozenset[tuple[URIRef, bool]]
    target_classes: frozenset[URIRef]
    subjects_of: frozenset[URIRef]
    objects_of: frozenset[URIRef]
    value_classes: frozenset[URIRef]


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a query whose rows (``?this``, ``?value``) are its validation results.

    Attributes
    ----------
    query : str
        A SPARQL SELECT query over the data graph.
    shape : Node
        The source shape (the shape that holds the constraint).
    component : URIRef
        The constraint component, e.g. ``sh:MinCountConstraintComponent``.
    path : Node or None
        The shape's ``sh:path`` node in the shapes graph (None for a node shape).
    messages : tuple of Literal
        The shape's ``sh:message`` values (none: the result has a generated message).
    default_message : str
        The message to use when ``messages`` is empty.
    severity : URIRef
        ``sh:Violation`` unless the shape says otherwise.
    values : bool
        The query also returns ``?value``.
    focused : str
        The query for only the focus nodes :meth:`for_nodes` is given (empty when the focus nodes
        are the value nodes of an enclosing property shape: such a check is not narrowed).
    reads : Reads or None
        What the results for a focus node depend on (None where ``focused`` is empty).
    """

    query: str
    shape: Node
    component: URIRef
    path: Node | None
    messages: tuple[Literal, ...]
    default_message: str
    severity: URIRef
    values: bool
    focused: str = ""
    reads: Reads | None = None

    def for_nodes(self, nodes: Iterable[str]) -> str:
        """The query for the focus nodes ``nodes`` only (each in SPARQL syntax, e.g. ``<urn:a>``).

        Examples
        --------
        >>> from rdflib import Graph
        >>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
        ... <urn:S> sh:targetSubjectsOf <urn:p> ; sh:property [ sh:path <urn:q> ; sh:minCount 1 ] .''', format="turtle")
        >>> "VALUES ?this { <urn:a> }" in compile_shapes(g)[0].for_nodes(["<urn:a>"])
        True
        """
        if not self.focused:
            raise ValueError("this check's focus nodes are not narrowed")
        return self.focused.replace(_FOCUS, " ".join(nodes))


class _Shapes:
    def __init__(self, graph: Graph) -> None:
        self.g = graph

    def params(self, node: Node) -> dict[URIRef, list[Node]]:
        """The SHACL parameters of ``node``; raises :class:`Unsupported` on anything not compiled."""
        found: dict[URIRef, list[Node]] = {}
        for p, o in self.g.predicate_objects(node):
            if p == RDF.type:
                if o not in _SHAPE_TYPES:
                    raise Unsupported(f"shape {node.n3()} has rdf:type {o.n3()} (an implicit class target)")
                continue
            if not isinstance(p, URIRef) or not p.startswith(str(SH)):
                continue
            if p not in _PARAMETERS:
                raise Unsupported(f"{self.short(p)} (in shape {node.n3()})")
            found.setdefault(p, []).append(o)
        for p, values in found.items():
            if p in _AT_MOST_ONE and len(values) > 1:
                raise Unsupported(f"shape {node.n3()} has {len(values)} values of {self.short(p)}")
        return found

    def short(self, term: Node) -> str:
        return term.n3(self.g.namespace_manager)

    def items(self, node: Node) -> list[Node]:
        if node != RDF.nil and (node, RDF.first, None) not in self.g:
            raise Unsupported(f"{node.n3()} is not an RDF list")
        return list(Collection(self.g, node))

    def path(self, node: Node) -> str:
        """The SPARQL property path of the SHACL path ``node`` (full IRIs)."""
        return path_text(self.g, node, short=False)

    def count(self, node: Node, what: URIRef) -> int:
        if not isinstance(node, Literal) or not isinstance(node.value, int) or isinstance(node.value, bool) or node.value < 0:
            raise Unsupported(f"{self.short(what)} {node.n3()} is not a non-negative integer")
        return int(node.value)

    def constant(self, term: Node) -> str:
        """``term`` as a SPARQL constant, if Oxigraph keeps it as the same term."""
        if isinstance(term, Literal) and term.datatype is not None:
            store = ox.Store()
            given = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            store.add(ox.Quad(ox.NamedNode("urn:x-ipkg:s"), ox.NamedNode("urn:x-ipkg:p"), given))
            kept = next(iter(store)).object
            if kept != given:
                raise Unsupported(f"Oxigraph stores {term.n3()} as {kept}")
        if isinstance(term, BNode):
            raise Unsupported(f"blank node {term.n3()} as a value in a shape")
        return term.n3()

    def deactivated(self, params: dict[URIRef, list[Node]]) -> bool:
        flag = params.get(SH.deactivated, [Literal(False)])[0]
        if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
            raise Unsupported(f"sh:deactivated {flag.n3()}")
        return flag.value

    def test(self, p: URIRef, o: Node, v: str, seen: frozenset[Node]) -> str:
        """A SPARQL expression, never an error, true when the value ``v`` satisfies the constraint ``p o``."""
        if p == SH["class"]:
            return f"EXISTS {{ {v} {_INSTANCE_OF} {self.constant(o)} }}"
        if p == SH.datatype:
            if not isinstance(o, URIRef):
                raise Unsupported(f"sh:datatype {o.n3()}")
            if o in _REWRITTEN:
                raise Unsupported(f"sh:datatype {self.short(o)} (Oxigraph stores such literals as another datatype)")
            typed = f"isLITERAL({v}) && sameTerm(DATATYPE({v}), {o.n3()})"
            if o in _CAST:
                typed += f" && isLITERAL({o.n3()}({v}))"
            return f"COALESCE({typed}, false)"
        if p == SH.nodeKind:
            kind = _NODE_KINDS.get(o) if isinstance(o, URIRef) else None
            if kind is None:
                raise Unsupported(f"sh:nodeKind {o.n3()}")
            return kind.format(v=v)
        if p == SH["in"]:
            return "(" + " || ".join([*(f"sameTerm({v}, {self.constant(t)})" for t in self.items(o)), "false"]) + ")"
        if p == SH.hasValue:
            return f"sameTerm({v}, {self.constant(o)})"
        members = [self.member(m, v, seen) for m in (self.items(o) if p != SH["not"] else [o])]
        if p == SH["or"]:
            return "(" + " || ".join([*members, "false"]) + ")"
        if p == SH["and"]:
            return "(" + " && ".join([*members, "true"]) + ")"
        if p == SH["not"]:
            return f"(!{members[0]})"
        return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)" if members else "false"

    def member(self, node: Node, v: str, seen: frozenset[Node]) -> str:
        """The value test of a shape used in ``sh:or``/``sh:and``/``sh:not``/``sh:xone``: ``v`` conforms to it."""
        if node in seen:
            raise Unsupported(f"shape {node.n3()} refers to itself")
        params = self.params(node)
        if self.deactivated(params):
            return "true"
        others = set(params) - _VALUE_TESTS - _INERT - _TARGETS
        if others:
            raise Unsupported(f"{', '.join(sorted(self.short(p) for p in others))} in a shape of a logical constraint")
        tests = [self.test(p, o, v, seen | {node}) for p, values in params.items() if p in _VALUE_TESTS for o in values]
        return "(" + " && ".join([*tests, "true"]) + ")"


def compile_shapes(shapes: Graph) -> list[Check]:
    """The checks of every constraint of every shape of ``shapes`` that has a target.

    Raises
    ------
    Unsupported
        When a shape uses something this module does not compile.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:S> sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''', format="turtle")
    >>> [c.component.n3(g.namespace_manager) for c in compile_shapes(g)]
    ['sh:MinCountConstraintComponent']
    """
    sg = _Shapes(shapes)
    checks: list[Check] = []
    for s, t in shapes.subject_objects(RDF.type):
        if t not in _SHAPE_TYPES and any(str(p).startswith(str(SH)) for p in shapes.predicates(s)):
            raise Unsupported(f"shape {s.n3()} has rdf:type {t.n3()} (an implicit class target)")
    roots = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=lambda n: n.n3())
    for root in roots:
        params = sg.params(root)
        if sg.deactivated(params):
            continue
        _compile(sg, root, params, _targets(sg, params), checks, frozenset())
    return checks


@dataclass(frozen=True)
class _Focus:
    """The focus nodes of a shape: ``pattern(var)`` binds them to ``var``, each once per binding of the
    ``lineage`` variables (the focus nodes of the enclosing property shapes, which each validate them)."""

    pattern: Callable[[str], str]
    lineage: tuple[str, ...] = ()
    #: The pattern for the focus nodes of a VALUES block, and the root's targets (lineage () only).
    narrowed: Callable[[str], str] | None = None
    targets: dict[URIRef, list[Node]] | None = None


def _targets(sg: _Shapes, params: dict[URIRef, list[Node]]) -> _Focus:
    def pattern(var: str, narrowed: bool = False) -> str:
        parts: list[str] = []
        for c in params.get(SH.targetClass, []):
            parts.append(f"{{ {var} {_INSTANCE_OF} {sg.constant(c)} }}")
        nodes = params.get(SH.targetNode, [])
        if nodes:
            parts.append(f"{{ VALUES {var} {{ {' '.join(sg.constant(n) for n in nodes)} }} }}")
        for p in params.get(SH.targetSubjectsOf, []):
            parts.append(f"{{ {var} {sg.constant(p)} [] }}")
        for p in params.get(SH.targetObjectsOf, []):
            parts.append(f"{{ [] {sg.constant(p)} {var} }}")
        union = " UNION ".join(parts)
        if narrowed:
            return f"{{ SELECT DISTINCT {var} WHERE {{ VALUES {var} {{ {_FOCUS} }} {{ {union} }} }} }}"
        return f"{{ SELECT DISTINCT {var} WHERE {{ {union} }} }}"

    return _Focus(pattern, narrowed=lambda var: pattern(var, True), targets=params)


def _values(focus: str, this: str, path: str, nullable: bool, value: str) -> str:
    """A group binding ``value`` to each value node of ``this`` (bound by ``focus``) along ``path``.

    A path of length zero reaches the focus node even when the data does not mention it, which
    Oxigraph's property paths do not see; so that case is added."""
    step = f"{focus} {this} {path} {value} ."
    return f"{{ {step} }} UNION {{ {focus} BIND({this} AS {value}) }}" if nullable else step


def _compile(sg: _Shapes, node: Node, params: dict[URIRef, list[Node]], focus: _Focus, out: list[Check], seen: frozenset[Node]) -> None:
    """Add to ``out`` the checks of the shape ``node``, whose focus nodes are ``focus``."""
    if node in seen:
        raise Unsupported(f"shape {node.n3()} refers to itself through sh:property")
    seen = seen | {node}
    path_node = params.get(SH.path, [None])[0]
    path = sg.path(path_node) if path_node is not None else None
    nullable = path_node is not None and _nullable(sg.g, path_node)
    messages = tuple(m for m in params.get(SH.message, []) if isinstance(m, Literal))
    severity = params.get(SH.severity, [SH.Violation])[0]
    if not isinstance(severity, URIRef):
        raise Unsupported(f"sh:severity {severity.n3()}")
    keys = " ".join(("?this", *focus.lineage))

    def queries(this: str, minus: str) -> list[tuple[URIRef, Node | None, str, str, bool]]:
        """(component, parameter value, query, default message, values) of each constraint, the focus nodes bound by ``this``."""
        found: list[tuple[URIRef, Node | None, str, str, bool]] = []
        if path is None:
            for p in (SH.minCount, SH.maxCount):
                if p in params:
                    raise Unsupported(f"{sg.short(p)} in node shape {node.n3()}")
            values = f"{this} BIND(?this AS ?value)"
        else:
            values = _values(this, "?this", path, nullable, "?value")
            if SH.minCount in params:
                n = sg.count(params[SH.minCount][0], SH.minCount)
                if n == 1 and not nullable:
                    found.append((SH.minCount, None, f"SELECT {keys} WHERE {{ {this} {minus} {{ ?this {path} ?value }} }}", "Less than 1 value", False))
                elif n > 1:
                    counted = values if nullable else f"{this} OPTIONAL {{ ?this {path} ?value }}"
                    found.append((SH.minCount, None, f"SELECT {keys} WHERE {{ {counted} }} GROUP BY {keys} HAVING (COUNT(DISTINCT ?value) < {n})", f"Less than {n} values", False))
            if SH.maxCount in params:
                n = sg.count(params[SH.maxCount][0], SH.maxCount)
                found.append((SH.maxCount, None, f"SELECT {keys} WHERE {{ {values} }} GROUP BY {keys} HAVING (COUNT(DISTINCT ?value) > {n})", f"More than {n} values", False))
            for v in params.get(SH.hasValue, []):
                has = f"NOT EXISTS {{ ?this {path} {sg.constant(v)} }}"
                if nullable:
                    has = f"!sameTerm(?this, {sg.constant(v)}) && {has}"
                found.append((SH.hasValue, None, f"SELECT {keys} WHERE {{ {this} FILTER({has}) }}", f"Missing value {sg.short(v)}", False))
        for p, objects in params.items():
            if p not in _VALUE_TESTS or (p == SH.hasValue and path is not None):
                continue
            for o in objects:
                if p == SH["class"]:
                    where = f"{{ {values} }} {minus} {{ ?value {_INSTANCE_OF} {sg.constant(o)} }}"
                else:
                    where = f"{values} FILTER(!{sg.test(p, o, '?value', seen)})"
                found.append((p, o, f"SELECT DISTINCT {keys} ?value WHERE {{ {where} }}", _default_message(sg, p, o), True))
        return found

    whole = queries(focus.pattern("?this"), "MINUS")
    # for a few focus nodes, NOT EXISTS looks at theirs only where MINUS reads all the triples it names
    narrowed = queries(focus.narrowed("?this"), "FILTER NOT EXISTS") if focus.narrowed is not None and focus.targets is not None else None
    for i, (p, o, query, default_message, values) in enumerate(whole):
        focused, reads = "", None
        if narrowed is not None and focus.targets is not None:
            focused = narrowed[i][2]
            targets = focus.targets
            reads = Reads(
                frozenset(_steps(sg.g, path_node)) if path_node is not None else frozenset(),
                frozenset(c for c in targets.get(SH.targetClass, []) if isinstance(c, URIRef)),
                frozenset(c for c in targets.get(SH.targetSubjectsOf, []) if isinstance(c, URIRef)),
                frozenset(c for c in targets.get(SH.targetObjectsOf, []) if isinstance(c, URIRef)),
                frozenset(_classes(sg, p, o, frozenset())) if o is not None else frozenset(),
            )
        out.append(Check(query, node, _COMPONENT[p], path_node, messages, default_message, severity, values, focused, reads))
    for child in params.get(SH.property, []):
        child_params = sg.params(child)
        if SH.path not in child_params:
            raise Unsupported(f"sh:property {child.n3()} has no sh:path")
        if sg.deactivated(child_params):
            continue
        _compile(sg, child, child_params, _values_of(focus, path, nullable, len(seen)), out, seen)


def _steps(g: Graph, path: Node, inverse: bool = False) -> set[tuple[URIRef, bool]]:
    """The predicates the SHACL path ``path`` follows, each with ``True`` where it follows it backwards."""
    if isinstance(path, URIRef):
        return {(path, inverse)}
    if (path, RDF.first, None) in g:
        return {s for n in Collection(g, path) for s in _steps(g, n, inverse)}
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return {s for n in Collection(g, alternatives) for s in _steps(g, n, inverse)}
    inner = g.value(path, SH.inversePath)
    if inner is not None:
        return _steps(g, inner, not inverse)
    for p in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = g.value(path, p)
        if inner is not None:
            return _steps(g, inner, inverse)
    raise Unsupported(f"{path.n3()} is not a SHACL path")


def _classes(sg: _Shapes, p: URIRef, o: Node, seen: frozenset[Node]) -> set[URIRef]:
    """The classes the value test ``p o`` tests a value node against."""
    if p == SH["class"]:
        return {o} if isinstance(o, URIRef) else set()
    if p not in (SH["or"], SH["and"], SH["not"], SH.xone) or o in seen:
        return set()
    members = [o] if p == SH["not"] else sg.items(o)
    return {c for m in members for q, values in sg.params(m).items() for v in values for c in _classes(sg, q, v, seen | {o})}


def _nullable(g: Graph, path: Node) -> bool:
    """The SHACL path ``path`` may have length zero (then a focus node is one of its own values)."""
    if isinstance(path, URIRef):
        return False
    if (path, RDF.first, None) in g:
        return all(_nullable(g, n) for n in Collection(g, path))
    if (path, SH.zeroOrMorePath, None) in g or (path, SH.zeroOrOnePath, None) in g:
        return True
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return any(_nullable(g, n) for n in Collection(g, alternatives))
    inner = g.value(path, SH.inversePath) or g.value(path, SH.oneOrMorePath)
    return inner is not None and _nullable(g, inner)


def _values_of(focus: _Focus, path: str | None, nullable: bool, depth: int) -> _Focus:
    """The focus nodes of the shapes nested in a shape whose focus nodes are ``focus`` and ``path`` their values."""
    if path is None:
        return focus
    parent = f"?f{depth}"
    lineage = (*focus.lineage, parent)
    return _Focus(lambda var: f"{{ SELECT DISTINCT {' '.join(lineage)} {var} WHERE {{ {_values(focus.pattern(parent), parent, path, nullable, var)} }} }}", lineage)


def _default_message(sg: _Shapes, p: URIRef, o: Node) -> str:
    if p == SH["class"]:
        return f"Value is not an instance of {sg.short(o)}"
    if p == SH.datatype:
        return f"Value is not a literal of datatype {sg.short(o)}"
    if p == SH.nodeKind:
        return f"Value is not of node kind {sg.short(o)}"
    if p == SH["in"]:
        return "Value is not in (" + " ".join(sg.short(t) for t in sg.items(o)) + ")"
    if p == SH.hasValue:
        return f"Value is not {sg.short(o)}"
    if p == SH["not"]:
        return f"Value conforms to shape {sg.short(o)}"
    names = {SH["or"]: "any", SH["and"]: "all", SH.xone: "exactly one"}
    return f"Value does not conform to {names[p]} of the shapes in {sg.short(p)}"


def path_text(graph: Graph, node: Node, short: bool = True) -> str:
    """The SHACL path ``node`` of ``graph`` as a SPARQL property path (with ``graph``'s prefixes if ``short``).

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
    ... ex:s sh:path [ sh:alternativePath ( ex:a [ sh:inversePath ex:b ] ) ] .''', format="turtle")
    >>> path_text(g, g.value(URIRef("urn:ex:s"), SH.path))
    '(ex:a|^ex:b)'
    """
    nm = graph.namespace_manager if short else None

    def text(n: Node) -> str:
        if isinstance(n, URIRef):
            return n.n3(nm)
        if (n, RDF.first, None) in graph:
            return "(" + "/".join(text(m) for m in Collection(graph, n)) + ")"
        for p, fmt in ((SH.alternativePath, None), (SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = graph.value(n, p)
            if inner is None:
                continue
            if fmt is None:
                if (inner, RDF.first, None) not in graph:
                    raise Unsupported(f"sh:alternativePath of {n.n3()} is not a list")
                return "(" + "|".join(text(m) for m in Collection(graph, inner)) + ")"
            body = text(inner)
            return fmt.format(body if isinstance(inner, URIRef) or body.startswith("(") else f"({body})")
        raise Unsupported(f"{n.n3()} is not a SHACL path")

    return text(node)
