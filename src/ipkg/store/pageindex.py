"""The page index: what lets Oxigraph find the first page of a bundled query without sorting every row.

A page of a bundled query (``ipkg query NAME``, 100 rows) is one slice of its rows in the query's
order. Computed from the graph alone, the slice needs every candidate row checked against the
query's patterns and sorted, which at 10^6 triples takes Oxigraph most of a second. The page
index, a named graph ``ix:graph`` of the Oxigraph store, holds what the query needs to go straight
to the slice: for each indexed query (a *list*), the query's keys (its events, positions ...)
grouped by the value of the query's first sort key (an event's date, the first 15 characters of
a label): one *node* per value, with the value, how many keys have it, and the keys::

    ix:category-visit ix:node <https://w3id.org/ipkg/index#category-visit/2024-01-16> .
    <https://w3id.org/ipkg/index#category-visit/2024-01-16> ix:value "2024-01-16" ;
        ix:count 3 ; ix:member event:a1, event:b2, event:c3 .

The ``#index`` lines of a query (see :func:`ipkg.query.sparql.page_query`) take the nodes of the
first ``offset + limit`` values, add up their counts to find the last value the page can reach,
and sort only the keys of the values up to it. A list holds exactly the keys the query has rows
for (the patterns of its page lines, written again in ``query/index/*.rq``: ``events.rq`` for
events.rq and the five event categories, ``actors.rq``, ``figures.rq``, ``positions.rq``,
``quotes.rq``), so that the counts are right; the rows themselves are still computed from the
graph. agreements.rq, the one bundled query without ``#index`` lines, is fast without.

The index is kept exact by the store: a bulk load (:meth:`OxigraphStore.load_quads
<ipkg.store.OxigraphStore.load_quads>`) drops it and :func:`build` writes it again (``write_store``
and ``update_store`` do so before the store is swapped in), and replacing named graphs
(``update_store``'s patches) updates it in place with :func:`update`, for the keys whose patterns
the changed triples can reach. Its ``ix:version`` triple names the definitions it was built
from; a store without it, or with another version, is answered without the index (slower, same
rows), as rdflib and SPARQL servers are.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

__all__ = ["GRAPH", "NS", "VERSION", "present", "build", "drop", "update", "definitions"]

NS = "https://w3id.org/ipkg/index#"
#: The named graph that holds the index.
GRAPH = ox.NamedNode(NS + "graph")
DEFINITIONS = Path(__file__).resolve().parents[1] / "query" / "index"

_NODE, _VALUE, _COUNT, _MEMBER, _VERSION = (ox.NamedNode(NS + n) for n in ("node", "value", "count", "member", "version"))
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_DEFAULT = ox.DefaultGraph()

#: The longest chain of triples from a key to a triple its definition reads (``?key ipkg:evidence
#: ?ev . ?ev ipkg:document ?doc . ?doc dcterms:identifier ?id``): the subjects a definition reads
#: are at most ``DEPTH`` links from the key. ``rdfs:subClassOf+`` (actors) goes further: a change
#: of ``rdfs:subClassOf`` rebuilds the index.
DEPTH = 2
#: :func:`update` rebuilds the whole index when more keys than this may have changed.
MAX_KEYS = 5000


def definitions() -> dict[str, str]:
    """The SPARQL of each definition (``query/index/*.rq``): rows ``?list ?key ?value``."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(DEFINITIONS.glob("*.rq"))}


def _version() -> str:
    digest = hashlib.sha256()
    for name, text in definitions().items():
        digest.update(f"{name}\0{text}\0".encode())
    return "1:" + digest.hexdigest()[:16]


#: Names the definitions the index is built from (and the layout): a store's index is used only if
#: its ``ix:version`` is this one.
VERSION = _version()


def _predicates() -> frozenset[ox.NamedNode]:
    """Every IRI the definitions mention (a superset of the predicates they read)."""
    iris: set[str] = set()
    for text in definitions().values():
        prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", text))
        body = re.sub(r"#[^\n]*|\"[^\"]*\"", " ", text.split("SELECT", 1)[1])
        iris.update(re.findall(r"<([^>\s]+)>", body))
        for prefix, local in re.findall(r"(?<![\w?$])(\w*):([A-Za-z_][\w-]*)", body):
            if prefix in prefixes:
                iris.add(prefixes[prefix] + local)
        if re.search(r"(?<![\w?$])a(?=\s)", body):
            iris.add("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return frozenset(ox.NamedNode(i) for i in iris)


PREDICATES = _predicates()


def present(store: ox.Store) -> bool:
    """Whether ``store`` holds an index of this :data:`VERSION`."""
    return any(True for _ in store.quads_for_pattern(GRAPH, _VERSION, ox.Literal(VERSION), GRAPH))


def drop(store: ox.Store) -> None:
    """Mark the index out of date (its version triple goes; :func:`build` removes the rest)."""
    for q in list(store.quads_for_pattern(GRAPH, _VERSION, None, GRAPH)):
        store.remove(q)


def _rows(store: ox.Store) -> dict[tuple[str, ox.Literal], set[ox.NamedNode | ox.BlankNode]]:
    """(list IRI, value) -> keys, from every definition evaluated on ``store``'s default graph."""
    nodes: dict[tuple[str, ox.Literal], set[ox.NamedNode | ox.BlankNode]] = {}
    for text in definitions().values():
        for solution in store.query(text):  # type: ignore[union-attr]
            lst, key, value = solution
            if lst is None or key is None or value is None:
                continue
            nodes.setdefault((lst.value, value), set()).add(key)
    return nodes


def _node(lst: str, value: ox.Literal) -> ox.NamedNode:
    return ox.NamedNode(f"{lst}/{urllib.parse.quote(value.value, safe='')}")


def _node_quads(lst: str, value: ox.Literal, count: int) -> list[ox.Quad]:
    node = _node(lst, value)
    return [
        ox.Quad(ox.NamedNode(lst), _NODE, node, GRAPH),
        ox.Quad(node, _VALUE, value, GRAPH),
        ox.Quad(node, _COUNT, ox.Literal(str(count), datatype=_INTEGER), GRAPH),
    ]


def build(store: ox.Store) -> None:
    """Write the index of ``store``'s default graph, replacing any."""
    store.remove_graph(GRAPH)
    quads = [ox.Quad(GRAPH, _VERSION, ox.Literal(VERSION), GRAPH)]
    for (lst, value), keys in _rows(store).items():
        quads += _node_quads(lst, value, len(keys))
        node = _node(lst, value)
        quads += [ox.Quad(node, _MEMBER, key, GRAPH) for key in keys]
    store.bulk_extend(quads)


def update(store: ox.Store, changed: Iterable[ox.Triple]) -> int | None:
    """Bring the index up to date after the triples ``changed`` were added to or removed from the
    default graph.

    The keys whose rows may have changed are the subjects of ``changed`` and what reaches them in
    at most :data:`DEPTH` links; their definitions are evaluated again on a copy of what they
    read (their triples and those of the nodes up to :data:`DEPTH` links from them), and their
    entries replaced. Without a current index, nothing is done (it stays absent).

    Returns
    -------
    int or None
        How many keys were looked at again; None if the index was rebuilt whole (more than
        :data:`MAX_KEYS` keys, or a change of ``rdfs:subClassOf``) or is absent.
    """
    if not present(store):
        return None
    subjects: set[ox.NamedNode | ox.BlankNode] = set()
    for t in changed:
        if t.predicate == _SUBCLASS:
            build(store)
            return None
        if t.predicate in PREDICATES and not isinstance(t.subject, ox.Triple):
            subjects.add(t.subject)
    if len(subjects) > MAX_KEYS:
        build(store)
        return None
    keys = set(subjects)
    frontier = subjects
    for _ in range(DEPTH):
        reached: set[ox.NamedNode | ox.BlankNode] = set()
        for node in frontier:
            for q in store.quads_for_pattern(None, None, node, _DEFAULT):
                if q.predicate in PREDICATES and q.subject not in keys:
                    reached.add(q.subject)  # type: ignore[arg-type]
                    if len(keys) + len(reached) > MAX_KEYS:
                        build(store)
                        return None
        keys |= reached
        frontier = reached
    if not keys:
        return 0
    # What the definitions read about those keys, in a store of its own.
    part = ox.Store()
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    frontier = set(keys)
    copied: list[ox.Quad] = []
    for _ in range(DEPTH + 1):
        reached = set()
        for node in frontier:
            seen.add(node)
            for q in store.quads_for_pattern(node, None, None, _DEFAULT):
                if q.predicate in PREDICATES:
                    copied.append(q)
                    if isinstance(q.object, (ox.NamedNode, ox.BlankNode)) and q.object not in seen:
                        reached.add(q.object)
        frontier = reached
    copied += store.quads_for_pattern(None, _SUBCLASS, None, _DEFAULT)
    part.extend(copied)
    fresh = {(lst, value): members & keys for (lst, value), members in _rows(part).items()}
    # The keys' current entries go, the fresh ones come, and the counts of their nodes follow.
    touched: set[tuple[str, ox.Literal]] = set()
    old: list[ox.Quad] = []
    for key in keys:
        for q in store.quads_for_pattern(None, _MEMBER, key, GRAPH):
            old.append(q)
    for old_node in {q.subject for q in old}:
        lst = next(store.quads_for_pattern(None, _NODE, old_node, GRAPH)).subject.value  # type: ignore[union-attr]
        value = next(store.quads_for_pattern(old_node, _VALUE, None, GRAPH)).object
        touched.add((lst, value))  # type: ignore[arg-type]
    for q in old:
        store.remove(q)
    added = [ox.Quad(_node(lst, value), _MEMBER, key, GRAPH) for (lst, value), members in fresh.items() for key in members]
    store.extend(added)
    touched.update(k for k, members in fresh.items() if members)
    for lst, value in touched:
        node = _node(lst, value)
        count = sum(1 for _ in store.quads_for_pattern(node, _MEMBER, None, GRAPH))
        for q in list(store.quads_for_pattern(node, _COUNT, None, GRAPH)):
            store.remove(q)
        if count:
            store.extend(_node_quads(lst, value, count))
        else:
            for q in [*store.quads_for_pattern(ox.NamedNode(lst), _NODE, node, GRAPH), *store.quads_for_pattern(node, None, None, GRAPH)]:
                store.remove(q)
    return len(keys)
