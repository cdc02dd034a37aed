"""Node positions computed in Python, so that a large explorer page needs no physics in the browser."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np

__all__ = ["explorer_layout", "layout_pairs", "component_key", "SPRING_MAX_NODES"]

SPRING_MAX_NODES = 500
"""Up to this many nodes a component gets networkx's spring layout; above, pivot MDS."""

_SPACING = 60.0  # the distance, in vis canvas units, that one node is given


def explorer_layout(G: nx.Graph, *, seed: int = 0, pivots: int = 40) -> dict[Hashable, tuple[float, float]]:
    """Deterministic positions in canvas units, fast enough for 5,000 nodes (about a second).

    Each connected component is laid out on its own and the components are packed in rows, the
    largest first. A component of up to :data:`SPRING_MAX_NODES` nodes gets
    :func:`networkx.spring_layout`; a larger one gets pivot MDS (Brandes and Pich 2006: classical
    MDS on the graph distances to ``pivots`` pivots, O(pivots · edges), numpy only), after which
    nodes that land on the same spot (the leaves of one hub) are spread on a small sunflower spiral.

    Parameters
    ----------
    G : networkx graph
        Directions and parallel edges are ignored.
    seed : int
        Seed of the spring layout and of the first pivot's tie break.
    pivots : int
        Number of pivots for pivot MDS.

    Returns
    -------
    dict
        Node -> (x, y), about 60 units between neighbours.

    Examples
    --------
    >>> pos = explorer_layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    >>> explorer_layout(nx.path_graph(3)) == pos
    True
    """
    # each pair once (a pair of actors has tens of events between them), in the order first met: U is the same
    # (read from the adjacency, which holds each pair once, not from the edges, one per event)
    return layout_pairs(G, ((u, v) for u, nbrs in G.adjacency() for v in nbrs), seed=seed, pivots=pivots)


