"""Direct quotations with their speakers, and the figures a text states."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ...resources import load_figure_words, load_gazetteer, load_speech_verbs, ontology_dir
from ..annotations import FigureMention, Mention, QuoteMention, doc_text, sentence_bounds
from .cleaner import junk_mask
from .event_matcher import _NUMBER_WORDS, ArgumentFinder

__all__ = ["RelationRules", "find_figures"]

_MULT = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_NUM = _DIGITS + "|" + "|".join(_NUMBER_WORDS)
_CURRENCY = r"(?P<cur>US\s?\$|USD|\$|Rs\.?|PKR)\s?(?P<num>" + _DIGITS + r")(?:\s*(?P<mult>billion|million|trillion|bn|mn)\b)?"
_COUNT = r"(?P<num>" + _NUM + r")(?:\s+(?P<mult>million|billion|thousand))?\s+(?P<adj>(?:[A-Za-z-]+\s+){0,2}?)(?P<noun>{nouns})\b(?P<of>\s+of\s+(?!(?:the|a|an|its|his|her|their|this|that|these|those)\b)[a-z]+)?"
_AUX = r"(?:who\s+)?(?:were|was|have\s+been|had\s+been|has\s+been|are|is|being|got)?\s*(?:all\s+|also\s+)?"
_NOT_ADJ = {"its", "his", "her", "their", "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "were", "was", "are", "is", "had", "have", "has"}
_HEDGE_BEFORE = r"(?:at\s+least|some|about|around|nearly|almost|more\s+than|over|up\s+to|another|all)"


def _number(raw: str) -> float:
    raw = raw.lower().replace(",", "")
    return float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class _FigureLexicon:
    """The regular expressions built from ``lexicon/figures.tsv``."""

    def __init__(self, words: tuple[tuple[str, str, str], ...]) -> None:
        by_class: dict[str, dict[str, str]] = {}
        for word, cls, value in words:
            by_class.setdefault(cls, {})[word.lower()] = value
        self.money = [(re.compile(rf"\b{re.escape(w)}\b"), v) for w, c, v in words if c == "money"]
        self.counts = by_class.get("count", {})
        self.fates = by_class.get("fate", {})
        per = by_class.get("per", {})
        self.per = {" ".join(k.split()): v for k, v in per.items()}
        self.amount = re.compile(_CURRENCY + (r"(?P<per>\s*(?:per|a|/)\s*(?P<perunit>" + _alternation(list(per)) + r")\b)?" if per else ""), re.IGNORECASE)
        self.count = re.compile(_COUNT.replace("{nouns}", _alternation(list(self.counts))), re.IGNORECASE) if self.counts else None
        fate = _alternation(list(self.fates)) or r"(?!x)x"
        self.fate_before = re.compile(rf"\b(?P<fate>{fate})\s+(?:{_HEDGE_BEFORE}\s+)?$", re.IGNORECASE)
        coordinated = rf"(?:\s*,?\s*and\s+(?:{_NUM})\s+(?:[A-Za-z-]+\s+){{0,2}}?[A-Za-z-]+)*"
        including = r"(?:\s*,\s*including\s[^,;]{0,80},)?"
        self.fate_after = re.compile(rf"^{coordinated}{including}\s*,?\s*{_AUX}(?P<fate>{fate})\b", re.IGNORECASE)
        self.fate_them = re.compile(rf"^[^,;.]{{0,90}}?\band\s+(?P<fate>{fate})\s+(?:them|all\s+of\s+them|both\s+of\s+them)\b", re.IGNORECASE)
        targets = [rf"\b(?:{_alternation([w])})\b[^.]{{0,60}}\b{re.escape(prep)}\s*$" for w, prep in by_class.get("target", {}).items()]
        self.target = re.compile("|".join(targets), re.IGNORECASE) if targets else None
        hedges = list(by_class.get("hedge", {}))
        self.hedge = re.compile(rf"\b(?:{_alternation(hedges)})\b", re.IGNORECASE) if hedges else None

    def hedged(self, text: str, start: int, end: int) -> bool:
        """Whether the clause holding ``text[start:end]`` is hedged ("reportedly", "unconfirmed")."""
        if self.hedge is None:
            return False
        left = max(text.rfind(c, 0, start) for c in ",;:")
        rights = [i for i in (text.find(c, end) for c in ",;:") if i >= 0]
        return bool(self.hedge.search(text, left + 1, min(rights) if rights else len(text)))

    def fate(self, before: str, after: str) -> str | None:
        """What happened to the people counted between ``before`` and ``after``."""
        m = self.fate_before.search(before) or self.fate_after.match(after) or self.fate_them.match(after)
        return self.fates[" ".join(m.group("fate").lower().split())] if m else None


def _nearest(keywords: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The label of the money keyword closest to an amount at ``start:end`` ("amount" if none);
    on a tie the keyword listed first in the lexicon wins."""
    best, label = None, "amount"
    for ks, ke, value in keywords:
        gap = start - ke if ke <= start else ks - end if ks >= end else 0
        if best is None or gap < best:
            best, label = gap, value
    return label


