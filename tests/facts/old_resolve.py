"""The resolver as it was before it kept its working (at 17ee6a0): the oracle that tests compare
ipkg.facts.resolve with. Across documents: one IRI per real-world actor, one event per real happening.

Actors the gazetteer does not know are matched across documents (and to the gazetteer) by a
spelling key that folds transliteration variants (Moghaddam/Moghadam, Rowhani/Rouhani).
Event mentions merge when kind and participants agree and their dates are compatible (equal, or
one a less precise form of the other, or one unknown); ``sources`` is then the number of
documents behind the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ipkg.resources import load_event_kinds, load_gazetteer
from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, PositionFact, QuoteFact

__all__ = ["name_key", "slugify", "Resolved", "ResolvedActor", "ResolvedEvent", "resolve"]

ACTOR_BASE = "https://w3id.org/ipkg/id/actor/"
EVENT_BASE = "https://w3id.org/ipkg/id/event/"
_SYMMETRIC = {"meeting", "agreement"}


def slugify(text: str) -> str:
    """A lowercase, hyphenated ASCII slug.

    Examples
    --------
    >>> slugify("Reza Amiri Moghaddam")
    'reza-amiri-moghaddam'
    >>> slugify("Zia-ul-Haq")
    'zia-ul-haq'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


def name_key(name: str) -> str:
    """Fold transliteration variants of a name to one key.

    Examples
    --------
    >>> name_key("Reza Amiri Moghaddam") == name_key("Reza Amiri Moghadam")
    True
    >>> name_key("Hassan Rowhani") == name_key("Hassan Rouhani")
    True
    >>> name_key("Asif Ali Zardari") == name_key("Bilawal Bhutto Zardari")
    False
    """
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z ]+", " ", s)
    for a, b in (("ou", "u"), ("ow", "u"), ("w", "u"), ("gh", "g"), ("q", "g"), ("kh", "k"), ("ph", "f"), ("y", "i"), ("ee", "i")):
        s = s.replace(a, b)
    tokens = []
    for tok in s.split():
        tok = re.sub(r"(.)\1+", r"\1", tok)
        tokens.append(tok[0] + re.sub(r"[aeiou]", "", tok[1:]))
    return " ".join(tokens)


@dataclass
class ResolvedActor:
    iri: str
    label: str
    type: str
    wikidata: str | None = None
    aliases: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class ResolvedEvent:
    iri: str
    kind: str
    actors: list[str]
    targets: list[str]
    place: str | None
    date: str | None
    end_date: str | None
    casualties: int | None
    mentions: list[EventFact] = field(default_factory=list)
    denies: str | None = None

    @property
    def sources(self) -> int:
        return len({m.evidence.doc_id for m in self.mentions})


@dataclass
class Resolved:
    """The corpus after resolution: what :func:`ipkg.kg.build.facts_to_graph` turns into RDF."""

    documents: list[DocumentFacts]
    actors: dict[str, ResolvedActor]
    events: list[ResolvedEvent]
    positions: list[tuple[str, PositionFact]]
    quotes: list[tuple[str, QuoteFact]]
    figures: list[FigureFact]
    actor_docs: dict[str, set[str]]


_BY_CATEGORY = {"strike"}


def _canonical(part: object) -> str:
    """``str`` of a key part, with a set's members in sorted order: ``str(frozenset(...))``
    follows the process's hash seed, and an IRI must not."""
    if isinstance(part, frozenset):
        return "frozenset({" + ", ".join(sorted(map(repr, part))) + "})"
    return str(part)


