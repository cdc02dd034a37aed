import networkx as nx
from networkx.algorithms import bipartite

from ipkg.analysis import graph_to_actor_network, graph_to_bipartite, to_simple


def test_project_one_edge_per_event_and_target(world, world_G):
    _, iris = world
    G = world_G
    assert G.number_of_edges() == len(iris) + 1  # e_two has two targets
    two = [(u, v) for u, v, d in G.edges(data=True) if d["iri"] == iris["e_two"]]
    assert sorted(two) == [("actor:iran", "actor:israel"), ("actor:iran", "actor:united-states")]


def test_project_edge_attributes(world, world_G):
    _, iris = world
    (d,) = [d for _, _, d in world_G.edges(data=True) if d["iri"] == iris["e_strike"]]
    assert (d["kind"], d["cameo"], d["quad"], d["goldstein"], d["date"]) == ("strike", "195", "Material Conflict", -10.0, "2024-01-16")
    assert d["event"] == "event:" + iris["e_strike"].rsplit("/", 1)[1]
    assert d["sentences"] == ["Sentence 1 about e_strike."] and d["documents"] == ["w"]


def test_project_nodes_know_their_state(world_G):
    state = dict(world_G.nodes(data="state"))
    assert state["actor:irgc"] == "actor:iran"  # partOf in the gazetteer
    assert state["actor:masoud-pezeshkian"] == "actor:iran"  # nationality in the gazetteer
    assert state["actor:ava-example"] == "actor:pakistan"  # only a position in the graph
    assert state["actor:china"] == "actor:china"


def test_project_nodes_carry_iri_label_and_aliases(world_G):
    iran = world_G.nodes["actor:iran"]
    assert iran["iri"] == "https://w3id.org/ipkg/id/actor/iran" and iran["label"] == "Iran" and iran["type"] == "State"
    assert "Islamic Republic of Iran" in iran["aliases"] and "Iran" not in iran["aliases"]
    assert "Pezeshkian" in world_G.nodes["actor:masoud-pezeshkian"]["short_forms"]
    assert world_G.nodes["actor:ava-example"]["surface_forms"] == ["Ava Example"]  # as the text named her


def test_project_bipartite_sides_and_events(world):
    ds, iris = world
    B = graph_to_bipartite(ds)
    events = {n for n, side in B.nodes(data="bipartite") if side == 1}
    assert {B.nodes[n]["iri"] for n in events} == set(iris.values())
    assert bipartite.is_bipartite_node_set(B, events)
    two = next(n for n in events if B.nodes[n]["iri"] == iris["e_two"])
    assert B.nodes[two]["quad"] == "Verbal Conflict" and B.nodes[two]["cameo"] == "111"
    assert {(a, B.edges[a, two]["role"]) for a in B[two]} == {("actor:iran", "actor"), ("actor:israel", "target"), ("actor:united-states", "target")}
    assert all(B.nodes[n]["bipartite"] == 0 and "label" in B.nodes[n] for n in set(B) - events)


def test_project_bipartite_projects_onto_the_actor_network(world, world_G):
    B = graph_to_bipartite(world[0])
    actors = {n for n, side in B.nodes(data="bipartite") if side == 0}
    # two actors share an event exactly when the actor network joins them (e_two also joins Israel and the US)
    projected = {frozenset(e) for e in bipartite.projected_graph(B, actors).edges()}
    simple = {frozenset(e) for e in to_simple(world_G).edges()} | {frozenset(("actor:israel", "actor:united-states"))}
    assert projected == simple


def test_project_same_network_from_oxigraph(world, world_G):
    from ipkg.store import OxigraphStore

    store = OxigraphStore()
    store.load(world[0])
    H = graph_to_actor_network(store)
    assert list(H.nodes(data=True)) == list(world_G.nodes(data=True))  # same order too: seeded Louvain depends on it
    assert sorted(H.edges(keys=True, data="iri")) == sorted(world_G.edges(keys=True, data="iri"))
    assert nx.utils.edges_equal(H.edges(keys=True, data=True), world_G.edges(keys=True, data=True))
