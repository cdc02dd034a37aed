"""Projections of the RDF graph for networkx: never the raw triples, only actors and events.

Four SELECT queries feed them: ``edges`` (one row per event, actor and target), ``nodes``,
``aliases`` and ``positions``. Each is a file in two forms with the same answers (the tests run
both): ``<name>.rq``, plain SPARQL for rdflib and remote stores, and ``<name>.oxigraph.rq``, shaped
for Oxigraph's evaluator (each property scanned once and the scans joined by hashing; at 10^4
documents ``edges`` took 19-26 s in its plain form on the build's store, 3 s in this one). Rows are
read from Oxigraph without rdflib terms, and sorted here rather than by the queries.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import XMLNS, NamespaceManager
from rdflib.term import _is_valid_uri

from ..errors import Errors, IpkgError, QuerySyntaxError
from ..kg.quads import ox_to_rdflib
from ..query.sparql import run_query
from ..resources import load_gazetteer
from ..store import MemoryStore, OxigraphStore, Store
from ..store.oxigraph import bound_query

__all__ = ["graph_to_actor_network", "graph_to_bipartite", "node_to_iri"]

_HERE = Path(__file__).parent
_SEP = "\x1f"
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
# An IRI's local part after its last "/" or "#" of a shape rdflib's split_uri cuts there.
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
# The columns of the *.oxigraph.rq queries that hold strings made by the query (STR, GROUP_CONCAT...).
#: Runs the projection queries whose rows the row cache will want while it is decoded.
_THREADS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipkg-projection")
_TEXT_COLUMNS = frozenset({"kind", "cameo", "quad", "date", "sentences", "documents", "label", "type", "alias"})


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside (as before, after).

    Building tens of thousands of rows, dicts and edges sets the collector off again and again, and
    each full run walks every object the process holds: at 10^4 documents, with the gazetteer
    loaded, the network took 0.6-1.1 s of Python with it and 0.3 s without; the pyvis page, with
    the network in memory, 0.9-1.3 s and 0.4-0.5 s.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _default_nm() -> NamespaceManager:
    from ..kg.build import new_dataset

    return new_dataset().namespace_manager


def node_to_iri(node: str, nm: NamespaceManager | None = None) -> str:
    """The full IRI of a node or event name as the projections write it (``actor:iran``).

    Examples
    --------
    >>> node_to_iri("actor:iran")
    'https://w3id.org/ipkg/id/actor/iran'
    >>> node_to_iri("<http://example.org/x>")
    'http://example.org/x'
    """
    if node.startswith("<") and node.endswith(">"):
        return node[1:-1]
    if nm is None:
        nm = _default_nm()
    try:
        return str(nm.expand_curie(node))
    except ValueError:
        return node


def _store(target: Dataset | Store) -> Store:
    return MemoryStore(target) if isinstance(target, Dataset) else target


class _Names:
    """IRIs as query results name them (``URIRef.n3(nm)``: ``actor:iran``, or ``<iri>``), and names back to IRIs (:func:`node_to_iri`).

    rdflib takes tens of microseconds per IRI; the names of the common shape, a namespace ending in
    ``/`` or ``#`` and a local part of ASCII letters, digits, ``_``, ``-`` and ``.`` (not starting with
    ``-`` or ``.``), are made here the way rdflib makes them (``split_uri`` cuts such an IRI after its
    last ``/`` or ``#``; no namespace rdflib knows of is longer and a prefix of it), the rest by rdflib.

    Examples
    --------
    >>> names = _Names(_default_nm())
    >>> names.name("https://w3id.org/ipkg/id/actor/iran"), names.name("http://example.org/x/y")
    ('actor:iran', '<http://example.org/x/y>')
    >>> names.iri("actor:iran"), names.iri("<http://example.org/x/y>"), names.iri("Iran")
    ('https://w3id.org/ipkg/id/actor/iran', 'http://example.org/x/y', 'Iran')
    """

    def __init__(self, nm: NamespaceManager) -> None:
        self.nm = nm
        self._names: dict[str, str] = {}
        #: the names made of IRIs (a blank node or a literal may look like one)
        self.named: set[str] = set()
        self._iris: dict[str, str] = {}
        self._expansions: dict[str, str | None] = {}
        self._namespaces: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        # rdflib's own tables: the namespaces it knows (bound, or met before) and the names it computed
        self._trie: dict[str, Any] | None = getattr(nm, "_NamespaceManager__trie", None)
        self._computed: dict[str, Any] = getattr(nm, "_NamespaceManager__cache", {})

    def name(self, iri: str) -> str:
        """``URIRef(iri).n3(nm)``."""
        name = self._names.get(iri)
        if name is None:
            name = self._names[iri] = self._name(iri)
            self.named.add(name)
        return name

    def iri(self, name: str) -> str:
        """``node_to_iri(name, nm)``, with the namespace of each prefix looked up once."""
        iri = self._iris.get(name)
        if iri is None:
            if name.startswith("<") and name.endswith(">"):
                iri = name[1:-1]
            else:
                prefix, colon, local = name.partition(":")
                if prefix not in self._expansions:
                    bound = self.nm.store.namespace(prefix)
                    self._expansions[prefix] = None if bound is None else str(bound)
                ns = self._expansions[prefix]
                iri = f"{ns}{local}" if colon and ns is not None else name  # expand_curie, or its ValueError
            self._iris[name] = iri
        return iri

    def _name(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        local = iri[cut:]
        if not cut or _LOCAL.fullmatch(local) is None or self._trie is None or iri in self._computed or iri.startswith(XMLNS) or not _is_valid_uri(iri):
            return URIRef(iri).n3(self.nm)
        ns = iri[:cut]
        known = self._namespaces.get(ns)
        if known is None:
            known = self._namespaces[ns] = self._namespace(ns)
        prefix, longer = known
        if prefix is None:
            return f"<{iri}>"
        if longer and any(iri.startswith(n) for n in longer):
            return URIRef(iri).n3(self.nm)
        return f"{prefix}:{local}"

    def _namespace(self, ns: str) -> tuple[str | None, tuple[str, ...]]:
        """The prefix of ``ns`` and the longer namespaces rdflib knows that start with it."""
        prefix = self.nm.store.prefix(URIRef(ns))
        return prefix, tuple(n for n in _trie_keys(self._trie or {}) if len(n) > len(ns) and n.startswith(ns))


def _trie_keys(trie: dict[str, Any]) -> list[str]:
    out = []
    for key, sub in trie.items():
        out.append(key)
        out.extend(_trie_keys(sub))
    return out


def _select(store: Store, name: str, names: _Names, **bindings: URIRef) -> list[tuple[str, ...]]:
    """The rows of the projection query ``name`` as tuples of cells, as :func:`~ipkg.query.run_query` renders them.

    Oxigraph answers the query's ``.oxigraph.rq`` form, read here without rdflib terms (``bindings``
    reach it as :meth:`~ipkg.store.OxigraphStore.query` passes them); other stores the portable form,
    through :func:`~ipkg.query.run_query` (the queries with bindings have only an Oxigraph form)."""
    if not isinstance(store, OxigraphStore):
        res = run_query(store, str(_HERE / f"{name}.rq"))
        return [tuple(row[c] for c in res.columns) for row in res.rows]
    return _cells(_solutions(store, name, bindings), names)


def _solutions(store: OxigraphStore, name: str, bindings: dict[str, URIRef]) -> tuple[list[str], list[ox.QuerySolution]]:
    """The variables and the solutions of the ``.oxigraph.rq`` form of query ``name`` (no names made: a thread may run it)."""
    query = (_HERE / f"{name}.oxigraph.rq").read_text(encoding="utf-8")
    try:
        solutions = bound_query(store.oxigraph, query, bindings)
        assert isinstance(solutions, ox.QuerySolutions)
        return [v.value for v in solutions.variables], list(solutions)
    except SyntaxError as exc:
        raise QuerySyntaxError(Errors.E009.format(reason=exc)) from None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise IpkgError(Errors.E009.format(reason=exc)) from None


def _cells(found: tuple[list[str], list[ox.QuerySolution]], names: _Names) -> list[tuple[str, ...]]:
    """:func:`_select`'s rows of what :func:`_solutions` found."""
    variables, solutions = found
    typed: dict[ox.Literal, str] = {}

    def term_cell(term: object) -> str:
        if term is None:
            return ""
        if type(term) is ox.NamedNode:
            return names.name(term.value)
        if type(term) is ox.Literal:
            if term.language is not None or term.datatype == _XSD_STRING:
                return term.value
            text = typed.get(term)
            if text is None:
                text = typed[term] = str(ox_to_rdflib(term))
            return text
        if type(term) is ox.BlankNode:
            return term.value
        return str(ox_to_rdflib(term))  # type: ignore[arg-type]  # raises: RDF-star

    def text_cell(term: ox.Literal | None) -> str:
        return "" if term is None else term.value

    try:
        # columns made by STR, GROUP_CONCAT or MIN of strings hold plain strings: their value is their text
        cells = [text_cell if v in _TEXT_COLUMNS else term_cell for v in variables]
        rows = [tuple([f(term) for f, term in zip(cells, solution)]) for solution in solutions]
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise IpkgError(Errors.E009.format(reason=exc)) from None
    return [row for row in rows if any(row)]


