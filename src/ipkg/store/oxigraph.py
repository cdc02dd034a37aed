"""Oxigraph (pyoxigraph): the embedded, persistent store ``ipkg build`` writes next to graph.trig."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef, Variable  # noqa: F401  (Literal, URIRef: the examples use them)
from rdflib.query import Result

from ..errors import Errors, IpkgError, QuerySyntaxError
from ..kg.quads import NQuads, _Memo, batches, dataset_quads, ox_to_rdflib, rdflib_to_ox
from . import pageindex
from .base import Bindings, Store
from .text import with_values

__all__ = [
    "OxigraphStore", "STORE_DIR", "StoreChanges", "digests_key", "store_changes", "store_digests", "store_digests_keyed", "union_size", "write_store", "update_store",
    "Checkpoint", "prepare_update",
    "ox_to_rdflib", "rdflib_to_ox", "dataset_quads",
]


#: The store's folder inside a build folder.
STORE_DIR = "oxigraph"
#: :func:`update_store` patches the store when at most 1/PATCH_SHARE of its graphs changed, else writes it whole
#: (at 10^4 documents, replacing a graph in place took ~90 ms, bulk-loading it ~6 ms).
PATCH_SHARE = 50
#: Bytes of N-Quads handed to Oxigraph's bulk loader at a time.
LOAD_BATCH = 32 << 20


class OxigraphStore(Store):
    """Oxigraph in memory (``path=None``) or on disk.

    The store keeps the union of its named graphs as its default graph, materialised after each
    load: Oxigraph answers ipkg's queries over its default graph many times faster than over the
    union it computes on the fly. It can also keep a page index (:mod:`ipkg.store.pageindex`,
    the named graph ``ix:graph``) with which a page of a bundled query is found without sorting
    all its rows: :meth:`refresh_index` writes it (as :func:`write_store` and
    :func:`update_store` do), a bulk load marks it out of date, and :meth:`replace_graphs`
    updates it in place. Without a current one, pages are computed from the graph alone.

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

    @property
    def page_index(self) -> bool:
        """Whether the store has a current page index (:meth:`refresh_index` writes one)."""
        return pageindex.present(self._store)

    def refresh_index(self) -> None:
        """Write the page index if it is absent or out of date (a few seconds at 10^6 triples)."""
        if not pageindex.present(self._store):
            pageindex.build(self._store)

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

    def load_quads(self, quads: Sequence[ox.Quad] | NQuads) -> None:
        """Add ``quads`` in bulk, and their triples to the default graph (the union of the named graphs).

        N-Quads text goes to Oxigraph's bulk loader in batches of about ``LOAD_BATCH`` bytes,
        which bounds the loader's memory. The page index is marked out of date."""
        default = ox.DefaultGraph()
        pageindex.drop(self._store)
        if isinstance(quads, NQuads):
            for batch in batches(quads.graphs.values(), LOAD_BATCH):
                self._store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
            for batch in quads.union(LOAD_BATCH):
                self._store.bulk_load(batch, format=ox.RdfFormat.N_TRIPLES, to_graph=default)
            return
        self._store.bulk_extend(quads)
        self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))

    def replace_graphs(
        self, graphs: Mapping[ox.NamedNode | ox.BlankNode, Iterable[ox.Quad] | bytes], old: Mapping[ox.NamedNode | ox.BlankNode, bytes] | None = None
    ) -> set[ox.Triple]:
        """Make each named graph of ``graphs`` hold exactly the given quads (none: the graph is
        removed), and keep the default graph (the union) and the page index in step.

        A graph is given as quads or as its N-Quads text (a chunk of :class:`~ipkg.kg.quads.NQuads`).
        ``old`` may give, for graphs given as text, the N-Quads text the store holds for them now
        (as it was written: the caller vouches for it), which then is not read from the store.
        Only the difference is written: the triples a graph loses and those it gains. Of those,
        a triple enters the default graph if it was not there yet, and leaves it if no named graph
        states it any longer; the page index is updated for the triples that entered or left.

        Returns
        -------
        set of Triple
            The triples that entered or left the default graph.

        Examples
        --------
        >>> t = lambda s: ox.Triple(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"))
        >>> g, h = ox.NamedNode("urn:g"), ox.NamedNode("urn:h")
        >>> store = OxigraphStore()
        >>> store.load_quads([ox.Quad(*t("urn:a"), g), ox.Quad(*t("urn:b"), g), ox.Quad(*t("urn:b"), h)])
        >>> sorted(x.subject.value for x in store.replace_graphs({g: [ox.Quad(*t("urn:c"), g)]}))
        ['urn:a', 'urn:c']
        >>> len(store), store.default_size()
        (2, 2)
        """
        default = ox.DefaultGraph()
        gone: set[ox.Triple] = set()
        new: set[ox.Triple] = set()
        for name, quads in graphs.items():
            removed, added, empty = self._graph_diff(name, quads, (old or {}).get(name))
            gone |= removed
            new |= added
            if empty:
                self._store.remove_graph(name)
                continue
            for t in removed:
                self._store.remove(ox.Quad(t.subject, t.predicate, t.object, name))
            self._store.extend([ox.Quad(t.subject, t.predicate, t.object, name) for t in added])
        changed = {t for t in new if ox.Quad(t.subject, t.predicate, t.object, default) not in self._store}
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in changed)
        for t in gone - new:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != pageindex.GRAPH for q in self._store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                self._store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
                changed.add(t)
        pageindex.update(self._store, changed)
        return changed

    def _graph_diff(self, name: ox.NamedNode | ox.BlankNode, quads: Iterable[ox.Quad] | bytes, text: bytes | None = None) -> tuple[set[ox.Triple], set[ox.Triple], bool]:
        """The triples graph ``name`` loses and those it gains when it comes to hold ``quads``, and
        whether it then holds none; ``text``: what it holds now, as N-Quads, if the caller has it."""
        # The graph's term ends each line (a literal holds no raw newline).
        end = f" {name} .\n".encode("utf-8")
        old = text.replace(end, b" .\n") if isinstance(quads, bytes) and text is not None else self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        if isinstance(quads, bytes):
            # A triple written alike on both sides is left out before anything is parsed.
            before = set(old.split(b"\n"))
            before.discard(b"")
            after = set(quads.replace(end, b" .\n").split(b"\n"))
            after.discard(b"")
            removed = _triples(b"\n".join(before - after))
            added = _triples(b"\n".join(after - before))
            return removed - added, added - removed, not after
        before_t = _triples(old)
        after_t = {q.triple for q in quads}
        return before_t - after_t, after_t - before_t, not after_t

    def query(self, text: str, bindings: Bindings | None = None) -> Result:
        try:
            answer = self._store.query(with_values(text, bindings or {}))
            return _to_result(answer)
        except SyntaxError as exc:
            raise QuerySyntaxError(Errors.E009.format(reason=exc)) from None
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise IpkgError(Errors.E009.format(reason=exc)) from None

    def __len__(self) -> int:
        """Quads in the named graphs, the page index left out."""
        return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{pageindex.GRAPH.value}>) }}")

    def default_size(self) -> int:
        """Triples in the default graph: the distinct triples of all named graphs."""
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

    def _count(self, query: str) -> int:
        solution = next(iter(self._store.query(query, use_default_graph_as_union=False)))  # type: ignore[arg-type]
        return int(solution["n"].value)  # type: ignore[index,union-attr]

    def close(self) -> None:
        self._store = ox.Store()