def layout_pairs(
    nodes: Iterable[Hashable],
    pairs: Iterable[tuple[Hashable, Hashable]],
    *,
    seed: int = 0,
    pivots: int = 40,
    memo: dict[str, np.ndarray] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """:func:`explorer_layout` of the graph of ``nodes`` (in this order) joined by ``pairs``.

    With ``memo``, each component's own layout (before the components are packed) is looked up
    there under :func:`component_key`; ``memo`` is left holding the layouts of this graph's
    components and no others. A component's layout depends only on its nodes, its edges,
    ``seed`` and ``pivots``, so the positions are the same either way.

    Examples
    --------
    >>> memo = {}
    >>> pos = layout_pairs(["a", "b", "c"], [("a", "b")], memo=memo)
    >>> len(memo), layout_pairs(["a", "b", "c"], [("a", "b")], memo=memo) == pos
    (2, True)
    """
    order: dict[Hashable, int] = {}
    for n in nodes:
        order.setdefault(n, len(order))
    seen: set[tuple[int, int]] = set()
    for u, v in pairs:
        if u != v:
            i, j = order.setdefault(u, len(order)), order.setdefault(v, len(order))
            seen.add((i, j) if i < j else (j, i))
    listed = list(order)
    names = [str(n) for n in listed]
    edges = np.array(sorted(seen), dtype=np.int64).reshape(-1, 2)
    labels = _components(len(listed), edges)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(i)
    comps = sorted((sorted(c, key=names.__getitem__) for c in members.values()), key=lambda c: (-len(c), names[c[0]]))
    local = np.empty(len(listed), dtype=np.int64)
    for c in comps:
        local[c] = np.arange(len(c))
    # each component's edges as (lower, higher) places in it, sorted: what component_key digests
    lo, hi = np.minimum(local[edges[:, 0]], local[edges[:, 1]]), np.maximum(local[edges[:, 0]], local[edges[:, 1]])
    by = labels[edges[:, 0]]
    sort = np.lexsort((hi, lo, by))
    by, lo, hi = by[sort], lo[sort], hi[sort]
    firsts = labels[[c[0] for c in comps]]
    bounds = np.searchsorted(by, firsts, side="left"), np.searchsorted(by, firsts, side="right")
    placed: list[tuple[list[Hashable], np.ndarray]] = []
    kept: dict[str, np.ndarray] = {}
    for c, a, b in zip(comps, *bounds):
        nodes_ = [listed[i] for i in c]
        comp_pairs = np.column_stack([lo[a:b], hi[a:b]])
        key = _digest([names[i] for i in c], comp_pairs, seed, pivots) if memo is not None else ""
        xy = memo.get(key) if memo is not None else None
        if xy is None or xy.shape != (len(nodes_), 2):
            U = nx.Graph()
            U.add_nodes_from(nodes_)
            U.add_edges_from((nodes_[x], nodes_[y]) for x, y in comp_pairs.tolist())
            xy = _component_layout(U, nodes_, seed, pivots)
        kept[key] = xy
        placed.append((nodes_, xy))
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return _pack(placed)


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Each of ``n`` nodes' connected component, named by its lowest node, for ``edges`` (pairs of nodes).

    Examples
    --------
    >>> _components(5, np.array([[3, 4], [1, 3]])).tolist()
    [0, 1, 2, 1, 1]
    """
    labels = np.arange(n, dtype=np.int64)
    while True:
        low = labels.copy()
        np.minimum.at(low, edges[:, 0], labels[edges[:, 1]])
        np.minimum.at(low, edges[:, 1], labels[edges[:, 0]])
        low = low[low]
        if np.array_equal(low, labels):
            return labels
        labels = low


def component_key(U: nx.Graph, nodes: list[Hashable], seed: int, pivots: int) -> str:
    """A digest of what a component's layout is made of: its nodes in order, its edges, ``seed`` and ``pivots``.

    Examples
    --------
    >>> U = nx.path_graph(3)
    >>> component_key(U, [0, 1, 2], 0, 40) == component_key(nx.Graph([(1, 2), (0, 1)]), [0, 1, 2], 0, 40)
    True
    """
    index = {n: i for i, n in enumerate(nodes)}
    pairs = sorted((min(index[n], index[m]), max(index[n], index[m])) for n in nodes for m in U[n] if index[n] < index[m])
    return _digest([str(n) for n in nodes], np.array(pairs, dtype=np.int64), seed, pivots)


def _digest(names: list[str], pairs: np.ndarray, seed: int, pivots: int) -> str:
    h = hashlib.sha256(f"{seed} {pivots} {SPRING_MAX_NODES} {_SPACING}\n".encode())
    h.update(json.dumps(names, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    h.update(pairs.astype(np.int64).tobytes())
    return h.hexdigest()


def _component_layout(U: nx.Graph, nodes: list[Hashable], seed: int, pivots: int) -> np.ndarray:
    if len(nodes) == 1:
        return np.zeros((1, 2))
    if len(nodes) <= SPRING_MAX_NODES:
        sub = nx.Graph()
        sub.add_nodes_from(nodes)  # in this order: a subgraph view would list them in the order of a set, which varies with the hash seed
        sub.add_edges_from(U.subgraph(nodes).edges())
        pos = nx.spring_layout(sub, seed=seed, method="force", iterations=80)
        xy = np.array([pos[n] for n in nodes], dtype=float)
        return _scale(xy, len(nodes))
    return _spread(_scale(_pivot_mds(U, nodes, pivots), len(nodes)))


def _scale(xy: np.ndarray, n: int) -> np.ndarray:
    """Centre ``xy`` and scale it to a disc whose area gives each node about _SPACING²."""
    xy = xy - xy.mean(axis=0)
    radius = float(np.sqrt((xy**2).sum(axis=1)).max()) or 1.0
    return xy * (_SPACING * math.sqrt(n) * 0.6 / radius)


def _pivot_mds(U: nx.Graph, nodes: list[Hashable], k: int) -> np.ndarray:
    index = {n: i for i, n in enumerate(nodes)}
    adj = [[index[m] for m in U[n]] for n in nodes]
    n = len(nodes)
    k = min(k, n)
    # adjacency in compressed rows: the neighbours of i are indices[indptr[i]:indptr[i + 1]]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(a) for a in adj], out=indptr[1:])
    indices = np.fromiter((j for a in adj for j in a), dtype=np.int64, count=int(indptr[-1]))
    dist = np.empty((n, k))
    mindist = np.full(n, np.inf)
    pivot = max(range(n), key=lambda i: (len(adj[i]), -i))  # the biggest hub first
    for j in range(k):
        d = _bfs(indptr, indices, pivot)
        dist[:, j] = d
        mindist = np.minimum(mindist, d)
        pivot = int(np.argmax(mindist))  # then farthest-first
    sq = dist**2
    c = -0.5 * (sq - sq.mean(axis=0) - sq.mean(axis=1, keepdims=True) + sq.mean())
    return _top_components(c)


def _top_components(c: np.ndarray) -> np.ndarray:
    """``u[:, :2] * s[:2]`` of the SVD of the n x k matrix ``c``, each column's largest entry made positive.

    Found from the eigenvectors of the k x k matrix ``cᵀc`` and multiplied out by ``np.einsum``,
    which runs in one thread: ``np.linalg.svd`` of ``c`` goes through OpenBLAS's threads, which on
    a busy two-core machine took ~1 s for 6,000 x 40 instead of ~15 ms. The answer is the same
    whatever the machine's load or number of cores.

    Examples
    --------
    >>> (_top_components(np.array([[2.0, 0.0], [0.0, -1.0], [0.0, 0.0]])) + 0.0).tolist()
    [[2.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    w, v = np.linalg.eigh(np.einsum("ij,ik->jk", c, c))
    xy = np.einsum("ij,jk->ik", c, v[:, ::-1][:, :2])
    flip = xy[np.argmax(np.abs(xy), axis=0), np.arange(xy.shape[1])] < 0
    xy[:, flip] *= -1
    return xy if xy.shape[1] == 2 else np.column_stack([xy, np.zeros(len(c))])


def _bfs(indptr: np.ndarray, indices: np.ndarray, source: int) -> np.ndarray:
    """Hops from ``source`` to every node (-1 where it cannot reach), one whole level at a time.

    Examples
    --------
    >>> _bfs(np.array([0, 1, 3, 4, 4]), np.array([1, 0, 2, 1]), 0)  # the path 0-1-2, and 3 alone
    array([ 0.,  1.,  2., -1.])
    """
    d = np.full(len(indptr) - 1, -1.0)
    d[source] = 0.0
    frontier = np.array([source], dtype=np.int64)
    level = 0.0
    while frontier.size:
        level += 1.0
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        # the places of the frontier's neighbours in `indices`: each start, counted up
        places = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
        reached = indices[places]
        frontier = np.unique(reached[d[reached] < 0])
        d[frontier] = level
    return d


def _spread(xy: np.ndarray) -> np.ndarray:
    """Move nodes that share a grid cell onto a sunflower spiral around the cell's centre."""
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(xy):
        cells.setdefault((round(x / _SPACING), round(y / _SPACING)), []).append(i)
    out = xy.copy()
    golden = math.pi * (3 - math.sqrt(5))
    for members in cells.values():
        if len(members) < 2:
            continue
        cx, cy = xy[members].mean(axis=0)
        for r, i in enumerate(members):
            rad = _SPACING * 0.5 * math.sqrt(r)
            out[i] = (cx + rad * math.cos(r * golden), cy + rad * math.sin(r * golden))
    return out


def _pack(placed: list[tuple[list[Hashable], np.ndarray]]) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing: components left to right in rows about as wide as the whole is tall."""
    boxes = []
    for nodes, xy in placed:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        boxes.append((nodes, xy - lo, hi - lo + _SPACING))
    area = sum(float(w * h) for _, _, (w, h) in boxes)
    row_width = max(math.sqrt(area), float(boxes[0][2][0]) if boxes else 0.0)
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for nodes, xy, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for n, (px, py) in zip(nodes, xy):
            out[n] = (round(float(px + x), 1), round(float(py + y), 1))
        x += float(w)
        row_h = max(row_h, float(h))
    return out