_QUERIES = ("edges", "nodes", "aliases", "positions")


def _projection_rows(store: Store, names: _Names, cache: str | Path | None = None, changes: dict[str, Any] | None = None, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[str, ...]]]:
    """The rows of the four projection queries; those of ``edges`` (event, actor, target, kind, cameo,
    quad, goldstein, date, sentences, documents), ``nodes`` and ``aliases`` sorted, so that networks,
    and what seeded algorithms find in them, are the same whatever the store (and however the cache
    came by them). With ``cache``, see :mod:`ipkg.analysis.rowcache`
    (which fills ``changes``, and may leave out the queries in ``skip``)."""
    rows: dict[str, list[tuple[str, ...]]] | None = None
    if cache is not None and isinstance(store, OxigraphStore):
        from .rowcache import Query, cached_rows

        oxstore = store
        started: dict[tuple[str, tuple[tuple[str, Any], ...]], Future[tuple[list[str], list[ox.QuerySolution]]]] = {}

        def select(name: str, **bindings: URIRef) -> list[tuple[str, ...]]:
            future = started.pop((name, tuple(sorted(bindings.items()))), None)
            if future is not None:
                return _cells(future.result(), names)
            return _select(oxstore, name, names, **bindings)

        def prefetch(queries: Collection[Query]) -> None:
            # the store answers in a thread, outside Python's lock, while the cache is decoded; names are made here, in order
            for query in queries:
                name, bindings = (query, {}) if isinstance(query, str) else query
                key = (name, tuple(sorted(bindings.items())))
                if key not in started:
                    started[key] = _THREADS.submit(_solutions, oxstore, name, bindings)

        rows = cached_rows(store, Path(cache), select, names, changes, skip, prefetch)
        for future in started.values():
            future.cancel()
    if rows is None:
        rows = {name: _select(store, name, names) for name in _QUERIES}
        for name in ("edges", "nodes", "aliases"):
            rows[name].sort()
    return rows


