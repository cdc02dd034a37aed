"""Mark the parts of a web page that carry no facts, without changing the text.

The Doc keeps the original text, so every offset still points into the file; junk is recorded in
``doc.spans["ipkg_junk"]`` (label = reason) and ``token._.ipkg_junk``, and later components skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ...resources import load_boilerplate
from ..annotations import doc_text

__all__ = ["Cleaner", "classify_lines", "detect_script_language", "junk_mask"]

JUNK_KEY = "ipkg_junk"
_CITATION = re.compile(r"\[(?:\d+(?:[,–-]\d+)*|citation needed|note \d+|[a-z])\]")
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+\S")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_EMBED = re.compile(r"^\s*[—–-]\s*.*\(@\w+\)")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NONLATIN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF\u0400-\u04FF\u0900-\u097F\u4E00-\u9FFF]")
_URDU = re.compile(r"[ٹڈڑںےۓ]")
_PERSIAN = re.compile(r"[پچژگیک]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


def detect_script_language(text: str) -> str:
    """Guess the language of a non-Latin passage from its letters.

    Examples
    --------
    >>> detect_script_language("امروز به پاکستان سفر میکنم")
    'fa'
    >>> detect_script_language("یہ ایک ٹیسٹ ہے")
    'ur'
    """
    if _URDU.search(text):
        return "ur"
    if _PERSIAN.search(text):
        return "fa"
    if _ARABIC.search(text):
        return "ar"
    return "und"


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def _words(s: str) -> int:
    return len(s.split())


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(_CITATION.sub("", line)))


def _is_content(line: str) -> bool:
    return _words(line) >= 8 and _ends_sentence(line)


def classify_lines(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, reason)`` character ranges of ``text`` that carry no facts.

    Reasons: ``boilerplate``, ``link-list``, ``toc``, ``footer``, ``embed``, ``citation``,
    ``repeat`` (a paragraph the page already showed) and ``lang:xx`` for a passage in another
    language.

    Examples
    --------
    >>> text = "A real sentence about Iran and Pakistan that is long enough.\\n- Nia Peeples Husband\\n- Al Horford Wife\\n"
    >>> classify_lines(text)
    [(61, 82, 'link-list'), (83, 100, 'link-list')]
    """
    patterns = load_boilerplate()
    lines = _lines(text)
    reasons: dict[int, str] = {}
    headings = {ln.text.strip().lower() for ln in lines if ln.text.strip() and not _ends_sentence(ln.text)}
    after_toc = False
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.text.strip()
        if not s:
            i += 1
            continue
        if _words(s) >= 8 and s in seen:
            reasons[i] = "repeat"
            i += 1
            continue
        seen.add(s)
        letters_latin = len(_LATIN.findall(s))
        letters_other = len(_NONLATIN.findall(s))
        if any(p.fullmatch(s) for p in patterns):
            reasons[i] = "boilerplate"
            after_toc = s.lower().rstrip(":") in ("table of contents", "contents")
        elif letters_other > letters_latin:
            reasons[i] = "lang:" + detect_script_language(s)
        elif _EMBED.match(s):
            reasons[i] = "embed"
        elif _LIST_ITEM.match(s):
            j = i
            while j < len(lines) and _LIST_ITEM.match(lines[j].text):
                j += 1
            items = [re.sub(r"^\s*(?:[-–•*]|\d+[.)])\s+", "", lines[k].text).strip() for k in range(i, j)]
            if all(_words(it) <= 8 and not _ends_sentence(it) for it in items):
                later = sum(it.lower() in headings for it in items)
                reason = "toc" if after_toc or later * 2 >= len(items) else "link-list"
                for k in range(i, j):
                    reasons[k] = reason
            after_toc = False
            i = j
            continue
        else:
            after_toc = False
        i += 1
    last_content = max((k for k, ln in enumerate(lines) if _is_content(ln.text) and k not in reasons), default=-1)
    for k in range(last_content + 1, len(lines) if last_content >= 0 else 0):
        if lines[k].text.strip() and k not in reasons:
            reasons[k] = "footer"
    out = [(lines[k].start + (len(lines[k].text) - len(lines[k].text.lstrip())), lines[k].end, r) for k, r in sorted(reasons.items())]
    for k, ln in enumerate(lines):
        if k in reasons:
            continue
        for m in _CITATION.finditer(ln.text):
            out.append((ln.start + m.start(), ln.start + m.end(), "citation"))
    return sorted(out)


class Cleaner:
    """spaCy component: marks link spam, footers, tables of contents, boilerplate, citation
    marks and foreign-language passages as ``doc.spans["ipkg_junk"]``."""

    def __init__(self, nlp: Language, name: str = "ipkg_cleaner") -> None:
        self.name = name
        if not Token.has_extension("ipkg_junk"):
            Token.set_extension("ipkg_junk", default=False)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        mask = [False] * len(doc)
        for start, end, reason in classify_lines(doc_text(doc)):
            span = doc.char_span(start, end, label=reason, alignment_mode="expand")
            if span is None or not len(span):
                continue
            spans.append(span)
            for tok in span:
                tok._.ipkg_junk = True
            mask[span.start : span.end] = [True] * len(span)
        doc.spans[JUNK_KEY] = spans
        doc.user_data[_MASK_KEY] = mask
        return doc


def junk_mask(doc: Doc) -> list[bool]:
    """One flag per token: True where the cleaner marked it (all False if it did not run).

    Every later component asks; the cleaner keeps the mask in ``doc.user_data`` (nothing changes
    the marks after it), else it is read from the tokens once per Doc and kept there.
    """
    if not Token.has_extension("ipkg_junk"):
        return [False] * len(doc)
    cached = doc.user_data.get(_MASK_KEY)
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data[_MASK_KEY] = [t._.ipkg_junk for t in doc]
    return cached


_MASK_KEY = "ipkg_junk_mask"


def junk_spans(doc: Doc) -> list[Span]:
    """The junk spans the cleaner marked (empty if it did not run)."""
    return list(doc.spans.get(JUNK_KEY, []))
