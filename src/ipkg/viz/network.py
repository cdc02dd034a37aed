"""The explorer: a self-contained pyvis page of the actor network.

The page is one HTML file with vis-network's script and style inline and nothing else to fetch (no
CDN, no Bootstrap, no web fonts), so it opens from ``file://`` with the network off. Nodes are
coloured by actor type and sized by centrality, edges coloured by PLOVER quad class; a legend, a
search box, and filters by period, event type and document sit beside the network.

Text from the graph (labels, sentences, documents) never reaches the page as markup: the data is
embedded as JSON with ``<``, ``>``, ``&`` and ``'`` escaped (so no ``</script>`` can close the
block), tooltips are plain-text titles that vis-network writes with ``innerText``, the details
panel is filled with ``textContent``, and the legend and menus are rendered by Jinja with
autoescaping on.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from ..analysis.project import paused_gc
from ..errors import IpkgError
from ..kg.io import write_atomic
from .layout import explorer_layout

__all__ = [
    "actor_network_to_pyvis",
    "write_html",
    "ExplorerNetwork",
    "TYPE_COLORS",
    "QUAD_COLORS",
    "PHYSICS_MAX_NODES",
    "default_centrality",
]

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
    "Organization": "#8cd17d",
}
QUAD_COLORS = {
    "Verbal Cooperation": "#59a14f",
    "Material Cooperation": "#2e7d32",
    "Verbal Conflict": "#f28e2b",
    "Material Conflict": "#c62828",
}
OTHER_COLOR = "#999999"
PHYSICS_MAX_NODES = 300
"""Above this many nodes the page has no physics: positions are fixed, computed in Python."""

_TEMPLATES = Path(__file__).parent / "templates"
_MAX_SENTENCES = 3


class ExplorerNetwork(Network):
    """A pyvis :class:`~pyvis.network.Network` that renders the ipkg explorer template.

    ``nodes``, ``edges`` and ``options`` are pyvis's; ``explorer`` holds what the template adds
    (legend, menus, the physics switch). :meth:`generate_html` returns the whole page.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.explorer: dict[str, Any] = {}

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """Render the page (``name``, ``local`` and ``notebook`` are pyvis's and ignored).

        An edge's title is left out of the page where the page makes the same one from the edge's
        other fields (:func:`_edge_title`): evidence sentences are not written twice."""
        edges = [{k: v for k, v in e.items() if k != "title"} if e.get("title") == _edge_title(_kind_label(str(e.get("kind") or ""), str(e.get("cameo") or "")), e) else e for e in self.edges]
        self.html = self.render_page(htmlsafe_json(self.nodes), htmlsafe_json(edges))
        return self.html

    def render_page(self, nodes_json: str, edges_json: str) -> str:
        """The page with ``nodes_json`` and ``edges_json`` (:func:`htmlsafe_json` of the nodes and edges) as its data."""
        env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(_TEMPLATES)), FileSystemLoader(self.template_dir)]),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        options = self.options if isinstance(self.options, dict) else json_options(self.options)
        explorer = dict(self.explorer)
        documents = explorer.pop("documents", [])
        return env.get_template("explorer.html").render(
            nodes_json=Markup(nodes_json),
            edges_json=Markup(edges_json),
            options=options,
            height=self.height,
            heading=self.heading,
            vis_css=_inline(env, "lib/vis-9.1.2/vis-network.css"),
            vis_js=_inline(env, "lib/vis-9.1.2/vis-network.min.js"),
            max_sentences=_MAX_SENTENCES,
            document_options=Markup("".join(f'\n      <option value="{e}">{e} · {n}</option>' for e, n in ((_escape(str(d)), int(n)) for d, n in documents))),
            **explorer,
        )


def htmlsafe_json(value: Any) -> str:
    """``value`` as JSON to embed in a page's script, as Jinja's ``tojson`` writes it (keys sorted; ``<``, ``>``, ``&`` and ``'`` escaped).

    Examples
    --------
    >>> print(htmlsafe_json({"b": "</script>", "a": 1}))
    {"a": 1, "b": "\\u003c/script\\u003e"}
    """
    return _htmlsafe(json.dumps(value, sort_keys=True))


