"""Sentence boundaries for web text: every line break ends a sentence, and so does final
punctuation outside parentheses (and the citation marks glued to it), unless the next word
starts in lower case."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .cleaner import junk_mask

__all__ = ["Sentencizer"]

_FINAL = {".", "!", "?", "…"}
_CLOSE = {'"', "”", "’", "'", ")", "]"}
_OPEN = {'"', "“", "‘", "'", "(", "["}


class Sentencizer:
    """spaCy component that sets ``token.is_sent_start`` for every token."""

    def __init__(self, nlp: Language, name: str = "ipkg_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        junk = junk_mask(doc)
        # Collected and set in one from_array: ``token.is_sent_start = ...`` scans the whole Doc
        # for a parse on every call, which made long documents quadratic.
        starts = [False] * len(doc)
        depth = 0
        boundary = True
        start_at = -1
        for i, tok in enumerate(doc):
            if i == start_at:
                boundary = True
            if tok.is_space:
                starts[i] = boundary
                if "\n" in tok.text:
                    boundary, depth = True, 0
                continue
            starts[i] = boundary
            boundary = False
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth = max(0, depth - 1)
            if "\n" in tok.whitespace_:
                boundary, depth = True, 0
                continue
            if tok.text in _FINAL and depth == 0:
                j = i + 1
                while j < len(doc) and (doc[j].text in _CLOSE or junk[j]) and not doc[j - 1].whitespace_:
                    j += 1
                if j < len(doc):
                    nxt = doc[j]
                    if nxt.is_space or nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.text in _OPEN:
                        start_at = j
        values = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], values.reshape(-1, 1))  # type: ignore[arg-type]
        return doc