def _event_attrs(row: tuple[str, ...], names: _Names, goldstein: dict[str, float]) -> dict[str, object]:
    event, _, _, kind, cameo, quad, score, date, sentences, documents = row
    value = goldstein.get(score)
    if value is None:
        value = goldstein[score] = float(score)
    return {
        "event": event,
        "iri": names.iri(event),
        "kind": kind,
        "cameo": cameo,
        "quad": quad,
        "goldstein": value,
        "date": date,
        # sorted: SPARQL leaves the order of GROUP_CONCAT to the store
        "sentences": sorted(sentences.split(_SEP)) if sentences else [],
        "documents": sorted(documents.split(_SEP)) if documents else [],
    }


def _states(positions: list[tuple[str, ...]], nodes: dict[str, dict[str, object]], names: _Names) -> dict[str, str]:
    """Each actor's state: itself for a state; else the state the gazetteer puts it in (``partOf``,
    ``capitalOf``, ``nationality``, followed until a state); else the state of the organisation
    the graph says the actor holds a position in, when that is one state. ``""`` when unknown."""
    gaz = load_gazetteer()
    node_of = {str(attrs["iri"]): n for n, attrs in nodes.items()}

    def via_gazetteer(iri: str) -> str:
        seen: set[str] = set()
        while iri and iri not in seen:
            seen.add(iri)
            entry = gaz.entries.get(iri)
            if entry is None:
                return ""
            if entry.type == "State":
                return iri
            iri = entry.part_of or entry.capital_of or entry.nationality or ""
        return ""

    held: dict[str, set[str]] = {}
    for holder, organization in positions:
        held.setdefault(holder, set()).add(names.iri(organization))
    out: dict[str, str] = {}
    for n, attrs in nodes.items():
        iri = str(attrs["iri"])
        state = iri if attrs["type"] == "State" else via_gazetteer(iri)
        if not state:
            found = {via_gazetteer(org) for org in held.get(n, ())} - {""}
            state = found.pop() if len(found) == 1 else ""
        out[n] = node_of.get(state) or (names.name(state) if state else "")
    return out


def _actor_nodes(rows: dict[str, list[tuple[str, ...]]], names: _Names, states: bool = True) -> dict[str, dict[str, object]]:
    """Actor -> its node's attributes; without ``states``, no ``state`` (and no ``positions`` rows needed)."""
    gaz = load_gazetteer()
    nodes: dict[str, dict[str, object]] = {}
    for actor, label, type_ in rows["nodes"]:
        iri = names.iri(actor)
        entry = gaz.entries.get(iri)
        nodes[actor] = {
            "label": label,
            "type": type_,
            "iri": iri,
            "aliases": sorted(set(entry.aliases) - {label}) if entry else [],
            "short_forms": sorted(entry.anaphoric) if entry else [],
            "surface_forms": [],
        }
    for actor, alias in rows["aliases"]:
        if actor in nodes:
            nodes[actor]["surface_forms"].append(alias)  # type: ignore[attr-defined]
    for attrs in nodes.values():
        attrs["surface_forms"] = sorted(set(attrs["surface_forms"]))  # type: ignore[call-overload]
    if states:
        for n, state in _states(rows["positions"], nodes, names).items():
            nodes[n]["state"] = state
    return dict(sorted(nodes.items()))


