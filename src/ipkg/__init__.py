"""ipkg: the Iran–Pakistan knowledge graph.

Turns news texts into an RDF knowledge graph of actors, events, stances, quotes and figures,
each fact traced to the sentence and document that state it.

Examples
--------
>>> import ipkg
>>> sorted(ipkg.list_queries())[:2]
['actors', 'agreements']
"""

from .errors import IpkgError
from .query.sparql import list_queries, run_query
from .workflow import BuildSummary, build, build_graph

__all__ = ["IpkgError", "BuildSummary", "build", "build_graph", "list_queries", "run_query", "load_graph"]

__version__ = "0.1.0"


def load_graph(location):  # type: ignore[no-untyped-def]
    """Load a build folder or a TriG file (see :func:`ipkg.kg.io.load_graph`)."""
    from .kg.io import load_graph as _load

    return _load(location)
