"""SHACL validation of a store ``ipkg build`` wrote, brought up to date focus node by focus node.

The cache keeps the results of the last validation (per compiled check, its focus node and value
node) and the :func:`~ipkg.store.oxigraph.digests_key` of the store's graphs they hold for. When
:func:`~ipkg.store.update_store` has since patched the store, it recorded which triples its
default graph (the union, which the checks read) gained or lost (:func:`~ipkg.store.oxigraph.store_changes`).
The results of a check can change only for the focus nodes whose validation reads such a triple
(see :class:`ipkg.kg.shacl.Reads`):

* a triple ``s p o`` is read at ``s`` by a check whose path follows ``p``, or whose shape targets
  the subjects of ``p``; at ``o`` if the path follows ``p`` backwards, or the shape targets its objects;
* ``s rdf:type C`` is read at ``s`` by a check whose shape targets ``C`` or a superclass, or that
  tests value nodes against ``C`` or a superclass;
* the focus nodes that read a triple at ``x`` are ``x`` and the nodes whose path reaches ``x``:
  all nodes from which ``x`` is reached by steps of the path, in any order and number (a superset).

The steps are followed in the store as it is now. That is enough for the paths of the store as
it was, too: on a path that reached a node then, the first step that is gone is a triple the store
lost, read at the node the path reached it from, which is reached now as before.

Only those focus nodes are validated again (the checks' ``focused`` queries), and their results
replace the cached ones. Everything is validated whole instead when: there is no cache, or one of
other shapes or code; the store was written whole or patched more than once since; a triple of
``rdfs:subClassOf`` or with a blank node changed; a check's focus nodes are the value nodes of an
enclosing property shape; more than :data:`MAX_TRIPLES` triples changed or more than
:data:`MAX_FOCUS` focus nodes are to be validated again; or a focus node is a blank node (a
query cannot name it). The results are the same either way.

The cache is JSON, written through a temporary file and a rename.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef

from ..resources import update_with_files
from .io import write_atomic
from .quads import _Memo, ox_to_rdflib
from .shacl import Check, Unsupported, compile_shapes
from .validate import ValidationResult, Violation, _describe, _result, _shape_labels, _shapes_graph, validate

if TYPE_CHECKING:
    from ..store.oxigraph import OxigraphStore

__all__ = ["SHACL_CACHE", "MAX_FOCUS", "MAX_TRIPLES", "cached_validate"]

#: The cache's file name in a build's cache folder.
SHACL_CACHE = "shacl.json"
#: At most this many focus nodes (summed over the checks) are validated again; more, and the store is
#: validated whole (at 10^4 documents, whole: ~4 s; a check for N nodes: a few ms + ~0.1 ms a node).
MAX_FOCUS = 5000
#: At most this many changed triples are looked at; more, and the store is validated whole.
MAX_TRIPLES = 50_000

Row = tuple[int, ox.NamedNode | ox.BlankNode | ox.Literal, ox.NamedNode | ox.BlankNode | ox.Literal | None]
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_DEFAULT = ox.DefaultGraph()
_SUBJECT = "<urn:x-ipkg:r> <urn:x-ipkg:t> "


def cached_validate(store: OxigraphStore, path: str | Path | None, shapes: Graph | str | Path | None = None) -> ValidationResult:
    """Validate ``store`` as :func:`ipkg.kg.validate.validate` does, reusing the results cached at ``path`` where they still hold, and update the cache.

    Parameters
    ----------
    store : OxigraphStore
        A store ``ipkg build`` wrote (with its graph digests); any other is validated whole and not cached.
    path : str or Path, optional
        The cache file; None: validate whole, without a cache.
    shapes : Graph, str or Path, optional
        As for :func:`~ipkg.kg.validate.validate`.

    Returns
    -------
    ValidationResult
        The same as ``validate(store, shapes=shapes)``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from ipkg.store import OxigraphStore, update_store
    >>> from ipkg.kg.quads import NQuads
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> q = lambda s, o, g: ox.Quad(ox.NamedNode(s), ox.NamedNode(str(RDF.type)), ox.NamedNode(o), ox.NamedNode(g))
    >>> quads = [q(f"urn:f{i}", "https://w3id.org/ipkg/ontology#Document", f"urn:g{i}") for i in range(100)]
    >>> _ = update_store(NQuads.from_quads(quads), out / "oxigraph")
    >>> cached_validate(OxigraphStore(out / "oxigraph", read_only=True), out / "shacl.json").violations
    0
    >>> _ = update_store(NQuads.from_quads([*quads, q("urn:x", "https://w3id.org/ipkg/ontology#Figure", "urn:g0")]), out / "oxigraph")
    >>> result = cached_validate(OxigraphStore(out / "oxigraph", read_only=True), out / "shacl.json")
    >>> result.violations, result.revalidated
    (3, 7)
    """
    from ..store.oxigraph import store_changes, store_digests_keyed

    sg = _shapes_graph(shapes)
    stored = store_digests_keyed(store.path) if path is not None and store.path is not None else None
    if stored is None:
        return validate(store, shapes=sg)
    try:
        checks = compile_shapes(sg)
    except Unsupported:
        return validate(store, shapes=sg)
    labels = _shape_labels(sg)
    described = [_describe(check, sg, labels) for check in checks]
    key, now = _fingerprint(checks, described), stored[1]
    path = Path(cast("str | Path", path))
    old = _read(path, key, len(checks))
    rows: list[Row] | None = None
    revalidated: int | None = None
    if old is not None:
        if old[0] == now:
            rows, revalidated = old[1], 0
        else:
            changes = store_changes(store.path)  # type: ignore[arg-type]
            if changes is not None and (changes.before, changes.after) == (old[0], now):
                update = _update(store.oxigraph, checks, old[1], changes.triples)
                if update is not None:
                    rows, revalidated = update
    if rows is None:
        rows = [
            (i, row["this"], row["value"] if check.values else None)  # type: ignore[misc]
            for i, check in enumerate(checks)
            for row in cast(ox.QuerySolutions, store.oxigraph.query(check.query))
        ]
    if old is None or rows is not old[1] or old[0] != now:
        _write(path, key, now, rows)
    convert = _Memo(ox_to_rdflib).__getitem__
    results = [Violation(shape, convert(focus), p, component, convert(value) if value is not None else None, message, severity)
               for i, focus, value in rows for shape, p, component, message, severity in [described[i]]]
    return replace(_result(results, sg, "sparql", ""), revalidated=revalidated)


def _fingerprint(checks: Sequence[Check], described: Sequence[tuple[Any, ...]]) -> str:
    """What the results depend on besides the data: the checks, how results are described, the code and the engine."""
    h = hashlib.sha256(f"ipkg shaclcache 1\n{ox.__version__}\n".encode())
    here = Path(__file__).parent
    update_with_files(h, here, [here / name for name in ("shacl.py", "validate.py", "shaclcache.py", "quads.py")])
    for check, what in zip(checks, described):
        h.update(json.dumps([check.query, check.focused, check.values, list(what)]).encode("utf-8") + b"\0")
    return h.hexdigest()


def _read(path: Path, key: str, n_checks: int) -> tuple[str, list[Row]] | None:
    """The cache's digests key and results, if it was written for ``key``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("digests"), str):
            return None
        raw = data["results"]
        if not all(isinstance(r, list) and len(r) == 3 and type(r[0]) is int and 0 <= r[0] < n_checks
                   and type(r[1]) is str and (r[2] is None or type(r[2]) is str) for r in raw):
            return None
        terms = [t for r in raw for t in (r[1], r[2]) if t is not None]
        parsed = iter(_terms(terms))
        rows: list[Row] = [(r[0], next(parsed), next(parsed) if r[2] is not None else None) for r in raw]
    except (OSError, ValueError, SyntaxError, KeyError, TypeError, StopIteration):
        return None
    return data["digests"], rows


