"""The SPARQL 1.1 endpoint: ``ipkg serve`` and its Python API.

Query workers import :mod:`ipkg.server.worker` in fresh processes, so this package loads its
HTTP side (and through it spaCy-free but heavier modules) only on first use.
"""

from importlib import import_module
from typing import Any

__all__ = ["ServeConfig", "SparqlServer", "make_server", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module(".app", __name__), name)
    raise AttributeError(f"module 'ipkg.server' has no attribute {name!r}")
