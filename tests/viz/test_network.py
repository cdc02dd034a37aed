import re

import networkx as nx

from ipkg.viz import actor_network_to_pyvis, write_html


def test_network_page_is_self_contained(seed_build):
    page = (seed_build[1] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)
    assert "vis.Network" in page or "new vis.Network" in page


def test_network_tooltips_are_escaped(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("a", label="<script>alert(1)</script>", type="Person")
    G.add_node("b", label="Iran", type="State")
    G.add_edge("a", "b", kind="praise", quad="Verbal Cooperation", date="", sentences=['"><img src=x onerror=alert(1)>'], documents=["d"])
    page = write_html(actor_network_to_pyvis(G), tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "<script>alert(1)</script>" not in page
