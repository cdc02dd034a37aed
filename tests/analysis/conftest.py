"""A tiny invented world for the analysis tests, built as facts and written as RDF by the real code.

Who did what to whom (every event invented; the actors are gazetteer IRIs, plus one person the
gazetteer does not know, tied to a state only by a position the graph gives her):

    e_visit    Masoud Pezeshkian (nationality Iran) visits Pakistan        2025-08-02
    e_strike   IRGC (part of Iran) strikes Pakistan                        2024-01-16
    e_condemn  Pakistan condemns Iran                                      2024-01
    e_recog    Iran recognises Pakistan                                    1947 (year only)
    e_us       United States strikes Iran                                  2025-06-22
    e_praise   China praises Pakistan                                      2025-05
    e_undated  Pakistan condemns Israel                                    (no date)
    e_thank    Ava Example (a Pakistani minister, by position) thanks Iran 2025-08
    e_two      Iran condemns Israel and the United States (one event, two targets) 2025-06
"""

from __future__ import annotations

import pytest

BASE = "https://w3id.org/ipkg/id/actor/"


def ref(slug: str, label: str, type_: str = "State"):
    from ipkg.facts.model import ActorRef

    return ActorRef(BASE + slug, label, type_, label)


@pytest.fixture(scope="session")
def world():
    """(dataset, {name: event IRI}) of the invented world above."""
    from ipkg.facts import resolve
    from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence, PositionFact
    from ipkg.kg import facts_to_graph

    iran, pak, us, isr, china = (ref(*a) for a in (("iran", "Iran"), ("pakistan", "Pakistan"), ("united-states", "United States"), ("israel", "Israel"), ("china", "China")))
    irgc = ref("irgc", "Islamic Revolutionary Guard Corps", "MilitaryOrganization")
    pez = ref("masoud-pezeshkian", "Masoud Pezeshkian", "Person")
    ava = ActorRef("new:Person:Ava Example", "Ava Example", "Person", "Ava Example")
    plan = {
        "e_visit": ("visit", (pez,), (pak,), "2025-08-02"),
        "e_strike": ("strike", (irgc,), (pak,), "2024-01-16"),
        "e_condemn": ("condemn", (pak,), (iran,), "2024-01"),
        "e_recog": ("recognition", (iran,), (pak,), "1947"),
        "e_us": ("strike", (us,), (iran,), "2025-06-22"),
        "e_praise": ("praise", (china,), (pak,), "2025-05"),
        "e_undated": ("condemn", (pak,), (isr,), None),
        "e_thank": ("thank", (ava,), (iran,), "2025-08"),
        "e_two": ("condemn", (iran,), (isr, us), "2025-06"),
    }
    events, sentences = [], {}
    for i, (name, (kind, actors, targets, date)) in enumerate(plan.items()):
        sentence = f"Sentence {i} about {name}."
        sentences[sentence] = name
        events.append(EventFact(kind, actors, targets, Evidence("w", sentence, 100 * i, 100 * i + 20), date=date))
    position = PositionFact(ava, "https://w3id.org/ipkg/id/office/commerce-minister", "Commerce Minister", pak, "current", Evidence("w", "Ava Example is Pakistan's commerce minister.", 900, 940))
    doc = DocumentFacts("w", "w.txt", title="World", actors=[iran, pak, us, isr, china, irgc, pez, ava], events=events, positions=[position])
    resolved = resolve([doc])
    iris = {sentences[e.mentions[0].evidence.sentence]: e.iri for e in resolved.events}
    assert len(iris) == len(plan)
    return facts_to_graph(resolved), iris


@pytest.fixture(scope="session")
def world_G(world):
    from ipkg.analysis import graph_to_actor_network

    return graph_to_actor_network(world[0])
