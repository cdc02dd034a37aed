"""Sentence boundaries for web text: every line break ends a sentence, and so does final
punctuation outside parentheses (and the citation marks glued to it), unless the next word
starts in lower case."""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from ..annotations import token_texts
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
        n = len(doc)
        if not n:
            return doc
        junk = junk_mask(doc)
        texts = token_texts(doc)
        flags = doc.to_array([IS_SPACE, SPACY]).tolist()
        # Collected and set in one from_array: ``token.is_sent_start = ...`` scans the whole Doc
        # for a parse on every call, which made long documents quadratic.
        starts = [False] * n
        depth = 0
        boundary = True
        start_at = -1
        for i, text in enumerate(texts):
            if i == start_at:
                boundary = True
            if flags[i][0]:
                starts[i] = boundary
                if "\n" in text:
                    boundary, depth = True, 0
                continue
            starts[i] = boundary
            boundary = False
            if text == "(":
                depth += 1
            elif text == ")":
                depth = max(0, depth - 1)
            if text in _FINAL and depth == 0:
                j = i + 1
                while j < n and (texts[j] in _CLOSE or junk[j]) and not flags[j - 1][1]:
                    j += 1
                if j < n:
                    nxt = texts[j]
                    if flags[j][0] or nxt[:1].isupper() or nxt[:1].isdigit() or nxt in _OPEN:
                        start_at = j
        values = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], values.reshape(-1, 1))  # type: ignore[arg-type]
        return doc
