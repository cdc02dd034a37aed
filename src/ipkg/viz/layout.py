"""Node positions computed in Python, so that a large explorer page needs no physics in the browser."""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["explorer_layout", "SPRING_MAX_NODES"]

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
    U = nx.Graph()
    U.add_nodes_from(G)
    # each pair once (a pair of actors has tens of events between them), in the order first met: U is the same
    # (read from the adjacency, which holds each pair once, not from the edges, one per event)
    U.add_edges_from((u, v) for u, nbrs in G.adjacency() for v in nbrs if u != v)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(U)), key=lambda c: (-len(c), str(c[0])))
    placed: list[tuple[list[Hashable], np.ndarray]] = []
    for nodes in comps:
        if len(nodes) == 1:
            xy = np.zeros((1, 2))
        elif len(nodes) <= SPRING_MAX_NODES:
            sub = nx.Graph()
            sub.add_nodes_from(nodes)  # in this order: a subgraph view would list them in the order of a set, which varies with the hash seed
            sub.add_edges_from(U.subgraph(nodes).edges())
            pos = nx.spring_layout(sub, seed=seed, method="force", iterations=80)
            xy = np.array([pos[n] for n in nodes], dtype=float)
            xy = _scale(xy, len(nodes))
        else:
            xy = _spread(_scale(_pivot_mds(U, nodes, pivots), len(nodes)))
        placed.append((nodes, xy))
    return _pack(placed)


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
