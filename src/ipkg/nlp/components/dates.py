"""Date expressions -> ISO 8601 at the precision the text gives.

Full dates, day ranges, month-year, years, months or days without a year (anchored on the last
year the same paragraph named, else on the document's publication date, else on the last year
the narrative named), weekdays and relative
expressions (anchored on the publication date only). Nothing is invented: a day is never added to
a month, and an expression that cannot be anchored stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..annotations import doc_text
from .cleaner import junk_mask

__all__ = ["DateMention", "find_dates", "DateRecognizer"]

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_M = r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_Y = r"(?P<y>(?:1[89]|20)\d\d)"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_D2 = r"(?:\s*[-–—]\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_PATTERNS = [
    ("mdy", re.compile(rf"\b{_M}\s+{_D}{_D2},?\s+{_Y}\b")),
    ("dmy", re.compile(rf"\b{_D}{_D2}\s+{_M},?\s+{_Y}\b")),
    ("my", re.compile(rf"\b{_M},?\s+{_Y}\b")),
    ("md", re.compile(rf"\b{_M}\s+{_D}{_D2}\b(?![,]?\s*\d)")),
    ("dm", re.compile(rf"\b{_D}{_D2}\s+{_M}\b(?![,]?\s*\d)")),
    ("qy", re.compile(rf"\b(?P<q>early|mid|late)[- ]{_Y}\b", re.IGNORECASE)),
    ("y", re.compile(rf"(?<![\d$£€./-]){_Y}(?![\d%s-]|\s*(?:percent|people|tons|troops|personnel))")),
    ("m", re.compile(rf"(?:\b(?i:in|since|during|by|until|last|this|next|early|late|mid)\s+){_M}\b(?![,]?\s*\d)")),
    ("wd", re.compile(r"\b(?i:on|last|this|since)\s+(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel", re.compile(r"\b(?P<r>yesterday|today|last year|this year|earlier this year|last month|this month|earlier this month)\b", re.IGNORECASE)),
]
_YEAR_BEFORE = re.compile(r"(?:\bin|\bsince|\bby|\bof|\buntil|\bduring|\bfrom|\bto|\bearly|\blate|\bmid|\ba|\bthe|\bIn|\bSince|\bBy|\bDuring|\bFrom|\bUntil|,|\()\s*$")
_ADJECTIVAL_BEFORE = re.compile(r"(?:'s|’s|\bthe|\ba|\ban|\bThe|\bA)\s+$")


@dataclass
class DateMention:
    """A date expression: character offsets, ISO value (``None`` when unresolved), end of range."""

    start: int
    end: int
    text: str
    iso: str | None
    end_iso: str | None = None
    adjectival: bool = False


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
    if m is not None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _anchor_year(m: int, d: int | None, published: dt.date | None, narrative: int | None) -> int | None:
    if published is not None:
        year = published.year
        probe = dt.date(year, m, min(d or 1, 28))
        if probe > published + dt.timedelta(days=31):
            year -= 1
        return year
    return narrative


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Find and normalise the date expressions of ``text``.

    Parameters
    ----------
    text : str
        The document text.
    published : datetime.date, optional
        The publication date that anchors weekdays, relative dates and dates without a year.

    Returns
    -------
    list of DateMention
        In text order, without overlaps (the longest expression wins).

    Examples
    --------
    >>> [d.iso for d in find_dates("Pezeshkian visited Pakistan on August 2-3, 2025.")]
    ['2025-08-02']
    >>> [(d.iso, d.end_iso) for d in find_dates("Around June 22–23, 2025, Sharif telephoned.")]
    [('2025-06-22', '2025-06-23')]
    >>> [d.iso for d in find_dates("In November 2024 they met; in 1947 Iran recognised it.")]
    ['2024-11', '1947']
    >>> [d.iso for d in find_dates("They met on Tuesday.", dt.date(2025, 11, 27))]
    ['2025-11-25']
    >>> [d.iso for d in find_dates("On January 18, the President invited him.", dt.date(2026, 2, 6))]
    ['2026-01-18']
    """
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    last_end = -1
    for f in found:
        if f[0] >= last_end:
            chosen.append(f)
            last_end = f[1]
    out: list[DateMention] = []
    narrative: int | None = None
    narrative_at = 0
    for start, end, kind, m in chosen:
        g = m.groupdict()
        in_paragraph = narrative if "\n" not in text[narrative_at:start] else None
        nearby = narrative
        before = text[max(0, start - 12) : start]
        iso = end_iso = None
        if kind in ("mdy", "dmy"):
            y, mo = int(g["y"]), _month(g["m"])
            iso = _iso(y, mo, int(g["d"]))
            end_iso = _iso(y, mo, int(g["d2"])) if g.get("d2") else None
            narrative = y
        elif kind == "my":
            narrative = int(g["y"])
            iso = _iso(narrative, _month(g["m"]))
        elif kind in ("md", "dm"):
            mo = _month(g["m"])
            year = in_paragraph or _anchor_year(mo, int(g["d"]), published, nearby)
            if year is not None:
                iso = _iso(year, mo, int(g["d"]))
                end_iso = _iso(year, mo, int(g["d2"])) if g.get("d2") else None
        elif kind == "qy":
            narrative = int(g["y"])
            iso = _iso(narrative)
        elif kind == "y":
            if not _YEAR_BEFORE.search(before) or re.search(r"(?:post|pre)-$", before):
                continue
            narrative = int(g["y"])
            iso = _iso(narrative)
        elif kind == "m":
            mo = _month(g["m"])
            year = in_paragraph or _anchor_year(mo, None, published, nearby)
            iso = _iso(year, mo) if year is not None else None
        elif kind == "wd" and published is not None:
            delta = (published.weekday() - WEEKDAYS[g["w"].lower()]) % 7
            iso = (published - dt.timedelta(days=delta)).isoformat()
        elif kind == "rel" and published is not None:
            r = g["r"].lower()
            if r == "yesterday":
                iso = (published - dt.timedelta(days=1)).isoformat()
            elif r == "today":
                iso = published.isoformat()
            elif r == "last year":
                iso = _iso(published.year - 1)
            elif r in ("this year", "earlier this year"):
                iso = _iso(published.year)
            elif r == "last month":
                first = published.replace(day=1) - dt.timedelta(days=1)
                iso = _iso(first.year, first.month)
            else:
                iso = _iso(published.year, published.month)
        if kind in ("mdy", "dmy", "my", "qy", "y"):
            narrative_at = end
        adjectival = bool(_ADJECTIVAL_BEFORE.search(text[max(0, start - 6) : start])) and kind != "rel"
        out.append(DateMention(start, end, text[start:end], iso, end_iso, adjectival))
    return out


class DateRecognizer:
    """spaCy component: finds date expressions, sets ``doc.spans["ipkg_dates"]`` (label = ISO
    value) and ``doc._.ipkg_dates`` (list of :class:`DateMention`). The publication date is read
    from ``doc._.ipkg_published`` when set."""

    def __init__(self, nlp: Language, name: str = "ipkg_dates") -> None:
        self.name = name
        for ext, default in (("ipkg_dates", None), ("ipkg_published", None)):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=default)

    def __call__(self, doc: Doc) -> Doc:
        mentions = []
        spans: list[Span] = []
        junk = junk_mask(doc)
        for d in find_dates(doc_text(doc), doc._.ipkg_published):
            span = doc.char_span(d.start, d.end, label=d.iso or "", alignment_mode="expand")
            if span is None or any(junk[span.start : span.end]):
                continue
            mentions.append(d)
            spans.append(span)
        doc._.ipkg_dates = mentions
        doc.spans["ipkg_dates"] = spans
        return doc
