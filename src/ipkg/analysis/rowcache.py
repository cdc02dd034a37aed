"""A file of the rows the projection queries gave for a store ``ipkg build`` wrote, brought up to date graph by graph.

``ipkg build`` keeps beside its Oxigraph store a digest of each named graph (``graphs.json``, see
:func:`ipkg.store.update_store`). The cache keeps the rows of the four projection queries
(``edges``, ``nodes``, ``aliases``, ``positions``), the digests they were read under, and, for each
named graph, the identifiers of the documents it describes. When graphs changed since:

* the rows of ``nodes`` and ``aliases`` are read again only for the actors whose labels
  (``skos:prefLabel``, ``skos:altLabel``) or types of actor classes changed in the union, one actor
  at a time, when :func:`ipkg.store.oxigraph.store_changes` records what the store's last patch
  changed from the digests the cache holds to the store's (reading both whole took ~0.1 s at 10^4
  documents, two actors ~2 ms); else (no such record, a changed ``rdfs:subClassOf``, more than
  :data:`ACTORS_MAX` actors) they are read whole, as those of ``positions`` are; but the rows of a
  query the caller skips (the explorer page shows no states: it skips ``positions``, 0.17 s) are not
  read: the cache keeps them marked stale, and reads them again when a caller needs them;
* the rows of ``edges`` (3 to 4 s to read whole at 10^4 documents) are read again only for the
  events a changed graph may touch, one event at a time (``edges-of-event.oxigraph.rq``): the events
  whose cached rows name a document the graph described, and the events the graph as it is now
  reaches (``graph-events.oxigraph.rq``: a triple of the event, of its evidence, of the evidence's
  document, of its kind or of its event type).

The first set rests on how ipkg writes graphs: one named graph per document, with that document's
mentions of events, their evidence and the document itself, so that the events a document's graph
touches are the events whose rows name the document; and the actors' graph, which touches none.
It is checked on every new graph (each event it reaches names its document, or has no rows; the
actors' graph holds no triple a row reads, ``graph-reads.oxigraph.rq``, which takes ~0.01 s at 10^4
documents where ``graph-events`` took ~0.6 s). The rows are read whole instead when that check
fails, when a graph that describes no document (the ontology) changed, when more than one graph in
:data:`CHANGED_SHARE` changed or more than one event in :data:`EVENTS_SHARE` is touched, when the
cache was written by other code or queries, and when the store has no digests (``--rebuild``). The
rows are the same either way.

The cache is two files (never unpickled), each written through a temporary file and a rename, not
flushed to disk (a file a crash cut short or filled with zeros has cells of the wrong count, read as
damaged). The base file: a line naming the format, a line of JSON (the fingerprint, a random id,
the digests and their :func:`~ipkg.store.oxigraph.digests_key`, the graphs' documents, the stale queries, how many rows each query gave, whether cells
are cut by lengths), then the cells' text, UTF-8, one after the other with a NUL after each (split
in one call), or, when a cell holds a NUL, the length of every cell as 32-bit little-endian integers
before the text. The rows of ``edges``, ``nodes`` and ``aliases`` are kept sorted. At 10^4 documents
(15 MB) it is read in ~0.07 s and written in ~0.13 s. Beside it, ``<name>.journal``, in the same
form, takes the base to the rows the cache holds: the id of its base, the digests and the graphs'
documents that differ from the base's, the stale queries, and for each query either its rows
whole, or the first cells (events, actors) whose rows in the base are replaced and their new
rows, spliced into the base's. A change is written to the journal (the one of an added document
at 10^4: 30 kB), which is folded into a new base file (and removed) once it would hold more than one
cell in :data:`JOURNAL_SHARE` of the base's. A journal on another base (its id), of other code or
damaged is not used: the base's rows are, as they were, and brought up to date as any.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
import json
import secrets
import sys
from array import array
from itertools import accumulate, chain
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..kg.io import preload, preloaded, write_atomic
from ..resources import update_with_files
from ..kg.mint import ACTORS_GRAPH
from ..store import OxigraphStore
from ..store.oxigraph import digests_key, store_changes, store_digests_keyed

if TYPE_CHECKING:
    from .project import _Names

__all__ = ["cached_rows", "preload_rows", "CHANGED_SHARE", "EVENTS_SHARE", "JOURNAL_SHARE", "ACTORS_MAX"]

#: At most one graph in this many may have changed for the rows to be brought up to date (at 10^4
#: documents, reading edges whole took 3-4 s, finding the events one changed graph touches ~0.1 s).
CHANGED_SHARE = 300
#: At most one event in this many (or 100 events) may be touched for the rows to be brought up to
#: date (reading one event's rows took ~7 ms).
EVENTS_SHARE = 100

#: The journal is folded into a new base file when it would hold more than one cell in this many of the base's.
JOURNAL_SHARE = 8
#: At most this many actors' rows of ``nodes`` and ``aliases`` are read again one actor at a time (each ~1 ms), else all.
ACTORS_MAX = 100

QUERIES = ("edges", "nodes", "aliases", "positions")
#: The queries whose rows the cache keeps sorted (and returns so).
_SORTED = ("edges", "nodes", "aliases")
#: The queries read whole whenever a graph changed, which a caller may skip.
_LAZY = ("nodes", "aliases", "positions")
WIDTHS = {"edges": 10, "nodes": 3, "aliases": 2, "positions": 2}
_MAGIC = b"ipkg rowcache 5\n"
_JOURNAL = b"ipkg rowcache journal 1\n"
_SUBCLASS = str(RDFS.subClassOf)
_TYPE = str(RDF.type)
#: The properties of the rows of ``nodes`` and ``aliases`` but the actors' types.
_LABELS = frozenset({str(SKOS.prefLabel), str(SKOS.altLabel)})
#: The actors' graph holds their types, labels and Wikidata IDs, which no row of ``edges`` reads.
_ACTORS = f"<{ACTORS_GRAPH}>"
_HERE = Path(__file__).parent
_SEP = "\x1f"
#: Between cells in the file, unless a cell holds it.
_CELL = "\x00"

Rows = dict[str, list[tuple[str, ...]]]
#: A query to start: its name (no bindings), or its name and bindings.
Query = str | tuple[str, dict[str, Any]]
Select = Callable[..., list[tuple[str, ...]]]


def cached_rows(store: OxigraphStore, path: Path, select: Select, names: _Names, changes: dict[str, Any] | None = None, skip: Collection[str] = (), prefetch: Callable[[Collection[Query]], None] | None = None) -> Rows | None:
    """The rows of the projection queries, from the cache at ``path`` where it holds them, and the cache updated.

    Parameters
    ----------
    store : OxigraphStore
        The store; only one ``ipkg build`` wrote, with its digests, is cached.
    path : Path
        The cache file (its journal goes beside it, ``<name>.journal``).
    select : callable
        ``select(name, **bindings)``: the rows of the projection query ``name`` (as
        :func:`ipkg.analysis.project._select` gives them, naming IRIs with ``names``).
    names : ipkg.analysis.project._Names
        How ``select`` names IRIs, and the names it made of IRIs so far.
    changes : dict, optional
        Receives what changed, for caches of what is made of the rows: ``before`` and ``after``,
        tokens of the rows the cache held and of the rows returned (equal tokens, equal rows;
        ``before`` is None without a cache), and ``touched``, the events whose rows of ``edges``
        may differ between the two (None: any may).
    skip : collection of str
        Queries among ``nodes``, ``aliases`` and ``positions`` the caller does not need: when graphs
        changed their rows are not read again, the cache keeps them as stale (read again by the
        first call that needs them), and the result leaves them out.
    prefetch : callable, optional
        Told, before the cache's rows are decoded, queries ``select`` will be asked when graphs
        changed, so that it may start them: names (read whole: those of ``nodes``, ``aliases`` and
        ``positions`` not skipped and not brought up to date actor by actor) and (name, bindings)
        pairs (of the graphs that changed and the actors whose rows are read again).

    Returns
    -------
    dict or None
        Query name -> rows (those of ``edges``, ``nodes`` and ``aliases`` sorted), or None when the
        store is not one to cache (the caller reads the rows).

    Examples
    --------
    >>> from ipkg.store import OxigraphStore
    >>> cached_rows(OxigraphStore(), Path("rows.cache"), lambda name, **b: [], None) is None  # no digests
    True
    """
    stored = store_digests_keyed(store.path) if store.path is not None else None
    if stored is None:
        return None
    digests, after = stored
    named, iri = names.named, names.iri
    key = _fingerprint(names)
    skipped = set(skip) & set(_LAZY)
    cache = preloaded(_tag(path, key), [path, _journal_path(path)], lambda: _open(path, key))
    plan: dict[str, set[str] | None] = {}
    if cache is not None and cache.digests != digests:
        wanted = [name for name in _LAZY if name not in skipped]
        plan = _plan(store, cache.digests_key(), after, wanted, select, names)
        if prefetch is not None:
            early: list[Query] = [*_graph_queries(cache.digests, digests)]
            early += [(name, {"actor": URIRef(iri(actor))}) for name in wanted for actor in sorted(plan[name] or ())]
            early += [name for name in wanted if plan[name] is None]
            prefetch(early)
    old = cache.decode() if cache is not None else None
    update = _update(old, digests, select, named, iri, skipped, plan) if old is not None else None
    if update is None:
        rows = {name: select(name) for name in QUERIES}
        graph_docs = _graph_documents(select, named, iri)
        iris = all(row[0] in named for row in rows["edges"])
        touched: set[str] | None = None
        stale: list[str] = []
        deltas: dict[str, tuple[set[str], list[tuple[str, ...]]] | None] = {}
        changed: list[str] = []
        for name in _SORTED:
            rows[name].sort()
    else:
        rows, graph_docs, iris, touched, stale, deltas, changed = update
    if changes is not None:
        changes.update(before=_token(key, cache.digests_key()) if old is not None and cache is not None else None, after=_token(key, after), touched=touched)
    if update is not None and not deltas and stale == old["stale"]:  # type: ignore[index]
        return {name: r for name, r in rows.items() if name not in stale}
    data = {"key": key, "digests": digests, "graph_docs": graph_docs, "events_are_iris": iris, "stale": stale, "rows": rows}
    journal = _journal(old, data, deltas, changed, after) if update is not None and old is not None else None
    try:
        if journal is not None:
            write_atomic(_journal_path(path), _pack(_JOURNAL, journal), durable=False)  # its reader checks the cells count out
        else:
            write_atomic(path, _encode(data), durable=False)
            _journal_path(path).unlink(missing_ok=True)  # of the old base: its reader would reject it anyway
    except OSError:
        pass  # a cache that cannot be written is read whole next time
    return {name: r for name, r in rows.items() if name not in stale}


def preload_rows(path: Path) -> None:
    """Read and decode the cache at ``path`` now, for the next :func:`cached_rows` of it (by the
    code of the same fingerprint, for a store whose IRIs are named by ipkg's prefixes) to take if
    the files are unchanged by then (see :func:`ipkg.kg.io.preload`). At 10^4 documents decoding
    takes ~0.07 s, which an update of a build spends while the pipeline is built in another process.

    Examples
    --------
    >>> import tempfile
    >>> preload_rows(Path(tempfile.mkdtemp()) / "projection.rows")  # none yet: nothing kept
    """
    from .project import _Names

    key = _fingerprint(_Names(OxigraphStore().namespace_manager))

    def load() -> _Cache | None:
        cache = _open(path, key)
        if cache is not None:
            cache.decode()
        return cache

    preload(_tag(path, key), [path, _journal_path(path)], load)


def _tag(path: Path, key: str) -> str:
    return f"projection rows {key} {path}"


def _token(key: str, digests: str) -> str:
    """What names the rows read from a store whose graphs' :func:`~ipkg.store.oxigraph.digests_key` is ``digests``, by code of fingerprint ``key``."""
    return hashlib.sha256(f"{key}\n{digests}".encode()).hexdigest()


def _fingerprint(names: _Names) -> str:
    """What the rows depend on besides the store: the queries, the code that reads them, the
    engine, and the prefixes IRIs are named with."""
    import pyoxigraph
    import rdflib

    h = hashlib.sha256(f"ipkg rowcache 1\n{pyoxigraph.__version__}\n{rdflib.__version__}\n".encode())
    update_with_files(h, _HERE, [*_HERE.glob("*.oxigraph.rq"), _HERE / "project.py", Path(__file__)])
    h.update(json.dumps(sorted((prefix, str(ns)) for prefix, ns in names.nm.namespaces())).encode())
    return h.hexdigest()


def _graph_queries(before: dict[str, str], digests: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """The queries with bindings :func:`_update` asks of the graphs that changed between ``before`` and ``digests`` (when it may bring the rows up to date)."""
    changed = sorted({g for g, _ in before.items() ^ digests.items()})
    if len(changed) > max(1, len(digests) // CHANGED_SHARE):
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    for g in changed:
        if g not in digests:
            continue
        if g == _ACTORS:
            out.append(("graph-reads", {"g": ACTORS_GRAPH}))
        elif g.startswith("<") and g.endswith(">"):
            out += [("graph-documents", {"g": URIRef(g[1:-1])}), ("graph-events", {"g": URIRef(g[1:-1])})]
    return out


def _plan(store: OxigraphStore, before: str, after: str, wanted: Collection[str], select: Select, names: _Names) -> dict[str, set[str] | None]:
    """For each query of ``wanted`` (``nodes``, ``aliases``, ``positions``), the actors (named as
    rows name them) whose rows may differ between the store of digests key ``before`` and the one
    of ``after``; None when its rows must be read whole.

    From what :func:`ipkg.store.update_store` recorded it changed in the union, when that record
    goes from ``before`` to ``after``: the subjects of the changed labels (``skos:prefLabel``,
    ``skos:altLabel``) and of the changed types that are actor classes. A changed ``rdfs:subClassOf``,
    a subject that is not an IRI, or more than :data:`ACTORS_MAX` actors: read whole.
    """
    plan: dict[str, set[str] | None] = dict.fromkeys(wanted)
    if not {"nodes", "aliases"} & set(wanted) or store.path is None:
        return plan
    record = store_changes(store.path)
    if record is None or record.before != before or record.after != after:
        return plan
    subjects: set[str] = set()
    typed: list[ox.Triple] = []
    for triple in record.triples:
        predicate = triple.predicate.value
        if predicate == _SUBCLASS:
            return plan
        if predicate in _LABELS:
            subjects.add(triple.subject)  # type: ignore[arg-type]
        elif predicate == _TYPE:
            typed.append(triple)
    if typed:
        classes = {row[0] for row in select("actor-classes")}
        subjects.update(t.subject for t in typed if type(t.object) is not ox.NamedNode or names.name(t.object.value) in classes)  # type: ignore[misc]
    if len(subjects) > ACTORS_MAX or any(type(s) is not ox.NamedNode for s in subjects):
        return plan
    actors = {names.name(s.value) for s in subjects}  # type: ignore[attr-defined]
    return {name: (set(actors) if name in ("nodes", "aliases") else None) for name in wanted}


def _pack(magic: bytes, data: dict[str, Any]) -> list[bytes]:
    """A file's bytes, in pieces: ``magic``, ``data`` but its rows as a line of JSON, then the rows' cells (see the module docstring)."""
    rows: Rows = data["rows"]
    cells = [cell for name in QUERIES for row in rows[name] for cell in row]
    text = _CELL.join(cells)
    cut = text.count(_CELL) == max(0, len(cells) - 1)  # no cell holds the separator
    header = {k: v for k, v in data.items() if k != "rows"} | {"counts": [len(rows[name]) for name in QUERIES], "lengths": not cut}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if cut:
        return [magic, head, b"\n", text.encode("utf-8", "surrogatepass"), _CELL.encode()]  # the last: a file cut short or added to reads as damaged
    lengths = array("I", map(len, cells))
    if sys.byteorder == "big":
        lengths.byteswap()
    return [magic, head, b"\n", lengths.tobytes(), "".join(cells).encode("utf-8", "surrogatepass")]


def _head(blob: bytes, magic: bytes, key: str) -> tuple[dict[str, Any], int] | None:
    """The JSON line of a file :func:`_pack` wrote and where it ends, or None when it is not one of ``magic`` and ``key``."""
    if not blob.startswith(magic):
        return None
    end = blob.find(b"\n", len(magic))
    try:
        data = json.loads(blob[len(magic) : end])
    except ValueError:
        return None
    if end < 0 or not isinstance(data, dict) or data.get("key") != key:
        return None
    return data, end


def _unpack(blob: bytes, data: dict[str, Any], end: int) -> Rows | None:
    """The rows of a file :func:`_pack` wrote, whose JSON line ``data`` ends at ``end``; None when damaged."""
    try:
        counts = [int(c) for c in data["counts"]]
        cells = sum(WIDTHS[name] * count for name, count in zip(QUERIES, counts, strict=True))
        if data["lengths"] is False:
            text = str(memoryview(blob)[end + 1 :], "utf-8", "surrogatepass")
            if not text.endswith(_CELL):
                return None
            flat = text[:-1].split(_CELL) if cells else [] if text == _CELL else [text]
        else:
            lengths = array("I")
            lengths.frombytes(blob[end + 1 : end + 1 + 4 * cells])
            text = blob[end + 1 + 4 * cells :].decode("utf-8", "surrogatepass")
            if len(lengths) != cells:
                return None
            if sys.byteorder == "big":
                lengths.byteswap()
            offsets = list(accumulate(lengths, initial=0))
            if offsets[-1] != len(text):
                return None
            flat = [text[a:b] for a, b in zip(offsets, offsets[1:])]
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if len(flat) != cells:
        return None
    rows: Rows = {}
    start = 0
    for name, count in zip(QUERIES, counts):
        width = WIDTHS[name]
        cut = iter(flat[start : start + width * count])
        rows[name] = list(zip(*[cut] * width))
        start += width * count
    return rows


def _encode(data: dict[str, Any]) -> list[bytes]:
    """The bytes of a base file of ``data`` (a new ``id``), in pieces (see the module docstring).

    Examples
    --------
    >>> rows = {"edges": [], "nodes": [("actor:a", "A", "State")], "aliases": [("actor:a", "ä")], "positions": []}
    >>> data = {"key": "k", "digests": {}, "graph_docs": {}, "events_are_iris": True, "stale": [], "rows": rows}
    >>> _decode(b"".join(_encode(data)), "k")["rows"] == rows
    True
    >>> rows["aliases"].append(("actor:a", "a\\x00b"))  # a cell holding the separator: cells by their lengths
    >>> _decode(b"".join(_encode(data)), "k")["rows"] == rows
    True
    """
    return _pack(_MAGIC, {k: v for k, v in data.items() if k not in ("id", "base", "journal")} | {"id": secrets.token_hex(16), "digests_key": digests_key(data["digests"])})


def _decode(blob: bytes, key: str) -> dict[str, Any] | None:
    """What :func:`_encode` wrote, or None when it is not a base file of ``key`` or is damaged."""
    head = _base_head(blob, key)
    if head is None:
        return None
    data, end = head
    rows = _unpack(blob, data, end)
    if rows is None:
        return None
    data["rows"] = rows
    return data


_UNDECODED = object()


class _Cache:
    """A base file as far as its JSON line, and the journal on it when there is a sound one."""

    def __init__(self, blob: bytes, base: dict[str, Any], end: int, journal: dict[str, Any] | None) -> None:
        self.blob, self.base, self.end, self.journal = blob, base, end, journal
        self.digests: dict[str, str] = base["digests"]
        if journal is not None:
            self.digests = _patched(base["digests"], journal["digests"])
        known = (journal or base).get("digests_key")  # written with the digests, by the code of the same fingerprint
        self._key: str | None = known if type(known) is str else None
        self._decoded: Any = _UNDECODED

    def digests_key(self) -> str:
        if self._key is None:
            self._key = digests_key(self.digests)
        return self._key

    def decode(self) -> dict[str, Any] | None:
        """The state the cache holds (base and journal), or None when the base is damaged; decoded once."""
        if self._decoded is not _UNDECODED:
            return self._decoded
        self._decoded = self._decode()
        return self._decoded

    def _decode(self) -> dict[str, Any] | None:
        base = self.base
        rows = _unpack(self.blob, base, self.end)
        if rows is None:
            return None
        self.blob = b""
        data = {k: v for k, v in base.items() if k not in ("counts", "lengths", "digests_key")}
        data["base"] = {"id": base["id"], "digests": base["digests"], "graph_docs": base["graph_docs"], "cells": sum(WIDTHS[name] * len(rows[name]) for name in QUERIES)}
        journal = self.journal
        data["journal"] = journal
        if journal is not None:
            data["digests"] = self.digests
            data["graph_docs"] = _patched(base["graph_docs"], journal["graph_docs"])
            data["events_are_iris"], data["stale"] = journal["events_are_iris"], journal["stale"]
            rows = dict(rows)
            for name in QUERIES:
                fresh = journal["rows"][name]
                if name in journal["whole"]:
                    rows[name] = fresh
                elif name in journal["removed"] or fresh:
                    rows[name] = _splice(rows[name], journal["removed"].get(name, set()), sorted(fresh))
        data["rows"] = rows
        return data


def _open(path: Path, key: str) -> _Cache | None:
    """The cache at ``path`` (its base file's JSON line read, its journal whole), or None when there is no base file of ``key``."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = _base_head(blob, key)
    if head is None:
        return None
    base, end = head
    return _Cache(blob, base, end, _read_journal(_journal_path(path), key, base["id"]))


def _base_head(blob: bytes, key: str) -> tuple[dict[str, Any], int] | None:
    """The JSON line of the base file ``blob`` of ``key`` and where it ends, or None when it is not one or is damaged."""
    head = _head(blob, _MAGIC, key)
    if head is None:
        return None
    base = head[0]
    if not _documents_map(base.get("graph_docs")) or not _digests_map(base.get("digests")):
        return None
    if not isinstance(base.get("id"), str) or not isinstance(base.get("events_are_iris"), bool):
        return None
    if not isinstance(base.get("stale"), list) or not set(base["stale"]) <= set(_LAZY):
        return None
    return head


def _read(path: Path, key: str) -> dict[str, Any] | None:
    """The state the cache at ``path`` holds (its base file and the journal on it), or None when there is none of ``key`` or it is damaged."""
    cache = _open(path, key)
    return cache.decode() if cache is not None else None


def _journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _read_journal(path: Path, key: str, base: str) -> dict[str, Any] | None:
    """The journal at ``path`` on the base file of id ``base``, or None when there is none, it is on another base, or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = _head(blob, _JOURNAL, key)
    if head is None or head[0].get("base") != base:
        return None
    data, end = head
    if not _documents_map(data.get("graph_docs"), removed=True) or not _digests_map(data.get("digests"), removed=True):
        return None
    try:
        data["whole"] = {str(name) for name in data["whole"]}
        data["removed"] = {str(name): {str(k) for k in keys} for name, keys in data["removed"].items()}
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if not isinstance(data.get("events_are_iris"), bool) or not isinstance(data.get("stale"), list) or not set(data["stale"]) <= set(_LAZY):
        return None
    if not (data["whole"] | data["removed"].keys()) <= set(QUERIES):
        return None
    rows = _unpack(blob, data, end)
    if rows is None:
        return None
    data["rows"] = rows
    return data


def _splice(rows: list[tuple[str, ...]], gone: Collection[str], fresh: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Sorted ``rows`` without those whose first cell is in ``gone``, with the sorted rows ``fresh``.

    Examples
    --------
    >>> _splice([("a", "1"), ("b", "1"), ("b", "2"), ("c", "1")], {"b", "x"}, [("b", "3"), ("d", "1")])
    [('a', '1'), ('b', '3'), ('c', '1'), ('d', '1')]
    """
    out: list[tuple[str, ...]] = []
    start = 0
    runs = sorted({*gone, *(row[0] for row in fresh)})
    first = 0
    for key in runs:
        lo = bisect_left(rows, key, start, key=_first)
        hi = bisect_right(rows, key, lo, key=_first)
        out += rows[start:lo]
        if key not in gone:
            out += rows[lo:hi]
        end = bisect_right(fresh, key, first, key=_first)
        out += fresh[first:end]
        first, start = end, hi
    out += rows[start:]
    return out


def _first(row: tuple[str, ...]) -> str:
    return row[0]


def _documents_map(value: Any, removed: bool = False) -> bool:
    """Whether ``value``, read from JSON, maps graphs to lists of documents' identifiers (or, with ``removed``, None).

    Examples
    --------
    >>> _documents_map({"<g>": ["d1"]}), _documents_map({"<g>": ["d1", 2]}), _documents_map({"<g>": None}, removed=True)
    (True, False, True)
    """
    if type(value) is not dict:
        return False
    lists = [ids for ids in value.values() if ids is not None] if removed else list(value.values())
    return set(map(type, lists)) <= {list} and set(map(type, chain.from_iterable(lists))) <= {str}


def _digests_map(value: Any, removed: bool = False) -> bool:
    """Whether ``value``, read from JSON, maps graphs to digests (or, with ``removed``, None)."""
    return type(value) is dict and set(map(type, value.values())) <= ({str, type(None)} if removed else {str})


def _patched(base: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """``base`` with the entries of ``delta`` (None: removed)."""
    out = dict(base)
    for k, v in delta.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def _delta(base: dict[str, Any], was: dict[str, Any], now: dict[str, Any], changed: Collection[str]) -> dict[str, Any]:
    """What :func:`_patched` makes ``now`` of ``base`` with, from what it made of it ``was`` with and
    the keys whose values may differ between the two."""
    out = dict(was)
    for k in changed:
        v = now.get(k)
        if base.get(k) == v:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def _journal(old: dict[str, Any], data: dict[str, Any], deltas: dict[str, tuple[set[str], list[tuple[str, ...]]] | None], changed: Collection[str], after: str | None = None) -> dict[str, Any] | None:
    """The journal taking the base ``old`` was read from to ``data``, which differs from ``old`` by
    ``deltas`` (query -> the first cells of its rows replaced and their new rows, or None: all) and
    in the graphs ``changed`` (``after``: the :func:`~ipkg.store.oxigraph.digests_key` of its digests, if known);
    None when it would hold more than one cell in :data:`JOURNAL_SHARE` of the base's."""
    was = old["journal"] or {"whole": set(), "removed": {}, "rows": {name: [] for name in QUERIES}}
    whole, removed, rows = set(was["whole"]), dict(was["removed"]), dict(was["rows"])
    for name, delta in deltas.items():
        if delta is None or name in whole:
            whole.add(name)
            removed.pop(name, None)
            rows[name] = data["rows"][name]
        else:
            keys, fresh = delta
            removed[name] = removed.get(name, set()) | keys
            rows[name] = sorted([row for row in rows[name] if row[0] not in keys] + fresh)
    cells = sum(WIDTHS[name] * len(rows[name]) + len(removed.get(name, ())) for name in QUERIES)
    if cells * JOURNAL_SHARE > old["base"]["cells"]:
        return None
    base = old["base"]
    return {
        "key": data["key"],
        "base": base["id"],
        "digests": _delta(base["digests"], old["journal"]["digests"] if old["journal"] else {}, data["digests"], changed),
        "graph_docs": _delta(base["graph_docs"], old["journal"]["graph_docs"] if old["journal"] else {}, data["graph_docs"], changed),
        "digests_key": digests_key(data["digests"]) if after is None else after,
        "events_are_iris": data["events_are_iris"],
        "stale": data["stale"],
        "whole": sorted(whole),
        "removed": {name: sorted(keys) for name, keys in sorted(removed.items())},
        "rows": rows,
    }


def _graph_documents(select: Select, named: Collection[str], iri: Callable[[str], str], graph: str | None = None) -> dict[str, list[str]]:
    """Named graph (as ``graphs.json`` writes it, ``<iri>``) -> identifiers of the documents it describes; of one graph, or of all."""
    rows = select("graph-documents", g=URIRef(graph[1:-1])) if graph is not None else select("graph-documents")
    out: dict[str, set[str]] = {}
    for g, doc in rows:
        if g in named:
            out.setdefault(f"<{iri(g)}>", set()).add(doc)
    return {g: sorted(ids) for g, ids in sorted(out.items())}


def _update(old: dict[str, Any], digests: dict[str, str], select: Select, named: Collection[str], iri: Callable[[str], str], skip: Collection[str] = (), plan: dict[str, set[str] | None] | None = None) -> tuple[Rows, dict[str, list[str]], bool, set[str], list[str], dict[str, tuple[set[str], list[tuple[str, ...]]] | None], list[str]] | None:
    """The cached rows brought up to date with the graphs that changed, the events whose rows were
    read again, the queries whose rows are stale (among ``skip``), how the rows changed (query ->
    the first cells of the rows replaced and their new rows, or None: all) and the graphs that
    changed; or None when they must be read whole. ``plan`` (see :func:`_plan`) names the actors whose rows of ``nodes`` and ``aliases``
    are read again rather than all of them."""
    before: dict[str, str] = old["digests"]
    changed = sorted({g for g, _ in before.items() ^ digests.items()})
    deltas: dict[str, tuple[set[str], list[tuple[str, ...]]] | None] = {}
    if not changed:
        wanted = [name for name in old["stale"] if name not in skip]
        if not wanted:
            return old["rows"], old["graph_docs"], old["events_are_iris"], set(), old["stale"], deltas, changed
        read = dict(old["rows"]) | {name: sorted(select(name)) if name in _SORTED else select(name) for name in wanted}
        return read, old["graph_docs"], old["events_are_iris"], set(), [name for name in old["stale"] if name in skip], dict.fromkeys(wanted), changed
    if not old["events_are_iris"] or len(changed) > max(1, len(digests) // CHANGED_SHARE):
        return None
    graph_docs: dict[str, list[str]] = dict(old["graph_docs"])
    edges: list[tuple[str, ...]] = old["rows"]["edges"]
    # the events whose rows name a document a changed graph described
    gone: set[str] = set()
    for g in changed:
        if g == _ACTORS:
            continue
        if g in before:
            if not graph_docs.get(g):
                return None  # a graph without documents, the ontology: it may touch any event
            gone.update(graph_docs[g])
    touched = {row[0] for row in edges if any(d in row[9] for d in gone) and not gone.isdisjoint(row[9].split(_SEP))} if gone else set()
    # the events the changed graphs reach as they are now
    reached: dict[str, set[str]] = {}
    for g in changed:
        graph_docs.pop(g, None)
        if g not in digests:
            continue
        if g == _ACTORS:
            if select("graph-reads", g=ACTORS_GRAPH):
                return None  # not the actors' graph as ipkg writes it
            continue
        if not (g.startswith("<") and g.endswith(">")):
            return None
        docs = _graph_documents(select, named, iri, g).get(g)
        if not docs:
            return None
        graph_docs[g] = docs
        events = [row[0] for row in select("graph-events", g=URIRef(g[1:-1]))]
        if not all(e in named for e in events):
            return None
        reached[g] = set(events)
        touched.update(events)
    if len(touched) > 100 and len(touched) > len({row[0] for row in edges}) // EVENTS_SHARE:
        return None
    fresh = sorted(row for event in touched for row in select("edges-of-event", event=URIRef(iri(event))))
    named_docs: dict[str, set[str]] = {}
    for row in fresh:
        named_docs.setdefault(row[0], set()).update(row[9].split(_SEP))
    for g, reached_events in reached.items():
        if any(e in named_docs and named_docs[e].isdisjoint(graph_docs[g]) for e in reached_events):
            return None  # not a graph as ipkg writes them: an event it touches does not name its document
    stale = [name for name in _LAZY if name in skip]
    rows: Rows = {}
    for name in _LAZY:
        actors = (plan or {}).get(name)
        if name in stale:
            rows[name] = old["rows"][name]
        elif actors is None:
            rows[name] = select(name)
            if name in _SORTED:
                rows[name].sort()
            deltas[name] = None
        elif actors:
            new = sorted(row for actor in actors for row in select(name, actor=URIRef(iri(actor))))
            rows[name] = _splice(old["rows"][name], actors, new)
            deltas[name] = (actors, new)
        else:
            rows[name] = old["rows"][name]
    rows["edges"] = _splice(edges, touched, fresh)
    deltas["edges"] = (touched, fresh)
    return rows, dict(sorted(graph_docs.items())), True, touched, stale, deltas, changed