def bound_query(store: ox.Store, text: str, bindings: Mapping[str, Any]) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """``store``'s answer to the query ``text`` with the variables of ``bindings`` (rdflib terms) fixed.

    A query that projects the variables gets them as Oxigraph's substitutions, which its planner
    starts from; else they are joined as a ``VALUES`` block (:func:`~ipkg.store.text.with_values`).
    Which is quicker depends on the query: at 10^4 documents, ``graph-reads.oxigraph.rq`` took 0.3 s
    with a block and 0.01 s with the graph substituted, ``graph-events.oxigraph.rq`` 0.02 s with a
    block and 10 s substituted. A query chooses by what it projects. Either way the values are
    terms, never text.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    >>> [str(s["s"]) for s in bound_query(store, "SELECT ?s ?o { ?s ?p ?o }", {"o": Literal("o")})]
    ['<urn:s>']
    >>> [str(s["s"]) for s in bound_query(store, "SELECT ?s { ?s ?p ?o }", {"o": Literal("x")})]
    []
    """
    if bindings:
        try:
            return store.query(text, substitutions={ox.Variable(name): rdflib_to_ox(term) for name, term in bindings.items()})
        except RuntimeError:
            pass  # a variable the query does not project
    return store.query(with_values(text, bindings))


def _triples(text: bytes) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}


