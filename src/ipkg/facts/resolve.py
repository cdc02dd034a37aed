"""Across documents: one IRI per real-world actor, one event per real happening.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..resources import load_event_kinds, load_gazetteer
from .model import ActorRef, DocumentFacts, EventFact, FigureFact, PositionFact, QuoteFact

__all__ = ["name_key", "slugify", "Context", "Resolution", "Resolved", "ResolvedActor", "ResolvedEvent", "resolve"]

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


GroupKey = tuple
"""``(kind, participants)`` or ``(kind, actors, targets)``, each a sorted tuple of IRIs."""
Item = tuple
"""An event mention in a group: ``(doc_id, index of the event in the document, kind, date,
end_date, casualties, actors, targets, place)``."""
Cluster = tuple
"""An event as clustered, before its denial is known: ``(iri, kind, actors, targets, place, date,
end_date, casualties, mentions)``, mentions being ``(doc_id, event index)`` pairs."""
PHASES = 5
"""References are registered in turn: documents' actors, events' participants, office holders,
their organisations, speakers."""


class Context:
    """What resolution reads besides the documents: the gazetteer, the event kinds and each known
    person's name keys. Made once; names already keyed are remembered.

    Examples
    --------
    >>> ctx = Context()
    >>> ref = ActorRef("new:Person:Karim Rowhani Moghaddam", "Karim Rowhani Moghaddam", "Person", "Moghaddam")
    >>> name = ctx.name_of(ref, "a")
    >>> name
    ('Person|krm rhn mgdm', 'Karim Rowhani Moghaddam')
    >>> ctx.actor_iri(*name)
    'https://w3id.org/ipkg/id/actor/karim-rowhani-moghaddam'
    """

    def __init__(self) -> None:
        self.gaz = load_gazetteer()
        self.kinds = load_event_kinds()
        self.gaz_keys: dict[str, set[str]] = {}
        for e in self.gaz.entries.values():
            if e.type == "Person":
                for form in (e.label, *e.aliases):
                    self.gaz_keys.setdefault(name_key(form), set()).add(e.iri)
        self._names: dict[str, tuple[str, str, bool]] = {}

    def name_of(self, ref: ActorRef, doc_id: str) -> tuple[str, str] | None:
        """``(name, label)`` of an actor the gazetteer does not know (``ref.key`` is
        ``new:Type:Label``): the spelling key its variants share (a one-word name's only within
        ``doc_id``) and the label this reference gives. None for a known actor: its key is its IRI."""
        key = ref.key
        if not key.startswith("new:"):
            return None
        hit = self._names.get(key)
        if hit is None:
            _, type_, label = key.split(":", 2)
            single = len(label.split()) < 2
            hit = self._names[key] = (f"{type_}|{name_key(label)}", label, single)
        name, label, single = hit
        return (f"{name}@{doc_id}", label) if single else (name, label)

    def actor_iri(self, name: str, label: str) -> str:
        """The IRI of unknown actor ``name`` (see :meth:`name_of`) whose first reference gave ``label``."""
        type_, rest = name.split("|", 1)
        key, _, doc_id = rest.partition("@")
        cands = self.gaz_keys.get(key, set()) if type_ == "Person" and not doc_id else set()
        return next(iter(cands)) if len(cands) == 1 else ACTOR_BASE + slugify(label) + (f"-{slugify(doc_id)}" if doc_id else "")

    def actor(self, iri: str, label: str, type_: str) -> ResolvedActor:
        """Actor ``iri``: the gazetteer's entry if it has one, else as its first reference names it."""
        entry = self.gaz.entries.get(iri)
        if entry is not None:
            return ResolvedActor(iri, entry.label, entry.type, entry.wikidata)
        return ResolvedActor(iri, label, type_)

    def document_items(self, d: DocumentFacts, iris: list[list[str]]) -> list[tuple[GroupKey, Item]]:
        """:meth:`group_items` of each event of ``d``, in order, given the IRIs of its references
        per phase (as :func:`registrations` lists them)."""
        at = iter(iris[1])
        out: list[tuple[GroupKey, Item]] = []
        for index, ev in enumerate(d.events):
            a = sorted({next(at) for _ in ev.actors})
            t = sorted({next(at) for _ in ev.targets})
            place = next(at) if ev.place else None
            out += self.group_items(d.doc_id, index, ev, a, t, place)
        return out

    def group_items(self, doc_id: str, index: int, ev: EventFact, a: list[str], t: list[str], place: str | None) -> list[tuple[GroupKey, Item]]:
        """The groups an event mention goes to before dates are compared, with its item in each: one
        per kind and participants (either way round for meetings and agreements), one per traveller
        for a visit of several."""
        category = self.kinds[ev.kind].category
        kind = category if category in _BY_CATEGORY else ev.kind
        targets = tuple(t)
        if category in _SYMMETRIC:
            return [((kind, tuple(sorted(set(a + t)))), (doc_id, index, ev.kind, ev.date, ev.end_date, ev.casualties, tuple(a), targets, place))]
        if category == "visit" and len(a) > 1:
            return [((kind, (x,), targets), (doc_id, index, ev.kind, ev.date, ev.end_date, ev.casualties, (x,), targets, place)) for x in a]
        return [((kind, tuple(a), targets), (doc_id, index, ev.kind, ev.date, ev.end_date, ev.casualties, tuple(a), targets, place))]


