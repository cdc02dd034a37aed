"""The explorer in a real browser: headless Chromium, file://, every network access blocked.

Needs the Debian packages chromium and chromium-driver (.ci/run installs them) and selenium; when
they are missing the tests fail with the install hint, they never skip. The screenshot of the
seeds' explorer is saved to test-artifacts/explorer.png.
"""

import time

import pytest

from chromium import INSTALL_HINT, offline_chromium, page_url, remote_urls, requested_urls, wait_ready
from conftest import ROOT
from ipkg.viz import actor_network_to_pyvis, write_html
from ipkg.viz.focus import in_window

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    """The driver, or the exception that kept Chromium from starting (each test then fails)."""
    cm = offline_chromium()
    try:
        drv = cm.__enter__()
    except Exception as exc:  # noqa: BLE001 - reported by each test, as a failure
        yield exc
        return
    try:
        yield drv
    finally:
        cm.__exit__(None, None, None)


def _need(browser):
    if isinstance(browser, BaseException):
        pytest.fail(f"cannot start headless Chromium ({type(browser).__name__}: {browser}). {INSTALL_HINT}", pytrace=False)
    return browser


@pytest.fixture(scope="module")
def seed_actor_network(seed_graph):
    from ipkg.analysis.project import graph_to_actor_network

    return graph_to_actor_network(seed_graph)


@pytest.fixture(scope="module")
def seed_page(browser, seed_build):
    """The seeds' graph.html loaded offline: (driver, console log, requested URLs)."""
    drv = _need(browser)
    drv.get_log("browser"), requested_urls(drv)  # start both logs empty
    drv.get(page_url(seed_build[1] / "graph.html"))
    wait_ready(drv)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "explorer.png"
    drv.save_screenshot(str(shot))
    print(f"\nscreenshot: {shot}")
    return drv, drv.get_log("browser"), requested_urls(drv)


def js(drv, script, *args):
    return drv.execute_script(script, *args)


def test_browser_chromium_is_installed(browser):
    _need(browser)


def test_browser_draws_every_actor_and_event_offline(seed_page, seed_actor_network):
    drv, console, urls = seed_page
    G = seed_actor_network
    sizes = js(
        drv,
        "var x = ipkgExplorer; return [x.nodes.length, x.edges.length, x.nodesView.length, x.edgesView.length,"
        " x.network.body.nodeIndices.length, x.network.body.edgeIndices.length]",
    )
    assert sizes == [G.number_of_nodes(), G.number_of_edges()] * 3
    assert js(drv, "return ipkgExplorer.physics") is True
    assert js(drv, "return document.querySelector('#mynetwork canvas').width") > 300
    assert remote_urls(urls) == []
    assert urls and all(u.startswith("file:") for u in urls)  # the page itself and nothing else


def test_browser_console_has_no_errors(seed_page):
    _, console, _ = seed_page
    assert [e for e in console if e["level"] in ("SEVERE", "WARNING")] == []


def test_browser_edge_tooltip_shows_evidence(seed_page, seed_actor_network):
    drv, _, _ = seed_page
    from selenium.webdriver.common.action_chains import ActionChains

    # a point on an edge where vis's own hit test finds that edge and no node: hover it for real
    point = js(
        drv,
        """var x = ipkgExplorer, n = x.network;
        var box = document.getElementById('mynetwork').getBoundingClientRect();
        var ids = x.edges.getIds({filter: function (e) { return e.sentences.length > 0; }});
        for (var i = 0; i < ids.length; i++) {
          var ts = [0.5, 0.4, 0.6, 0.3, 0.7];
          for (var j = 0; j < ts.length; j++) {
            var p = n.canvasToDOM(n.body.edges[ids[i]].edgeType.getPoint(ts[j]));
            if (n.getEdgeAt(p) === ids[i] && n.getNodeAt(p) === undefined)
              return {id: ids[i], x: Math.round(box.left + p.x), y: Math.round(box.top + p.y)};
          }
        }
        return null;""",
    )
    assert point, "no edge can be hovered on its own"
    edge = js(drv, "return ipkgExplorer.edges.get(arguments[0])", point["id"])
    body = drv.find_element("tag name", "body")
    ActionChains(drv).move_to_element_with_offset(body, 0, 0).perform()  # reset
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(drv)
    actions.pointer_action.move_to_location(point["x"] - 3, point["y"]).pause(0.05).move_to_location(point["x"], point["y"])
    actions.perform()
    deadline = time.time() + 5
    text = ""
    while time.time() < deadline:
        text = js(drv, "var t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' ? t.innerText : ''")
        if text:
            break
        time.sleep(0.05)
    assert edge["sentences"][0] in text
    assert edge["date"] in text and edge["kind"] in text and edge["documents"][0] in text
    tags = js(drv, "return Array.from(document.querySelectorAll('div.vis-tooltip *')).map(function (c) { return c.tagName; })")
    assert set(tags) <= {"BR"}  # text (innerText turns newlines into <br>), no markup


