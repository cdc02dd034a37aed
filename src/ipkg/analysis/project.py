"""Projections of the RDF graph for networkx: never the raw triples, only actor-actor edges."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Dataset

from ..query.sparql import run_query

__all__ = ["graph_to_actor_network"]

_HERE = Path(__file__).parent


def graph_to_actor_network(ds: Dataset) -> nx.MultiDiGraph:
    """Actor-actor multigraph: one edge per event, from each actor to each target.

    Nodes carry ``label`` and ``type``; edges carry ``event``, ``kind``, ``quad``, ``goldstein``,
    ``date``, ``sentences`` and ``documents``.

    Examples
    --------
    >>> from ipkg.kg import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> graph_to_actor_network(facts_to_graph(resolve([]))).number_of_edges()
    0
    """
    G = nx.MultiDiGraph()
    for row in run_query(ds, str(_HERE / "nodes.rq")).rows:
        G.add_node(row["actor"], label=row["label"], type=row["type"])
    for row in run_query(ds, str(_HERE / "edges.rq")).rows:
        G.add_edge(
            row["actor"],
            row["target"],
            key=row["event"],
            event=row["event"],
            kind=row["kind"],
            quad=row["quad"],
            goldstein=float(row["goldstein"]),
            date=row["date"],
            sentences=row["sentences"].split("\x1f") if row["sentences"] else [],
            documents=row["documents"].split("\x1f") if row["documents"] else [],
        )
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    return G