def _to_result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        res = Result("ASK")
        res.askAnswer = bool(answer)
        return res
    if isinstance(answer, ox.QueryTriples):
        res = Result("CONSTRUCT")
        from ..kg.build import new_dataset

        graph = Graph(namespace_manager=new_dataset().namespace_manager)
        convert = _Memo(ox_to_rdflib).__getitem__
        for t in answer:
            graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
        res.graph = graph
        return res
    res = Result("SELECT")
    variables = [Variable(v.value) for v in answer.variables]
    res.vars = variables
    convert = _Memo(ox_to_rdflib).__getitem__
    res.bindings = [
        {var: convert(term) for var, term in zip(variables, solution) if term is not None}
        for solution in answer
    ]
    return res


def write_store(sources: Iterable[str | Path | Sequence[ox.Quad] | NQuads], folder: str | Path) -> Path:
    """Write a fresh Oxigraph store of ``sources`` (TriG/N-Quads files, lists of quads or :class:`~ipkg.kg.quads.NQuads`) at ``folder``, replacing it whole.

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

    def fill(store: OxigraphStore) -> None:
        for src in sources:
            if isinstance(src, (str, Path)):
                store.load_file(src)
            else:
                store.load_quads(src)

    _swap_in(Path(folder), fill)
    return Path(folder)


DIGESTS = "graphs.json"
#: Beside the digests, what :func:`update_store` changed in the default graph (see :func:`store_changes`).
CHANGES = "changes.json"
#: Beside the digests, how many triples the default graph holds (see :func:`union_size`).
SIZE = "size.json"
#: Beside the digests, the N-Quads text of each graph of at least ``TEXT_MIN`` bytes, in a file named
#: by its digest: what :func:`update_store` compares a changed graph with, rather than reading it
#: from the store (at 10^4 documents the graph of actors, 2 MB, took 0.1-0.3 s to read back).
TEXTS = "texts"
TEXT_MIN = 128 << 10


def union_size(folder: str | Path, digests: Mapping[str, str] | None = None, *, key: str | None = None) -> int | None:
    """How many triples the default graph (the union) of the store at ``folder`` holds, as
    :func:`update_store` recorded it beside the store, or None if there is no such record or it was
    written for other graphs than ``digests`` (by default, the digests kept beside the store), or
    than those of :func:`digests_key` ``key``.

    :meth:`OxigraphStore.default_size` counts them instead (at 10^4 documents, 0.4 s).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "oxigraph"
    >>> q = lambda s, g: ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(g))
    >>> quads = NQuads.from_quads([q("urn:a", "urn:g"), q("urn:a", "urn:h"), q("urn:b", "urn:h")])
    >>> update_store(quads, folder)
    >>> union_size(folder), union_size(folder, quads.digests), union_size(folder, {})
    (2, 2, None)
    """
    if key is None:
        stored = store_digests_keyed(folder) if digests is None else None
        key = stored[1] if stored is not None else digests_key(digests or {})
    return _union_size(folder, key)


def _union_size(folder: str | Path, key: str) -> int | None:
    try:
        data = _beside(folder, SIZE)
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and data.get("graphs") == key and type(data.get("triples")) is int and data["triples"] >= 0:
        return int(data["triples"])
    return None


def _kept_text(live: Path, name: str, digest: str) -> bytes | None:
    """Graph ``name``'s text kept beside the store at ``live`` (its ``db`` folder), if it is the chunk of ``digest``."""
    try:
        text = (live.parent / TEXTS / f"{digest}.nq").read_bytes()
    except OSError:
        return None
    return text if hashlib.sha256(text).hexdigest() == digest else None


@dataclass(frozen=True)
class StoreChanges:
    """The triples :func:`update_store` added to or removed from a store's default graph (the union),
    and the :func:`digests_key` of the store's graphs before and after."""

    before: str
    after: str
    triples: list[ox.Triple]


def digests_key(digests: Mapping[str, str]) -> str:
    """One SHA-256 (hex) for a store's graph digests.

    Examples
    --------
    >>> digests_key({"<urn:g>": "00"}) == digests_key({"<urn:g>": "00"}) != digests_key({})
    True
    """
    return hashlib.sha256("".join(f"{name}\t{digest}\n" for name, digest in sorted(digests.items())).encode("utf-8")).hexdigest()


