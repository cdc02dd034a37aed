"""Oxigraph (pyoxigraph): the embedded, persistent store ``ipkg build`` writes next to graph.trig."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef, Variable  # Literal, URIRef: used by the examples
from rdflib.query import Result

from ..errors import Errors, IpkgError, QuerySyntaxError
from ..kg.quads import dataset_quads, ox_to_rdflib, rdflib_to_ox
from .base import Bindings, Store
from .text import with_values

__all__ = ["OxigraphStore", "STORE_DIR", "write_store", "ox_to_rdflib", "rdflib_to_ox", "dataset_quads"]

#: The store's folder inside a build folder.
STORE_DIR = "oxigraph"

class OxigraphStore(Store):
    """Oxigraph in memory (``path=None``) or on disk.

    The store keeps the union of its named graphs as its default graph, materialised after each
    load: Oxigraph answers ipkg's queries over its default graph many times faster than over the
    union it computes on the fly.

    Parameters
    ----------
    path : str or Path, optional
        The store's folder; created when missing unless ``read_only``.
    read_only : bool
        Open an existing store for reading only (several processes may do so at once).

    Examples
    --------
    >>> from ipkg.kg import new_dataset
    >>> ds = new_dataset()
    >>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal("o")))
    >>> store = OxigraphStore()
    >>> store.load(ds)
    >>> len(store), [str(r.o) for r in store.query("SELECT ?o { ?s ?p ?o }")]
    (1, ['o'])
    """

    kind = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").is_file():
                    raise IpkgError(Errors.E012.format(path=self.path))
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise IpkgError(Errors.E003.format(path=self.path, reason=exc)) from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        return self._store

    def load(self, ds: Dataset) -> None:
        quads = dataset_quads(ds)
        for name in {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}:
            self._store.remove_graph(name)
        self.load_quads(quads)

    def load_file(self, path: str | Path) -> None:
        """Add the quads of a TriG or N-Quads file (fast: parsed by Oxigraph)."""
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TRIG
        try:
            quads = list(ox.parse(path=str(path), format=fmt))
        except (SyntaxError, OSError) as exc:
            raise IpkgError(Errors.E003.format(path=path, reason=exc)) from None
        self.load_quads(quads)

    def load_quads(self, quads: Sequence[ox.Quad]) -> None:
        """Add ``quads`` in bulk, and their triples to the default graph (the union of the named graphs)."""
        default = ox.DefaultGraph()
        self._store.bulk_extend(quads)
        self._store.bulk_extend([ox.Quad(q.subject, q.predicate, q.object, default) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)])

    def query(self, text: str, bindings: Bindings | None = None) -> Result:
        try:
            answer = self._store.query(with_values(text, bindings or {}))
            return _to_result(answer)
        except SyntaxError as exc:
            raise QuerySyntaxError(Errors.E009.format(reason=exc)) from None
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise IpkgError(Errors.E009.format(reason=exc)) from None

    def __len__(self) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, None)) - self.default_size()

    def default_size(self) -> int:
        """Triples in the default graph: the distinct triples of all named graphs."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def close(self) -> None:
        self._store = ox.Store()


def _to_result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        res = Result("ASK")
        res.askAnswer = bool(answer)
        return res
    if isinstance(answer, ox.QueryTriples):
        res = Result("CONSTRUCT")
        from ..kg.build import new_dataset

        graph = Graph(namespace_manager=new_dataset().namespace_manager)
        for t in answer:
            graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
        res.graph = graph
        return res
    res = Result("SELECT")
    variables = [Variable(v.value) for v in answer.variables]
    res.vars = variables
    res.bindings = [
        {var: ox_to_rdflib(sol[var]) for var in variables if sol[var] is not None}
        for sol in answer
    ]
    return res


def write_store(sources: Iterable[str | Path | Sequence[ox.Quad]], folder: str | Path) -> Path:
    """Write a fresh Oxigraph store of ``sources`` (TriG/N-Quads files, or lists of quads) at ``folder``, replacing it whole.

    The store is built in a new hidden folder beside ``folder``; ``folder`` is a symbolic link
    that is then swapped to it in one atomic rename. A process killed at any moment leaves
    ``folder`` pointing at a complete store, the previous or the new one; leftovers of a killed
    build are removed by the next one.

    Returns
    -------
    Path
        ``folder``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (out / "g.nq").write_text("<urn:s> <urn:p> <urn:o> <urn:g> .")
    >>> len(OxigraphStore(write_store([out / "g.nq"], out / "oxigraph"), read_only=True))
    1
    """
    from ..kg.io import current_umask

    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{folder.name}-"
    live = folder.resolve() if folder.is_symlink() else None
    for stale in folder.parent.glob(f"{prefix}*"):
        if live is None or stale != live.parent:
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() and not stale.is_symlink() else stale.unlink(missing_ok=True)
    target = Path(tempfile.mkdtemp(dir=folder.parent, prefix=prefix))
    target.chmod(0o777 & ~current_umask())
    try:
        store = OxigraphStore(target / "db")
        for src in sources:
            if isinstance(src, (str, Path)):
                store.load_file(src)
            else:
                store.load_quads(src)
        store.oxigraph.flush()
        del store
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    if folder.exists() and not folder.is_symlink():
        shutil.rmtree(folder)  # a store written before stores were swapped by link
    link = folder.with_name(f"{prefix}link")
    link.unlink(missing_ok=True)
    link.symlink_to(f"{target.name}/db")
    os.replace(link, folder)
    if live is not None and live.parent != target:
        shutil.rmtree(live.parent, ignore_errors=True)
    return folder
