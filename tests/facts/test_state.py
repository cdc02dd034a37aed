"""Resolution redone for a few changed documents (ipkg.facts.state) gives the graphs a whole
resolution gives: for every document it writes again, the same N-Quads; for every other, a graph
that the whole resolution would also leave as it was."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import pytest

from ipkg.facts import resolve
from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, PositionFact, QuoteFact
from ipkg.facts.state import STATE_FILE, ResolutionState
from ipkg.kg.build import facts_to_nquads
from ipkg.kg.mint import graph_iri

sys.path.insert(0, str(Path(__file__).resolve().parent))
from old_resolve import resolve as old_resolve  # noqa: E402

A = "https://w3id.org/ipkg/id/actor/"
KNOWN = [ActorRef(A + k, k.title(), "State", k.title()) for k in ("iran", "pakistan")]
PEOPLE = ["Karim Rowhani Moghaddam", "Karim Rouhani Moghadam", "Sara Qureshi", "Sarah Qureshi", "Rowhani", "Rouhani", "Tariq Baloch"]
ORGS = ["Jaish al Adl", "Jaish al-Adl", "Border Force"]
KINDS = ["visit", "meeting", "talks", "agreement", "recognition", "condemn", "deny", "claim", "strike", "attack", "threaten"]
DATES = [None, None, "2024", "2024-01", "2024-01-16", "2024-01-17", "2024-01-19", "2024-02-01", "2023-12-30"]


def _ref(rng: random.Random) -> ActorRef:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(KNOWN)
    if roll < 0.8:
        name = rng.choice(PEOPLE)
        return ActorRef(f"new:Person:{name}", name, "Person", rng.choice([name, name.split()[-1]]))
    name = rng.choice(ORGS)
    return ActorRef(f"new:Organization:{name}", name, rng.choice(["Organization", "ArmedGroup"]), name)


def synthetic(doc_id: str, rng: random.Random) -> DocumentFacts:
    """A document of random facts over few actors, so that documents share names, groups and events."""
    ev = lambda i: Evidence(doc_id, f"sentence {i}", 10 * i, 10 * i + 9)  # noqa: E731
    events = []
    for i in range(rng.randint(1, 6)):
        kind = rng.choice(KINDS)
        actors = tuple(_ref(rng) for _ in range(rng.choice([1, 1, 2])))
        targets = tuple(_ref(rng) for _ in range(rng.choice([0, 1, 1, 2])))
        denies = rng.randrange(i) if kind == "deny" and i and rng.random() < 0.7 else None
        cas = rng.choice([None, None, 3, 7])
        place = rng.choice([None, None, KNOWN[1]])
        events.append(EventFact(kind, actors, targets, ev(i), place=place, date=rng.choice(DATES), end_date=rng.choice([None, None, "2024-01-20"]), casualties=cas, denies=denies))
    refs = [r for e in events for r in (*e.actors, *e.targets)]
    actors = rng.sample(refs, k=len(refs) // 2) + [_ref(rng)]
    positions = [PositionFact(_ref(rng), "https://w3id.org/ipkg/id/office/minister", "minister", rng.choice([None, KNOWN[0]]), "current", ev(20)) for _ in range(rng.randint(0, 1))]
    quotes = [QuoteFact(_ref(rng), f"words {doc_id}", ev(21), 210, 219) for _ in range(rng.randint(0, 1))]
    figures = [FigureFact("killed", 3.0, "people", ev(22))] if rng.random() < 0.2 else []
    return DocumentFacts(doc_id, f"{doc_id}.txt", sentences=rng.randint(1, 9), actors=actors, events=events, positions=positions, quotes=quotes, figures=figures)


def _graphs(resolved) -> dict[str, bytes]:
    return dict(facts_to_nquads(resolved).graphs)


def _sig(doc_id: str, graphs: dict[str, bytes]) -> str:
    return graphs[f"<{graph_iri(doc_id)}>"].decode()


def _check(state: ResolutionState, corpus: dict[str, DocumentFacts], keys: dict[str, str], previous: dict[str, bytes]) -> tuple[bool, dict[str, bytes]]:
    """Update ``state`` to ``corpus``; compare with resolving it whole. Returns (updated?, graphs)."""
    docs = list(corpus.values())
    working: list = []
    full = resolve(docs, working=working)
    graphs = _graphs(full)
    update = state.update(keys, corpus.get)
    if update is None:
        ResolutionState(state.path.parent, state.fingerprint).write(docs, working[0], full, keys, {d: _sig(d, graphs) for d in corpus})
        return False, graphs
    part = _graphs(update.resolved)
    written = {d.doc_id for d in update.resolved.documents}
    assert written | set(update.kept) == set(corpus) and not written & set(update.kept)
    for d in written:
        assert part[f"<{graph_iri(d)}>"] == graphs[f"<{graph_iri(d)}>"], d
    for d, signature in update.kept.items():
        assert signature == _sig(d, previous), d  # the graph kept is the one written last time ...
        g = f"<{graph_iri(d)}>"
        assert graphs[g] == previous[g], (d, set(graphs[g].splitlines()) ^ set(previous[g].splitlines()))  # ... and the one a whole resolution writes
    actors_graph = [g for g in graphs if g.endswith("/graph/actors>")]
    assert [part.get(g) for g in actors_graph] == [graphs[g] for g in actors_graph]
    assert (update.actors, update.events, dict(update.events_by_kind), update.sentences) == (
        len(full.actors), len(full.events), dict(__import__("collections").Counter(e.kind for e in full.events)), sum(d.sentences for d in docs))
    state.commit({d: _sig(d, graphs) for d in written})
    return True, graphs


def test_resolve_matches_the_resolver_it_replaced():
    rng = random.Random(7)
    docs = [synthetic(f"d{i:03d}", rng) for i in range(300)]
    new, old = resolve(docs), old_resolve(docs)
    assert {k: (a.label, a.type, a.wikidata, a.aliases) for k, a in new.actors.items()} == {k: (a.label, a.type, a.wikidata, a.aliases) for k, a in old.actors.items()}
    shape = lambda r: [(e.iri, e.kind, e.actors, e.targets, e.place, e.date, e.end_date, e.casualties, e.denies, [id(m) for m in e.mentions]) for e in r.events]  # noqa: E731
    assert shape(new) == shape(old)
    assert any(e.denies for e in new.events) and any(len(e.mentions) > 2 for e in new.events)
    assert [(i, id(p)) for i, p in new.positions] == [(i, id(p)) for i, p in old.positions]
    assert new.actor_docs == old.actor_docs


@pytest.mark.parametrize("seed", range(6))
def test_state_updates_as_a_whole_resolution_would(tmp_path, seed):
    rng = random.Random(seed)
    pool = [synthetic(f"d{i:03d}", rng) for i in range(90)]
    corpus = {d.doc_id: d for d in sorted(rng.sample(pool, 40), key=lambda d: d.doc_id)}
    keys = {d: f"k-{d}-0" for d in corpus}
    state = ResolutionState(tmp_path, "f")
    _, graphs = _check(state, corpus, keys, {})
    assert state.path.is_file()
    updated = 0
    for step in range(25):
        action = rng.choice(["add", "add", "remove", "change", "add-first"])
        if action == "add":
            for d in rng.sample([d for d in pool if d.doc_id not in corpus], rng.choice([1, 1, 2])):
                corpus[d.doc_id] = d
                keys[d.doc_id] = f"k-{d.doc_id}-{step + 1}"
        elif action == "add-first":  # a document put before all others: first references move
            d = synthetic(f"a{step:03d}", rng)
            corpus = {d.doc_id: d, **corpus}
            keys = {d.doc_id: f"k-{d.doc_id}", **keys}
        elif action == "remove" and len(corpus) > 5:
            gone = rng.choice(list(corpus))
            del corpus[gone], keys[gone]
        else:
            d = rng.choice(list(corpus))
            corpus[d] = synthetic(d, rng)
            keys[d] = f"k-{d}-{step + 1}"
        corpus = dict(sorted(corpus.items()))
        keys = {d: keys[d] for d in corpus}
        state = ResolutionState(tmp_path, "f")
        done, graphs = _check(state, corpus, keys, graphs)
        state.close()
        updated += done
    assert updated >= 12  # most changes are updates, not whole resolutions


def test_state_declines_when_missing_damaged_or_of_another_fingerprint(tmp_path):
    rng = random.Random(1)
    docs = [synthetic(f"d{i}", rng) for i in range(5)]
    corpus = {d.doc_id: d for d in docs}
    keys = {d: d for d in corpus}
    assert ResolutionState(tmp_path, "f").update(keys, corpus.get) is None
    working: list = []
    ResolutionState(tmp_path, "f").write(docs, *[working[0] for _ in [resolve(docs, working=working)]], resolve(docs), keys, {})
    assert ResolutionState(tmp_path, "g").update(keys, corpus.get) is None
    assert ResolutionState(tmp_path, "f").update(keys, corpus.get) is not None
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        db.execute("UPDATE grp SET v = ?", (b"\x80\x05cos\nsystem\n.",))  # a pickle that names a function
    assert ResolutionState(tmp_path, "f").update({**keys, "d0": "changed"}, lambda d: synthetic(d, rng)) is None
    (tmp_path / STATE_FILE).write_bytes(b"not a database")
    assert ResolutionState(tmp_path, "f").update(keys, corpus.get) is None