def store_changes(folder: str | Path) -> StoreChanges | None:
    """What the last :func:`update_store` that patched the store at ``folder`` changed in its default
    graph, or None when the store was written whole (or the record cannot be read).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "oxigraph"
    >>> q = lambda s, g: ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(g))
    >>> quads = [q(f"urn:s{i}", f"urn:g{i}") for i in range(100)]
    >>> update_store(NQuads.from_quads(quads), folder) is None and store_changes(folder) is None
    True
    >>> update_store(NQuads.from_quads([*quads[1:], q("urn:c", "urn:g10")]), folder)
    2
    >>> sorted(str(t) for t in store_changes(folder).triples)
    ['<urn:c> <urn:p> "o"', '<urn:s0> <urn:p> "o"']
    """
    try:
        data = _beside(folder, CHANGES)
        return StoreChanges(data["before"], data["after"], list(ox.parse("".join(data["triples"]), format=ox.RdfFormat.N_TRIPLES)))
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        return None


def _beside(folder: str | Path, name: str) -> Any:
    """The JSON file ``name`` kept beside the store at ``folder`` (the link a build writes, or the folder it points to)."""
    return json.loads((Path(folder).resolve().parent / name).read_text(encoding="utf-8"))


def store_digests(folder: str | Path) -> dict[str, str] | None:
    """The digests of the named graphs of the store at ``folder`` (the link a build writes, or
    the folder it points to) as it was written (see :func:`update_store`), or None if there is no
    such store or they cannot be read."""
    record = _digests_record(folder)
    return dict(record[0]) if record is not None else None


def store_digests_keyed(folder: str | Path) -> tuple[dict[str, str], str] | None:
    """:func:`store_digests` and their :func:`digests_key`, or None where there are no digests.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "oxigraph"
    >>> store_digests_keyed(folder) is None
    True
    >>> update_store(NQuads.from_quads([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))]), folder)
    >>> digests, key = store_digests_keyed(folder)
    >>> digests == store_digests(folder) and key == digests_key(digests)
    True
    """
    record = _digests_record(folder)
    return (dict(record[0]), record[1]) if record is not None else None


# Each build reads the digests of its store several times (the patch, the row cache, SHACL's
# cache), at 10^4 documents 15 ms a time: the file is read again only when it is another.
_RECORDS: dict[str, tuple[tuple[int, ...], dict[str, str], str]] = {}


def _digests_record(folder: str | Path) -> tuple[dict[str, str], str] | None:
    from ..kg.io import file_identity

    path = Path(folder).resolve().parent / DIGESTS
    try:
        st = path.stat()
        seen = _RECORDS.get(str(path))
        if seen is not None and seen[0] == file_identity(st):
            return seen[1], seen[2]
        digests = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(digests, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in digests.items()):
        return None
    key = digests_key(digests)
    _RECORDS.clear()
    _RECORDS[str(path)] = (file_identity(st), digests, key)
    return digests, key


def _write_digests(path: Path, digests: Mapping[str, str], key: str) -> None:
    """Write ``digests`` (of :func:`digests_key` ``key``) to ``path``, and remember them as its content."""
    from ..kg.io import file_identity

    ordered = dict(sorted(digests.items()))
    path.write_text(json.dumps(ordered) + "\n", encoding="utf-8")  # one line: Python's C encoder
    _RECORDS.clear()
    _RECORDS[str(path.resolve())] = (file_identity(path.stat()), ordered, key)


@dataclass
class Checkpoint:
    """A copy (by hard links) of the live store at ``folder``, opened for writing in a hidden
    folder beside it, made by :func:`prepare_update` for :func:`update_store` to patch."""

    folder: Path
    live: Path
    target: Path
    store: OxigraphStore

    def discard(self) -> None:
        """Close the copy and delete it."""
        self.store.close()
        shutil.rmtree(self.target, ignore_errors=True)


