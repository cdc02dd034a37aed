"""Who matters in the actor network: degree, betweenness, PageRank, communities, ego networks, brokers.

Every function takes the actor network of :func:`ipkg.analysis.graph_to_actor_network` first (any
networkx graph whose edges carry ``goldstein`` works). Where several events join two actors, the
measures that need a simple graph use :func:`to_simple`, which merges them into one edge that
counts them.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from ..errors import Errors, IpkgError

__all__ = [
    "WEIGHTS",
    "Brokers",
    "resolve_actor",
    "to_simple",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "communities",
    "ego_network",
    "brokers",
    "rank",
]

#: Edge weights: ``events`` counts events, ``goldstein`` sums their absolute Goldstein scores
#: (how much cooperation or conflict passes along an edge, whatever its sign).
WEIGHTS = ("events", "goldstein")


def _check_weight(weight: str) -> None:
    if weight not in WEIGHTS:
        raise IpkgError(Errors.E023.format(weight=weight, choices=", ".join(WEIGHTS)))


def _edge_weight(data: Mapping[str, object], weight: str) -> float:
    return 1.0 if weight == "events" else abs(float(data.get("goldstein", 0.0)))  # type: ignore[arg-type]


#: Node attributes that name an actor, tried in this order: a name found at one level wins over
#: the next, so the gazetteer's "Pezeshkian" (a short form of the president) is not lost to a
#: text that once wrote "Pezeshkian" for Iran.
NAME_ATTRS = ("label", "aliases", "short_forms", "surface_forms")


def resolve_actor(G: nx.Graph, actor: Hashable) -> Hashable:
    """The node ``actor`` names: a node name, a full IRI, or a name (case-insensitive) in
    :data:`NAME_ATTRS` order: label, alias, short form, surface form.

    Parameters
    ----------
    G : networkx graph
        Nodes may carry ``iri``, ``label`` and ``aliases``.
    actor : str or node
        A node, or ``actor:iran``, ``https://w3id.org/ipkg/id/actor/iran``, ``Iran`` or ``Islamic Republic of Iran``.

    Raises
    ------
    IpkgError
        E017 if nothing matches, E020 if the first level that matches names several actors.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("actor:us", label="United States", aliases=["US", "USA"])
    >>> resolve_actor(G, "usa")
    'actor:us'
    """
    if actor in G:
        return actor
    if not isinstance(actor, str):
        raise IpkgError(Errors.E017.format(actor=actor, hint=""))
    for n, iri in G.nodes(data="iri"):
        if iri == actor:
            return n
    wanted = actor.strip().casefold()
    for attr in NAME_ATTRS:
        hits = []
        for n, value in G.nodes(data=attr):
            names = [value] if isinstance(value, str) else list(value or [])
            if any(str(x).casefold() == wanted for x in names):
                hits.append(n)
        if len(hits) == 1:
            return hits[0]
        if hits:
            named = ", ".join(f"{n} ({G.nodes[n].get('label', n)})" for n in sorted(hits, key=str))
            raise IpkgError(Errors.E020.format(actor=actor, candidates=named))
    labels = {str(lab): n for n, lab in G.nodes(data="label") if lab}
    close = difflib.get_close_matches(actor, list(labels), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise IpkgError(Errors.E017.format(actor=actor, hint=hint))


def to_simple(G: nx.Graph, *, directed: bool = False) -> nx.Graph:
    """Merge parallel edges: one edge per pair of actors (per direction if ``directed``).

    Each merged edge carries ``events`` (how many distinct events join the pair), ``goldstein``
    (the sum of their absolute Goldstein scores), ``net`` (the sum of their signed scores) and
    ``event_ids`` (the events, sorted). Node attributes are kept.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_edge("a", "b", key="e1", goldstein=-2.0)
    'e1'
    >>> M.add_edge("b", "a", key="e2", goldstein=4.0)
    'e2'
    >>> H = to_simple(M)
    >>> H.edges["a", "b"]["events"], H.edges["a", "b"]["goldstein"], H.edges["a", "b"]["net"]
    (2, 6.0, 2.0)
    """
    H: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    seen: dict[tuple[Hashable, Hashable], dict[Hashable, float]] = {}
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, (u, v), d) for u, v, d in G.edges(data=True))
    for u, v, key, data in edges:
        pair = (v, u) if not directed and (v, u) in seen else (u, v)
        event = data.get("event", key)
        seen.setdefault(pair, {})[event] = float(data.get("goldstein", 0.0))
        H.add_edge(*pair)
    for (u, v), events in seen.items():
        H.edges[u, v].update(
            events=len(events),
            goldstein=sum(abs(g) for g in events.values()),
            net=sum(events.values()),
            event_ids=sorted(events, key=str),
        )
    return H


def weighted_degree(G: nx.Graph, weight: str = "events") -> dict[Hashable, float]:
    """Weighted degree of every actor, counting edges in and out.

    Parameters
    ----------
    G : networkx graph
        The actor network: one edge per event and counterpart.
    weight : {"events", "goldstein"}
        ``events``: one per edge, so an actor's degree is the number of (event, counterpart)
        pairs it takes part in; ``goldstein``: the absolute Goldstein score of each edge.

    Raises
    ------
    IpkgError
        E023 for another ``weight``.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> _ = M.add_edge("a", "b", goldstein=-10.0); _ = M.add_edge("a", "c", goldstein=3.4)
    >>> weighted_degree(M)
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    >>> weighted_degree(M, "goldstein")["a"]
    13.4
    """
    _check_weight(weight)
    out = {n: 0.0 for n in G}
    for u, v, data in G.edges(data=True):
        w = _edge_weight(data, weight)
        out[u] += w
        out[v] += w
    return {n: round(x, 9) for n, x in out.items()}  # no float noise (132.70000000000005) in tables


def betweenness(G: nx.Graph, *, normalized: bool = True, k: int | None = None, seed: int | None = None) -> dict[Hashable, float]:
    """Betweenness centrality on the undirected simple graph (unweighted shortest paths).

    ``k`` samples that many source nodes (``seed`` fixes the sample); by default all are used
    and the result is exact.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    return dict(nx.betweenness_centrality(to_simple(G), k=k, normalized=normalized, seed=seed))


