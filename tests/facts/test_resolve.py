from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence
from ipkg.facts.resolve import name_key, resolve

IRAN = ActorRef("https://w3id.org/ipkg/id/actor/iran", "Iran", "State", "Iran")
PAK = ActorRef("https://w3id.org/ipkg/id/actor/pakistan", "Pakistan", "State", "Tehran")


def _doc(doc_id, *events):
    return DocumentFacts(doc_id, doc_id, events=list(events))


def _ev(doc_id, kind="visit", date=None, actors=(IRAN,), targets=(PAK,)):
    return EventFact(kind, actors, targets, Evidence(doc_id, "s", 0, 1), date=date)


def test_resolve_same_event_two_documents_is_one_event():
    r = resolve([_doc("a", _ev("a", date="2025-08-02")), _doc("b", _ev("b", date="2025-08"))])
    assert len(r.events) == 1 and r.events[0].sources == 2 and r.events[0].date == "2025-08-02"


def test_resolve_different_dates_stay_apart():
    r = resolve([_doc("a", _ev("a", date="2024-01-16")), _doc("b", _ev("b", date="2025-08-02"))])
    assert len(r.events) == 2


def test_resolve_meeting_is_symmetric():
    r = resolve([_doc("a", _ev("a", "meeting", "2025")), _doc("b", _ev("b", "meeting", "2025", (PAK,), (IRAN,)))])
    assert len(r.events) == 1


def test_resolve_opposite_directions_are_two_events_with_two_iris():
    """"Iran condemned Pakistan" and "Pakistan condemned Iran" on one day: two events, and two IRIs,
    so that the graph never makes one node with both as actor and target."""
    for kind in ("condemn", "strike", "visit", "recognition"):
        r = resolve([_doc("a", _ev("a", kind, "2024-01-17")), _doc("b", _ev("b", kind, "2024-01-17", (PAK,), (IRAN,)))])
        assert len(r.events) == 2 and len({e.iri for e in r.events}) == 2, kind
        assert sorted((e.actors, e.targets) for e in r.events) == [([IRAN.key], [PAK.key]), ([PAK.key], [IRAN.key])]


def test_resolve_spelling_variants_of_unknown_person_merge():
    a = ActorRef("new:Person:Karim Rowhani Moghaddam", "Karim Rowhani Moghaddam", "Person", "Karim Rowhani Moghaddam")
    b = ActorRef("new:Person:Karim Rouhani Moghadam", "Karim Rouhani Moghadam", "Person", "Karim Rouhani Moghadam")
    r = resolve([DocumentFacts("a", "a", actors=[a]), DocumentFacts("b", "b", actors=[b])])
    assert len(r.actors) == 1
    (actor,) = r.actors.values()
    assert actor.aliases == {"a": {"Karim Rowhani Moghaddam"}, "b": {"Karim Rouhani Moghadam"}}


def test_resolve_name_key_keeps_namesakes_apart():
    assert name_key("Nawaz Sharif") != name_key("Shehbaz Sharif")


def test_resolve_is_deterministic():
    docs = [_doc("a", _ev("a", date="1947")), _doc("b", _ev("b"))]
    assert [e.iri for e in resolve(docs).events] == [e.iri for e in resolve(docs).events]


def test_undated_joint_attack_is_evidence_of_each_dated_attack():
    from ipkg.facts import resolve
    from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence

    base = "https://w3id.org/ipkg/id/actor/"
    a, b, c = (ActorRef(base + x, x, "State", x) for x in ("a", "b", "c"))
    ev = lambda actors, date, kind="strike": EventFact(kind, actors, (c,), Evidence("d", "s", 0, 1), date=date)  # noqa: E731
    r = resolve([DocumentFacts("d", "d", events=[ev((a,), "2025-06-13"), ev((b,), "2025-06-22"), ev((a, b), None, "attack")])])
    assert sorted((e.date, e.sources, len(e.mentions)) for e in r.events) == [("2025-06-13", 1, 2), ("2025-06-22", 1, 2)]


def test_a_joint_visit_is_each_travellers_visit():
    from ipkg.facts import resolve
    from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence

    base = "https://w3id.org/ipkg/id/actor/"
    a, b, c = ActorRef(base + "a", "A", "Person", "A"), ActorRef(base + "b", "B", "Person", "B"), ActorRef(base + "c", "C", "State", "C")
    ev = [EventFact("visit", (a, b), (c,), Evidence("d", "s", 0, 1), date="2012-02-17"), EventFact("visit", (a,), (c,), Evidence("e", "s", 0, 1), date="2012-02-16")]
    r = resolve([DocumentFacts("d", "d", events=ev[:1]), DocumentFacts("e", "e", events=ev[1:])])
    assert sorted((tuple(e.actors), e.date, e.sources) for e in r.events) == [((base + "a",), "2012-02-16", 2), ((base + "b",), "2012-02-17", 1)]