def _event_rows(ds: Dataset | Store, cache: str | Path | None = None) -> tuple[_Names, dict[str, list[tuple[str, ...]]]]:
    """The store's names and the rows of the projection queries: what both projections read."""
    store = _store(ds)
    names = _Names(store.namespace_manager)
    return names, _projection_rows(store, names, cache)


def graph_to_actor_network(ds: Dataset | Store, *, cache: str | Path | None = None) -> nx.MultiDiGraph:
    """Actor-actor multigraph: one edge per event, from each actor to each target.

    Parameters
    ----------
    ds : rdflib.Dataset or ipkg.store.Store
        A graph built by ipkg, or a store holding one (see :func:`ipkg.store.open_store`).
    cache : str or Path, optional
        A file keeping the rows the projection queries gave, for a store ``ipkg build`` wrote: the
        next call reads again only the events that the named graphs changed since then touch (see
        :mod:`ipkg.analysis.rowcache`). Ignored for other stores. The network is the same either way.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are actors named as in query results (``actor:iran``), with ``label``, ``type``,
        ``iri``, ``aliases`` and ``short_forms`` (the gazetteer's other names and short forms of
        the actor), ``surface_forms`` (every way the texts named it, metonymy included) and
        ``state`` (the node of the state the actor belongs to: itself for a state, else by the
        gazetteer's ``partOf``/``capitalOf``/``nationality``, else by a position the graph gives
        it; ``""`` when unknown). Edges are keyed by event and carry ``event`` (``event:…``),
        ``iri``, ``kind``, ``cameo``, ``quad``, ``goldstein``, ``date`` (ISO, at the precision the
        text gives, or ``""``), ``sentences`` and ``documents``. Actors in no event are left out.

    See Also
    --------
    graph_to_bipartite : actors and events as the two sides of one graph.

    Examples
    --------
    >>> from ipkg.kg import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> graph_to_actor_network(facts_to_graph(resolve([]))).number_of_edges()
    0
    """
    with paused_gc():
        return _actor_network(ds, cache)


def _actor_network(ds: Dataset | Store, cache: str | Path | None) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    names, rows = _event_rows(ds, cache)
    if not rows["edges"]:
        return G
    for n, attrs in _actor_nodes(rows, names).items():
        G.add_node(n, **attrs)
    goldstein: dict[str, float] = {}
    for row in rows["edges"]:
        G.add_edge(row[1], row[2], key=row[0], **_event_attrs(row, names, goldstein))
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    return G


def graph_to_bipartite(ds: Dataset | Store) -> nx.Graph:
    """Actor-event bipartite graph: actors on side 0, events on side 1.

    Parameters
    ----------
    ds : rdflib.Dataset or ipkg.store.Store
        A graph built by ipkg, or a store holding one.

    Returns
    -------
    networkx.Graph
        Actor nodes (``bipartite=0``) carry the attributes of
        :func:`graph_to_actor_network`'s nodes; event nodes (``bipartite=1``, named ``event:…``)
        carry ``iri``, ``kind``, ``cameo``, ``quad``, ``goldstein``, ``date``, ``sentences`` and
        ``documents``. An edge joins an event to each of its actors and targets and has ``role``
        ``"actor"`` or ``"target"`` (``"actor target"`` for an actor on both sides).

    Examples
    --------
    >>> from ipkg.kg import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> graph_to_bipartite(facts_to_graph(resolve([]))).number_of_nodes()
    0
    """
    with paused_gc():
        return _bipartite(ds)


def _bipartite(ds: Dataset | Store) -> nx.Graph:
    B = nx.Graph()
    names, rows = _event_rows(ds)
    if not rows["edges"]:
        return B
    actors = _actor_nodes(rows, names)
    goldstein: dict[str, float] = {}
    for row in rows["edges"]:
        event = row[0]
        attrs = _event_attrs(row, names, goldstein)
        del attrs["event"]
        B.add_node(event, bipartite=1, **attrs)
        for node, role in ((row[1], "actor"), (row[2], "target")):
            B.add_node(node, bipartite=0, **actors[node])
            roles = set(B.edges[node, event]["role"].split()) if B.has_edge(node, event) else set()
            B.add_edge(node, event, role=" ".join(sorted(roles | {role})))
    return B
