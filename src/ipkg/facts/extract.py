"""An annotated ``Doc`` -> the facts it supports, with evidence offsets into the original file."""

from __future__ import annotations

from dataclasses import replace

import numpy
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc, Span, Token

from ..ingest.readers import TextRecord
from ..nlp.annotations import Mention, doc_text, sentence_bounds, token_columns
from ..nlp.components.cleaner import junk_mask
from ..resources import load_gazetteer
from .model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, Passage, PositionFact, QuoteFact

__all__ = ["doc_to_facts", "merge_parts"]


def _ref(m: Mention) -> ActorRef:
    return ActorRef(m.key, m.label, m.type, m.surface)


def _evidence(record: TextRecord, sent: Span) -> Evidence:
    """The sentence without leading citation marks or space, with offsets into the file."""
    junk = Token.has_extension("ipkg_junk")
    first = next((t for t in sent if not t.is_space and not (junk and t._.ipkg_junk)), sent[0])
    body = doc_text(sent.doc)[first.idx : sent.end_char].rstrip()
    start = record.offset + first.idx
    return Evidence(record.doc_id, body, start, start + len(body))


def _sentence_count(doc: Doc) -> int:
    """The sentences with a token that is neither space nor junk, read from arrays of the Doc.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> _sentence_count(nlp("Iran and Pakistan met. \\n\\n They agreed."))
    2
    """
    if not len(doc):
        return 0
    words = ~numpy.asarray(token_columns(doc, [IS_SPACE])[0], dtype=bool) & ~numpy.asarray(junk_mask(doc), dtype=bool)
    counted = numpy.concatenate(([0], numpy.cumsum(words))).tolist()
    return sum(1 for a, b in sentence_bounds(doc) if counted[b] > counted[a])


def doc_to_facts(doc: Doc, record: TextRecord) -> DocumentFacts:
    """Collect the facts of an annotated ``Doc``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A Doc that went through the ipkg pipeline.
    record : TextRecord
        The record it was made from (document id, file offset, metadata).

    Returns
    -------
    DocumentFacts

    Examples
    --------
    >>> from ipkg.nlp import build_nlp, record_to_doc
    >>> from ipkg.ingest import TextRecord
    >>> nlp = build_nlp()
    >>> rec = TextRecord("d1", "d1.txt", "Iran was the first country to recognize Pakistan in 1947.")
    >>> facts = doc_to_facts(nlp(record_to_doc(nlp, rec)), rec)
    >>> [(e.kind, e.actors[0].label, e.targets[0].label, e.date) for e in facts.events]
    [('recognition', 'Iran', 'Pakistan', '1947')]
    >>> facts.events[0].evidence.start, facts.events[0].evidence.end
    (0, 57)
    """
    gaz = load_gazetteer()
    out = DocumentFacts(
        doc_id=record.doc_id,
        path=record.path,
        title=record.title,
        url=record.url,
        kind=record.kind,
        published=record.published.isoformat() if record.published else None,
    )
    out.sentences = _sentence_count(doc)
    seen = set()
    for m in doc._.ipkg_mentions or []:
        ref = _ref(m)
        if ref not in seen:
            seen.add(ref)
            out.actors.append(ref)
    index: dict[int, int] = {}
    for ev in doc._.ipkg_events or []:
        sent = doc[ev.start].sent
        place = _ref(ev.place) if ev.place else None
        denies = index.get(id(ev.denies)) if ev.denies is not None else None
        index[id(ev)] = len(out.events)
        out.events.append(
            EventFact(
                ev.kind,
                tuple(_ref(a) for a in ev.actors),
                tuple(_ref(t) for t in ev.targets),
                _evidence(record, sent),
                place,
                ev.date,
                ev.end_date,
                ev.casualties,
                denies,
            )
        )
    for p in doc._.ipkg_positions or []:
        sent = doc[p.start].sent
        org = None
        if p.org and p.org in gaz.entries:
            e = gaz.entries[p.org]
            org = ActorRef(e.iri, e.label, e.type, e.label)
        date = next((d.iso for d in doc._.ipkg_dates or [] if sent.start_char <= d.start < sent.end_char and d.iso and not d.adjectival), None)
        if date is None and p.status == "current" and record.published:
            date = record.published.isoformat()
        if p.status == "former":
            date = None
        out.positions.append(PositionFact(_ref(p.person), p.office, p.office_label, org, p.status, _evidence(record, sent), date))
    for q in doc._.ipkg_quotes or []:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        sent = doc[span.start].sent if span is not None and len(span) else doc[0].sent
        out.quotes.append(QuoteFact(_ref(q.speaker), q.text, _evidence(record, sent), record.offset + q.start, record.offset + q.end, q.date))
    for f in doc._.ipkg_figures or []:
        span = doc.char_span(f.start, f.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        out.figures.append(FigureFact(f.label, f.value, f.unit, _evidence(record, doc[span.start].sent), f.date))
    for s in doc.spans.get("ipkg_junk", []):
        if s.label_.startswith("lang:") or s.label_ in ("link-list", "footer", "toc", "boilerplate", "embed"):
            out.passages.append(Passage(s.label_, record.offset + s.start_char, record.offset + s.end_char, s.text))
    return out


def merge_parts(parts: list[DocumentFacts]) -> DocumentFacts:
    """One document's facts from the facts of its parts (see :func:`ipkg.ingest.split_record`).

    Lists are concatenated in order, actors named in several parts are listed once, and an
    event's ``denies`` index is shifted to point into the merged event list.

    Examples
    --------
    >>> from ipkg.facts.model import ActorRef, EventFact, Evidence
    >>> iran = ActorRef("x:Iran", "Iran", "Country", "Iran")
    >>> ev = lambda n: EventFact("deny", (iran,), (), Evidence("d", "s", n, n + 1), denies=0)
    >>> a = DocumentFacts("d", "d.txt", sentences=2, actors=[iran], events=[ev(0), ev(1)])
    >>> b = DocumentFacts("d", "d.txt", sentences=3, actors=[iran], events=[ev(5)])
    >>> m = merge_parts([a, b])
    >>> m.sentences, len(m.actors), [e.denies for e in m.events]
    (5, 1, [0, 0, 2])
    """
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    out = DocumentFacts(first.doc_id, first.path, first.title, first.url, first.kind, first.published)
    for part in parts:
        out.sentences += part.sentences
        shift = len(out.events)
        out.events.extend(e if e.denies is None else replace(e, denies=e.denies + shift) for e in part.events)
        out.actors.extend(a for a in part.actors if a not in out.actors)
        out.positions.extend(part.positions)
        out.quotes.extend(part.quotes)
        out.figures.extend(part.figures)
        out.passages.extend(part.passages)
    return out
