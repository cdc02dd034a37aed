"""Facts: what ipkg asserts, each with the evidence that supports it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["Evidence", "ActorRef", "EventFact", "PositionFact", "QuoteFact", "FigureFact", "Passage", "DocumentFacts"]


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any, seen: dict[int, Any]) -> Any:
    """``dataclasses.asdict`` without its deep copies (the facts hold only strings, numbers and
    None); an object met again (a document names its actors many times) gives the same dict."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [_plain(v, seen) for v in value]
    if kind is dict:
        return {k: _plain(v, seen) for k, v in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not hasattr(value, "__dataclass_fields__"):
            return value
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    done = seen.get(id(value))
    if done is None:
        done = seen[id(value)] = {name: _plain(getattr(value, name), seen) for name in names}
    return done


@dataclass(frozen=True)
class Evidence:
    """A sentence of a document; offsets are characters into the original file."""

    doc_id: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class ActorRef:
    """An actor as one document names it. ``key`` is a gazetteer IRI or ``new:Type:Label``."""

    key: str
    label: str
    type: str
    surface: str


@dataclass(frozen=True)
class EventFact:
    kind: str
    actors: tuple[ActorRef, ...]
    targets: tuple[ActorRef, ...]
    evidence: Evidence
    place: ActorRef | None = None
    date: str | None = None
    end_date: str | None = None
    casualties: int | None = None
    denies: int | None = None


@dataclass(frozen=True)
class PositionFact:
    person: ActorRef
    office: str
    office_label: str
    org: ActorRef | None
    status: str
    evidence: Evidence
    date: str | None = None


@dataclass(frozen=True)
class QuoteFact:
    speaker: ActorRef
    text: str
    evidence: Evidence
    start: int
    end: int
    date: str | None = None


@dataclass(frozen=True)
class FigureFact:
    label: str
    value: float
    unit: str
    evidence: Evidence
    date: str | None = None


@dataclass(frozen=True)
class Passage:
    """A stretch kept out of extraction: another language or web boilerplate."""

    reason: str
    start: int
    end: int
    text: str


@dataclass
class DocumentFacts:
    """Everything one document supports."""

    doc_id: str
    path: str
    title: str = ""
    url: str = ""
    kind: str = ""
    published: str | None = None
    sentences: int = 0
    actors: list[ActorRef] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    positions: list[PositionFact] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)
    figures: list[FigureFact] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The facts as plain JSON-ready data (lists, dicts, strings, numbers, None).

        Examples
        --------
        >>> iran = ActorRef("x:Iran", "Iran", "State", "Iran")
        >>> ev = EventFact("visit", (iran,), (), Evidence("d", "Iran visited.", 0, 13), place=iran)
        >>> d = DocumentFacts("d", "d.txt", actors=[iran], events=[ev])
        >>> DocumentFacts.from_dict(d.to_dict()) == d
        True
        """
        return _plain(self, {})  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentFacts:
        """The inverse of :meth:`to_dict` (tuples, nested facts and evidence rebuilt).

        Raises
        ------
        KeyError, TypeError, ValueError
            If ``data`` is not the shape :meth:`to_dict` writes.
        """

        refs: dict[tuple[Any, ...], ActorRef] = {}

        def actor(r: dict[str, Any]) -> ActorRef:
            key = tuple(r.items())  # a document names the same actors many times: one object each
            if key not in refs:
                refs[key] = ActorRef(**r)
            return refs[key]

        def ref(r: dict[str, Any] | None) -> ActorRef | None:
            return None if r is None else actor(r)

        def evidence(e: dict[str, Any]) -> Evidence:
            return Evidence(**e)

        def event(e: dict[str, Any]) -> EventFact:
            return EventFact(
                **{
                    **e,
                    "actors": tuple(actor(a) for a in e["actors"]),
                    "targets": tuple(actor(t) for t in e["targets"]),
                    "evidence": evidence(e["evidence"]),
                    "place": ref(e["place"]),
                }
            )

        def position(p: dict[str, Any]) -> PositionFact:
            return PositionFact(**{**p, "person": actor(p["person"]), "org": ref(p["org"]), "evidence": evidence(p["evidence"])})

        scalars = {k: data[k] for k in ("doc_id", "path", "title", "url", "kind", "published", "sentences")}
        return cls(
            **scalars,
            actors=[actor(a) for a in data["actors"]],
            events=[event(e) for e in data["events"]],
            positions=[position(p) for p in data["positions"]],
            quotes=[QuoteFact(**{**q, "speaker": actor(q["speaker"]), "evidence": evidence(q["evidence"])}) for q in data["quotes"]],
            figures=[FigureFact(**{**f, "evidence": evidence(f["evidence"])}) for f in data["figures"]],
            passages=[Passage(**p) for p in data["passages"]],
        )
