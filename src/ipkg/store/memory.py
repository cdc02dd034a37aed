"""rdflib in memory: the store for small work and for notebooks."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Dataset
from rdflib.namespace import NamespaceManager
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from ..errors import Errors, IpkgError, QuerySyntaxError
from .base import Bindings, Store

__all__ = ["MemoryStore"]


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    try:
        return prepareQuery(text)
    except Exception as exc:  # pyparsing raises several types
        raise QuerySyntaxError(Errors.E009.format(reason=exc)) from None


class MemoryStore(Store):
    """An rdflib :class:`~rdflib.Dataset` behind the store interface.

    Examples
    --------
    >>> store = MemoryStore()
    >>> len(store), store.query("ASK { ?s ?p ?o }").askAnswer
    (0, False)
    """

    kind = "memory"
    # rdflib evaluates the page lines' sub-SELECTs more slowly than a whole answer.
    pages_in_query = False

    def __init__(self, dataset: Dataset | None = None) -> None:
        from ..kg.build import new_dataset

        self.dataset = dataset if dataset is not None else new_dataset()

    def load(self, ds: Dataset) -> None:
        for graph in ds.graphs():
            if graph.identifier == ds.default_graph.identifier or not len(graph):
                continue
            target = self.dataset.graph(graph.identifier)
            target.remove((None, None, None))
            for triple in graph:
                target.add(triple)

    def query(self, text: str, bindings: Bindings | None = None) -> Result:
        try:
            return self.dataset.query(_prepared(text), initBindings=dict(bindings or {}))
        except QuerySyntaxError:
            raise
        except Exception as exc:
            raise IpkgError(Errors.E009.format(reason=exc)) from None

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def namespace_manager(self) -> NamespaceManager:
        return self.dataset.namespace_manager