def prepare_update(folder: str | Path) -> Checkpoint | None:
    """Copy and open ahead of time what :func:`update_store` patches, or None when there is no
    store at ``folder`` to patch. The copy is a checkpoint of a live store, which is never written
    in place (each update swaps a new one in), so it holds what the store holds for as long as the
    link ``folder`` points at it. A build makes it while the pipeline is built in another process
    (at 10^4 documents ~0.15 s of the patch).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "oxigraph"
    >>> prepare_update(folder) is None
    True
    >>> q = lambda s, g: ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(g))
    >>> quads = [q(f"urn:s{i}", f"urn:g{i}") for i in range(100)]
    >>> update_store(NQuads.from_quads(quads), folder)
    >>> checkpoint = prepare_update(folder)
    >>> update_store(NQuads.from_quads([*quads[1:], q("urn:c", "urn:g10")]), folder, checkpoint)
    2
    >>> checkpoint.target == folder.resolve().parent, len(OxigraphStore(folder, read_only=True))
    (True, 100)
    """
    folder = Path(os.path.abspath(folder))
    if not folder.is_symlink() or store_digests(folder) is None:
        return None
    live = folder.resolve()
    _remove_stale(folder, live)
    target = _new_folder(folder)
    try:
        ox.Store.read_only(str(live)).backup(str(target / "db"))
        return Checkpoint(folder, live, target, OxigraphStore(target / "db"))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise


