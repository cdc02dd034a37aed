"""The build's explorer page, made straight from the projection rows and brought up to date from a cache.

:func:`write_explorer` writes the page :func:`~ipkg.viz.network.actor_network_to_pyvis` and
:func:`~ipkg.viz.network.write_html` write for
:func:`~ipkg.analysis.project.graph_to_actor_network`'s network, the same bytes, without building
the networkx graph. With a cache file it keeps what the page is made of:

* the JSON of each edge but its ``id`` (which is its place on the page), under its event, actor
  and target, with a token of the rows it was made from (see
  :func:`ipkg.analysis.rowcache.cached_rows`): when the rows moved on from those, the edges of the
  events whose rows were not read again are taken from the cache (checked edge by edge against
  the rows), the others are made again;
* the layout of each connected component before the components are packed, under a digest of
  its nodes and edges (:func:`~ipkg.viz.layout.layout_pairs`).

At 10^4 documents (36,000 edges, a 34 MB page) the edges' JSON and tooltips took ~0.8 s and the
layout ~0.3 s. The cache is ignored when its fingerprint (the code, the libraries, the event
kinds' CAMEO codes) differs or it is damaged, and not kept for a page with physics (at most
:data:`~ipkg.viz.network.PHYSICS_MAX_NODES` nodes), whose edges depend on their neighbours.

The cache is a base file (``explorer.page``) and a journal beside it (``explorer.page.journal``):
a build that took edges from the cache writes only the journal, which holds everything that
differs from the base (the edges of the events made again since the base was written, the layouts
it lacks, those it holds that went, the rows' token), unless that would be more than one part in
:data:`JOURNAL_SHARE` of the base: then a new base is written and the journal removed. Rewriting
the 34 MB base took ~0.1 s a build. The journal names the base it was written for (a random
``id`` in the base); a journal of another base, or damaged, is ignored, and the base alone is
what its own rows token says.

Both files (never unpickled) are written through a temporary file and a rename, not flushed to
disk (a file a crash cut short or filled with zeros has pieces of the wrong count, read as
damaged): a line naming the format, a line of JSON (the fingerprint, the rows' token, the number
of edges, the components' layouts; the base's ``id``, or the journal's base, its events and the
layouts it drops), the edges' events, actors and targets, UTF-8, with a NUL between each (in the
JSON instead when one holds a NUL), sorted, then each edge's two pieces of JSON (ASCII, which JSON
writes without a NUL) with a NUL after each.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, count, islice
from operator import eq, itemgetter
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from ..analysis.metrics import NAME_ATTRS
from ..analysis.project import _SEP, _actor_nodes, _event_attrs, _Names, _projection_rows, paused_gc
from ..kg.io import preload, preloaded, write_atomic
from ..resources import update_with_files
from ..store import Store
from .layout import layout_pairs
from .network import (
    PHYSICS_MAX_NODES,
    QUAD_COLORS,
    ExplorerNetwork,
    _cameo_codes,
    _curve,
    _edge_entry,
    _htmlsafe,
    _legend,
    _node_entry,
    _options,
    actor_network_to_pyvis,
    htmlsafe_json,
    write_html,
)

__all__ = ["write_explorer", "preload_page", "PAGE_CACHE", "JOURNAL_SHARE"]

PAGE_CACHE = "explorer.page"
"""The cache file's name in a build's cache folder."""

_MAGIC = b"ipkg explorer page 3\n"
_JOURNAL_MAGIC = b"ipkg explorer journal 3\n"
JOURNAL_SHARE = 8
"""A new base file is written when the journal would be more than one part in this many of it."""
_HERE = Path(__file__).parent
_MARK = "\x00ipkg edges\x00"

Key = tuple[str, str, str]


def write_explorer(
    store: Store,
    path: str | Path,
    *,
    rows: str | Path | None = None,
    cache: str | Path | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 0,
    heading: str = "ipkg explorer",
) -> Path:
    """Write the explorer page of the actor network of ``store`` to ``path`` and return the path.

    The page is ``write_html(actor_network_to_pyvis(G, aliases=actor_names(G), physics_max_nodes=...,
    seed=..., heading=...), path)`` for ``G = graph_to_actor_network(store, cache=rows)``, byte for
    byte.

    Parameters
    ----------
    store : ipkg.store.Store
        A store holding a graph ipkg built.
    path : str or Path
        The page.
    rows : str or Path, optional
        The projection rows' cache (see :func:`ipkg.analysis.project.graph_to_actor_network`).
    cache : str or Path, optional
        The page's cache file (see the module docstring); used with ``rows`` only.
    physics_max_nodes : int
        Largest graph drawn with physics.
    seed : int
        Seed of the layout.
    heading : str
        Page title.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> from ipkg.store import OxigraphStore
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = write_explorer(OxigraphStore(), Path(tmp) / "g.html")
    ...     "new vis.Network" in page.read_text(encoding="utf-8")
    True
    """
    out = Path(path)
    with paused_gc():
        pieces = _page(store, rows, Path(cache) if cache is not None and rows is not None else None, physics_max_nodes, seed, heading)
    if pieces is None:
        return write_html(actor_network_to_pyvis(nx.MultiDiGraph(), physics_max_nodes=physics_max_nodes, seed=seed, heading=heading), out)
    write_atomic(out, pieces)
    return out


def _page(store: Store, rows_cache: str | Path | None, cache: Path | None, physics_max_nodes: int, seed: int, heading: str) -> list[bytes] | None:
    """The page's bytes in pieces, or None for a network without edges."""
    names = _Names(store.namespace_manager)
    changes: dict[str, Any] = {}
    key = _fingerprint(seed)
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(_taken, cache, key) if cache is not None else None  # the file is read outside Python's lock while the rows are
        rows = _projection_rows(store, names, rows_cache, changes, skip=("positions",))  # the page shows no states
        cached = reading.result() if reading is not None else None
    if not rows["edges"]:
        return None
    nodes = _actor_nodes(rows, names, states=False)
    edges, keys = _unique(rows["edges"])
    order, degree, place, pairs = _drawn(nodes, edges)
    kept = [n for n in order if n in degree]
    physics = len(kept) <= physics_max_nodes
    old = cached if not physics else None
    memo: dict[str, np.ndarray] = dict(old.layout) if old is not None else {}
    pos = layout_pairs(kept, pairs, seed=seed, memo=memo)
    top = max(degree.values()) or 1
    score = {n: round(float(degree[n]), 9) / top for n in kept}  # default_centrality
    top_score = max(score.values(), default=0.0) or 1.0
    types: Counter[str] = Counter()
    node_entries = []
    for n in kept:
        data = nodes.get(n, {})
        types[str(data.get("type") or "")] += 1
        node_entries.append(_node_entry(n, data, degree[n], score[n], top_score, pos[n], _other_names(data)))
    before, after, fresh, events = _reused(old, changes, keys)
    cameo = _cameo_codes()
    goldstein: dict[str, float] = {}
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    for i in place if physics else fresh:  # physics bends an edge away from those drawn before it
        row = edges[i]
        entry = _edge_entry(row[1], row[2], _event_attrs(row, names, goldstein), cameo)
        if physics:
            _curve(entry, parallel)
        before[i], after[i] = _pieces(entry)
    kinds, quads, documents = _counts(edges, place)
    body = _body(before, after, place)
    net = ExplorerNetwork(height="auto", width="100%", directed=True, cdn_resources="in_line", notebook=False, heading=heading)
    net.options = _options(physics)
    net.explorer = _legend(physics, types, quads, kinds, documents, cameo)
    text = net.render_page(htmlsafe_json(node_entries), _MARK)
    if cache is not None and not physics and changes.get("after"):
        _write(cache, key, changes["after"], old if events is not None else None, events or [], keys, before, after, memo)
    head, mark, tail = text.partition(_MARK)
    if mark and _MARK not in tail:
        return [head.encode("utf-8"), b"[", body, b"]", tail.encode("utf-8")]
    # the mark in the page's own text (a document's name): no cutting
    return [net.render_page(htmlsafe_json(node_entries), b"".join([b"[", body, b"]"]).decode("ascii")).encode("utf-8")]


