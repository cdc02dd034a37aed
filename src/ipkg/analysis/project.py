"""Projections of the RDF graph for networkx: never the raw triples, only actors and events."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx
from rdflib import Dataset, URIRef
from rdflib.namespace import NamespaceManager

from ..query.sparql import run_query
from ..resources import load_gazetteer
from ..store import MemoryStore, Store

__all__ = ["graph_to_actor_network", "graph_to_bipartite", "node_to_iri"]

_HERE = Path(__file__).parent
_SEP = "\x1f"


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


def _edge_rows(store: Store) -> list[dict[str, str]]:
    """In one order whatever the store, so that networks, and what seeded algorithms find in them, are the same."""
    return sorted(run_query(store, str(_HERE / "edges.rq")).rows, key=lambda r: (r["event"], r["actor"], r["target"]))


def _event_attrs(row: dict[str, str], nm: NamespaceManager) -> dict[str, object]:
    return {
        "event": row["event"],
        "iri": node_to_iri(row["event"], nm),
        "kind": row["kind"],
        "cameo": row["cameo"],
        "quad": row["quad"],
        "goldstein": float(row["goldstein"]),
        "date": row["date"],
        # sorted: SPARQL leaves the order of GROUP_CONCAT to the store
        "sentences": sorted(row["sentences"].split(_SEP)) if row["sentences"] else [],
        "documents": sorted(row["documents"].split(_SEP)) if row["documents"] else [],
    }


def _states(store: Store, nodes: dict[str, dict[str, object]], nm: NamespaceManager) -> dict[str, str]:
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
    for row in run_query(store, str(_HERE / "positions.rq")).rows:
        held.setdefault(row["holder"], set()).add(node_to_iri(row["organization"], nm))
    out: dict[str, str] = {}
    for n, attrs in nodes.items():
        iri = str(attrs["iri"])
        state = iri if attrs["type"] == "State" else via_gazetteer(iri)
        if not state:
            found = {via_gazetteer(org) for org in held.get(n, ())} - {""}
            state = found.pop() if len(found) == 1 else ""
        out[n] = node_of.get(state) or (URIRef(state).n3(nm) if state else "")
    return out


def _actor_nodes(store: Store) -> dict[str, dict[str, object]]:
    nm = store.namespace_manager
    gaz = load_gazetteer()
    nodes: dict[str, dict[str, object]] = {}
    for row in run_query(store, str(_HERE / "nodes.rq")).rows:
        iri = node_to_iri(row["actor"], nm)
        entry = gaz.entries.get(iri)
        nodes[row["actor"]] = {
            "label": row["label"],
            "type": row["type"],
            "iri": iri,
            "aliases": sorted(set(entry.aliases) - {row["label"]}) if entry else [],
            "short_forms": sorted(entry.anaphoric) if entry else [],
            "surface_forms": [],
        }
    for row in run_query(store, str(_HERE / "aliases.rq")).rows:
        if row["actor"] in nodes:
            nodes[row["actor"]]["surface_forms"].append(row["alias"])  # type: ignore[attr-defined]
    for attrs in nodes.values():
        attrs["surface_forms"] = sorted(set(attrs["surface_forms"]))  # type: ignore[call-overload]
    for n, state in _states(store, nodes, nm).items():
        nodes[n]["state"] = state
    return dict(sorted(nodes.items()))


def _event_rows(ds: Dataset | Store) -> tuple[Store, NamespaceManager, list[dict[str, str]]]:
    """The store, its prefixes and one row per (event, actor, target): what both projections read."""
    store = _store(ds)
    return store, store.namespace_manager, _edge_rows(store)


def graph_to_actor_network(ds: Dataset | Store) -> nx.MultiDiGraph:
    """Actor-actor multigraph: one edge per event, from each actor to each target.

    Parameters
    ----------
    ds : rdflib.Dataset or ipkg.store.Store
        A graph built by ipkg, or a store holding one (see :func:`ipkg.store.open_store`).

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
    G = nx.MultiDiGraph()
    store, nm, rows = _event_rows(ds)
    if not rows:
        return G
    for n, attrs in _actor_nodes(store).items():
        G.add_node(n, **attrs)
    for row in rows:
        G.add_edge(row["actor"], row["target"], key=row["event"], **_event_attrs(row, nm))
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
    B = nx.Graph()
    store, nm, rows = _event_rows(ds)
    if not rows:
        return B
    actors = _actor_nodes(store)
    for row in rows:
        attrs = _event_attrs(row, nm)
        del attrs["event"]
        B.add_node(row["event"], bipartite=1, **attrs)
        for node, role in ((row["actor"], "actor"), (row["target"], "target")):
            B.add_node(node, bipartite=0, **actors[node])
            roles = set(B.edges[node, row["event"]]["role"].split()) if B.has_edge(node, row["event"]) else set()
            B.add_edge(node, row["event"], role=" ".join(sorted(roles | {role})))
    return B
