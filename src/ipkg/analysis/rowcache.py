"""A file of the rows the projection queries gave for a store ``ipkg build`` wrote, brought up to date graph by graph.

``ipkg build`` keeps beside its Oxigraph store a digest of each named graph (``graphs.json``, see
:func:`ipkg.store.update_store`). The cache keeps the rows of the four projection queries
(``edges``, ``nodes``, ``aliases``, ``positions``), the digests they were read under, and, for each
named graph, the identifiers of the documents it describes. When graphs changed since:

* the rows of ``nodes``, ``aliases`` and ``positions`` are read again (a few tenths of a second at
  10^4 documents), but those of a query the caller skips (the explorer page shows no states: it
  skips ``positions``, 0.17 s): the cache keeps its rows marked stale, and reads them again when a
  caller needs them;
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

The cache file (never unpickled) is written through a temporary file and a rename, not flushed to disk (a file a crash cut short
or filled with zeros has cells of the wrong count, read as damaged): a line naming
the format, a line of JSON (the fingerprint, the digests, the graphs' documents, the stale queries,
how many rows each query gave, whether cells are cut by lengths), then the cells' text, UTF-8, one after
the other with a NUL after each (split in one call), or, when a cell holds a NUL, the length of every
cell as 32-bit little-endian integers before the text. The rows of ``edges`` are kept sorted. At 10^4
documents (16 MB) it is read in ~0.05 s and written in ~0.05 s, where JSON took ~0.3 s and ~0.2 s.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from itertools import accumulate
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from ..kg.io import write_atomic
from ..resources import update_with_files
from ..kg.mint import ACTORS_GRAPH
from ..store import OxigraphStore
from ..store.oxigraph import store_digests

if TYPE_CHECKING:
    from .project import _Names

__all__ = ["cached_rows", "CHANGED_SHARE", "EVENTS_SHARE"]

#: At most one graph in this many may have changed for the rows to be brought up to date (at 10^4
#: documents, reading edges whole took 3-4 s, finding the events one changed graph touches ~0.1 s).
CHANGED_SHARE = 300
#: At most one event in this many (or 100 events) may be touched for the rows to be brought up to
#: date (reading one event's rows took ~7 ms).
EVENTS_SHARE = 100

QUERIES = ("edges", "nodes", "aliases", "positions")
#: The queries read whole whenever a graph changed, which a caller may skip.
_LAZY = ("nodes", "aliases", "positions")
WIDTHS = {"edges": 10, "nodes": 3, "aliases": 2, "positions": 2}
_MAGIC = b"ipkg rowcache 4\n"
#: The actors' graph holds their types, labels and Wikidata IDs, which no row of ``edges`` reads.
_ACTORS = f"<{ACTORS_GRAPH}>"
_HERE = Path(__file__).parent
_SEP = "\x1f"
#: Between cells in the file, unless a cell holds it.
_CELL = "\x00"

Rows = dict[str, list[tuple[str, ...]]]
Select = Callable[..., list[tuple[str, ...]]]


def cached_rows(store: OxigraphStore, path: Path, select: Select, names: _Names, changes: dict[str, Any] | None = None, skip: Collection[str] = (), prefetch: Callable[[Collection[str]], None] | None = None) -> Rows | None:
    """The rows of the projection queries, from the cache at ``path`` where it holds them, and the cache updated.

    Parameters
    ----------
    store : OxigraphStore
        The store; only one ``ipkg build`` wrote, with its digests, is cached.
    path : Path
        The cache file.
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
        Told, before the cache's rows are decoded, the queries ``select`` will be asked to read
        whole (with no bindings) when graphs changed: ``nodes`` and ``aliases`` (but those skipped),
        so that it may start them.

    Returns
    -------
    dict or None
        Query name -> rows, or None when the store is not one to cache (the caller reads the rows).

    Examples
    --------
    >>> from ipkg.store import OxigraphStore
    >>> cached_rows(OxigraphStore(), Path("rows.cache"), lambda name, **b: [], None) is None  # no digests
    True
    """
    digests = _digests(store)
    if digests is None:
        return None
    named, iri = names.named, names.iri
    key = _fingerprint(names)
    skipped = set(skip) & set(_LAZY)
    old = _read(path, key, digests, [name for name in _LAZY if name not in skipped] if prefetch is not None else [], prefetch)
    update = _update(old, digests, select, named, iri, skipped) if old is not None else None
    if update is None:
        rows = {name: select(name) for name in QUERIES}
        graph_docs = _graph_documents(select, named, iri)
        iris = all(row[0] in named for row in rows["edges"])
        touched: set[str] | None = None
        stale: list[str] = []
    else:
        rows, graph_docs, iris, touched, stale = update
    if changes is not None:
        changes.update(before=_token(key, old["digests"]) if old is not None else None, after=_token(key, digests), touched=touched)
    if update is None or update[0] is not old["rows"]:  # type: ignore[index]
        rows["edges"].sort()  # the callers' order: their sort finds it done
    if update is None or update[0] is not old["rows"] or stale != old["stale"]:  # type: ignore[index]
        data = {"key": key, "digests": digests, "graph_docs": graph_docs, "events_are_iris": iris, "stale": stale, "rows": rows}
        try:
            write_atomic(path, _encode(data), durable=False)  # its reader checks the cells count out
        except OSError:
            pass  # a cache that cannot be written is read whole next time
    return {name: r for name, r in rows.items() if name not in stale}


def _digests(store: OxigraphStore) -> dict[str, str] | None:
    """The digest of each named graph, as :func:`ipkg.store.update_store` wrote them beside the store."""
    return store_digests(store.path) if store.path is not None else None


def _token(key: str, digests: dict[str, str]) -> str:
    """What names the rows read from a store whose graphs have ``digests``, by code of fingerprint ``key``."""
    return hashlib.sha256(json.dumps([key, sorted(digests.items())]).encode()).hexdigest()


def _fingerprint(names: _Names) -> str:
    """What the rows depend on besides the store: the queries, the code that reads them, the
    engine, and the prefixes IRIs are named with."""
    import pyoxigraph
    import rdflib

    h = hashlib.sha256(f"ipkg rowcache 1\n{pyoxigraph.__version__}\n{rdflib.__version__}\n".encode())
    update_with_files(h, _HERE, [*_HERE.glob("*.oxigraph.rq"), _HERE / "project.py", Path(__file__)])
    h.update(json.dumps(sorted((prefix, str(ns)) for prefix, ns in names.nm.namespaces())).encode())
    return h.hexdigest()


def _encode(data: dict[str, Any]) -> list[bytes]:
    """The cache file's bytes, in pieces (see the module docstring).

    Examples
    --------
    >>> rows = {"edges": [], "nodes": [("actor:a", "A", "State")], "aliases": [("actor:a", "ä")], "positions": []}
    >>> data = {"key": "k", "digests": {}, "graph_docs": {}, "events_are_iris": True, "stale": [], "rows": rows}
    >>> _decode(b"".join(_encode(data)), "k") == data
    True
    >>> rows["aliases"].append(("actor:a", "a\\x00b"))  # a cell holding the separator: cells by their lengths
    >>> _decode(b"".join(_encode(data)), "k") == data
    True
    """
    rows: Rows = data["rows"]
    cells = [cell for name in QUERIES for row in rows[name] for cell in row]
    text = _CELL.join(cells)
    cut = text.count(_CELL) == max(0, len(cells) - 1)  # no cell holds the separator
    header = {k: v for k, v in data.items() if k != "rows"} | {"counts": [len(rows[name]) for name in QUERIES], "lengths": not cut}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if cut:
        return [_MAGIC, head, b"\n", text.encode("utf-8", "surrogatepass"), _CELL.encode()]  # the last: a file cut short or added to reads as damaged
    lengths = array("I", map(len, cells))
    if sys.byteorder == "big":
        lengths.byteswap()
    return [_MAGIC, head, b"\n", lengths.tobytes(), "".join(cells).encode("utf-8", "surrogatepass")]


def _decode(blob: bytes, key: str) -> dict[str, Any] | None:
    """What :func:`_encode` wrote, or None when it is not a cache of ``key`` or is damaged."""
    if not blob.startswith(_MAGIC):
        return None
    end = blob.find(b"\n", len(_MAGIC))
    try:
        data = json.loads(blob[len(_MAGIC) : end])
        if not isinstance(data, dict) or data.get("key") != key or end < 0:
            return None
        counts = [int(c) for c in data.pop("counts")]
        data["graph_docs"] = {str(g): [str(i) for i in ids] for g, ids in data["graph_docs"].items()}
        data["digests"] = {str(g): str(d) for g, d in data["digests"].items()}
        cells = sum(WIDTHS[name] * count for name, count in zip(QUERIES, counts, strict=True))
        if data.pop("lengths") is False:
            text = blob[end + 1 :].decode("utf-8", "surrogatepass")
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
    if len(flat) != cells or not isinstance(data.get("events_are_iris"), bool):
        return None
    if not isinstance(data.get("stale"), list) or not set(data["stale"]) <= set(_LAZY):
        return None
    data["rows"] = rows = {}
    start = 0
    for name, count in zip(QUERIES, counts):
        width = WIDTHS[name]
        cut = iter(flat[start : start + width * count])
        rows[name] = list(zip(*[cut] * width))
        start += width * count
    return data


def _read(path: Path, key: str, digests: dict[str, str] | None = None, wanted: list[str] | None = None, prefetch: Callable[[Collection[str]], None] | None = None) -> dict[str, Any] | None:
    """The cache at ``path`` decoded; ``prefetch(wanted)`` called first when its digests are not ``digests``."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if prefetch is not None and wanted and _digests_differ(blob, digests or {}):
        prefetch(wanted)
    return _decode(blob, key)


