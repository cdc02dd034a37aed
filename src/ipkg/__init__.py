"""ipkg: the Iran–Pakistan knowledge graph.

Turns news texts into an RDF knowledge graph of actors, events, stances, quotes and figures,
each fact traced to the sentence and document that state it.

Examples
--------
>>> import ipkg
>>> sorted(ipkg.list_queries())[:2]
['actors', 'agreements']
"""

from importlib import import_module
from typing import Any

__all__ = ["IpkgError", "BuildSummary", "build", "build_graph", "list_queries", "run_query", "load_graph", "open_store"]

__version__ = "0.1.0"

# Imported on first use, so that `import ipkg.store` (a server worker) does not load spaCy.
_LAZY = {
    "IpkgError": ".errors",
    "list_queries": ".query.sparql",
    "run_query": ".query.sparql",
    "BuildSummary": ".workflow",
    "build": ".workflow",
    "build_graph": ".workflow",
    "load_graph": ".kg.io",
    "open_store": ".store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ipkg' has no attribute {name!r}")
