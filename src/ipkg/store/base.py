"""The interface every store shares: load a dataset, answer SPARQL, count quads."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import TracebackType

from rdflib import Dataset
from rdflib.namespace import NamespaceManager
from rdflib.query import Result
from rdflib.term import Identifier

__all__ = ["Store", "Bindings"]

Bindings = Mapping[str, Identifier]


class Store(ABC):
    """A place that holds ipkg's graph and answers SPARQL over it.

    A store's default graph is the union of its named graphs, as in the dataset
    :func:`ipkg.kg.new_dataset` builds, so the bundled queries need no ``FROM``.

    Implementations: :class:`~ipkg.store.MemoryStore` (rdflib), :class:`~ipkg.store.OxigraphStore`
    (embedded, persistent) and :class:`~ipkg.store.RemoteStore` (any SPARQL 1.1 server).
    """

    #: Short name shown by ``ipkg`` (``memory``, ``oxigraph``, ``remote``).
    kind: str = ""

    #: Whether :func:`~ipkg.query.run_query` has the store cut a page of a bundled query with the
    #: query's page lines, rather than cut it from the whole answer.
    pages_in_query: bool = True

    @property
    def page_index(self) -> bool:
        """Whether the store holds a current page index (:mod:`ipkg.store.pageindex`), which the
        ``#index`` lines of a bundled query read instead of sorting all its rows. Only Oxigraph has one."""
        return False

    @abstractmethod
    def load(self, ds: Dataset) -> None:
        """Replace the named graphs of ``ds`` in the store with their content in ``ds``."""

    @abstractmethod
    def query(self, text: str, bindings: Bindings | None = None) -> Result:
        """Answer a SPARQL query; ``bindings`` fix variables before evaluation (never text-spliced)."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads (triples in named graphs)."""

    @property
    def namespace_manager(self) -> NamespaceManager:
        """The prefixes ipkg writes IRIs with (``event:``, ``actor:`` ...)."""
        from ..kg.build import new_dataset

        return new_dataset().namespace_manager

    def close(self) -> None:
        """Release files or connections; the store is unusable afterwards."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