def _htmlsafe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _escape(text: str) -> str:
    """``markupsafe.escape(text)`` as a plain string."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def _inline(env: Environment, name: str) -> Markup:
    """The template ``name`` as ``{% include %}`` writes it: without compiling it when it has no
    template syntax (vis-network's 470 kB took ~0.04 s a page to compile), its text with newlines
    made ``\n`` and the last one dropped, as Jinja renders a template."""
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    if any(mark in source for mark in (env.block_start_string, env.variable_start_string, env.comment_start_string)):
        return Markup(env.get_template(name).render())
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return Markup(text[:-1] if text.endswith("\n") and not env.keep_trailing_newline else text)


def json_options(options: Any) -> dict[str, Any]:
    return dict(json.loads(options.to_json()))


def default_centrality(G: nx.MultiDiGraph) -> dict[Hashable, float]:
    """Each actor's weighted degree (:func:`ipkg.analysis.weighted_degree`: its events) over the maximum.

    Pass ``centrality=`` to :func:`actor_network_to_pyvis` to size nodes by another measure,
    e.g. :func:`ipkg.analysis.pagerank`.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("c", "a")])
    >>> default_centrality(G)
    {'a': 1.0, 'b': 0.6666666666666666, 'c': 0.3333333333333333}
    """
    from ..analysis.metrics import weighted_degree

    degree = weighted_degree(G)
    top = max(degree.values(), default=0) or 1
    return {n: d / top for n, d in degree.items()}


def _cameo_codes() -> dict[str, str]:
    """Event kind label -> CAMEO code, from the ontology (empty if it cannot be found)."""
    from ..resources import load_event_kinds

    try:
        kinds = load_event_kinds()
    except IpkgError:
        return {}
    return {k.label: k.cameo for k in kinds.values()} | {slug: k.cameo for slug, k in kinds.items()}


def _kind_label(kind: str, cameo: str) -> str:
    return f"{kind} ({cameo})" if cameo else kind


def _edge_title(label: str, data: Mapping[str, Any]) -> str:
    sentences = list(data.get("sentences") or [])
    lines = [f"{label} · {data.get('date') or 'undated'}"]
    if data.get("quad"):
        goldstein = data.get("goldstein")
        lines.append(str(data["quad"]) + (f" (Goldstein {goldstein:+g})" if isinstance(goldstein, (int, float)) else ""))
    lines += [f"“{s}”" for s in sentences[:_MAX_SENTENCES]]
    if len(sentences) > _MAX_SENTENCES:
        lines.append(f"(+{len(sentences) - _MAX_SENTENCES} more: click the edge)")
    lines.append("documents: " + (", ".join(data.get("documents") or []) or "none"))
    return "\n".join(lines)


def actor_network_to_pyvis(
    G: nx.MultiDiGraph,
    height: str = "auto",
    *,
    centrality: Mapping[Any, float] | None = None,
    aliases: Mapping[Any, Iterable[str]] | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 0,
    heading: str = "ipkg explorer",
) -> ExplorerNetwork:
    """Draw the actor network as the explorer page.

    Nodes are coloured by actor type and sized by ``centrality``; edges are coloured by PLOVER
    quad class. Edge tooltips (plain text) give the event type with its CAMEO code, the date,
    the quad class and Goldstein score, up to three evidence sentences and the documents; a click
    shows all of them in the side panel. Every node has a position computed by
    :func:`~ipkg.viz.layout.explorer_layout`; above ``physics_max_nodes`` nodes the page has no
    physics (the positions are final and edges are straight), below it a short physics run
    starts from them and stops.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The actor network of :func:`ipkg.analysis.project.graph_to_actor_network`: nodes with
        ``label`` and ``type``, edges with ``kind``, ``quad``, ``goldstein``, ``date``,
        ``sentences`` and ``documents`` (and optionally ``cameo``).
    height : str
        CSS height of the network and side panel; ``"auto"`` fills the window below the menus.
    centrality : mapping, optional
        Node -> score for the node size; default :func:`default_centrality`.
    aliases : mapping, optional
        Node -> other names the search box should find.
    physics_max_nodes : int
        Largest graph drawn with physics.
    seed : int
        Seed of the layout.
    heading : str
        Page title.

    Returns
    -------
    ExplorerNetwork
        A pyvis Network; write it with :func:`write_html`.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Iran", type="State"); G.add_node("b", label="Pakistan", type="State")
    >>> _ = G.add_edge("a", "b", kind="recognize", quad="Verbal Cooperation", date="1947", sentences=["s"], documents=["d"])
    >>> net = actor_network_to_pyvis(G)
    >>> len(net.nodes), len(net.edges), net.edges[0]["cameo"]
    (2, 1, '054')
    >>> print(net.edges[0]["title"])
    recognize (054) · 1947
    Verbal Cooperation
    “s”
    documents: d
    """
    with paused_gc():
        return _to_pyvis(G, height, centrality, aliases, physics_max_nodes, seed, heading)


def _to_pyvis(
    G: nx.MultiDiGraph,
    height: str,
    centrality: Mapping[Any, float] | None,
    aliases: Mapping[Any, Iterable[str]] | None,
    physics_max_nodes: int,
    seed: int,
    heading: str,
) -> ExplorerNetwork:
    physics = G.number_of_nodes() <= physics_max_nodes
    net = ExplorerNetwork(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False, heading=heading)
    score = dict(centrality) if centrality is not None else default_centrality(G)
    top = max(score.values(), default=0.0) or 1.0
    degree = dict(G.degree())
    pos = explorer_layout(G, seed=seed)
    alias_map = {n: sorted(set(map(str, names))) for n, names in (aliases or {}).items()}
    types: Counter[str] = Counter()
    for n, data in G.nodes(data=True):
        types[str(data.get("type") or "")] += 1
        net.nodes.append(_node_entry(n, data, degree.get(n, 0), score.get(n, 0.0), top, pos[n], alias_map.get(n, [])))
        net.node_ids.append(str(n))
        net.node_map[str(n)] = net.nodes[-1]
    cameo = _cameo_codes()
    kinds: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    quads: Counter[str] = Counter()
    parallel: defaultdict[frozenset[str], int] = defaultdict(int)
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        edge = {"id": f"e{i}", **_edge_entry(u, v, data, cameo)}
        edge["title"] = _edge_title(_kind_label(edge["kind"], edge["cameo"]), edge)
        kinds[edge["kind"]] += 1
        quads[edge["quad"]] += 1
        documents.update(edge["documents"])
        if physics:
            _curve(edge, parallel)
        net.edges.append(edge)
    net.options = _options(physics)
    net.explorer = _legend(physics, types, quads, kinds, documents, cameo)
    return net


def _node_entry(n: Any, data: Mapping[str, Any], degree: int, score: float, top: float, xy: tuple[float, float], aliases: list[str]) -> dict[str, Any]:
    """A node of the page (pyvis's dict)."""
    label = str(data.get("label", n))
    type_ = str(data.get("type") or "")
    return {
        "id": str(n),
        "label": label,
        "type": type_,
        "title": f"{label}\n{type_ or 'actor'} · {degree} events\n{n}",
        "color": TYPE_COLORS.get(type_, OTHER_COLOR),
        "size": round(8 + 22 * math.sqrt(max(score, 0.0) / top), 2),
        "shape": "dot",
        "x": xy[0],
        "y": xy[1],
        "aliases": [a for a in aliases if a != label],
    }


def _edge_entry(u: Any, v: Any, data: Mapping[str, Any], cameo: Mapping[str, str]) -> dict[str, Any]:
    """An edge of the page (pyvis's dict) but its ``id``, what physics adds and its ``title``
    (:func:`_edge_title` of the entry, which the page makes from the entry itself)."""
    kind = str(data.get("kind") or "")
    code = str(data.get("cameo") or cameo.get(kind, ""))
    return {
        "from": str(u),
        "to": str(v),
        "arrows": "to",
        "color": QUAD_COLORS.get(str(data.get("quad") or ""), OTHER_COLOR),
        "kind": kind,
        "cameo": code,
        "quad": str(data.get("quad") or ""),
        "goldstein": data.get("goldstein"),
        "date": str(data.get("date") or ""),
        "event": str(data.get("event") or ""),
        "sentences": [str(s) for s in data.get("sentences") or []],
        "documents": [str(d) for d in data.get("documents") or []],
    }


def _curve(edge: dict[str, Any], parallel: defaultdict[frozenset[str], int]) -> None:
    """Label ``edge`` and bend it away from the edges drawn before it between the same two actors."""
    pair = frozenset((edge["from"], edge["to"]))
    k = parallel[pair]
    parallel[pair] += 1
    edge["label"] = edge["kind"]
    edge["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW", "roundness": 0.1 + 0.12 * (k // 2)}


def _legend(physics: bool, types: Counter[str], quads: Counter[str], kinds: Counter[str], documents: Counter[str], cameo: Mapping[str, str]) -> dict[str, Any]:
    """What the template shows beside the network."""
    return {
        "physics": physics,
        "legend_types": [(t or "other", TYPE_COLORS.get(t, OTHER_COLOR), c) for t, c in sorted(types.items())],
        "legend_quads": [(q, col, quads.get(q, 0)) for q, col in QUAD_COLORS.items()]
        + [("other", OTHER_COLOR, c) for q, c in quads.items() if q not in QUAD_COLORS and c],
        "kinds": [(k, _kind_label(k, cameo.get(k, "")), c) for k, c in sorted(kinds.items())],
        "documents": sorted(documents.items()),
    }


def _options(physics: bool) -> dict[str, Any]:
    interaction = {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False, "multiselect": False}
    if physics:
        return {
            "physics": {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
                "stabilization": {"enabled": True, "iterations": 250, "fit": True},
            },
            "layout": {"improvedLayout": False},
            "edges": {"font": {"size": 10, "align": "middle", "color": "#555"}, "width": 1.6},
            "nodes": {"font": {"size": 14}},
            "interaction": interaction,
        }
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {"smooth": False, "width": 1},
        "nodes": {"font": {"size": 14}, "scaling": {"label": {"drawThreshold": 8}}},
        "interaction": interaction | {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True},
    }


def write_html(net: Network, path: str | Path) -> Path:
    """Write ``net``'s page to ``path`` (atomically) and return the path.

    For an :class:`ExplorerNetwork` the page is self-contained; a plain pyvis Network is written
    as pyvis renders it.
    """
    page = net.generate_html(notebook=False)
    out = Path(path)
    write_atomic(out, page.encode("utf-8"))
    return out