def pagerank(G: nx.Graph, *, weight: str = "events", alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 500) -> dict[Hashable, float]:
    """PageRank of the directed actor network, edges weighted by ``events`` or ``goldstein``.

    An event points from its actor to its target, so a high score means an actor many actors
    act upon, or a few well-placed ones. Actors with no outgoing weight spread their score evenly.
    Computed by power iteration in pure Python, as networkx's does (whose ``nx.pagerank`` needs
    SciPy, which ipkg does not depend on).

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        If ``max_iter`` iterations do not converge.

    Examples
    --------
    >>> pr = pagerank(nx.DiGraph([("a", "b")]))
    >>> round(pr["a"], 4), round(pr["b"], 4)
    (0.3509, 0.6491)
    """
    _check_weight(weight)
    D = to_simple(G, directed=True) if G.is_directed() else to_simple(G).to_directed()
    nodes = list(D)
    n = len(nodes)
    if n == 0:
        return {}
    out = {u: {v: float(d["events"] if weight == "events" else d["goldstein"]) for v, d in D[u].items()} for u in nodes}
    total = {u: sum(ws.values()) for u, ws in out.items()}
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        last = x
        dangling = alpha * sum(last[u] for u in nodes if total[u] == 0)
        x = dict.fromkeys(nodes, dangling / n + (1.0 - alpha) / n)
        for u in nodes:
            if total[u]:
                for v, w in out[u].items():
                    x[v] += alpha * last[u] * w / total[u]
        if sum(abs(x[u] - last[u]) for u in nodes) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def communities(G: nx.Graph, *, weight: str = "events", resolution: float = 1.0, seed: int | None = None) -> list[set[Hashable]]:
    """Louvain communities of the undirected simple graph, largest first.

    Parameters
    ----------
    weight : {"events", "goldstein"}
        What holds a community together: how many events, or how much |Goldstein|.
    seed : int, optional
        Louvain visits nodes in random order; fix ``seed`` for the same answer every run.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> communities(G, seed=1)
    [{1, 2, 3}, {4, 5, 6}]
    """
    _check_weight(weight)
    parts = nx.community.louvain_communities(to_simple(G), weight=weight, resolution=resolution, seed=seed)
    return sorted((set(p) for p in parts), key=lambda p: (-len(p), sorted(map(str, p))))


