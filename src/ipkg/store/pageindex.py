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
graph, but for what a definition selects after ``?value``: each such column is kept on its key,
``key ix:COLUMN value``, for the query to read where computing it would read many triples (a
figure's evidence sentence is the least of all its evidences' sentences, of which a figure told by
a thousand documents has a thousand). agreements.rq, the one bundled query without ``#index``
lines, is fast without.

The index is kept exact by the store: a bulk load (:meth:`OxigraphStore.load_quads
<ipkg.store.OxigraphStore.load_quads>`) drops it and :func:`build` writes it again (``write_store``
and ``update_store`` do so before the store is swapped in), and replacing named graphs
(``update_store``'s patches) updates it in place with :func:`update`, for the keys whose patterns
the changed triples can reach, evaluated by the focused definitions (``query/index/focused/*.rq``:
the same rows, for given keys, each looked up rather than found by scanning the store). Its ``ix:version`` triple names the definitions it was built
from; a store without it, or with another version, is answered without the index (slower, same
rows), as rdflib and SPARQL servers are.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

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


def focused() -> dict[str, str]:
    """Each definition for some keys only (``query/index/focused/*.rq``, by the same names): the
    definition's rows of those keys, each key looked up rather than the store scanned. The keys
    come in a ``VALUES ?key`` block in place of each line ``#KEYS``.

    Examples
    --------
    >>> sorted(focused()) == sorted(definitions())
    True
    """
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((DEFINITIONS / "focused").glob("*.rq"))}


def _version() -> str:
    digest = hashlib.sha256()
    for name, text in [*definitions().items(), *(("focused/" + n, t) for n, t in focused().items())]:
        digest.update(f"{name}\0{text}\0".encode())
    return "1:" + digest.hexdigest()[:16]


#: Names the definitions the index is built and patched from (and the layout): a store's index is
#: used only if its ``ix:version`` is this one.
VERSION = _version()
_FOCUSED = focused()
_KEYS = re.compile(r"^[ \t]*#KEYS[ \t]*$", re.MULTILINE)


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


def _links() -> frozenset[ox.NamedNode]:
    """The IRIs the definitions use as the predicate of a variable that is the subject of a pattern
    (``?key ipkg:evidence ?ev . ?ev ipkg:sentence ?s``): the steps along which a key's rows read
    other nodes' triples (a superset: every IRI written before such a variable)."""
    iris: set[str] = set()
    for text in definitions().values():
        prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", text))
        body = re.sub(r"#[^\n]*|\"[^\"]*\"", " ", text.split("SELECT", 1)[1])
        term = r"(?:<[^>\s]*>|(?<![\w?$])\w*:[A-Za-z_][\w-]*|(?<![\w?$])a(?=\s))"
        subjects = set(re.findall(rf"[?$](\w+)\s+{term}", body))
        for predicate, var in re.findall(rf"({term})[+*?]?\s+[?$](\w+)", body):
            if var not in subjects:
                continue
            if predicate == "a":
                iris.add("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
            elif predicate.startswith("<"):
                iris.add(predicate[1:-1])
            elif predicate.split(":", 1)[0] in prefixes:
                iris.add(prefixes[predicate.split(":", 1)[0]] + predicate.split(":", 1)[1])
    return frozenset(ox.NamedNode(i) for i in iris)


#: What :func:`update` follows back from a changed triple's subject to the keys that read it.
LINKS = _links()


def present(store: ox.Store) -> bool:
    """Whether ``store`` holds an index of this :data:`VERSION`."""
    return any(True for _ in store.quads_for_pattern(GRAPH, _VERSION, ox.Literal(VERSION), GRAPH))


def drop(store: ox.Store) -> None:
    """Mark the index out of date (its version triple goes; :func:`build` removes the rest)."""
    for q in list(store.quads_for_pattern(GRAPH, _VERSION, None, GRAPH)):
        store.remove(q)


#: What a list's members are: the subjects of the definitions' rows.
Key = ox.NamedNode | ox.BlankNode


class Rows(NamedTuple):
    """What definitions give: the keys of each (list IRI, value), and the columns kept on keys."""

    nodes: dict[tuple[str, ox.Literal], set[Key]]
    columns: dict[Key, dict[ox.NamedNode, ox.Literal]]

    def of(self, keys: set[Key]) -> Rows:
        """The rows of ``keys`` only."""
        nodes = {node: members & keys for node, members in self.nodes.items() if members & keys}
        return Rows(nodes, {key: cols for key, cols in self.columns.items() if key in keys})


def _solutions(store: ox.Store, texts: Iterable[str]) -> Rows:
    rows = Rows({}, {})
    for text in texts:
        solutions = store.query(text)
        kept = [ox.NamedNode(NS + v.value) for v in solutions.variables[3:]]  # type: ignore[union-attr]
        for lst, key, value, *columns in solutions:  # type: ignore[misc, union-attr]
            if lst is None or key is None or value is None:
                continue
            rows.nodes.setdefault((lst.value, value), set()).add(key)
            for column, term in zip(kept, columns):
                if term is not None:
                    rows.columns.setdefault(key, {})[column] = term
    return rows


def _rows(store: ox.Store) -> Rows:
    """Every definition evaluated on ``store``'s default graph."""
    return _solutions(store, definitions().values())


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
    rows = _rows(store)
    for (lst, value), keys in rows.nodes.items():
        quads += _node_quads(lst, value, len(keys))
        node = _node(lst, value)
        quads += [ox.Quad(node, _MEMBER, key, GRAPH) for key in keys]
    quads += [ox.Quad(key, column, term, GRAPH) for key, columns in rows.columns.items() for column, term in columns.items()]
    store.bulk_extend(quads)


def update(store: ox.Store, changed: Iterable[ox.Triple]) -> int | None:
    """Bring the index up to date after the triples ``changed`` were added to or removed from the
    default graph.

    The keys whose rows may have changed are the subjects of ``changed`` and what reaches them in
    at most :data:`DEPTH` steps along :data:`LINKS`. Their rows are computed again by the focused
    definitions (:func:`focused`), which look each key up rather than scan the store (a key given
    as a blank node, which a query cannot name, has the definitions evaluated on a copy of what
    they read instead); then only the entries and kept columns that differ are written, and the
    counts of their nodes adjusted by as much.

    Returns
    -------
    int or None
        How many keys were looked at again; None if the index was rebuilt whole (more than
        :data:`MAX_KEYS` keys, or a change of ``rdfs:subClassOf``) or is absent.

    Examples
    --------
    >>> g, p = ox.NamedNode("urn:g"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    >>> store = ox.Store()
    >>> build(store)
    >>> t = ox.Triple(ox.NamedNode("urn:a"), p, ox.Literal("A"))
    >>> store.add(ox.Quad(*t, _DEFAULT))
    >>> update(store, [t])
    1
    """
    if not present(store):
        return None
    subjects: set[Key] = set()
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
        reached: set[Key] = set()
        for node in frontier:
            for link in LINKS:
                for q in store.quads_for_pattern(None, link, node, _DEFAULT):
                    if q.subject not in keys:
                        reached.add(q.subject)  # type: ignore[arg-type]
            if len(keys) + len(reached) > MAX_KEYS:
                build(store)
                return None
        keys |= reached
        frontier = reached
    if not keys:
        return 0
    fresh = _copied_rows(store, keys) if any(isinstance(k, ox.BlankNode) for k in keys) else _focused_rows(store, keys)
    nodes: dict[ox.NamedNode, tuple[str, ox.Literal]] = {}
    now: set[tuple[ox.NamedNode, Key]] = set()
    for (lst, value), members in fresh.nodes.items():
        node = _node(lst, value)
        nodes[node] = (lst, value)
        now.update((node, key) for key in members)
    was = {(q.subject, key) for key in keys for q in store.quads_for_pattern(None, _MEMBER, key, GRAPH) if isinstance(q.subject, ox.NamedNode)}
    delta: dict[ox.NamedNode, int] = {}
    for node, key in was - now:
        store.remove(ox.Quad(node, _MEMBER, key, GRAPH))
        delta[node] = delta.get(node, 0) - 1
    for node, key in now - was:
        store.add(ox.Quad(node, _MEMBER, key, GRAPH))
        delta[node] = delta.get(node, 0) + 1
    for node, d in delta.items():
        if d:
            _recount(store, node, d, nodes.get(node))  # type: ignore[arg-type]
    kept = {q for key in keys for q in store.quads_for_pattern(key, None, None, GRAPH)}
    due = {ox.Quad(key, column, term, GRAPH) for key, columns in fresh.columns.items() for column, term in columns.items()}
    for q in kept - due:
        store.remove(q)
    store.extend(due - kept)
    return len(keys)


def _recount(store: ox.Store, node: ox.NamedNode, delta: int, named: tuple[str, ox.Literal] | None) -> None:
    """Set the count of ``node``, which gained ``delta`` members (lost, if negative); a node left
    without members goes, a new one is written with the list and value ``named``."""
    counts = list(store.quads_for_pattern(node, _COUNT, None, GRAPH))
    try:
        count = int(counts[0].object.value) + delta if len(counts) == 1 else None  # type: ignore[union-attr]
    except ValueError:
        count = None
    if count is None:
        count = sum(1 for _ in store.quads_for_pattern(node, _MEMBER, None, GRAPH))
    for q in counts:
        store.remove(q)
    if count <= 0:
        for q in [*store.quads_for_pattern(None, _NODE, node, GRAPH), *store.quads_for_pattern(node, None, None, GRAPH)]:
            store.remove(q)
    elif named is not None:
        store.extend(_node_quads(*named, count))
    else:
        store.add(ox.Quad(node, _COUNT, ox.Literal(str(count), datatype=_INTEGER), GRAPH))


def _focused_rows(store: ox.Store, keys: set[Key]) -> Rows:
    """The rows of the named ``keys`` only (the focused definitions)."""
    block = "VALUES ?key { " + " ".join(str(k) for k in sorted(keys, key=str)) + " }"
    return _solutions(store, (_KEYS.sub(block, text) for text in _FOCUSED.values()))


def _copied_rows(store: ox.Store, keys: set[Key]) -> Rows:
    """The rows of ``keys`` only: the definitions evaluated on a copy of what they read about them
    (their triples and those of the nodes up to :data:`DEPTH` links from them)."""
    part = ox.Store()
    seen: set[Key] = set()
    frontier = set(keys)
    copied: list[ox.Quad] = []
    for _ in range(DEPTH + 1):
        reached: set[Key] = set()
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
    return _rows(part).of(keys)
