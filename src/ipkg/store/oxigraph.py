"""Oxigraph (pyoxigraph): the embedded, persistent store ``ipkg build`` writes next to graph.trig."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier

from ..errors import Errors, IpkgError, QuerySyntaxError
from .base import Bindings, Store
from .text import with_values

__all__ = ["OxigraphStore", "STORE_DIR", "write_store", "ox_to_rdflib", "rdflib_to_ox"]

#: The store's folder inside a build folder.
STORE_DIR = "oxigraph"

_XSD_STRING = str(XSD.string)



def ox_to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Identifier:
    """An Oxigraph term as the rdflib term it stands for (``xsd:string`` literals become plain).

    Examples
    --------
    >>> ox_to_rdflib(ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('2', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise IpkgError(Errors.E009.format(reason=f"RDF-star term {term} is not supported"))


def _converter() -> Callable[[ox.NamedNode | ox.BlankNode | ox.Literal], Identifier]:
    """:func:`ox_to_rdflib` remembering its answers: a result repeats its labels, kinds and dates
    on many rows, and building an rdflib literal costs more than looking one up."""
    cache: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Identifier] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Identifier:
        out = cache.get(term)
        if out is None:
            out = cache[term] = ox_to_rdflib(term)
        return out

    return convert


def rdflib_to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term.

    Examples
    --------
    >>> rdflib_to_ox(Literal("Tehran", lang="en"))
    <Literal value=Tehran language=en>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise IpkgError(Errors.E009.format(reason=f"cannot bind {term!r}"))


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
        names = [g.identifier for g in ds.graphs() if g.identifier != ds.default_graph.identifier and len(g)]
        for name in names:
            self._store.remove_graph(ox.NamedNode(str(name)))
        data = "".join(ds.graph(name).serialize(format="nt11").replace(" .\n", f" {name.n3()} .\n") for name in names)
        self._store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        self._refresh_default_graph()

    def load_file(self, path: str | Path) -> None:
        """Add the quads of a TriG or N-Quads file (fast: parsed by Oxigraph)."""
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".")) or ox.RdfFormat.TRIG
        try:
            self._store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, OSError) as exc:
            raise IpkgError(Errors.E003.format(path=path, reason=exc)) from None
        self._refresh_default_graph()

    def _refresh_default_graph(self) -> None:
        self._store.clear_graph(ox.DefaultGraph())
        self._store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

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
        convert = _converter()
        for t in answer:
            graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
        res.graph = graph
        return res
    res = Result("SELECT")
    variables = [Variable(v.value) for v in answer.variables]
    res.vars = variables
    convert = _converter()
    res.bindings = [
        {var: convert(term) for var, term in zip(variables, solution) if term is not None}
        for solution in answer
    ]
    return res


def write_store(sources: Iterable[str | Path], folder: str | Path) -> Path:
    """Write a fresh Oxigraph store of the TriG/N-Quads ``sources`` at ``folder``, replacing it whole.

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
            store.load_file(src)
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
