"""Facts: what ipkg asserts, each with the evidence that supports it."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Evidence", "ActorRef", "EventFact", "PositionFact", "QuoteFact", "FigureFact", "Passage", "DocumentFacts"]


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
