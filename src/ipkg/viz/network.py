"""The explorer: a self-contained pyvis page of the actor network."""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from ..kg.io import write_atomic

__all__ = ["actor_network_to_pyvis", "write_html", "TYPE_COLORS", "QUAD_COLORS"]

TYPE_COLORS = {
    "Person": "#4e79a7",
    "State": "#e15759",
    "GovernmentBody": "#f28e2b",
    "MilitaryOrganization": "#76b7b2",
    "IntelligenceAgency": "#59a14f",
    "ArmedGroup": "#b07aa1",
    "InternationalOrganization": "#edc948",
    "MediaOrganization": "#ff9da7",
    "Place": "#9c755f",
    "Project": "#bab0ac",
}
QUAD_COLORS = {
    "Verbal Cooperation": "#59a14f",
    "Material Cooperation": "#2e7d32",
    "Verbal Conflict": "#f28e2b",
    "Material Conflict": "#c62828",
}
_REMOTE = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.IGNORECASE)


def actor_network_to_pyvis(G: nx.MultiDiGraph, height: str = "800px") -> Network:
    """Draw the actor network: nodes coloured by type and sized by degree, edges coloured by
    PLOVER quad class, tooltips (plain text, escaped) with date, type, evidence and documents.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Iran", type="State"); G.add_node("b", label="Pakistan", type="State")
    >>> _ = G.add_edge("a", "b", kind="recognize", quad="Verbal Cooperation", date="1947", sentences=["s"], documents=["d"])
    >>> len(actor_network_to_pyvis(G).edges)
    1
    """
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    degree = dict(G.degree())
    for n, data in G.nodes(data=True):
        label = str(data.get("label", n))
        type_ = str(data.get("type", ""))
        net.add_node(
            n,
            label=label,
            title=f"{label}\n{type_}\n{degree.get(n, 0)} events",
            color=TYPE_COLORS.get(type_, "#999999"),
            size=10 + 4 * degree.get(n, 0) ** 0.5 * 3,
            group=type_,
        )
    for u, v, data in G.edges(data=True):
        lines = [f"{data.get('kind', '')} ({data.get('date') or 'undated'})", data.get("quad", "")]
        lines += [f"“{s}”" for s in data.get("sentences", [])[:3]]
        lines.append("documents: " + ", ".join(data.get("documents", [])))
        net.add_edge(u, v, title=html.escape("\n".join(lines)), color=QUAD_COLORS.get(data.get("quad", ""), "#888888"), label=str(data.get("kind", "")), arrows="to")
    net.toggle_physics(True)
    return net


def write_html(net: Network, path: str | Path) -> Path:
    """Write the page with every script inline and no remote resource, so it opens from file://."""
    page = net.generate_html(notebook=False)
    page = _REMOTE.sub("", page)
    out = Path(path)
    write_atomic(out, page.encode("utf-8"))
    return out