@lru_cache(maxsize=8)
def _quote_words(folder: str) -> dict[str, frozenset[str]]:
    """``lexicon/quotes.tsv`` by class: ``issued`` (statement, speech) and ``title`` (titled)."""
    path = Path(folder) / "lexicon" / "quotes.tsv"
    out: dict[str, set[str]] = {"issued": set(), "title": set()}
    if path.exists():
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            out.setdefault(row["class"], set()).add(row["word"].lower())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=8)
def _lexicon(words: tuple[tuple[str, str, str], ...]) -> _FigureLexicon:
    return _FigureLexicon(words)


def find_figures(text: str, words: tuple[tuple[str, str, str], ...]) -> list[FigureMention]:
    """Money, prices, counts and percentages stated in ``text`` (one sentence).

    People are counted only with what happened to them ("killed two children", "three others
    were injured") or as a population (millions); troops are ``personnel`` unless killed or hurt.
    A number in a hedged clause ("reportedly", "unconfirmed") is not a figure.

    Examples
    --------
    >>> from ipkg.resources import load_figure_words
    >>> w = load_figure_words()
    >>> [(f.label, f.value, f.unit) for f in find_figures("Bilateral trade stands at around US$ 2.8 billion.", w)]
    [('bilateral trade', 2800000000.0, 'USD')]
    >>> [(f.label, f.value, f.unit) for f in find_figures("They agreed to pay US$4.93 per million BTUs.", w)]
    [('price', 4.93, 'USD/MMBtu')]
    >>> [(f.label, f.value, f.unit) for f in find_figures("around 40,000 personnel were stationed", w)]
    [('personnel', 40000.0, 'personnel')]
    >>> [(f.label, f.value, f.unit) for f in find_figures("The blast killed four officers and injured two porters.", w)]
    [('officers killed', 4.0, 'person')]
    """
    lex = _lexicon(words)
    out: list[FigureMention] = []
    keywords: list[tuple[int, int, str]] | None = None
    taken: list[tuple[int, int]] = []
    for m in lex.amount.finditer(text):
        if keywords is None:
            lower = text.lower()
            keywords = [(k.start(), k.end(), v) for rx, v in lex.money for k in rx.finditer(lower)]
        value = _number(m.group("num")) * _MULT.get((m.group("mult") or "").lower(), 1)
        cur = "PKR" if m.group("cur").startswith(("Rs", "PKR")) else "USD"
        money_label = _nearest(keywords, m.start(), m.end())
        unit, label = cur, money_label
        if m.groupdict().get("per"):
            per = lex.per[" ".join(m.group("perunit").lower().split())]
            unit = f"{cur}/{per}"
            label = money_label if per == "day" else "price"
        elif lex.target is not None and lex.target.search(text[: m.start()]):
            label = f"{money_label} target"
        out.append(FigureMention(label, value, unit, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    if lex.count is None:
        return out
    for m in lex.count.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.start() > 0 and (text[m.start() - 1] in "$-/." or text[m.start() - 1].isalnum()):
            continue
        if re.fullmatch(r"1[89]\d\d|20\d\d", m.group("num")) or any(w.lower() in _NOT_ADJ for w in m.group("adj").split()):
            continue
        noun = m.group("noun").lower()
        unit = lex.counts[" ".join(noun.split())]
        value = _number(m.group("num")) * _MULT.get((m.group("mult") or "").lower(), 1)
        adj = " ".join(w for w in m.group("adj").split() if not w[:1].isupper())
        label = "percent" if unit == "percent" else f"{adj} {noun}".strip()
        if unit in ("person", "personnel"):
            fate = lex.fate(text[: m.start()], text[m.end() :])
            if fate is not None:
                unit, label = "person", f"{label} {fate}"
            elif unit == "person" and value < 1e6:
                continue
        elif m.group("of") and unit != "percent":
            label += m.group("of")
        out.append(FigureMention(label, value, unit, m.start(), m.end()))
    return sorted((f for f in out if not lex.hedged(text, f.start, f.end)), key=lambda f: f.start)


class RelationRules(ArgumentFinder):
    """spaCy component: sets ``doc._.ipkg_quotes`` and ``doc._.ipkg_figures``."""

    def __init__(self, nlp: Language, name: str = "ipkg_relations", *, ontology: str | None = None, min_quote_words: int = 5) -> None:
        self.name = name
        folder = ontology or str(ontology_dir())
        self.gaz = load_gazetteer(folder)
        self.speech = load_speech_verbs(folder)
        words = _quote_words(folder)
        self.speech_nouns = words["issued"]
        self.title_words = words["title"]
        self.figure_words = load_figure_words(folder)
        self.min_quote_words = min_quote_words
        for ext in ("ipkg_quotes", "ipkg_figures"):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=None)

    def __call__(self, doc: Doc) -> Doc:
        self._setup(doc)
        junk = junk_mask(doc)
        doc._.ipkg_quotes = self._quotes(doc, junk)
        figures: list[FigureMention] = []
        seen: set[tuple[str, float, str]] = set()
        text = doc_text(doc)
        spaces = doc.to_array(IS_SPACE).tolist() if len(doc) else []
        for a, b in sentence_bounds(doc):
            if all(junk[i] for i in range(a, b) if not spaces[i]):
                continue
            sent = doc[a:b]
            date = self._figure_date(sent)
            for f in find_figures(text[sent.start_char : sent.end_char], self.figure_words):
                f.start += sent.start_char
                f.end += sent.start_char
                span = doc.char_span(f.start, f.end, alignment_mode="expand")
                if span is None or any(junk[t.i] for t in span) or (f.label, f.value, f.unit) in seen:
                    continue
                seen.add((f.label, f.value, f.unit))
                f.date = date if f.unit != "person" else None
                figures.append(f)
        doc._.ipkg_figures = figures
        return doc

    def _figure_date(self, sent: Span) -> str | None:
        """The sentence's date when the text spells out its year; a date resolved from
        "on Monday" dates the report, not the figure, and would split one figure told by two
        documents into two."""
        for span, iso, _end, adjectival in self._dates:
            if sent.start <= span.start < sent.end and iso and not adjectival and re.search(r"\b\d{4}\b", span.text):
                return iso
        return None

    def _sentence_date(self, sent: Span) -> str | None:
        for span, iso, _end, adjectival in self._dates:
            if sent.start <= span.start < sent.end and iso and not adjectival:
                return iso
        return None

    def _is_speech(self, t: Token) -> bool:
        return t.lower_ in self.speech

    def _paragraph_person(self, doc: Doc, before: int) -> Mention | None:
        """The person "he said" refers to: the last one named in the paragraph before token
        ``before`` as the subject of a sentence, else the last one named there at all."""
        para_start = doc_text(doc).rfind("\n", 0, doc[before].idx) + 1
        cands = [m for m in self._mentions if m.type == "Person" and m.end <= before and doc[m.start].idx >= para_start]
        subjects = [m for m in cands if self._clause_subject(doc, doc[m.start].sent, m.end) is m]
        return subjects[-1] if subjects else cands[-1] if cands else None

    def _definite(self, doc: Doc, k: int, limit: int) -> Mention | None:
        """ "the ministry said", "the spokesperson said" at token ``k``: the last actor mentioned
        before ``limit`` whose name contains the noun, else whose mention ("Foreign Office
        spokesperson Mumtaz Zahra Baloch") does."""
        if k >= len(doc) or doc[k].lower_ != "the":
            return None
        if k + 1 < len(doc) and doc[k + 1].text in self._demonyms():
            described = self._described(doc, k + 1)
            if described is not None and described.end <= limit:
                return described  # "the Pakistani minister told reporters"
        j = k + 1
        while j < min(len(doc), k + 4) and doc[j].is_alpha and not self._is_speech(doc[j]) and doc[j].text[:1].islower():
            j += 1
        if j == k + 1 or j >= len(doc) or not self._is_speech(doc[j]):
            return None
        noun = doc[j - 1].lower_
        earlier = [m for m in reversed(self._mentions) if m.end <= limit and m.type not in ("Place", "Project", "State")]
        for name in (lambda m: f"{m.label} {m.surface}", lambda m: doc[m.start : m.end].text):
            found = next((m for m in earlier if noun in re.findall(r"[a-z]+", name(m).lower())), None)
            if found is not None:
                return found
        return None

    def _after_name(self, doc: Doc, j: int, hi: int) -> int:
        """Skip "in Islamabad", ", who arrived on Monday," and adverbs between a speaker and the
        verb."""
        while j < hi:
            if doc[j].lower_ in ("in", "from", "at") and (j + 1) in self._start_at and self._start_at[j + 1].type == "Place":
                j = self._start_at[j + 1].end
            elif doc[j].lower_ in ("also", "later", "then") or (doc[j].lower_.endswith("ly") and doc[j].is_alpha and len(doc[j]) > 4):
                j += 1
            elif doc[j].text == "," and j + 1 < hi and doc[j + 1].lower_ in ("who", "whose"):
                close = next((c for c in range(j + 2, min(hi, j + 20)) if doc[c].text == ","), None)
                if close is None:
                    break
                j = close + 1
            else:
                break
        return j

    def _according_to(self, doc: Doc, lo: int, hi: int) -> Mention | None:
        """ "according to Pakistan's Foreign Office", "according to a statement from X's office"."""
        for i in range(lo, hi - 2):
            if doc[i].lower_ == "according" and doc[i + 1].lower_ == "to":
                for j in range(i + 2, min(hi, i + 8)):
                    if j in self._start_at and self._start_at[j].type not in ("Place", "Project"):
                        return self._start_at[j]
                    if doc[j].text in (",", ".", ";") or (doc[j].is_alpha and not doc[j].is_lower and j not in self._start_at and doc[j].lower_ not in ("the", "a", "an")):
                        break
        return None

    def _speaker_after(self, doc: Doc, k: int) -> Mention | None:
        """ '"...," X said', '"...," said X', '"...," she said', '"...," the ministry said'."""
        if k >= len(doc):
            return None
        hi = doc[k].sent.end
        while k < hi and doc[k].text in (",", "—", "–"):
            k += 1
        if k >= hi:
            return None
        if doc[k].lower_ in ("he", "she") and k + 1 < hi and self._is_speech(doc[k + 1]):
            return self._paragraph_person(doc, k)
        if doc[k].lower_ in ("it", "they") and k + 1 < hi and self._is_speech(doc[k + 1]):
            return self._previous_speaker(doc, k)
        if doc[k].lower_ == "the" and (k + 1) in self._start_at:
            k += 1
        if self._is_speech(doc[k]) and k + 1 < hi:
            if (k + 1) in self._start_at:
                return self._start_at[k + 1]
            return self._definite(doc, k + 1, k)
        if k in self._start_at:
            m = self._start_at[k]
            j = self._after_name(doc, m.end, hi)
            return m if j < hi and self._is_speech(doc[j]) and m.type not in ("Place", "Project") else None
        found = self._definite(doc, k, k)
        if found is not None:
            return found
        if doc[k].lower_ == "according":
            return self._according_to(doc, k, hi)
        return None

    def _clause_subject(self, doc: Doc, sent: Span, before: int) -> Mention | None:
        """The first actor of the sentence that is not inside a prepositional phrase."""
        for m in self._mentions:
            if sent.start <= m.start < before and m.type not in ("Place", "Project"):
                if m.start > sent.start and doc[m.start - 1].lower_ in _PREPOSITIONS:
                    continue
                return m
        return None

    def _speaker_before(self, doc: Doc, sent: Span, q_start: int) -> Mention | None:
        """ 'X said that ...' / 'X stated: ...' / 'X, stating that ...' before the quotation."""
        lo = sent.start
        verbs = [t.i for t in doc[lo:q_start] if self._is_speech(t)]
        if not verbs:
            verbs = [t.i for t in doc[max(lo, q_start - 2) : q_start] if t.text == ":"]
        if not verbs:
            return None
        v = verbs[-1]
        if doc[v].lower_.endswith("ing") and v > lo and doc[v - 1].text == ",":
            earlier = verbs[:-1]
            if not earlier:
                return self._clause_subject(doc, sent, v)
            v = earlier[-1]
        subj = self.subject(doc, v, sent)
        if subj and subj[0].type not in ("Place", "Project"):
            return subj[0]
        if v - 1 > lo and doc[v - 1].text == ",":
            comma = next((c for c in range(v - 2, max(lo, v - 7) - 1, -1) if doc[c].text == ","), None)
            if comma is not None and comma in self._end_at and self._end_at[comma].type not in ("Place", "Project"):
                return self._end_at[comma]
        k = v - 1
        if k >= lo and doc[k].lower_ in self.speech_nouns:
            if k - 1 >= lo and doc[k - 1].lower_ in ("his", "her"):
                return self._paragraph_person(doc, lo) or self._previous_person(doc, lo)
            k -= 1
            if k >= lo and doc[k].text in ("'s", "’s"):
                k -= 1
            if (k + 1) in self._end_at and self._end_at[k + 1].type not in ("Place", "Project"):
                return self._end_at[k + 1]
        if v > lo and any(doc[i].lower_ in ("his", "her") and doc[i + 1].lower_ in self.speech_nouns for i in range(lo, v)):
            return self._paragraph_person(doc, lo) or self._previous_person(doc, lo)
        people = [m for m in self._mentions if lo <= m.start < v and m.type == "Person"]
        return people[0] if people else None

    def _previous_speaker(self, doc: Doc, before: int) -> Mention | None:
        """ "it said": the last actor of the paragraph before token ``before`` that said something."""
        para_start = doc_text(doc).rfind("\n", 0, doc[before].idx) + 1
        for m in reversed([m for m in self._mentions if m.end <= before and doc[m.start].idx >= para_start]):
            j = self._after_name(doc, m.end, before)
            if m.type not in ("Place", "Project", "Person") and j < before and self._is_speech(doc[j]):
                return m
        return None

    def _previous_person(self, doc: Doc, before: int) -> Mention | None:
        """The last person named in the paragraph before the one holding token ``before``."""
        prev_start, para_start = _previous_paragraph(doc_text(doc), doc_text(doc).rfind("\n", 0, doc[before].idx) + 1)
        cands = [m for m in self._mentions if m.type == "Person" and prev_start <= doc[m.start].idx < para_start]
        return cands[-1] if cands else None

    def _speaker(self, doc: Doc, q_start: int, q_end: int) -> Mention | None:
        """Who says the quotation between tokens ``q_start`` and ``q_end``."""
        sent = doc[q_start].sent
        found = self._speaker_after(doc, q_end) or self._speaker_before(doc, sent, q_start)
        if found is None:
            found = self._according_to(doc, sent.start, sent.end)
        return found

    def _quotes(self, doc: Doc, junk: list[bool]) -> list[QuoteMention]:
        out: list[QuoteMention] = []
        carry: Mention | None = None
        carry_para = -1
        last: tuple[Mention, int, int] | None = None
        for a, b, para, text in _quote_spans(doc_text(doc)):
            span = doc.char_span(a - 1, min(len(doc_text(doc)), b + 1), alignment_mode="expand")
            if span is None or not len(span) or any(junk[t.i] for t in span):
                continue
            if span.start > 0 and doc[span.start - 1].lower_ in self.title_words:
                last = None
                continue
            speaker = self._speaker(doc, span.start, span.end)
            if speaker is None and para == a - 1:
                speaker = carry if carry is not None and carry_para == para else self._intro(doc, para)
            if speaker is None and last is not None and last[2] == para and doc[span.start].is_sent_start and doc[span.start - 1].sent.start == last[1]:
                speaker = last[0]
            if speaker is None:
                last = None
                continue
            last = (speaker, doc[span.end - 1].sent.start, para)
            if len(text.split()) < self.min_quote_words:
                continue
            if para == a - 1:
                carry, carry_para = speaker, _next_paragraph(doc_text(doc), b)
            out.append(QuoteMention(speaker, text, a, b, self._sentence_date(span.sent)))
            out.extend(self._nested(doc, junk, a, b, speaker))
        return _one_per_text(out)

    def _intro(self, doc: Doc, para: int) -> Mention | None:
        """ "X stated in May about Y:" on the line before a quoted paragraph."""
        start, end = _previous_paragraph(doc_text(doc), para)
        line = doc_text(doc)[start:end].rstrip()
        if not line.endswith(":"):
            return None
        span = doc.char_span(start, start + len(line), alignment_mode="expand")
        if span is None or not len(span):
            return None
        last = doc[span.end - 1].sent
        people = [m for m in self._mentions if last.start <= m.start < last.end and m.type == "Person"]
        return people[0] if people else None

    def _nested(self, doc: Doc, junk: list[bool], a: int, b: int, outer: Mention) -> list[QuoteMention]:
        """Single-quoted quotations inside a quotation, said by someone the quote names."""
        out = []
        for m in _NESTED.finditer(doc_text(doc), a, b):
            text = m.group("text").strip().rstrip(",")
            if len(text.split()) < self.min_quote_words:
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or any(junk[t.i] for t in span):
                continue
            speaker = self._speaker_after(doc, span.end)
            if speaker is None or speaker.key == outer.key:
                continue
            out.append(QuoteMention(speaker, text, m.start("text"), m.start("text") + len(text), self._sentence_date(span.sent)))
        return out


_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")
_PREPOSITIONS = {"of", "to", "by", "with", "for", "in", "at", "on", "from", "about", "against", "between", "during", "after", "before", "than", "like", "across", "into", "over", "under", "toward", "towards"}
_NESTED = re.compile(r"(?<![A-Za-z0-9])['‘](?P<text>[A-Z][^\n]*?)[,.!?]?['’](?=[\s,.;:!?\"”]|$)")


def _previous_paragraph(text: str, para: int) -> tuple[int, int]:
    """Start and end of the last non-blank line before the paragraph starting at ``para``.

    Examples
    --------
    >>> text = "One:\\n\\nTwo"
    >>> start, end = _previous_paragraph(text, 6)
    >>> text[start:end]
    'One:'
    """
    end = len(text[:para].rstrip())
    return text.rfind("\n", 0, end) + 1, end


def _next_paragraph(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    if nl < 0:
        return -1
    while nl < len(text) and text[nl] in "\r\n":
        nl += 1
    return nl


def _quote_spans(text: str) -> list[tuple[int, int, int, str]]:
    """Quotations in ``text`` as ``(start, end, paragraph start, text)``, character offsets of the
    quoted words. A quotation left open at the end of a paragraph runs on into the next paragraph
    when that one opens with a quote mark (the usual style for long quotations); a quotation
    never closed in its own paragraph ends with its first sentence.

    Examples
    --------
    >>> [q[3] for q in _quote_spans('He said "one two" and "three.\\n"Four five."\\nSix "seven. Eight')]
    ['one two', 'three. Four five.', 'seven.']
    """
    out: list[tuple[int, int, int, str]] = []
    pending: dict | None = None

    def close(end: int, unclosed: bool = False) -> None:
        assert pending is not None
        parts = pending["parts"]
        if unclosed and len(parts) == 1:
            stop = _SENTENCE_END.search(parts[0])
            if stop is not None:
                parts = [parts[0][: stop.end()]]
                end = pending["start"] + stop.end()
        body = " ".join(p.strip() for p in parts).strip().rstrip(",")
        out.append((pending["start"], end, pending["para"], body))

    pos = 0
    for raw in text.splitlines(keepends=True):
        line, p_start = raw.rstrip("\r\n"), pos
        pos += len(raw)
        if not line.strip():
            continue
        first = len(line) - len(line.lstrip())
        begin = 0
        if pending is not None:
            if line[first] in '"“':
                begin = first + 1
            else:
                close(pending["end"], unclosed=True)
                pending = None
        content: int | None = begin if pending is not None else None
        for m in re.finditer(r'["“”]', line[begin:]):
            ch, i = m.group(), m.start() + begin
            if content is None:
                if ch != "”":
                    content = i + 1
            elif ch == "“" and pending is None:
                content = i + 1
            else:
                if pending is not None:
                    pending["parts"].append(line[content:i])
                    close(p_start + i)
                    pending = None
                else:
                    out.append((p_start + content, p_start + i, p_start, line[content:i].strip().rstrip(",")))
                content = None
        if content is not None:
            if pending is None:
                pending = {"start": p_start + content, "para": p_start, "parts": []}
            pending["parts"].append(line[content:])
            pending["end"] = p_start + len(line.rstrip())
    if pending is not None:
        close(pending["end"], unclosed=True)
    return out


def _rank(m: Mention) -> int:
    return {"Person": 0, "State": 2}.get(m.type, 1)


def _one_per_text(quotes: list[QuoteMention]) -> list[QuoteMention]:
    """One row per quotation in a document: the same words quoted twice keep the most specific
    speaker (a person or an office over a state named for its government), and a part of a
    quotation quoted again by the same speaker is the longer one."""
    kept: list[tuple[str, QuoteMention]] = []
    for q in sorted(quotes, key=lambda q: -len(q.text)):
        key = " ".join(re.sub(r"[\"“”‘’']", "", q.text).split()).lower().rstrip(",.;:!? ")
        dup = next((i for i, (k, o) in enumerate(kept) if k == key or (key in k and o.speaker.key == q.speaker.key)), None)
        if dup is None:
            kept.append((key, q))
        elif kept[dup][0] == key and _rank(q.speaker) < _rank(kept[dup][1].speaker):
            kept[dup] = (key, q)
    return sorted((q for _, q in kept), key=lambda q: q.start)