def test_browser_filters_change_the_visible_edges(seed_page, seed_actor_network):
    drv, _, _ = seed_page
    from selenium.webdriver.support.ui import Select

    G = seed_actor_network
    total = G.number_of_edges()
    doc = "002_284974aa15023de9"
    Select(drv.find_element("id", "filter-document")).select_by_value(doc)
    in_doc = sum(doc in d["documents"] for *_, d in G.edges(data=True))
    assert 0 < js(drv, "return ipkgExplorer.edgesView.length") == in_doc < total
    assert js(drv, "return ipkgExplorer.network.body.edgeIndices.length") == in_doc
    drv.find_element("id", "filter-reset").click()
    assert js(drv, "return ipkgExplorer.edgesView.length") == total

    since = drv.find_element("id", "filter-from")
    since.send_keys("2024-01")
    js(drv, "document.getElementById('filter-from').dispatchEvent(new Event('change'))")
    expected = sum(in_window(d["date"], since="2024-01") for *_, d in G.edges(data=True))
    assert 0 < js(drv, "return ipkgExplorer.edgesView.length") == expected < total  # the same rule as ipkg viz
    assert f"{expected} / {total} events" in drv.find_element("id", "count").text
    drv.find_element("id", "filter-reset").click()


def test_browser_search_focuses_an_actor(seed_page):
    drv, _, _ = seed_page
    from selenium.webdriver.common.keys import Keys

    box = drv.find_element("id", "search")
    box.clear()
    box.send_keys("asim munir", Keys.ENTER)
    time.sleep(0.6)  # the focus animation is 400 ms
    assert js(drv, "return ipkgExplorer.network.getSelectedNodes()") == ["actor:asim-munir"]
    assert js(drv, "return ipkgExplorer.focused") == "actor:asim-munir"
    centred = js(
        drv,
        "var n = ipkgExplorer.network, p = n.getPositions(['actor:asim-munir'])['actor:asim-munir'], v = n.getViewPosition();"
        "return Math.hypot(p.x - v.x, p.y - v.y) * n.getScale();",
    )
    assert centred < 5  # pixels between the actor and the centre of the view
    assert drv.find_element("id", "search-status").text == "Asim Munir"
    assert "Asim Munir" in drv.find_element("id", "details").text


def test_browser_evil_labels_render_as_text(browser, tmp_path):
    import networkx as nx

    drv = _need(browser)
    payload = '<img src=x onerror="window.__pwned = 1"></script><script>window.__pwned = 2</script>'
    G = nx.MultiDiGraph()
    G.add_node("a", label="<script>window.__pwned = 3</script>", type="Person")
    G.add_node("b", label="Iran", type="State")
    G.add_edge("a", "b", kind="praise", quad="Verbal Cooperation", date="2024", sentences=[payload], documents=[payload])
    page = write_html(actor_network_to_pyvis(G), tmp_path / "evil.html")
    drv.get_log("browser")
    drv.get(page_url(page))
    wait_ready(drv)
    js(drv, "ipkgExplorer.showEdge('e0')")
    details = drv.find_element("id", "details").text
    assert payload in details  # shown, as text
    js(drv, "ipkgExplorer.focusActor('<script>')")
    assert drv.find_element("id", "details").text.startswith("<script>window.__pwned = 3</script>")
    assert js(drv, "return window.__pwned === undefined")
    assert js(drv, "return document.querySelectorAll('img').length + document.querySelectorAll('script').length") == 2  # our two
    assert [o.text for o in drv.find_elements("css selector", "#filter-document option")][1].startswith("<img src=x")
    assert [e for e in drv.get_log("browser") if e["level"] == "SEVERE"] == []


def test_browser_edge_titles_made_by_the_page_are_those_of_the_network(seed_page, seed_build, seed_actor_network, tmp_path):
    """The page leaves the edges' titles out of its data and makes them in the browser: they are
    the ones actor_network_to_pyvis gives, for the seeds and for edges of every shape."""
    import networkx as nx

    drv, _, _ = seed_page
    drv.get(page_url(seed_build[1] / "graph.html"))  # an earlier test may have left another page
    wait_ready(drv)
    seeds = actor_network_to_pyvis(seed_actor_network)
    got = js(drv, "return ipkgExplorer.edges.get().map(function (e) { return [e.from, e.to, e.event, e.title]; })")
    assert sorted(map(tuple, got)) == sorted((e["from"], e["to"], e["event"], e["title"]) for e in seeds.edges)
    assert len(got) == len(seeds.edges) > 10
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", kind="threaten", quad="Verbal Conflict", goldstein=-4.4, date="2024-05-01", sentences=[f"s{i}" for i in range(5)], documents=["d1", "d2"])
    G.add_edge("b", "a", kind="praise", quad="Verbal Cooperation", goldstein=10, sentences=["only"], documents=[])
    G.add_edge("a", "c", kind="other", goldstein=0.1 + 0.2)
    G.add_edge("c", "b", kind="visit", quad="Verbal Cooperation", goldstein=None, date="1979")
    net = actor_network_to_pyvis(G)
    page = write_html(net, tmp_path / "shapes.html")
    assert '"title"' not in page.read_text(encoding="utf-8").split("var EDGES = ", 1)[1].split(";", 1)[0]
    drv.get(page_url(page))
    wait_ready(drv)
    titles = dict(js(drv, "return ipkgExplorer.edges.get().map(function (e) { return [e.id, e.title]; })"))
    assert titles == {e["id"]: e["title"] for e in net.edges}
    assert "(+2 more: click the edge)" in titles["e0"] and "(Goldstein -4.4)" in titles["e0"]
