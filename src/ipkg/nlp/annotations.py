"""What the NLP components attach to a ``Doc`` (``doc._.ipkg_*``), in token offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import LOWER, ORTH, SENT_START, SPACY

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
    rules ask for tens of thousands of times on a long document. It is joined here from the
    ``ORTH`` and ``SPACY`` arrays, without a ``Token`` per token.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Iran and  Pakistan.\\n\\n ")
    >>> doc_text(doc) == doc.text
    True
    """
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None or cached[0] != len(doc):
        orths, spaces = token_columns(doc, [ORTH, SPACY])
        pieces = [text + " " if space else text for text, space in zip(_strings(doc, orths), spaces)]
        cached = doc.user_data[_TEXT_KEY] = (len(doc), "".join(pieces))
    return str(cached[1])


_TEXT_KEY = "ipkg_text"


def _strings(doc: "Doc", hashes: list[int]) -> list[str]:
    """The strings of ``hashes``, looked up in a dict kept across Docs (a hash names the same
    string in every vocab), which is cheaper than the ``StringStore`` per token."""
    known = _STRINGS
    try:
        return [known[h] for h in hashes]
    except KeyError:
        strings = doc.vocab.strings
        for h in hashes:
            if h not in known:
                known[h] = strings[h]
        return [known[h] for h in hashes]


_STRINGS: dict[int, str] = {}


def token_texts(doc: "Doc") -> list[str]:
    """Every token's text (its ``ORTH``), read from one array of the Doc: cheaper than making
    a ``Token`` for each.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Iran's envoy\\n met  Dar.")
    >>> token_texts(doc) == [t.text for t in doc]
    True
    """
    return _strings(doc, doc.to_array(ORTH).tolist()) if len(doc) else []


def token_lowers(doc: "Doc") -> list[str]:
    """Every token's ``lower_``, read from one array of the Doc.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Iran's Envoy MET Dar.")
    >>> token_lowers(doc) == [t.lower_ for t in doc]
    True
    """
    return _strings(doc, doc.to_array(LOWER).tolist()) if len(doc) else []


def token_columns(doc: "Doc", attrs: list[int]) -> list[list[int]]:
    """The columns of ``doc.to_array(attrs)``, one flat list per attribute: reading a column
    costs no ``Token`` per token and no row list per token.

    Examples
    --------
    >>> import spacy
    >>> from spacy.attrs import IS_ALPHA, SPACY
    >>> doc = spacy.blank("en")("Iran's envoy met Dar.")
    >>> token_columns(doc, [IS_ALPHA, SPACY]) == [[t.is_alpha for t in doc], [bool(t.whitespace_) for t in doc]]
    True
    """
    if not len(doc):
        return [[] for _ in attrs]
    table = doc.to_array(attrs).reshape(len(doc), len(attrs))
    return [table[:, k].tolist() for k in range(len(attrs))]


def sentence_bounds(doc: "Doc") -> list[tuple[int, int]]:
    """``(start, end)`` of each of ``doc.sents``, in token offsets, without making a ``Span``
    for each.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> doc = nlp("Iran and Pakistan met. They agreed.")
    >>> sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]
    True
    """
    if not len(doc) or not doc.has_annotation("SENT_START") or "sents" in doc.user_hooks:
        return [(s.start, s.end) for s in doc.sents]
    flags = doc.to_array(SENT_START)
    flags[0] = 1
    starts = numpy.flatnonzero(flags == 1).tolist()
    return list(zip(starts, starts[1:] + [len(doc)]))