def registrations(d: DocumentFacts) -> list[list[tuple[ActorRef, str]]]:
    """Every reference to an actor in ``d``, per phase (see :data:`PHASES`), with the document it
    counts for. An unknown actor is named, and a new one labelled, by its earliest reference in
    (phase, document, this order).

    Examples
    --------
    >>> iran = ActorRef("https://w3id.org/ipkg/id/actor/iran", "Iran", "State", "Iran")
    >>> [len(p) for p in registrations(DocumentFacts("d", "d", actors=[iran]))]
    [1, 0, 0, 0, 0]
    """
    events: list[tuple[ActorRef, str]] = []
    for ev in d.events:
        events += [(r, d.doc_id) for r in ev.actors]
        events += [(r, d.doc_id) for r in ev.targets]
        if ev.place:
            events.append((ev.place, d.doc_id))
    return [
        [(r, d.doc_id) for r in d.actors],
        events,
        [(p.person, d.doc_id) for p in d.positions],
        [(p.org, p.evidence.doc_id) for p in d.positions if p.org is not None],
        [(q.speaker, d.doc_id) for q in d.quotes],
    ]


def singles_of(key: GroupKey) -> list[GroupKey]:
    """For ``(kind, actors, targets)`` with several actors, the group of each actor alone; else none.

    Examples
    --------
    >>> singles_of(("strike", ("a", "b"), ("c",)))
    [('strike', ('a',), ('c',)), ('strike', ('b',), ('c',))]
    >>> singles_of(("strike", ("a",), ("c",)))
    []
    """
    if len(key) != 3 or len(key[1]) < 2:
        return []
    return [(key[0], (x,), key[2]) for x in key[1]]


def moves(key: GroupKey, base: Mapping[GroupKey, list[Item]]) -> bool:
    """Whether the undated mentions of ``key`` ("A and B attacked C") are evidence of each attacker's
    own attack rather than a third happening: when each of those is dated somewhere.

    Examples
    --------
    >>> base = {("strike", ("a",), ("c",)): [("d", 0, "strike", "2024", None, None, ("a",), ("c",), None)]}
    >>> moves(("strike", ("a", "b"), ("c",)), base)
    False
    """
    singles = singles_of(key)
    return bool(singles) and all(any(i[3] for i in base.get(k, ())) for k in singles)


