"""Analysis: networkx projections of the knowledge graph, their measures, and relations over time."""

from .metrics import (
    WEIGHTS,
    Brokers,
    betweenness,
    brokers,
    communities,
    ego_network,
    pagerank,
    rank,
    resolve_actor,
    to_simple,
    weighted_degree,
)
from .project import graph_to_actor_network, graph_to_bipartite, node_to_iri
from .series import DyadSeries, SeriesPoint, dyad_series, focus_pair, load_dyads, series_for_dyads, series_to_csv

__all__ = [
    "graph_to_actor_network",
    "graph_to_bipartite",
    "node_to_iri",
    "WEIGHTS",
    "Brokers",
    "resolve_actor",
    "to_simple",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "communities",
    "ego_network",
    "brokers",
    "rank",
    "DyadSeries",
    "SeriesPoint",
    "dyad_series",
    "series_for_dyads",
    "series_to_csv",
    "load_dyads",
    "focus_pair",
]
