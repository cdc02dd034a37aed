"""Analysis: networkx projections of the knowledge graph."""

from .project import graph_to_actor_network

__all__ = ["graph_to_actor_network"]