def ego_network(G: nx.Graph, actor: Hashable, hops: int = 1) -> nx.Graph:
    """The actors within ``hops`` events of ``actor`` (either direction), and all events among them.

    Parameters
    ----------
    actor : str or node
        A node, node name, IRI, label or alias (see :func:`resolve_actor`).
    hops : int
        Radius: 1 for the actor's direct counterparts.

    Returns
    -------
    networkx graph
        Of the same type as ``G``, a copy.

    Examples
    --------
    >>> sorted(ego_network(nx.path_graph(5), 2, hops=1))
    [1, 2, 3]
    """
    center = resolve_actor(G, actor)
    return nx.ego_graph(G, center, radius=hops, undirected=True).copy()


@dataclass
class Brokers:
    """Actors on the shortest paths between two actors.

    ``distance`` is the length of those paths in events (None when there is none), ``paths`` how
    many there are, and ``ranking`` each intermediate actor with the number of paths through it,
    most first.
    """

    source: Hashable
    target: Hashable
    distance: int | None
    paths: int
    ranking: list[tuple[Hashable, int]] = field(default_factory=list)

    def share(self, node: Hashable) -> float:
        """The fraction of the shortest paths that pass through ``node``."""
        return dict(self.ranking).get(node, 0) / self.paths if self.paths else 0.0


def brokers(G: nx.Graph, source: Hashable, target: Hashable, *, indirect: bool = False) -> Brokers:
    """Actors lying on shortest paths between ``source`` and ``target``, ranked by how many pass through them.

    Paths ignore direction. When the two actors are joined directly, the only shortest path is
    that edge and there is no broker: ``indirect=True`` sets the direct edge aside and asks who
    connects them otherwise.

    Examples
    --------
    >>> G = nx.Graph([("a", "x"), ("x", "b"), ("a", "y"), ("y", "x"), ("a", "b")])
    >>> brokers(G, "a", "b").ranking
    []
    >>> r = brokers(G, "a", "b", indirect=True)
    >>> r.distance, r.paths, r.ranking
    (2, 1, [('x', 1)])
    """
    a, b = resolve_actor(G, source), resolve_actor(G, target)
    H = to_simple(G)
    if indirect and H.has_edge(a, b):
        H.remove_edge(a, b)
    try:
        paths = list(nx.all_shortest_paths(H, a, b))
    except nx.NetworkXNoPath:
        return Brokers(a, b, None, 0)
    counts = Counter(n for p in paths for n in p[1:-1])
    ranking = sorted(counts.items(), key=lambda kv: (-kv[1], str(G.nodes[kv[0]].get("label", kv[0]))))
    return Brokers(a, b, len(paths[0]) - 1, len(paths), ranking)


def rank(scores: Mapping[Hashable, float], n: int | None = None) -> list[tuple[Hashable, float]]:
    """``scores`` as (node, score) pairs, highest first, ties by node name; the first ``n``.

    Examples
    --------
    >>> rank({"b": 1.0, "a": 1.0, "c": 2.0}, 2)
    [('c', 2.0), ('a', 1.0)]
    """
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return ordered if n is None else ordered[:n]
