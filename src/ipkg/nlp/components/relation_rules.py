"""Direct quotations with their speakers, and the figures a text states."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...resources import load_figure_words, load_gazetteer, load_speech_verbs, ontology_dir
from ..annotations import FigureMention, Mention, QuoteMention
from .cleaner import junk_mask
from .event_matcher import _NUMBER_WORDS, ArgumentFinder

__all__ = ["RelationRules", "find_figures"]

_MULT = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_NUM = r"\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS)
_CURRENCY = r"(?P<cur>US\s?\$|USD|\$|Rs\.?|PKR)\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<mult>billion|million|trillion|bn|mn)\b)?"
_COUNT = r"(?P<num>" + _NUM + r")(?:\s+(?P<mult>million|billion|thousand))?\s+(?P<adj>(?:[A-Za-z-]+\s+){{0,2}}?)(?P<noun>{nouns})\b(?P<of>\s+of\s+[a-z]+)?"
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
        self.money = [(w, v) for w, c, v in words if c == "money"]
        self.counts = by_class.get("count", {})
        self.fates = by_class.get("fate", {})
        per = by_class.get("per", {})
        self.per = {" ".join(k.split()): v for k, v in per.items()}
        self.amount = re.compile(_CURRENCY + (r"(?P<per>\s*(?:per|a|/)\s*(?P<perunit>" + _alternation(list(per)) + r")\b)?" if per else ""), re.IGNORECASE)
        self.count = re.compile(_COUNT.format(nouns=_alternation(list(self.counts))), re.IGNORECASE) if self.counts else None
        fate = _alternation(list(self.fates)) or r"(?!x)x"
        self.fate_before = re.compile(rf"\b(?P<fate>{fate})\s+(?:{_HEDGE_BEFORE}\s+)?$", re.IGNORECASE)
        coordinated = rf"(?:\s*,?\s*and\s+(?:{_NUM})\s+(?:[A-Za-z-]+\s+){{0,2}}?[A-Za-z-]+)*"
        including = r"(?:\s*,\s*including\s[^,;]{0,80},)?"
        self.fate_after = re.compile(rf"^{coordinated}{including}\s*,?\s*{_AUX}(?P<fate>{fate})\b", re.IGNORECASE)
        self.fate_them = re.compile(rf"^[^,;.]{{0,90}}?\band\s+(?P<fate>{fate})\s+(?:them|all\s+of\s+them|both\s+of\s+them)\b", re.IGNORECASE)
        targets = [w for w in by_class.get("target", {})]
        self.target = re.compile(rf"\b(?:{_alternation(targets)})\b[^.]{{0,60}}\bto\s*$", re.IGNORECASE) if targets else None

    def fate(self, before: str, after: str) -> str | None:
        """What happened to the people counted between ``before`` and ``after``."""
        m = self.fate_before.search(before) or self.fate_after.match(after) or self.fate_them.match(after)
        return self.fates[" ".join(m.group("fate").lower().split())] if m else None


@lru_cache(maxsize=8)
def _lexicon(words: tuple[tuple[str, str, str], ...]) -> _FigureLexicon:
    return _FigureLexicon(words)


def find_figures(text: str, words: tuple[tuple[str, str, str], ...]) -> list[FigureMention]:
    """Money, prices, counts and percentages stated in ``text`` (one sentence).

    People are counted only with what happened to them ("killed two children", "three others
    were injured") or as a population (millions); troops are ``personnel`` unless killed or hurt.

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
    lower = text.lower()
    money_label = next((v for w, v in lex.money if re.search(rf"\b{re.escape(w)}\b", lower)), "amount")
    taken: list[tuple[int, int]] = []
    for m in lex.amount.finditer(text):
        value = _number(m.group("num")) * _MULT.get((m.group("mult") or "").lower(), 1)
        cur = "PKR" if m.group("cur").startswith(("Rs", "PKR")) else "USD"
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
        elif m.group("of"):
            label += m.group("of")
        out.append(FigureMention(label, value, unit, m.start(), m.end()))
    return sorted(out, key=lambda f: f.start)


class RelationRules(ArgumentFinder):
    """spaCy component: sets ``doc._.ipkg_quotes`` and ``doc._.ipkg_figures``."""

    def __init__(self, nlp: Language, name: str = "ipkg_relations", *, ontology: str | None = None, min_quote_words: int = 5) -> None:
        self.name = name
        folder = ontology or str(ontology_dir())
        self.gaz = load_gazetteer(folder)
        self.speech = load_speech_verbs(folder)
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
        for sent in doc.sents:
            if all(junk[t.i] for t in sent if not t.is_space):
                continue
            date = self._figure_date(sent)
            for f in find_figures(sent.text, self.figure_words):
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

    def _speaker(self, doc: Doc, sent: Span, q_start: int, q_end: int) -> Mention | None:
        """Who says the quotation between tokens ``q_start`` and ``q_end``."""
        k = q_end
        if k < sent.end and doc[k].text == ",":
            k += 1
        if k < len(doc) and k in self._start_at and k + 0 < len(doc):
            m = self._start_at[k]
            if m.end < len(doc) and doc[m.end].lower_ in self.speech:
                return m
        if k < len(doc) and doc[k].lower_ in self.speech and (k + 1) in self._start_at:
            return self._start_at[k + 1]
        lo = sent.start
        verbs = [t.i for t in doc[lo:q_start] if t.lower_ in self.speech or t.text == ":"]
        if lo + 2 <= q_start and doc[lo : lo + 2].text.lower() == "according to" and (lo + 2) in self._start_at:
            return self._start_at[lo + 2]
        if verbs:
            subj = self.subject(doc, verbs[-1], sent)
            if subj and subj[0].type not in ("Place", "Project"):
                return subj[0]
            people = [m for m in self._mentions if lo <= m.start < verbs[-1] and m.type == "Person"]
            if people:
                return people[0]
        return None

    def _quotes(self, doc: Doc, junk: list[bool]) -> list[QuoteMention]:
        out: list[QuoteMention] = []
        pos = 0
        carry: Mention | None = None
        for raw in doc.text.splitlines(keepends=True):
            line = raw.rstrip("\r\n")
            marks = [m.start() for m in re.finditer(r'["“”]', line)]
            pairs = list(zip(marks[0::2], marks[1::2]))
            intro = line.rstrip().endswith(":")
            open_para = bool(marks) and len(marks) % 2 == 1 and line.lstrip()[:1] in '"“'
            if open_para:
                pairs = [(marks[0], len(line))] + list(zip(marks[1::2], marks[2::2]))
            for a, b in pairs:
                text = line[a + 1 : b].strip().rstrip(",")
                if len(text.split()) < self.min_quote_words:
                    continue
                span = doc.char_span(pos + a, pos + b + (1 if b < len(line) else 0), alignment_mode="expand")
                if span is None or any(junk[t.i] for t in span):
                    continue
                sent = doc[span.start].sent
                speaker = self._speaker(doc, sent, span.start, span.end)
                if speaker is None and a == line.find(line.lstrip()[:1]) and carry is not None:
                    speaker = carry
                if speaker is None:
                    continue
                out.append(QuoteMention(speaker, text, pos + a + 1, pos + b, self._sentence_date(sent)))
            if intro:
                sents = [s for s in doc.char_span(pos, pos + len(line), alignment_mode="expand").sents] if line.strip() else []
                last = sents[-1] if sents else None
                people = [m for m in self._mentions if last is not None and last.start <= m.start < last.end and m.type == "Person"]
                carry = people[0] if people else None
            elif not open_para and line.strip():
                carry = None
            pos += len(raw)
        return out