def _terms(texts: list[str]) -> list[Any]:
    """The RDF terms written (N-Triples syntax) in ``texts``."""
    if any("\n" in t or "\r" in t for t in texts):
        raise ValueError("a term spans lines")
    triples = list(ox.parse("".join(f"{_SUBJECT}{t} .\n" for t in texts), format=ox.RdfFormat.N_TRIPLES))
    if len(triples) != len(texts):
        raise ValueError("not one term per text")
    return [t.object for t in triples]


def _write(path: Path, key: str, digests: str, rows: list[Row]) -> None:
    if any(isinstance(t, ox.BlankNode) for _, focus, value in rows for t in (focus, value)):
        path.unlink(missing_ok=True)  # blank nodes are not the same nodes in another store
        return
    data = {"key": key, "digests": digests, "results": [[i, str(focus), str(value) if value is not None else None] for i, focus, value in rows]}
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=False)
    except OSError:
        pass  # a cache that cannot be written makes the next validation whole


def _update(store: ox.Store, checks: Sequence[Check], rows: list[Row], triples: Iterable[ox.Triple]) -> tuple[list[Row], int] | None:
    """The cached ``rows`` brought up to date with the changed ``triples`` and how many focus nodes
    were validated again, or None when the store is to be validated whole."""
    triples = list(triples)
    if len(triples) > MAX_TRIPLES or any(c.reads is None for c in checks):
        return None
    for t in triples:
        if t.predicate == _SUBCLASS or not all(isinstance(x, (ox.NamedNode, ox.Literal)) for x in (t.subject, t.object)):
            return None
    predicates = [URIRef(t.predicate.value) for t in triples]
    subclasses = _Memo(lambda c: {c, *(r["c"] for r in cast(ox.QuerySolutions, store.query(f"SELECT ?c WHERE {{ ?c {_SUBCLASS}* {c} }}")))})
    steps_back = _Memo(lambda key: _predecessors(store, *key))
    focus: dict[int, set[Any]] = {}
    total = 0
    for i, check in enumerate(checks):
        reads = check.reads
        assert reads is not None
        classes = {ox.NamedNode(str(c)) for c in reads.target_classes | reads.value_classes}
        typed = set().union(*(subclasses[c] for c in classes)) if classes else set()
        seeds: set[Any] = set()
        for t, p in zip(triples, predicates):
            if (p, False) in reads.steps or p in reads.subjects_of or (t.predicate == _TYPE and t.object in typed):
                seeds.add(t.subject)
            if (p, True) in reads.steps or p in reads.objects_of:
                seeds.add(t.object)
        nodes = _closure(seeds, [(ox.NamedNode(str(p)), inverse) for p, inverse in reads.steps], steps_back, MAX_FOCUS - total)
        if nodes is None or any(isinstance(n, ox.BlankNode) for n in nodes):
            return None
        total += len(nodes)
        if nodes:
            focus[i] = nodes
    kept = [row for row in rows if row[1] not in focus.get(row[0], ())]
    for i, nodes in focus.items():
        check = checks[i]
        query = check.for_nodes(str(n) for n in sorted(nodes, key=str))
        kept.extend((i, r["this"], r["value"] if check.values else None) for r in cast(ox.QuerySolutions, store.query(query)))  # type: ignore[misc]
    return kept, total


def _predecessors(store: ox.Store, node: Any, predicate: ox.NamedNode, inverse: bool) -> list[Any]:
    """The nodes one step of ``predicate`` (backwards if ``inverse``) leads from to ``node``."""
    if not inverse:
        return [q.subject for q in store.quads_for_pattern(None, predicate, node, _DEFAULT)]
    if isinstance(node, ox.Literal):
        return []
    return [q.object for q in store.quads_for_pattern(node, predicate, None, _DEFAULT)]


def _closure(seeds: set[Any], steps: list[tuple[ox.NamedNode, bool]], back: _Memo, limit: int) -> set[Any] | None:
    """``seeds`` and every node from which the ``steps`` lead to one of them; None past ``limit`` nodes."""
    found = set(seeds)
    todo = list(seeds)
    while todo:
        node = todo.pop()
        for predicate, inverse in steps:
            for n in back[(node, predicate, inverse)]:
                if n not in found:
                    found.add(n)
                    todo.append(n)
        if len(found) > limit:
            return None
    return found if len(found) <= limit else None
