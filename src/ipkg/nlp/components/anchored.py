"""A ``Matcher`` that tries its patterns only where they can start.

spaCy's ``Matcher`` starts every pattern at every token and calls a Python predicate for each
``IN`` list it meets. Trigger patterns all open with a required word, which occurs at a few
tokens in a hundred: :class:`AnchoredMatcher` splits each pattern by the alternatives of its
first word, keeps the patterns of one word in a ``Matcher`` of their own and runs it on the
tokens from an occurrence of the word to the last token a match starting there can reach (or
look at), unless the next token is none of the words the patterns of the word need there. The matches are the ones the plain ``Matcher`` of the patterns finds, and for any one
start in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy
from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["AnchoredMatcher", "split_first_token"]


def split_first_token(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """One pattern per alternative of a required first token (``{"LOWER": {"IN": [...]}}``),
    each with an exact ``LOWER`` value; any other pattern is returned as it is.

    The patterns together match what ``pattern`` matches: a token has one lower-case form, so
    at most one of them gets past the first token.

    Examples
    --------
    >>> split_first_token([{"LOWER": {"IN": ["met", "meets"]}}, {"LOWER": {"IN": ["with"]}, "OP": "?"}])
    [[{'LOWER': 'met'}, {'LOWER': {'IN': ['with']}, 'OP': '?'}], [{'LOWER': 'meets'}, {'LOWER': {'IN': ['with']}, 'OP': '?'}]]
    >>> split_first_token([{"IS_TITLE": True}])
    [[{'IS_TITLE': True}]]
    """
    first = pattern[0] if pattern else {}
    lower = first.get("LOWER") if set(first) == {"LOWER"} else None
    if not isinstance(lower, dict) or set(lower) != {"IN"} or not lower["IN"]:
        return [pattern]
    return [[{"LOWER": word}, *pattern[1:]] for word in dict.fromkeys(lower["IN"])]


def _second_words(pattern: list[dict[str, Any]]) -> list[str] | None:
    """The words one of which must follow the first token of ``pattern`` (``None`` when the
    second token is optional, is not a word or a list of words, or there is none)."""
    spec = pattern[1] if len(pattern) > 1 else {}
    lower = spec.get("LOWER") if set(spec) == {"LOWER"} else None
    if isinstance(lower, str):
        return [lower]
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return list(lower["IN"])
    return None


def _reach(pattern: list[dict[str, Any]], free: dict[str, Any]) -> int | None:
    """How many tokens other than those matching ``free`` a match of ``pattern`` can span;
    ``None`` when there is no bound."""
    total = 0
    for spec in pattern:
        op = spec.get("OP", "1")
        rest = {k: v for k, v in spec.items() if k != "OP"}
        if rest == free:
            continue
        if op in ("1", "!", "?"):
            total += 1
        elif op.startswith("{") and op.endswith("}") and op[1:-1].split(",")[-1].strip().isdigit():
            total += int(op[1:-1].split(",")[-1])
        else:
            return None
    return total


class AnchoredMatcher:
    """The ``Matcher`` of ``patterns`` (match key = the pattern's index in ``patterns``).

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
    patterns : sequence of list of dict
        ``Matcher`` patterns.
    extension : str, optional
        A boolean token extension whose ``True`` tokens a pattern may take any number of with a
        ``{"_": {extension: True}, "OP": "*"}`` token; the other tokens bound how far a match
        can reach.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> patterns = [[{"LOWER": {"IN": ["met", "meets"]}}, {"LOWER": "with", "OP": "?"}], [{"LOWER": "was"}, {"LOWER": {"IN": ["met", "seen"]}}]]
    >>> doc = nlp("They met with him, was met and meets us, as was he")
    >>> AnchoredMatcher(nlp.vocab, patterns)(doc, [False] * len(doc))
    [(0, 1, 2), (0, 1, 3), (1, 5, 7), (0, 6, 7), (0, 8, 9)]
    >>> plain = Matcher(nlp.vocab)
    >>> for key, pattern in enumerate(patterns):
    ...     plain.add(str(key), [pattern])
    >>> sorted((int(nlp.vocab.strings[k]), s, e) for k, s, e in plain(doc)) == sorted(AnchoredMatcher(nlp.vocab, patterns)(doc, [False] * len(doc)))
    True
    """

    def __init__(self, vocab: Vocab, patterns: Sequence[list[dict[str, Any]]], extension: str | None = None) -> None:
        self.vocab = vocab
        self.free: dict[str, Any] = {"_": {extension: True}} if extension else {}
        self.keys = {vocab.strings.add(str(key)): key for key in range(len(patterns))}
        self.whole: Matcher | None = None
        self.by_word: dict[int, tuple[Matcher, int | None, frozenset[int] | None]] = {}
        splits = [(key, split) for key, pattern in enumerate(patterns) for split in split_first_token(pattern)]
        if not all(split and set(split[0]) == {"LOWER"} and isinstance(split[0]["LOWER"], str) for _, split in splits):
            self.whole = Matcher(vocab)
            for key, pattern in enumerate(patterns):
                self.whole.add(str(key), [pattern])
            return
        grouped: dict[str, list[tuple[int, list[dict[str, Any]]]]] = {}
        for key, split in splits:
            grouped.setdefault(split[0]["LOWER"], []).append((key, split))
        for word, members in grouped.items():
            matcher = Matcher(vocab)
            reach: int | None = 0
            second: set[int] | None = set()
            for key, split in members:
                matcher.add(str(key), [split])
                r = _reach(split, self.free)
                reach = None if r is None or reach is None else max(reach, r)
                words = _second_words(split)
                second = None if words is None or second is None else second | {vocab.strings.add(w) for w in words}
            self.by_word[vocab.strings.add(word)] = (matcher, reach, frozenset(second) if second is not None else None)

    def __call__(self, doc: Doc, free: Sequence[bool]) -> list[tuple[int, int, int]]:
        """``(key, start, end)`` of every match in ``doc``, by start.

        Parameters
        ----------
        doc : Doc
        free : sequence of bool
            Per token, the value of the extension (all False without one).
        """
        if self.whole is not None:
            return [(self.keys[k], s, e) for k, s, e in self.whole(doc)]
        n = len(doc)
        lowers = doc.to_array(LOWER).tolist() if n else []
        counted = numpy.concatenate(([0], numpy.cumsum(~numpy.asarray(free, dtype=bool)))) if n else numpy.zeros(1)
        out: list[tuple[int, int, int]] = []
        for s, lower in enumerate(lowers):
            group = self.by_word.get(lower)
            if group is None:
                continue
            matcher, reach, second = group
            if second is not None and (s + 1 == n or lowers[s + 1] not in second):
                continue
            stop = n if reach is None else min(n, int(numpy.searchsorted(counted, counted[s] + reach + 1, side="left")))
            for k, start, end in matcher(doc[s:stop]):
                if start == 0:
                    out.append((self.keys[k], s, s + end))
        return out