def effective(key: GroupKey, base: Mapping[GroupKey, list[Item]], multis: Iterable[GroupKey]) -> list[Item]:
    """The mentions group ``key`` is clustered from: its own (``base``, in document order) less the
    undated ones :func:`moves` sends to each attacker's group; for an attacker's group, plus those
    sent to it by ``multis``, the groups it is a single of, in the order of their first mention.

    Examples
    --------
    >>> effective(("visit", ("a",), ("b",)), {}, [])
    []
    """
    items = base.get(key, [])
    if moves(key, base):
        return [i for i in items if i[3]]
    extra: list[Item] = []
    if len(key) == 3 and len(key[1]) == 1:
        for m in multis:
            if moves(m, base):
                extra += [(*i[:6], key[1], *i[7:]) for i in base[m] if not i[3]]
    return items + extra if extra else items


def clusters(key: GroupKey, items: list[Item], kinds: Mapping[str, Any]) -> list[Cluster]:
    """One group's mentions split into events: mentions whose dates are compatible (equal, one a less
    precise form of the other, or days of one trip) are one event; undated ones join the only event
    or make their own.

    Examples
    --------
    >>> from ipkg.resources import load_event_kinds
    >>> items = [("d", 0, "visit", "2024-01", None, None, ("a",), ("b",), None), ("e", 0, "visit", "2024-01-16", None, None, ("a",), ("b",), None)]
    >>> [(c[5], c[8]) for c in clusters(("visit", ("a",), ("b",)), items, load_event_kinds())]
    [('2024-01-16', (('e', 0), ('d', 0)))]
    """
    out: list[list[Item]] = []
    trip = kinds[items[0][2]].category == "visit"
    dated = sorted((i for i in items if i[3]), key=lambda i: (-len(i[3]), i[3]))
    for item in dated:
        for c in out:
            if all(_compatible(item[3], o[3]) or (trip and _same_trip(item[3], o[3])) for o in c):
                c.append(item)
                break
        else:
            out.append([item])
    undated = [i for i in items if not i[3]]
    if undated:
        if len(out) == 1:
            out[0].extend(undated)
        else:
            out.append(undated)
    # key[1:] in its own order: who acted, then on whom (sorted, A -> B and B -> A were one IRI)
    parts = [_canonical(frozenset(p)) for p in key[1:]]
    result = []
    for c in out:
        votes = Counter(i[2] for i in c)
        first = max(c, key=lambda i: votes[i[2]])
        date = max(sorted((i[3] for i in c if i[3]), reverse=not trip), key=len, default=None)
        end = next((i[4] for i in c if i[4]), None)
        cas = max((i[5] for i in c if i[5] is not None), default=None)
        place = next((i[8] for i in c if i[8]), None)
        actors = sorted({x for i in c for x in i[6]})
        targets = sorted({x for i in c for x in i[7]})
        iri = EVENT_BASE + _digest(first[2], *parts, date)
        result.append((iri, first[2], actors, targets, place, date, end, cas, tuple((i[0], i[1]) for i in c)))
    return result


@dataclass
class Resolution:
    """The working of :func:`resolve`, which :class:`ipkg.facts.state.ResolutionState` keeps so as
    to redo it for a few changed documents."""

    names: dict[str, str]
    """Unknown actor's name -> the label of its first reference."""
    refs: list[list[list[tuple[ActorRef, str]]]]
    """Per document, :func:`registrations`."""
    named: list[list[list[tuple[str, str] | None]]]
    """Per document, per phase, each reference's name (see :meth:`Context.name_of`)."""
    iris: list[list[list[str]]]
    """Per document, per phase, the IRI of each reference (as :func:`registrations` lists them)."""
    items: list[list[tuple[GroupKey, Item]]]
    """Per document, its mentions' groups and items, in order."""
    base: dict[GroupKey, list[Item]]
    """Group -> its own mentions in document order; groups in the order of their first mention."""
    clusters: dict[GroupKey, list[Cluster]]
    """Group -> its events (groups whose mentions all went elsewhere are left out)."""
    denies: dict[tuple[GroupKey, int], str]
    """(group, index of the event in it) -> the IRI of the event it denies."""


