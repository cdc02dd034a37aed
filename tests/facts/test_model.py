"""DocumentFacts to plain data and back: what the build cache stores."""

import json
import math

from conftest import SEEDS
from ipkg.facts import doc_to_facts
from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, Passage, PositionFact, QuoteFact
from ipkg.ingest import iter_records
from ipkg.nlp import process

IRAN = ActorRef("https://w3id.org/ipkg/id/actor/iran", "Iran", "State", "Iran")
HOSTILE = ActorRef("new:Person:Zé \ud800 \x00", "Zé \ud800 \x00", "Person", "<x>&\"'\n")


def _roundtrip(facts):
    return DocumentFacts.from_dict(json.loads(json.dumps(facts.to_dict())))


def test_model_roundtrip_every_field():
    ev = Evidence("d", "Iran said \"no\".\n", 3, 19)
    facts = DocumentFacts(
        "d",
        "in/d.txt",
        title="T",
        url="https://example.org/d",
        kind="news",
        published="2024-05-12",
        sentences=4,
        actors=[IRAN, HOSTILE],
        events=[
            EventFact("claim", (IRAN,), (HOSTILE,), ev, place=IRAN, date="2024-05", end_date="2024-06", casualties=3),
            EventFact("deny", (HOSTILE,), (), ev, denies=0),
        ],
        positions=[PositionFact(HOSTILE, "x:Office", "Office", None, "former", ev), PositionFact(HOSTILE, "x:O", "O", IRAN, "current", ev, "2024")],
        quotes=[QuoteFact(IRAN, "no", ev, 11, 13, "2024-05-12")],
        figures=[FigureFact("deaths", 5, "people", ev), FigureFact("trade", 2.5e9, "USD", ev, "2024"), FigureFact("x", 0.1, "%", ev)],
        passages=[Passage("lang:fa", 20, 30, "سلام")],
    )
    back = _roundtrip(facts)
    assert back == facts
    assert isinstance(back.events[0].actors, tuple) and isinstance(back.events[0].targets, tuple)
    assert [type(f.value) for f in back.figures] == [int, float, float]


def test_model_roundtrip_nan_figure():
    facts = DocumentFacts("d", "d.txt", figures=[FigureFact("x", math.nan, "", Evidence("d", "s", 0, 1))])
    assert math.isnan(_roundtrip(facts).figures[0].value)


def test_model_roundtrip_seed_facts(nlp):
    """Every seed document's facts survive JSON unchanged."""
    records = list(iter_records([SEEDS]))
    for record, doc in process(nlp, records):
        facts = doc_to_facts(doc, record)
        assert _roundtrip(facts) == facts
