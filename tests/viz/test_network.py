"""The explorer page: self-contained, escaped, with legend, filters, search and a fixed layout when large."""

import json
import re

import networkx as nx
import pytest

from chromium import page_data
from ipkg.viz import actor_network_to_pyvis, write_html
from ipkg.viz.layout import explorer_layout
from ipkg.viz.network import QUAD_COLORS, TYPE_COLORS

EVIL_LABEL = '<script>window.__pwned = 1</script>'
EVIL_SENTENCE = '"><img src=x onerror="window.__pwned = 2"></script><script>window.__pwned = 3</script>'


def evil_graph():
    G = nx.MultiDiGraph()
    G.add_node("a", label=EVIL_LABEL, type="Person")
    G.add_node("b", label="Iran", type="State")
    G.add_edge("a", "b", kind="praise", quad="Verbal Cooperation", goldstein=3.4, date="2024-01", sentences=[EVIL_SENTENCE], documents=["<b>doc</b>"])
    return G


def star(n, **edge):
    G = nx.MultiDiGraph()
    G.add_node(0, label="hub", type="State")
    for i in range(1, n):
        G.add_node(i, label=f"actor {i}", type="Person")
        G.add_edge(i, 0, kind="visit", quad="Verbal Cooperation", date=f"20{10 + i % 15}", sentences=[f"s{i}"], documents=[f"d{i % 3}"], **edge)
    return G


def test_network_page_is_self_contained(seed_build):
    page = (seed_build[1] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    assert "bootstrap" not in page.lower() and "fonts.googleapis" not in page
    assert "new vis.Network" in page


def test_network_labels_and_sentences_are_escaped(tmp_path):
    page = write_html(actor_network_to_pyvis(evil_graph()), tmp_path / "g.html").read_text(encoding="utf-8")
    for raw in (EVIL_LABEL, "<img src=x", "</script><script>", "<b>doc</b>", "onerror=\"window"):
        assert raw not in page
    assert "\\u003cscript\\u003ewindow.__pwned = 1\\u003c/script\\u003e" in page  # JSON, not markup
    assert "&lt;b&gt;doc&lt;/b&gt;" in page  # the document menu, autoescaped
    data = page_data(page)
    assert data["nodes"][0]["label"] == EVIL_LABEL  # the text itself survives, to be shown as text
    assert data["edges"][0]["sentences"] == [EVIL_SENTENCE] and "title" not in data["edges"][0]  # the page makes the tooltip


def test_network_tooltip_has_date_type_evidence_and_documents():
    edge = actor_network_to_pyvis(evil_graph()).edges[0]
    lines = edge["title"].split("\n")
    assert lines[0] == "praise (051) · 2024-01"
    assert lines[1] == "Verbal Cooperation (Goldstein +3.4)"
    assert lines[2] == f"“{EVIL_SENTENCE}”"
    assert lines[-1] == "documents: <b>doc</b>"
    assert (edge["cameo"], edge["color"]) == ("051", QUAD_COLORS["Verbal Cooperation"])


def test_network_nodes_coloured_by_type_and_sized_by_centrality():
    net = actor_network_to_pyvis(star(6))
    by_id = {n["id"]: n for n in net.nodes}
    assert by_id["0"]["color"] == TYPE_COLORS["State"] and by_id["1"]["color"] == TYPE_COLORS["Person"]
    assert by_id["0"]["size"] > by_id["1"]["size"]
    custom = {n["id"]: n["size"] for n in actor_network_to_pyvis(star(6), centrality={1: 1.0}).nodes}
    assert custom["1"] > custom["0"]


def test_network_legend_lists_types_and_quad_classes(tmp_path):
    page = write_html(actor_network_to_pyvis(star(4)), tmp_path / "g.html").read_text(encoding="utf-8")
    legend = page[page.index('id="legend"') : page.index("</section>", page.index('id="legend"'))]
    for name in ("Person", "State", *QUAD_COLORS):
        assert f"{name}<span" in legend
    assert TYPE_COLORS["State"] in legend and QUAD_COLORS["Material Conflict"] in legend


def test_network_filters_and_search_present(seed_build):
    page = (seed_build[1] / "graph.html").read_text(encoding="utf-8")
    for id_ in ("filter-from", "filter-to", "filter-kind", "filter-document", "filter-reset", "search"):
        assert f'id="{id_}"' in page
    assert '<option value="visit">visit (042) · ' in page
    assert re.search(r'<option value="000_0828b3b12d76d6f1">000_0828b3b12d76d6f1 · \d+</option>', page)


@pytest.mark.parametrize("n, physics", [(40, True), (61, False)])
def test_network_large_graph_has_fixed_layout_and_no_physics(n, physics):
    net = actor_network_to_pyvis(star(n), physics_max_nodes=50)
    assert net.options["physics"]["enabled"] is physics
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in net.nodes)
    if not physics:
        assert net.options["edges"]["smooth"] is False
        assert net.options["layout"]["improvedLayout"] is False
        assert not any("smooth" in e or "label" in e for e in net.edges)
    page = net.generate_html()
    assert page_data(page)["physics"] is physics
    assert json.loads(json.dumps(page_data(page)["options"]))["physics"]["enabled"] is physics


def test_layout_large_graph_is_spread_and_deterministic():
    G = nx.barabasi_albert_graph(1500, 1, seed=3)  # a tree: many leaves share a hub
    G.add_edges_from([(2000, 2001), (2002, 2002)])
    pos = explorer_layout(G)
    assert set(pos) == set(G)
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot
    assert explorer_layout(G) == pos