def resolve(documents: Iterable[DocumentFacts], *, context: Context | None = None, working: list[Resolution] | None = None) -> Resolved:
    """Give every actor one IRI and merge event mentions across documents.

    Parameters
    ----------
    documents : iterable of DocumentFacts
        The corpus, in its order: an unknown actor's name and label come from its first reference.
    context : Context, optional
        Made anew by default.
    working : list, optional
        Receives the :class:`Resolution` behind the result.

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
    ctx = context or Context()
    regs = [registrations(d) for d in docs]
    names: dict[str, str] = {}
    named = [[[ctx.name_of(ref, doc_id) for ref, doc_id in refs] for refs in phases] for phases in regs]
    for phase in range(PHASES):
        for per_doc in named:
            for n in per_doc[phase]:
                if n is not None and n[0] not in names:
                    names[n[0]] = n[1]
    name_iri = {n: ctx.actor_iri(n, label) for n, label in names.items()}
    iris = [[[ref.key if n is None else name_iri[n[0]] for (ref, _), n in zip(refs, ns)] for refs, ns in zip(phases, nps)] for phases, nps in zip(regs, named)]
    actors: dict[str, ResolvedActor] = {}
    actor_docs: dict[str, set[str]] = {}
    for phase in range(PHASES):
        for phases, doc_iris in zip(regs, iris):
            for (ref, doc_id), iri in zip(phases[phase], doc_iris[phase]):
                actor = actors.get(iri)
                if actor is None:
                    actor = actors[iri] = ctx.actor(iri, ref.label, ref.type)
                actor.aliases.setdefault(doc_id, set()).add(ref.surface)
                actor_docs.setdefault(iri, set()).add(doc_id)

    base: dict[GroupKey, list[Item]] = {}
    items: list[list[tuple[GroupKey, Item]]] = []
    for d, doc_iris in zip(docs, iris):
        mine = ctx.document_items(d, doc_iris)
        for key, item in mine:
            base.setdefault(key, []).append(item)
        items.append(mine)
    multis: dict[GroupKey, list[GroupKey]] = {}
    for key in base:
        for single in singles_of(key):
            multis.setdefault(single, []).append(key)
    grouped: dict[GroupKey, list[Cluster]] = {}
    for key in base:
        mentions = effective(key, base, multis.get(key, ()))
        if mentions:
            grouped[key] = clusters(key, mentions, ctx.kinds)

    by_id = {d.doc_id: d for d in docs}
    events: dict[tuple[GroupKey, int], ResolvedEvent] = {}
    last: dict[tuple[str, int], tuple[GroupKey, int]] = {}
    for key, cs in grouped.items():
        for i, (iri, kind, a, t, place, date, end, cas, mentions) in enumerate(cs):
            events[key, i] = ResolvedEvent(iri, kind, a, t, place, date, end, cas, [by_id[doc_id].events[j] for doc_id, j in mentions])
            for m in mentions:
                last[m] = (key, i)
    denies: dict[tuple[GroupKey, int], str] = {}
    for d in docs:
        for index, ev in enumerate(d.events):
            if ev.denies is not None and (d.doc_id, index) in last and (d.doc_id, ev.denies) in last:
                here = last[d.doc_id, index]
                events[here].denies = denies[here] = events[last[d.doc_id, ev.denies]].iri
    positions = [(iri, p) for d, doc_iris in zip(docs, iris) for iri, p in zip(doc_iris[2], d.positions)]
    quotes = [(iri, q) for d, doc_iris in zip(docs, iris) for iri, q in zip(doc_iris[4], d.quotes)]
    figures = [f for d in docs for f in d.figures]
    if working is not None:
        working.append(Resolution(names, regs, named, iris, items, base, grouped, denies))
    return Resolved(docs, actors, sorted(events.values(), key=lambda e: e.iri), positions, quotes, figures, actor_docs)
