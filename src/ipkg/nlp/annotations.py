"""What the NLP components attach to a ``Doc`` (``doc._.ipkg_*``), in token offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Mention", "PositionMention", "EventMention", "QuoteMention", "FigureMention"]


@dataclass
class Mention:
    """An actor mention. ``start:end`` is the whole group ("Pakistan's Army Chief Asim Munir"),
    ``head_start:head_end`` the name itself. ``key`` is the actor's identity: a gazetteer IRI or
    ``"new:<Type>:<label>"`` for an actor the gazetteer does not know."""

    start: int
    end: int
    head_start: int
    head_end: int
    key: str
    label: str
    type: str
    surface: str
    source: str
    nationality: str | None = None


@dataclass
class PositionMention:
    """A person holding an office of a state or organisation, as a sentence states it."""

    person: Mention
    office: str
    office_label: str
    org: str | None
    org_label: str | None
    status: str
    start: int
    end: int


@dataclass
class EventMention:
    """An event trigger with its arguments."""

    kind: str
    start: int
    end: int
    actors: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    place: Mention | None = None
    date: str | None = None
    end_date: str | None = None
    casualties: int | None = None
    label: str | None = None
    denies: "EventMention | None" = None


@dataclass
class QuoteMention:
    """A direct quotation and its speaker (character offsets of the quoted text)."""

    speaker: Mention
    text: str
    start: int
    end: int
    date: str | None = None


@dataclass
class FigureMention:
    """A number the text states, normalised (character offsets of the expression)."""

    label: str
    value: float
    unit: str
    start: int
    end: int
    date: str | None = None


def doc_text(doc: "Doc") -> str:
    """``doc.text``, built once per Doc: spaCy joins every token's text on each access, which the
    rules ask for tens of thousands of times on a long document.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Iran and Pakistan.")
    >>> doc_text(doc) == doc.text
    True
    """
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data[_TEXT_KEY] = (len(doc), doc.text)
    return str(cached[1])


_TEXT_KEY = "ipkg_text"