def _unique(rows: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], list[Key]]:
    """The sorted rows of ``edges`` as the network keeps them (one edge per event, actor and target: the last row), and their keys."""
    keys = list(map(itemgetter(0, 1, 2), rows))
    if not any(map(eq, keys, islice(keys, 1, None))):
        return rows, keys
    last = [i for i in range(len(keys)) if i + 1 == len(keys) or keys[i] != keys[i + 1]]
    return [rows[i] for i in last], [keys[i] for i in last]


def _drawn(nodes: dict[str, Any], edges: list[tuple[str, ...]]) -> tuple[list[str], dict[str, int], list[int], list[tuple[str, str]]]:
    """The graph as networkx holds it: its nodes in the order added, the degree of those with edges,
    the edges' order (each node's, its targets in the order first met, then the events in the
    rows' order) and the node pairs in that order."""
    actors, targets = list(map(itemgetter(1), edges)), list(map(itemgetter(2), edges))
    order = list(nodes)
    rank = dict(zip(order, count()))
    n = len(edges)
    try:
        source = np.fromiter(map(rank.__getitem__, actors), np.int64, n)
        target = np.fromiter(map(rank.__getitem__, targets), np.int64, n)
    except KeyError:  # an actor with edges but no node: added as met
        order = list(dict.fromkeys(chain(nodes, chain.from_iterable(zip(actors, targets)))))
        rank = dict(zip(order, count()))
        source = np.fromiter(map(rank.__getitem__, actors), np.int64, n)
        target = np.fromiter(map(rank.__getitem__, targets), np.int64, n)
    m = len(order)
    _, first, pair = np.unique(source * m + target, return_index=True, return_inverse=True)  # a pair's first edge
    place = np.argsort(source * n + first[pair.ravel()], kind="stable")
    starts = first[np.argsort(source[first] * n + first)].tolist()
    degree = np.bincount(source, minlength=m) + np.bincount(target, minlength=m)
    return order, {order[i]: d for i, d in zip(np.flatnonzero(degree).tolist(), degree[degree > 0].tolist())}, place.tolist(), list(zip(map(actors.__getitem__, starts), map(targets.__getitem__, starts)))


