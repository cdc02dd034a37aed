"""The build's explorer page, made straight from the projection rows and brought up to date from a cache.

:func:`write_explorer` writes the page :func:`~ipkg.viz.network.actor_network_to_pyvis` and
:func:`~ipkg.viz.network.write_html` write for
:func:`~ipkg.analysis.project.graph_to_actor_network`'s network, the same bytes, without building
the networkx graph. With a cache file it keeps what the page is made of:

* the JSON of each edge but its ``id`` (which is its place on the page), under its event, actor
  and target, with a token of the rows it was made from (see
  :func:`ipkg.analysis.rowcache.cached_rows`): when the rows moved on from those, the edges of the
  events whose rows were not read again are taken from the cache, the others are made again;
* the layout of each connected component before the components are packed, under a digest of
  its nodes and edges (:func:`~ipkg.viz.layout.layout_pairs`).

At 10^4 documents (36,000 edges, a 33 MB page) the edges' JSON and tooltips took ~0.8 s and the
layout ~0.3 s. The cache is ignored when its fingerprint (the code, the libraries, the event
kinds' CAMEO codes) differs or it is damaged, and not kept for a page with physics (at most
:data:`~ipkg.viz.network.PHYSICS_MAX_NODES` nodes), whose edges depend on their neighbours.

The cache file (never unpickled) is written through a temporary file and a rename, not flushed to disk (a file a crash cut short
or filled with zeros has pieces of the wrong count, read as damaged): a line naming
the format, a line of JSON (the fingerprint, the rows' token, each edge's event, actor and target,
the components' layouts), then each edge's two pieces of JSON (ASCII, which JSON writes without
a NUL) with a NUL after each.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from ..analysis.metrics import NAME_ATTRS
from ..analysis.project import _SEP, _actor_nodes, _event_attrs, _Names, _projection_rows, paused_gc
from ..kg.io import write_atomic
from ..resources import update_with_files
from ..store import Store
from .layout import layout_pairs
from .network import (
    PHYSICS_MAX_NODES,
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

__all__ = ["write_explorer", "PAGE_CACHE"]

PAGE_CACHE = "explorer.page"
"""The cache file's name in a build's cache folder."""

_MAGIC = b"ipkg explorer page 2\n"
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
    rows = _projection_rows(store, names, rows_cache, changes, skip=("positions",))  # the page shows no states
    if not rows["edges"]:
        return None
    nodes = _actor_nodes(rows, names, states=False)
    # the graph as networkx holds it: nodes in the order added, each one's targets in the order first met, then events
    order: dict[str, None] = dict.fromkeys(nodes)
    succ: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    for row in rows["edges"]:
        u, v = row[1], row[2]
        if u not in order:
            order[u] = None
        if v not in order:
            order[v] = None
        succ.setdefault(u, {}).setdefault(v, {})[row[0]] = row
    degree = dict.fromkeys(order, 0)
    edges: list[tuple[str, str, tuple[str, ...]]] = []
    for u in order:
        for v, by_event in succ.get(u, {}).items():
            for row in by_event.values():
                edges.append((u, v, row))
                degree[u] += 1
                degree[v] += 1
    kept = [n for n in order if degree[n]]
    physics = len(kept) <= physics_max_nodes
    key = _fingerprint(seed)
    old = _read(cache, key) if cache is not None and not physics else None
    memo: dict[str, np.ndarray] = old["layout"] if old is not None else {}
    old_layouts = set(memo)
    pos = layout_pairs(kept, ((u, v) for u in kept for v in succ.get(u, ())), seed=seed, memo=memo)
    top = max(degree.values()) or 1
    score = {n: round(float(degree[n]), 9) / top for n in kept}  # default_centrality
    top_score = max(score.values(), default=0.0) or 1.0
    types: Counter[str] = Counter()
    node_entries = []
    for n in kept:
        data = nodes.get(n, {})
        types[str(data.get("type") or "")] += 1
        node_entries.append(_node_entry(n, data, degree[n], score[n], top_score, pos[n], _other_names(data)))
    reuse = _reusable(old, changes)
    cameo = _cameo_codes()
    goldstein: dict[str, float] = {}
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    keys: list[Key] = [(row[0], u, v) for u, v, row in edges]
    made: list[tuple[bytes, bytes]] = []
    fresh = 0
    for (u, v, row), k in zip(edges, keys):
        piece = reuse(k)
        if piece is None:
            fresh += 1
            entry = _edge_entry(u, v, _event_attrs(row, names, goldstein), cameo)
            if physics:
                _curve(entry, parallel)
            piece = _pieces(entry)
        made.append(piece)
    kinds = Counter([row[3] for _, _, row in edges])
    quads = Counter([row[5] for _, _, row in edges])
    documents = Counter(_SEP.join([row[9] for _, _, row in edges if row[9]]).split(_SEP)) if any(row[9] for _, _, row in edges) else Counter()
    items = [b'%s"e%d"%s' % (a, i, b) for i, (a, b) in enumerate(made)]
    net = ExplorerNetwork(height="auto", width="100%", directed=True, cdn_resources="in_line", notebook=False, heading=heading)
    net.options = _options(physics)
    net.explorer = _legend(physics, types, quads, kinds, documents, cameo)
    text = net.render_page(htmlsafe_json(node_entries), _MARK)
    unchanged = old is not None and old["rows"] == changes.get("after") and not fresh and len(old["edges"]) == len(keys) and set(memo) == old_layouts
    if cache is not None and not physics and changes.get("after") and not unchanged:
        _write(cache, key, changes["after"], keys, made, memo)
    head, mark, tail = text.partition(_MARK)
    if mark and _MARK not in tail:
        return [head.encode("utf-8"), b"[", b", ".join(items), b"]", tail.encode("utf-8")]
    # the mark in the page's own text (a document's name): no cutting
    return [net.render_page(htmlsafe_json(node_entries), b"".join([b"[", b", ".join(items), b"]"]).decode("ascii")).encode("utf-8")]


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


def _reusable(old: dict[str, Any] | None, changes: dict[str, Any]) -> Any:
    """Edge (event, actor, target) -> its cached pieces where the rows say they still hold, else None."""
    if old is None or not changes.get("after"):
        return lambda key: None
    pieces: dict[Key, tuple[bytes, bytes]] = old["edges"]
    if old["rows"] == changes["after"]:
        return pieces.get
    touched = changes.get("touched")
    if old["rows"] != changes.get("before") or touched is None:
        return lambda key: None
    return lambda key: None if key[0] in touched else pieces.get(key)


@lru_cache(maxsize=4)
def _fingerprint(seed: int) -> str:
    """What the cached pieces depend on besides the rows: the code, the libraries, the CAMEO codes, the seed."""
    import jinja2
    import networkx

    h = hashlib.sha256(f"{_MAGIC!r}\n{sys.version}\n{np.__version__}\n{networkx.__version__}\n{jinja2.__version__}\n{seed}\n".encode())
    update_with_files(h, _HERE, [_HERE / "explorer.py", _HERE / "network.py", _HERE / "layout.py", _HERE / "templates" / "explorer.html"])
    h.update(json.dumps(sorted(_cameo_codes().items())).encode())
    return h.hexdigest()


def _write(path: Path, key: str, token: str, keys: list[Key], made: list[tuple[bytes, bytes]], memo: dict[str, np.ndarray]) -> None:
    header = {"key": key, "rows": token, "edges": keys, "layout": {k: xy.ravel().tolist() for k, xy in memo.items()}}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        write_atomic(path, [_MAGIC, head, b"\n", b"\x00".join([p for pair in made for p in pair]), b"\x00"], durable=False)
    except OSError:
        pass  # a cache that cannot be written is made again next time


def _read(path: Path, key: str) -> dict[str, Any] | None:
    """What :func:`_write` wrote, or None when it is missing, of other code or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_MAGIC):
        return None
    end = blob.find(b"\n", len(_MAGIC))
    try:
        data = json.loads(blob[len(_MAGIC) : end].decode("utf-8", "surrogatepass"))
        if end < 0 or not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("rows"), str):
            return None
        keys = [(str(e), str(u), str(v)) for e, u, v in data["edges"]]
        layout = {str(k): np.array(xy, dtype=float).reshape(-1, 2) for k, xy in data["layout"].items()}
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if not blob.endswith(b"\x00"):
        return None  # cut short, or added to
    cut = blob[end + 1 : -1].split(b"\x00") if keys else [] if len(blob) == end + 2 else [b""]
    if len(cut) != 2 * len(keys):
        return None
    return {"rows": data["rows"], "edges": dict(zip(keys, zip(cut[::2], cut[1::2]))), "layout": layout}