def _digest(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _same_trip(a: str | None, b: str | None, days: int = 3) -> bool:
    """Two days of one trip: a visit told on consecutive days (its legs) is one visit, dated
    by its first day."""
    if not a or not b or len(a) != 10 or len(b) != 10:
        return False
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= days


def resolve(documents: Iterable[DocumentFacts]) -> Resolved:
    """Give every actor one IRI and merge event mentions across documents.

    Examples
    --------
    >>> from ipkg.facts.model import ActorRef, EventFact, Evidence, DocumentFacts
    >>> iran = ActorRef("https://w3id.org/ipkg/id/actor/iran", "Iran", "State", "Iran")
    >>> pak = ActorRef("https://w3id.org/ipkg/id/actor/pakistan", "Pakistan", "State", "Pakistan")
    >>> docs = [DocumentFacts(d, d, events=[EventFact("recognition", (iran,), (pak,), Evidence(d, "s", 0, 1), date=dt)])
    ...         for d, dt in (("a", "1947"), ("b", "1947"), ("c", None))]
    >>> r = resolve(docs)
    >>> len(r.events), r.events[0].sources, r.events[0].date
    (1, 3, '1947')
    """
    docs = list(documents)
    gaz = load_gazetteer()
    kinds = load_event_kinds()
    gaz_keys: dict[str, set[str]] = {}
    for e in gaz.entries.values():
        if e.type == "Person":
            for form in (e.label, *e.aliases):
                gaz_keys.setdefault(name_key(form), set()).add(e.iri)
    new_iri: dict[str, str] = {}
    actors: dict[str, ResolvedActor] = {}
    actor_docs: dict[str, set[str]] = {}

    def iri_of(ref: ActorRef, doc_id: str) -> str:
        if not ref.key.startswith("new:"):
            return ref.key
        _, type_, label = ref.key.split(":", 2)
        single = len(label.split()) < 2
        k = (type_, name_key(label) + (f"@{doc_id}" if single else ""))
        cache = "|".join(k)
        if cache not in new_iri:
            cands = gaz_keys.get(name_key(label), set()) if type_ == "Person" and not single else set()
            new_iri[cache] = next(iter(cands)) if len(cands) == 1 else ACTOR_BASE + slugify(label) + (f"-{slugify(doc_id)}" if single else "")
        return new_iri[cache]

    def register(ref: ActorRef, doc_id: str) -> str:
        iri = iri_of(ref, doc_id)
        if iri not in actors:
            entry = gaz.entries.get(iri)
            if entry is not None:
                actors[iri] = ResolvedActor(iri, entry.label, entry.type, entry.wikidata)
            else:
                actors[iri] = ResolvedActor(iri, ref.label, ref.type)
        actors[iri].aliases.setdefault(doc_id, set()).add(ref.surface)
        actor_docs.setdefault(iri, set()).add(doc_id)
        return iri

    for d in docs:
        for ref in d.actors:
            register(ref, d.doc_id)

    groups: dict[tuple[object, ...], list[tuple[EventFact, list[str], list[str], str | None]]] = {}
    for d in docs:
        for ev in d.events:
            a = sorted({register(r, d.doc_id) for r in ev.actors})
            t = sorted({register(r, d.doc_id) for r in ev.targets})
            place = register(ev.place, d.doc_id) if ev.place else None
            kind = kinds[ev.kind].category if kinds[ev.kind].category in _BY_CATEGORY else ev.kind
            if kinds[ev.kind].category in _SYMMETRIC:
                key: tuple[object, ...] = (kind, frozenset(a + t))
            elif kinds[ev.kind].category == "visit" and len(a) > 1:
                for x in a:  # each traveller makes a visit, which their own accounts may date better
                    groups.setdefault((kind, frozenset([x]), frozenset(t)), []).append((ev, [x], t, place))
                continue
            else:
                key = (kind, frozenset(a), frozenset(t))
            groups.setdefault(key, []).append((ev, a, t, place))
    for key in [k for k in groups if len(k) == 3]:
        # "A and B attacked C", undated, where A's and B's attacks on C are dated elsewhere:
        # the mention is evidence of each of them, not a third happening.
        group_kind, many, targets_key = key
        attackers = sorted(str(x) for x in many) if isinstance(many, frozenset) else []
        if len(attackers) < 2:
            continue
        singles: list[tuple[object, ...]] = [(group_kind, frozenset([x]), targets_key) for x in attackers]
        if all(any(i[0].date for i in groups.get(k, [])) for k in singles):
            keep = [i for i in groups[key] if i[0].date]
            for i in (i for i in groups[key] if not i[0].date):
                for k, x in zip(singles, attackers):
                    groups[k].append((i[0], [x], i[2], i[3]))
            if keep:
                groups[key] = keep
            else:
                del groups[key]

    events: list[ResolvedEvent] = []
    by_mention: dict[int, ResolvedEvent] = {}
    for key, items in groups.items():
        clusters: list[list[tuple[EventFact, list[str], list[str], str | None]]] = []
        trip = kinds[items[0][0].kind].category == "visit"
        dated = sorted((i for i in items if i[0].date), key=lambda i: (-len(i[0].date or ""), i[0].date or ""))
        for item in dated:
            for c in clusters:
                if all(_compatible(item[0].date, o[0].date) or (trip and _same_trip(item[0].date, o[0].date)) for o in c):
                    c.append(item)
                    break
            else:
                clusters.append([item])
        undated = [i for i in items if not i[0].date]
        if undated:
            if len(clusters) == 1:
                clusters[0].extend(undated)
            else:
                clusters.append(undated)
        for c in clusters:
            votes = Counter(i[0].kind for i in c)
            first = max(c, key=lambda i: votes[i[0].kind])
            date = max(sorted((i[0].date for i in c if i[0].date), reverse=not trip), key=len, default=None)
            end = next((i[0].end_date for i in c if i[0].end_date), None)
            cas = max((i[0].casualties for i in c if i[0].casualties is not None), default=None)
            place = next((i[3] for i in c if i[3]), None)
            actors_ = sorted({x for i in c for x in i[1]})
            targets_ = sorted({x for i in c for x in i[2]})
            # key[1:] in its own order: who acted, then on whom (sorted, A -> B and B -> A were one IRI)
            iri = EVENT_BASE + _digest(first[0].kind, *map(_canonical, key[1:]), date)
            rev = ResolvedEvent(iri, first[0].kind, actors_, targets_, place, date, end, cas, [i[0] for i in c])
            events.append(rev)
            for i in c:
                by_mention[id(i[0])] = rev
    for d in docs:
        for ev in d.events:
            if ev.denies is not None and id(ev) in by_mention:
                claim = d.events[ev.denies]
                if id(claim) in by_mention:
                    by_mention[id(ev)].denies = by_mention[id(claim)].iri
    events.sort(key=lambda e: e.iri)
    positions = [(register(p.person, d.doc_id), p) for d in docs for p in d.positions]
    for _, p in positions:
        if p.org is not None:
            register(p.org, p.evidence.doc_id)
    quotes = [(register(q.speaker, d.doc_id), q) for d in docs for q in d.quotes]
    figures = [f for d in docs for f in d.figures]
    return Resolved(docs, actors, events, positions, quotes, figures, actor_docs)
