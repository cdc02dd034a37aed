"""Focused views of the actor network: an actor's neighbourhood, events in a date window.

Dates in the graph carry their own precision (``2024``, ``2024-01``, ``2024-01-15``), and so do
the window's bounds. An event is kept when the period its date names *overlaps* the window:
``since="2024-01"`` keeps an event dated ``2024-01-15`` and one dated only ``2024`` (it may have
happened in January or later), but not one dated ``2023``; ``until="2024-01"`` runs to the end of
January. Undated events are dropped whenever a bound is given. The explorer page's From/To filter
follows the same rule.
"""

from __future__ import annotations

import re
from typing import Any
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..analysis.metrics import NAME_ATTRS, resolve_actor
from ..errors import Errors, IpkgError

__all__ = ["date_bounds", "in_window", "focus_actor_network", "actor_names", "draw_explorer", "ExplorerSummary"]

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_bounds(text: str) -> tuple[str, str] | None:
    """The first and last day (ISO) of the period a date names, or None if it is not a date.

    Examples
    --------
    >>> date_bounds("2024"), date_bounds("2024-01"), date_bounds("2024-01-15")
    (('2024-01-01', '2024-12-31'), ('2024-01-01', '2024-01-31'), ('2024-01-15', '2024-01-15'))
    >>> date_bounds("") is None and date_bounds("Jan 2024") is None
    True
    """
    m = _DATE.fullmatch((text or "").strip()[:10])
    if not m:
        return None
    if m.group(3):
        return m.group(0), m.group(0)
    if m.group(2):
        return m.group(0) + "-01", m.group(0) + "-31"  # "-31" only compares, it need not exist
    return m.group(0) + "-01-01", m.group(0) + "-12-31"


def _bound(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    b = date_bounds(value)
    if b is None or len(value.strip()) not in (4, 7, 10):
        raise IpkgError(Errors.E018.format(value=value))
    return b


def in_window(date: str, since: str | None = None, until: str | None = None) -> bool:
    """Whether an event dated ``date`` may fall between ``since`` and ``until`` (both inclusive).

    Raises
    ------
    IpkgError
        If a bound is not YYYY, YYYY-MM or YYYY-MM-DD.

    Examples
    --------
    >>> in_window("2024-01-15", since="2024-01"), in_window("2024", since="2024-01"), in_window("2023", since="2024-01")
    (True, True, False)
    >>> in_window("2024-02-01", until="2024-01"), in_window("", since="2024"), in_window("")
    (False, False, True)
    """
    lo, hi = _bound(since), _bound(until)
    if lo is None and hi is None:
        return True
    b = date_bounds(date)
    if b is None:
        return False
    return (lo is None or b[1] >= lo[0]) and (hi is None or b[0] <= hi[1])


def focus_actor_network(
    G: nx.MultiDiGraph,
    around: str | None = None,
    *,
    hops: int = 2,
    since: str | None = None,
    until: str | None = None,
) -> nx.MultiDiGraph:
    """The events in a date window, then the actors within ``hops`` of ``around`` (either direction).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        An actor network (:func:`ipkg.analysis.project.graph_to_actor_network`).
    around : str, optional
        An actor's id, label, alias or IRI (see :func:`ipkg.analysis.resolve_actor`); None keeps every actor.
    hops : int
        Radius of the neighbourhood, in events.
    since, until : str, optional
        YYYY, YYYY-MM or YYYY-MM-DD; see the module docstring for the overlap rule.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph without actors left with no event (``around`` itself is always kept).

    Raises
    ------
    IpkgError
        For an unknown or ambiguous actor, a bad date or a negative ``hops``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n in "abcd": G.add_node(n, label=n.upper())
    >>> G.add_edge("a", "b", date="2024"); G.add_edge("b", "c", date="2023-05"); G.add_edge("c", "d", date="2024-02")
    0
    0
    0
    >>> sorted(focus_actor_network(G, "A", hops=1))
    ['a', 'b']
    >>> sorted(focus_actor_network(G, since="2024-01").edges())
    [('a', 'b'), ('c', 'd')]
    >>> sorted(focus_actor_network(G, "b", hops=2, since="2024-01"))
    ['a', 'b']
    """
    if hops < 0:
        raise IpkgError(Errors.E019.format(hops=hops))
    _bound(since), _bound(until)  # validate both before any work
    center = resolve_actor(G, around) if around else None
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if in_window(str(d.get("date") or ""), since, until))
    if center is not None:
        keep = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), center, cutoff=hops)
        H = nx.MultiDiGraph(H.subgraph(keep))
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0 and n != center])
    return H


def actor_names(G: nx.Graph) -> dict[Any, list[str]]:
    """Node -> the other names the explorer's search box knows it by: its IRI, gazetteer aliases,
    short forms and the names the texts used (node attributes of the actor network).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("actor:us", label="United States", iri="https://w3id.org/ipkg/id/actor/us", aliases=["USA"])
    >>> actor_names(G)
    {'actor:us': ['USA', 'https://w3id.org/ipkg/id/actor/us']}
    """
    out = {}
    for n, data in G.nodes(data=True):
        names = {str(x) for attr in NAME_ATTRS[1:] for x in (data.get(attr) or ())}
        if data.get("iri"):
            names.add(str(data["iri"]))
        names.discard(str(data.get("label", "")))
        if names:
            out[n] = sorted(names)
    return out


@dataclass
class ExplorerSummary:
    """What :func:`draw_explorer` wrote."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    center: str = ""

    def render(self) -> str:
        focus = f" around {self.center}" if self.center else ""
        return f"wrote {self.path}: {self.nodes} of {self.total_nodes} actors, {self.edges} of {self.total_edges} events{focus}"


def draw_explorer(
    graph: str | Path = "out",
    out: str | Path | None = None,
    *,
    around: str | None = None,
    hops: int = 2,
    since: str | None = None,
    until: str | None = None,
) -> ExplorerSummary:
    """Write an explorer page of a build, focused on an actor and/or a date window.

    Parameters
    ----------
    graph : str or Path
        A build folder (its ``graph.trig``) or a TriG file.
    out : str or Path, optional
        The page; default ``viz.html`` beside the graph.
    around, hops, since, until
        See :func:`focus_actor_network`.

    Returns
    -------
    ExplorerSummary

    Raises
    ------
    IpkgError
        No graph, an unknown or ambiguous actor, a bad date.
    """
    from ..analysis.project import graph_to_actor_network
    from ..kg.io import load_graph
    from .network import actor_network_to_pyvis, write_html

    if hops < 0:
        raise IpkgError(Errors.E019.format(hops=hops))
    _bound(since), _bound(until)  # fail on a bad date before loading the graph
    ds = load_graph(graph)
    G = graph_to_actor_network(ds)
    names = actor_names(G)
    H = focus_actor_network(G, around, hops=hops, since=since, until=until)
    center = str(resolve_actor(G, around)) if around else ""
    if out is None:
        folder = Path(graph) if Path(graph).is_dir() else Path(graph).parent
        out = folder / "viz.html"
    heading = "ipkg explorer" + (f": {G.nodes[center].get('label', center)}" if center else "")
    if since or until:
        heading += f" ({since or '…'} to {until or '…'})"
    path = write_html(actor_network_to_pyvis(H, aliases=names, heading=heading), out)
    return ExplorerSummary(path, H.number_of_nodes(), H.number_of_edges(), G.number_of_nodes(), G.number_of_edges(), center)