def _digests_differ(blob: bytes, digests: dict[str, str]) -> bool:
    """Whether the digests of the cache ``blob`` are not ``digests`` (or cannot be read)."""
    end = blob.find(b"\n", len(_MAGIC))
    try:
        return bool(json.loads(blob[len(_MAGIC) : end]).get("digests") != digests)
    except (ValueError, AttributeError):
        return True


def _graph_documents(select: Select, named: Collection[str], iri: Callable[[str], str], graph: str | None = None) -> dict[str, list[str]]:
    """Named graph (as ``graphs.json`` writes it, ``<iri>``) -> identifiers of the documents it describes; of one graph, or of all."""
    rows = select("graph-documents", g=URIRef(graph[1:-1])) if graph is not None else select("graph-documents")
    out: dict[str, set[str]] = {}
    for g, doc in rows:
        if g in named:
            out.setdefault(f"<{iri(g)}>", set()).add(doc)
    return {g: sorted(ids) for g, ids in sorted(out.items())}


def _update(old: dict[str, Any], digests: dict[str, str], select: Select, named: Collection[str], iri: Callable[[str], str], skip: Collection[str] = ()) -> tuple[Rows, dict[str, list[str]], bool, set[str], list[str]] | None:
    """The cached rows brought up to date with the graphs that changed, the events whose rows were
    read again and the queries whose rows are stale (among ``skip``); or None when they must be read whole."""
    before: dict[str, str] = old["digests"]
    changed = sorted(g for g in before.keys() | digests.keys() if before.get(g) != digests.get(g))
    if not changed:
        wanted = [name for name in old["stale"] if name not in skip]
        if not wanted:
            return old["rows"], old["graph_docs"], old["events_are_iris"], set(), old["stale"]
        rows = dict(old["rows"]) | {name: select(name) for name in wanted}
        return rows, old["graph_docs"], old["events_are_iris"], set(), [name for name in old["stale"] if name in skip]
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
    touched = {row[0] for row in edges if not gone.isdisjoint(row[9].split(_SEP))} if gone else set()
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
    if len(touched) > max(100, len({row[0] for row in edges}) // EVENTS_SHARE):
        return None
    fresh = [row for event in sorted(touched) for row in select("edges-of-event", event=URIRef(iri(event)))]
    named_docs: dict[str, set[str]] = {}
    for row in fresh:
        named_docs.setdefault(row[0], set()).update(row[9].split(_SEP))
    for g, reached_events in reached.items():
        if any(e in named_docs and named_docs[e].isdisjoint(graph_docs[g]) for e in reached_events):
            return None  # not a graph as ipkg writes them: an event it touches does not name its document
    stale = [name for name in _LAZY if name in skip]
    rows: Rows = {name: old["rows"][name] if name in stale else select(name) for name in _LAZY}
    rows["edges"] = [row for row in edges if row[0] not in touched] + fresh
    return rows, dict(sorted(graph_docs.items())), True, touched, stale
