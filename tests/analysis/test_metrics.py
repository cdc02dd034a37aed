import networkx as nx
import pytest

from ipkg.analysis import betweenness, brokers, communities, ego_network, pagerank, rank, resolve_actor, to_simple, weighted_degree
from ipkg.errors import IpkgError


def _multi(*edges):
    """A MultiDiGraph of (u, v, event, goldstein) edges, nodes labelled by upper case."""
    M = nx.MultiDiGraph()
    for u, v, e, g in edges:
        for n in (u, v):
            M.add_node(n, label=n.upper(), iri=f"https://example.org/{n}", aliases=[f"{n}-alias"])
        M.add_edge(u, v, key=e, event=e, goldstein=g)
    return M


def test_metrics_weighted_degree_counts_events_or_absolute_goldstein():
    M = _multi(("a", "b", "e1", -10.0), ("a", "b", "e2", 3.4), ("c", "a", "e3", 0.0))
    assert weighted_degree(M) == {"a": 3.0, "b": 2.0, "c": 1.0}
    assert weighted_degree(M, "goldstein") == {"a": 13.4, "b": 13.4, "c": 0.0}


def test_metrics_unknown_weight_is_a_coded_error():
    with pytest.raises(IpkgError, match="Unknown weight 'tone'"):
        weighted_degree(nx.MultiDiGraph(), "tone")


def test_metrics_to_simple_merges_both_directions_and_counts_distinct_events():
    M = _multi(("a", "b", "e1", -2.0), ("b", "a", "e2", 4.0), ("a", "b", "e2", 4.0))
    H = to_simple(M)
    assert H.number_of_edges() == 1
    assert H.edges["a", "b"]["events"] == 2 and H.edges["a", "b"]["event_ids"] == ["e1", "e2"]
    D = to_simple(M, directed=True)
    assert D.edges["a", "b"]["events"] == 2 and D.edges["b", "a"]["events"] == 1


def test_metrics_pagerank_matches_the_closed_form():
    # a -> b, b dangling: x_a = 0.5 / (1 + alpha / 2), x_b = 1 - x_a
    pr = pagerank(nx.DiGraph([("a", "b")]))
    assert pr["a"] == pytest.approx(0.5 / 1.425) and pr["b"] == pytest.approx(1 - 0.5 / 1.425)


def test_metrics_pagerank_weights_parallel_events():
    # b receives two events from a, c one: b must outrank c, and the scores sum to one
    M = _multi(("a", "b", "e1", 1.0), ("a", "b", "e2", 1.0), ("a", "c", "e3", 1.0))
    pr = pagerank(M)
    assert pr["b"] > pr["c"] > pr["a"] and sum(pr.values()) == pytest.approx(1.0)
    assert pagerank(_multi(("a", "b", "e1", -5.0), ("a", "c", "e2", 1.0)), weight="goldstein")["b"] > pr["b"]


def test_metrics_betweenness_of_a_star_is_its_centre():
    M = _multi(("hub", "x", "e1", 1.0), ("y", "hub", "e2", 1.0), ("hub", "z", "e3", 1.0), ("hub", "x", "e4", 1.0))
    bc = betweenness(M)
    assert bc["hub"] == pytest.approx(1.0) and bc["x"] == bc["y"] == bc["z"] == 0.0


def test_metrics_louvain_finds_two_triangles_and_is_seeded():
    M = _multi(*[(u, v, f"{u}{v}", 1.0) for u, v in ("ab", "bc", "ca", "de", "ef", "fd", "cd")])
    parts = communities(M, seed=3)
    assert parts == [{"a", "b", "c"}, {"d", "e", "f"}]
    assert communities(M, seed=3) == parts


def test_metrics_ego_network_ignores_direction_and_counts_hops():
    M = _multi(("a", "b", "e1", 1.0), ("c", "b", "e2", 1.0), ("c", "d", "e3", 1.0))
    assert set(ego_network(M, "b", hops=1)) == {"a", "b", "c"}
    assert set(ego_network(M, "B", hops=2)) == {"a", "b", "c", "d"}
    ego = ego_network(M, "https://example.org/a", hops=1)
    assert isinstance(ego, nx.MultiDiGraph) and list(ego.edges(keys=True)) == [("a", "b", "e1")]


def test_metrics_brokers_ranked_by_paths_through_them():
    # shortest a-b paths: a-h-x-b, a-h-y-b, a-k-z-b (a longer one through l does not count)
    edges = ["ah", "hx", "hy", "xb", "yb", "ak", "kz", "zb", "al", "lm", "mn", "nb"]
    M = _multi(*[(u, v, f"{u}{v}", 1.0) for u, v in edges])
    r = brokers(M, "A", "b")
    assert (r.source, r.target, r.distance, r.paths) == ("a", "b", 3, 3)
    assert r.ranking[0] == ("h", 2) and sorted(r.ranking[1:]) == [("k", 1), ("x", 1), ("y", 1), ("z", 1)]
    assert r.share("h") == pytest.approx(2 / 3) and r.share("l") == 0.0


def test_metrics_brokers_direct_link_and_indirect():
    M = _multi(("a", "b", "e1", 1.0), ("a", "x", "e2", 1.0), ("x", "b", "e3", 1.0))
    assert brokers(M, "a", "b").ranking == [] and brokers(M, "a", "b").distance == 1
    assert brokers(M, "a", "b", indirect=True).ranking == [("x", 1)]
    M.add_node("lonely", label="LONELY")
    assert brokers(M, "a", "lonely").distance is None


def test_metrics_resolve_actor_by_node_iri_label_and_alias():
    M = _multi(("a", "b", "e1", 1.0))
    assert [resolve_actor(M, x) for x in ("a", "https://example.org/a", "A", "a", "B-ALIAS")] == ["a", "a", "a", "a", "b"]


def test_metrics_unknown_and_ambiguous_actors_are_coded_errors():
    M = _multi(("anna", "bert", "e1", 1.0))
    with pytest.raises(IpkgError, match=r"Unknown actor 'ANA'.*Did you mean ANNA\?"):
        resolve_actor(M, "ANA")
    M.add_node("c", label="Other", aliases=["shared"])
    M.add_node("d", label="Another", aliases=["Shared"])
    with pytest.raises(IpkgError, match="Ambiguous actor 'shared'"):
        resolve_actor(M, "shared")


def test_metrics_resolve_actor_prefers_gazetteer_names_to_surface_forms():
    # a text once wrote "Pezeshkian" for the state (metonymy); the gazetteer's short form wins
    M = _multi(("state", "person", "e1", 1.0))
    M.nodes["state"]["surface_forms"] = ["Pezeshkian", "Tehran"]
    M.nodes["person"]["short_forms"] = ["Pezeshkian"]
    assert resolve_actor(M, "Pezeshkian") == "person" and resolve_actor(M, "tehran") == "state"


def test_metrics_rank_breaks_ties_by_name():
    assert rank({"b": 2.0, "a": 2.0, "c": 3.0}) == [("c", 3.0), ("a", 2.0), ("b", 2.0)]


def test_metrics_on_the_world(world_G):
    deg = weighted_degree(world_G)
    assert rank(deg, 2) == [("actor:iran", 6.0), ("actor:pakistan", 6.0)]
    assert brokers(world_G, "Iran", "Pakistan").distance == 1
    # besides their own events, only Israel joins them: Iran condemns it, and so does Pakistan
    r = brokers(world_G, "Islamic Republic of Iran", "actor:pakistan", indirect=True)
    assert (r.distance, r.paths, r.ranking) == (2, 1, [("actor:israel", 1)])