def update_store(quads: NQuads, folder: str | Path, checkpoint: Checkpoint | None = None) -> int | None:
    """Make the store at ``folder`` hold exactly ``quads``, rewriting only the named graphs that changed.

    Beside the store, ``graphs.json`` keeps a digest of each named graph as it was written. The
    live store is copied (by hard links: a checkpoint) into a new hidden folder, the graphs whose
    digest changed are replaced there (and the default graph, the union, follows), and the copy
    is swapped in as :func:`write_store` does, with the same guarantee against a kill at any
    moment. Without a store and its digests at ``folder``, or when more than one graph and more
    than 1/``PATCH_SHARE`` of them changed (a bulk load is then faster), it writes the store whole.
    Beside the digests go the size of the union (``size.json``, see :func:`union_size`) and the
    text of each graph of at least ``TEXT_MIN`` bytes (``texts``), which a patch compares such a
    graph with when it changes, if the text is the one of its digest, rather than read it back.

    ``checkpoint``, made by :func:`prepare_update` for the same ``folder``, is patched instead of a
    new copy when the link still points at the store it copied; else (and when nothing is patched)
    it is discarded.

    Returns
    -------
    int or None
        How many named graphs were added, changed or removed; ``None`` if the store was written whole.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "oxigraph"
    >>> q = lambda s, g: ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(g))
    >>> quads = [q(f"urn:s{i}", f"urn:g{i}") for i in range(100)]
    >>> update_store(NQuads.from_quads(quads), folder) is None
    True
    >>> update_store(NQuads.from_quads([*quads[1:], q("urn:c", "urn:g10")]), folder)
    2
    >>> update_store(NQuads.from_quads([*quads[1:], q("urn:c", "urn:g10")]), folder)
    0
    >>> len(OxigraphStore(folder, read_only=True))
    100
    """
    folder = Path(folder)
    digests = quads.digests
    live = folder.resolve() if folder.is_symlink() else None
    stored = store_digests_keyed(folder) if live is not None else None
    before, start = stored if stored is not None else (None, None)
    changed = sorted(n for n in {*digests, *(before or {})} if digests.get(n) != (before or {}).get(n))
    if checkpoint is not None and (not changed or checkpoint.live != live or checkpoint.folder != Path(os.path.abspath(folder))):
        checkpoint.discard()
        checkpoint = None
    if not isinstance(before, dict) or len(changed) > max(1, len(digests) // PATCH_SHARE, len(before) // PATCH_SHARE):
        if checkpoint is not None:
            checkpoint.discard()
        _swap_in(folder, lambda store: store.load_quads(quads), digests=digests, texts=quads.graphs)
        return None
    if changed:
        assert live is not None
        after = quads.digests_key
        graphs = {_graph_name(n): bytes(quads.graphs.get(n, b"")) for n in changed}
        kept = {_graph_name(n): text for n in changed if n in before for text in [_kept_text(live, n, before[n])] if text is not None}
        assert start is not None
        was = _union_size(folder, start)

        def patch(store: OxigraphStore) -> int | None:
            triples = store.replace_graphs(graphs, kept)
            record = {"before": start, "after": after, "triples": sorted(f"{t} .\n" for t in triples)}
            assert store.path is not None
            (store.path.parent / CHANGES).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            if was is None:
                return None
            default = ox.DefaultGraph()
            entered = sum(ox.Quad(t.subject, t.predicate, t.object, default) in store.oxigraph for t in triples)
            return was + entered - (len(triples) - entered)

        _swap_in(folder, patch, copy_of=live, digests=digests, texts=quads.graphs, key=after, checkpoint=checkpoint)
    return len(changed)


def _keep_texts(folder: Path, old: Path | None, digests: Mapping[str, str], texts: Mapping[str, bytes]) -> None:
    """Write in ``folder`` the text of each graph of ``texts`` of at least ``TEXT_MIN`` bytes, named by its digest (linked from ``old`` where it is there)."""
    folder.mkdir()
    for name, text in texts.items():
        if len(text) >= TEXT_MIN:
            file = f"{digests[name]}.nq"
            try:
                os.link(old / file, folder / file)  # type: ignore[operator]
            except (OSError, TypeError):
                (folder / file).write_bytes(text)


def _remove_stale(folder: Path, live: Path | None) -> None:
    """Delete what earlier writes left beside the link ``folder`` (absolute), but its live store."""
    for stale in folder.parent.glob(f".{folder.name}-*"):
        if live is None or stale.resolve() != live.parent:  # both resolved: a relative or linked ``folder`` must not lose its live store
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() and not stale.is_symlink() else stale.unlink(missing_ok=True)


def _new_folder(folder: Path) -> Path:
    """A new hidden folder beside the link ``folder`` (absolute), for a store to swap in."""
    from ..kg.io import current_umask

    target = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    target.chmod(0o777 & ~current_umask())
    return target


def _graph_name(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text[1:-1])


def _swap_in(
    folder: Path,
    fill: Callable[[OxigraphStore], int | None],
    copy_of: Path | None = None,
    digests: dict[str, str] | None = None,
    texts: Mapping[str, bytes] | None = None,
    key: str | None = None,
    checkpoint: Checkpoint | None = None,
) -> None:
    """Build a store with ``fill`` (on a checkpoint of ``copy_of``, or empty; or on ``checkpoint``,
    one made already) in a new hidden folder and point the link ``folder`` at it. With ``digests``,
    they are written beside the store, with the size of its union (``fill``'s answer, else counted;
    ``key``: their :func:`digests_key`, if known) and the text of each of ``texts`` (the graphs'
    chunks) of at least ``TEXT_MIN`` bytes."""
    folder = Path(os.path.abspath(folder))
    folder.parent.mkdir(parents=True, exist_ok=True)
    live = folder.resolve() if folder.is_symlink() else None
    if checkpoint is None:
        _remove_stale(folder, live)
        target = _new_folder(folder)
    else:
        target = checkpoint.target
    try:
        if checkpoint is not None:
            store = checkpoint.store
        else:
            if copy_of is not None:
                ox.Store.read_only(str(copy_of)).backup(str(target / "db"))
            store = OxigraphStore(target / "db")
        size = fill(store)
        with ThreadPoolExecutor(2) as pool:
            # A store written whole is compacted once, as later writes would compact it anyway
            # (Oxigraph keeps its upper levels uncompressed): at 10^6 triples that takes 3 s,
            # and whole answers come 10-25% faster, for about 1.8 times the disk. RocksDB
            # compacts while the page index is written (10^4 documents: 7 -> 5 s for both).
            compacted = pool.submit(store.oxigraph.optimize) if copy_of is None else None
            counted = pool.submit(store.default_size) if size is None and digests is not None else None
            store.refresh_index()
            if compacted is not None:
                compacted.result()
            if counted is not None:
                size = counted.result()
        store.oxigraph.flush()
        store.close()  # the checkpoint's handle too
        del store
        if digests is not None:
            key = key or digests_key(digests)
            _write_digests(target / DIGESTS, digests, key)
            (target / SIZE).write_text(json.dumps({"graphs": key, "triples": size}), encoding="utf-8")
            _keep_texts(target / TEXTS, copy_of.parent / TEXTS if copy_of is not None else None, digests, texts or {})
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    if folder.exists() and not folder.is_symlink():
        shutil.rmtree(folder)  # a store written before stores were swapped by link
    link = folder.with_name(f".{folder.name}-link")
    link.unlink(missing_ok=True)
    link.symlink_to(f"{target.name}/db")
    os.replace(link, folder)
    if live is not None and live.parent != target:
        shutil.rmtree(live.parent, ignore_errors=True)