def _body(before: list[bytes], after: list[bytes], place: list[int]) -> bytes:
    """The page's edges but the brackets around them: ``before[i] + b'"e%d"' % k + after[i]`` for the ``k``-th ``i`` of ``place``, joined by commas.

    Examples
    --------
    >>> _body([b"{", b"{x, "], [b"}", b"}"], [1, 0])
    b'{x, "e0"}, {"e1"}'
    """
    n = len(place)
    parts = [b", "] * (4 * n - 1)
    parts[0::4] = map(before.__getitem__, place)
    parts[1::4] = ('"e' + '"\x00"e'.join(map(str, range(n))) + '"').encode("ascii").split(b"\x00")
    parts[2::4] = map(after.__getitem__, place)
    return b"".join(parts)


def _counts(edges: list[tuple[str, ...]], place: list[int]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """How many edges have each kind, quad class and document; the quad classes in the order the page first shows them."""
    kinds = Counter(map(itemgetter(3), edges))
    quads = Counter(map(itemgetter(5), edges))
    if sum(q not in QUAD_COLORS for q in quads) > 1:  # the legend lists these in the order met
        quads = Counter(map(itemgetter(5), map(edges.__getitem__, place)))
    named = list(filter(None, map(itemgetter(9), edges)))
    return kinds, quads, Counter(_SEP.join(named).split(_SEP)) if named else Counter()


def _other_names(data: dict[str, Any]) -> list[str]:
    """:func:`ipkg.viz.focus.actor_names` of one node."""
    names = {str(x) for attr in NAME_ATTRS[1:] for x in (data.get(attr) or ())}
    if data.get("iri"):
        names.add(str(data["iri"]))
    names.discard(str(data.get("label", "")))
    return sorted(names)


def _pieces(entry: dict[str, Any]) -> tuple[bytes, bytes]:
    """The JSON of ``entry`` as the page holds it (``htmlsafe_json(entry | {"id": x})``) cut where ``x`` goes.

    Examples
    --------
    >>> a, b = _pieces({"from": "a", "to": "<b>"})
    >>> (a + b'"e7"' + b).decode() == htmlsafe_json({"from": "a", "id": "e7", "to": "<b>"})
    True
    """
    before = _htmlsafe(json.dumps({k: v for k, v in entry.items() if k < "id"}, sort_keys=True))
    after = _htmlsafe(json.dumps({k: v for k, v in entry.items() if k > "id"}, sort_keys=True))
    return (before[:-1] + (', "id": ' if len(before) > 2 else '"id": ')).encode("ascii"), ((", " if len(after) > 2 else "") + after[1:]).encode("ascii")


def _reused(old: _Cache | None, changes: dict[str, Any], keys: list[Key]) -> tuple[list[Any], list[Any], list[int], list[str] | None]:
    """Each edge's two pieces where the cache holds them (else None), the edges to make, and the
    events whose edges are made again (None when nothing is taken from the cache)."""
    n = len(keys)
    if old is None or not changes.get("after"):
        return [None] * n, [None] * n, list(range(n)), None
    if old.rows == changes["after"]:
        events: list[str] = []
    elif old.rows == changes.get("before") and changes.get("touched") is not None:
        events = sorted(changes["touched"])
    else:
        return [None] * n, [None] * n, list(range(n)), None
    none = [None] * n
    _splice((old.keys, old.before, old.after), events, (keys, none, none))
    if old.keys != keys:  # the rows the cache was made from are not these
        return [None] * n, [None] * n, list(range(n)), None
    return old.before, old.after, [i for e in events for i in range(*_block(keys, e))], events


def _block(keys: list[Key], event: str, lo: int = 0) -> tuple[int, int]:
    """Where the edges of ``event`` are in ``keys`` (sorted), from ``lo`` on."""
    start = bisect_left(keys, event, lo, key=itemgetter(0))
    return start, bisect_right(keys, event, start, key=itemgetter(0))


def _splice(old: tuple[list[Any], ...], events: list[str], new: tuple[list[Any], ...]) -> None:
    """Replace in the lists ``old`` (keys sorted, then what goes with each key) the edges of each
    of ``events`` (sorted) with those ``new`` (the same) has.

    Examples
    --------
    >>> old = ([("a", "x", "y"), ("b", "x", "y")], [1, 2])
    >>> _splice(old, ["b", "c"], ([("c", "y", "x")], [3]))
    >>> old
    ([('a', 'x', 'y'), ('c', 'y', 'x')], [1, 3])
    """
    blocks = []
    at = new_at = 0
    for event in events:
        lo, at = _block(old[0], event, at)
        new_lo, new_at = _block(new[0], event, new_at)
        blocks.append((lo, at, new_lo, new_at))
    for lo, hi, new_lo, new_hi in reversed(blocks):  # from the end: the places before stay where they are
        for was, now in zip(old, new):
            was[lo:hi] = now[new_lo:new_hi]


@lru_cache(maxsize=4)
def _fingerprint(seed: int) -> str:
    """What the cached pieces depend on besides the rows: the code, the libraries, the CAMEO codes, the seed."""
    import jinja2
    import networkx

    h = hashlib.sha256(f"{_MAGIC!r}\n{sys.version}\n{np.__version__}\n{networkx.__version__}\n{jinja2.__version__}\n{seed}\n".encode())
    update_with_files(h, _HERE, [_HERE / "explorer.py", _HERE / "network.py", _HERE / "layout.py", _HERE / "templates" / "explorer.html"])
    h.update(json.dumps(sorted(_cameo_codes().items())).encode())
    return h.hexdigest()


@dataclass
class _Cache:
    """What the cache files hold: the base file brought up to date by its journal."""

    rows: str
    """The token of the rows the pieces were made from."""
    keys: list[Key]
    """The edges (event, actor, target), sorted."""
    before: list[bytes]
    """Each edge's JSON before its ``id``."""
    after: list[bytes]
    """Each edge's JSON after its ``id``."""
    layout: dict[str, np.ndarray]
    """The components' layouts."""
    base: str
    """The base file's name for itself, which its journal repeats."""
    base_size: int
    """The base file's size."""
    base_layout: frozenset[str]
    """The components whose layouts the base file holds."""
    events: frozenset[str] = frozenset()
    """The events whose edges the journal holds."""


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _write(path: Path, key: str, token: str, old: _Cache | None, events: list[str], keys: list[Key], before: list[bytes], after: list[bytes], memo: dict[str, np.ndarray]) -> None:
    """Bring the cache at ``path`` up to date: nothing when it is, the journal of ``old``'s base
    file when ``old`` was used (the edges of ``events`` made again), else a new base file."""
    try:
        if old is not None:
            logged = old.events.union(events)
            if token == old.rows and logged == old.events and memo.keys() == old.layout.keys():
                return
            blocks = [_block(keys, e) for e in sorted(logged)]
            picked = [i for lo, hi in blocks for i in range(lo, hi)]
            added = {k: xy for k, xy in memo.items() if k not in old.base_layout}
            size = sum(len(before[i]) + len(after[i]) for i in picked) + 24 * sum(xy.size for xy in added.values())
            if size * JOURNAL_SHARE <= old.base_size:
                header = {"base": old.base, "events": sorted(logged), "dropped": sorted(old.base_layout.difference(memo))}
                _dump(_journal(path), _JOURNAL_MAGIC, key, token, header, [keys[i] for i in picked], [before[i] for i in picked], [after[i] for i in picked], added)
                return
        _dump(path, _MAGIC, key, token, {"id": os.urandom(12).hex()}, keys, before, after, memo)
        _journal(path).unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written is made again next time


def _dump(path: Path, magic: bytes, key: str, token: str, header: dict[str, Any], keys: list[Key], before: list[bytes], after: list[bytes], layout: dict[str, np.ndarray]) -> None:
    text = "\x00".join(chain.from_iterable(keys))
    plain = text.count("\x00") == max(3 * len(keys) - 1, 0)
    cells = text.encode("utf-8", "surrogatepass") if plain else b""
    header = header | {"key": key, "rows": token, "edges": len(keys), "keys": len(cells) if plain else keys, "layout": {k: xy.ravel().tolist() for k, xy in layout.items()}}
    pieces: list[bytes | None] = [None] * (2 * len(keys))
    pieces[0::2], pieces[1::2] = before, after
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    write_atomic(path, [magic, head, b"\n", cells, b"\x00".join(pieces), b"\x00" if keys else b""], durable=False)  # type: ignore[arg-type]


def _load(path: Path, magic: bytes, key: str) -> tuple[dict[str, Any], list[Key], list[bytes], list[bytes], dict[str, np.ndarray], int] | None:
    """What :func:`_dump` wrote (its header, keys, pieces, layouts and size), or None when it is missing, of other code or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(magic):
        return None
    end = blob.find(b"\n", len(magic))
    try:
        header = json.loads(blob[len(magic) : end].decode("utf-8", "surrogatepass"))
        if end < 0 or not isinstance(header, dict) or header.get("key") != key or not isinstance(header.get("rows"), str):
            return None
        n, cells = header["edges"], header["keys"]
        if type(n) is not int or n < 0:
            return None
        start = end + 1
        if type(cells) is int and cells >= 0:
            text = blob[start : start + cells].decode("utf-8", "surrogatepass").split("\x00") if n else []
            start += cells
            if len(text) != 3 * n:
                return None
            keys = list(zip(*[iter(text)] * 3))
        else:
            keys = [(str(e), str(u), str(v)) for e, u, v in cells]
        layout = {str(k): np.array(xy, dtype=float).reshape(-1, 2) for k, xy in header["layout"].items()}
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if not n:
        return (header, [], [], [], layout, len(blob)) if start == len(blob) and not keys else None
    if len(keys) != n or not blob.endswith(b"\x00"):
        return None  # cut short, or added to
    cut = blob[start:-1].split(b"\x00")
    if len(cut) != 2 * n:
        return None
    return header, keys, cut[0::2], cut[1::2], layout, len(blob)


def preload_page(path: Path, seed: int = 0) -> None:
    """Read and decode the page cache at ``path`` now, for the next :func:`write_explorer` of it
    (with the same ``seed``) to take if its files are unchanged by then (see
    :func:`ipkg.kg.io.preload`). At 10^4 documents reading it takes ~0.08 s, which an update of a
    build spends while the pipeline is built in another process.

    Examples
    --------
    >>> import tempfile
    >>> preload_page(Path(tempfile.mkdtemp()) / PAGE_CACHE)  # none yet: nothing kept
    """
    key = _fingerprint(seed)
    preload(_tag(path, key), [path, _journal(path)], lambda: _read(path, key))


def _taken(path: Path, key: str) -> _Cache | None:
    """:func:`_read`, or what :func:`preload_page` read of the same files."""
    return preloaded(_tag(path, key), [path, _journal(path)], lambda: _read(path, key))  # type: ignore[no-any-return]


def _tag(path: Path, key: str) -> str:
    return f"explorer page {key} {path}"


def _read(path: Path, key: str) -> _Cache | None:
    """The cache at ``path`` (its base file and the journal, when that was written for it), or None when it is missing, of other code or damaged."""
    base = _load(path, _MAGIC, key)
    if base is None or not isinstance(base[0].get("id"), str):
        return None
    header, keys, before, after, layout, size = base
    cache = _Cache(header["rows"], keys, before, after, layout, header["id"], size, frozenset(layout))
    journal = _load(_journal(path), _JOURNAL_MAGIC, key)
    if journal is None or journal[0].get("base") != cache.base:
        return cache
    header, keys, before, after, layout, _ = journal
    try:
        events = sorted({str(e) for e in header["events"]})
        dropped = [str(k) for k in header["dropped"]]
    except (KeyError, TypeError):
        return cache
    _splice((cache.keys, cache.before, cache.after), events, (keys, before, after))
    for k in dropped:
        cache.layout.pop(k, None)
    cache.layout.update(layout)
    cache.rows, cache.events = header["rows"], frozenset(events)
    return cache
