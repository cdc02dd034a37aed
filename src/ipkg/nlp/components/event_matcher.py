"""Events from the trigger lexicon (``ontology/triggers.tsv``) and the actor mentions.

A trigger's frame says where its arguments are: ``svo`` (subject before, object after),
``reverse`` ("received a call from X", passives), ``nominal`` ("X's visit to Y") and ``pair``
(meetings: "X and Y met", "talks between X and Y"). Triggers inside quotations, under negation
("never recognized") or in irrealis contexts ("if", "could", "plans to") are not events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ...resources import ontology_dir, load_event_kinds, load_gazetteer, load_nominals, load_speech_verbs, load_triggers, Trigger
from ..annotations import EventMention, Mention, doc_text, sentence_bounds, token_lowers
from .anchored import AnchoredMatcher
from .cleaner import junk_mask

__all__ = ["ArgumentFinder", "EventMatcher", "compile_pattern"]

_SKIP_LEFT = {
    "has", "have", "had", "was", "were", "is", "are", "did", "does", "do", "been", "be", "also", "again",
    "then", "later", "previously", "once", "too", "jointly", "both", "all", "himself", "herself",
    "itself", "themselves", "subsequently", "today", "yesterday", "officially", "immediately", "swiftly",
    "who", "which", "reportedly", "had", "earlier", "recently", "currently", "still", "just",
    "being", "became", "become",
}
_LOCATIVE = {"in", "at", "near", "during", "after", "before", "since", "on", "from", "about", "over", "regarding", "into", "across", "throughout", "inside", "within"}
_OFFSET_WORDS = {"day", "days", "week", "weeks", "later", "earlier", "next", "following", *"a one two three four five six seven".split()}
_HABITUAL = {"consistently", "consistent", "always", "routinely", "traditionally", "historically", "usually", "long-standing", "longstanding", "long-term", "often", "generally"}
_RESIDENT_OFFICES = {"ambassador", "high commissioner", "chargé d'affaires", "consul general", "envoy", "defence attaché"}
_VICTIMS = re.compile(r"\bkill(?:ed|ing)\s+(?:at least\s+)?\S+\s+(?:\w+\s+)?(?:members|personnel|soldiers|troops|guards|officers|fighters)\s+of\s+(?:the\s+)?(?P<org>[A-Z])")
_TWO_PERSONS = {"leaders", "men", "ministers", "presidents", "premiers", "officials", "envoys"}
_TWO_NOUNS = _TWO_PERSONS | {"sides", "countries", "neighbours", "neighbors", "nations", "states", "governments"}
_ARMED = {"ArmedGroup", "MilitaryOrganization", "State"}
_MANY = {"several", "many", "numerous", "frequent", "repeated", "dozens", "hundreds", "multiple", "countless"}
_ENDED = {"wrapped", "wraps", "concluded", "concludes", "ended", "ends", "completed", "completes"}
_TELL = {"told", "tells", "telling", "informed", "assured", "briefed", "reminded"}
_TOWARD_OTHERS = {"pledge", "support", "thank", "praise"}
_HEDGE_NOUNS = {"report", "reports", "rumour", "rumours", "rumor", "rumors", "allegation", "allegations", "speculation"}
_BACKGROUND = {"which", "whom", "whose", "after", "since", "following", "before", "until"}
_SUBORDINATORS = {"after", "before", "since", "until"}
_IRREALIS_AFTER = {"scheduled", "planned", "expected", "proposed", "upcoming", "slated"}
_TERRITORY = {"soil", "territory", "airspace", "border", "side"}
_ORDINAL = {"first", "second", "third", "last", "only", "latest"}
_ORDINAL_FRAME = {"the", "as", "was", "is", "became", "becomes", "become", "made", "makes", "history", "also"}
_APPOS_START = {"for", "in", "on", "however", "a", "an", "the", "then", "now", "former", "who", "which", "whose", "its", "his", "her", "their", "accompanied", "flanked", "joined", "along", "together", "speaking", "according"}
_BREAK = {";", ",", "but", "while", "whereas", "which", "who", "because", "although", "though", "—", "–", ":", "if", "unless", "when"}
_NEGATION = {"not", "never", "n't", "no", "neither", "nor", "refused", "declined"}
_IRREALIS = {"if", "could", "might", "may", "should", "shall", "will", "would", "to", "plans", "planned", "expected", "allegedly", "alleged", "unless", "whether", "suspected"}
_DETERMINERS = {"a", "an", "the", "his", "her", "its", "their", "this", "that", "'s", "’s", "our", "whose"}
_QUOTES = '"“”'
_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_KILLED = re.compile(
    r"(?:kill(?:ing|ed)\s+(?:at least\s+)?(?P<a>\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")\b)"
    r"|(?:(?P<b>\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")\s+(?:\w+\s+){0,3}(?:were|was|have been|had been)?\s*killed)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = {";", "which", "who", "whom", "whose", "while", "whereas", "although", "though", "because", "if", "unless", "when", "—", "–", ":"}
_PARTY_NOUNS = {"leaders", "sides", "countries", "ministers", "presidents", "governments", "men", "officials"}
_ATTACK_NOUNS = {"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "bombing", "bombings", "incursion", "raid", "raids", "killing", "killings", "ambush"}
_ALLEGATION_NOUNS = {"allegation", "allegations", "claim", "claims", "charge", "charges", "accusation", "accusations", "assertion", "assertions"}
_STATEISH = {"State", "GovernmentBody", "MilitaryOrganization", "IntelligenceAgency", "Person", "InternationalOrganization", "ArmedGroup"}


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """Turn a lexicon pattern into a spaCy ``Matcher`` pattern.

    ``a|b`` alternatives, ``x?`` optional, ``~`` an optional adverb ("strongly", "later"), ``*``
    an optional lower-case word, ``@`` an optional possessor ("Pakistan's", "its"), ``%`` an
    optional date ("on Friday"), ``^`` an optional place ("in Tehran"), ``"`` an optional
    quotation mark.

    Examples
    --------
    >>> compile_pattern("received|receives a call? from")
    [{'LOWER': {'IN': ['received', 'receives']}}, {'LOWER': {'IN': ['a']}}, {'LOWER': {'IN': ['call']}, 'OP': '?'}, {'LOWER': {'IN': ['from']}}]
    """
    out: list[dict[str, Any]] = []
    for tok in pattern.split():
        if tok == "~":
            out.append({"TEXT": {"REGEX": r"^(?:[A-Za-z]{3,}ly|later|also|again|then|once|previously|repeatedly)$"}, "OP": "?"})
            continue
        if tok == "%":
            out.append({"LOWER": {"IN": ["on", "in", "last", "this", "late", "early"]}, "OP": "?"})
            out.append({"_": {"ipkg_in_date": True}, "OP": "*"})
            continue
        if tok == "^":
            out.append({"LOWER": {"IN": ["in", "at"]}, "OP": "?"})
            out.append({"IS_TITLE": True, "OP": "{0,3}"})
            continue
        if tok == "@":
            out.append({"IS_TITLE": True, "OP": "?"})
            out.append({"LOWER": {"IN": ["'s", "’s", "his", "her", "its", "their"]}, "OP": "?"})
            continue
        if tok == "*":
            out.append({"TEXT": {"REGEX": r"^(?:[a-z]+|-)$"}, "OP": "?"})
            continue
        if tok == '"':
            out.append({"TEXT": {"IN": list(_QUOTES)}, "OP": "?"})
            continue
        optional = tok.endswith("?")
        spec: dict[str, Any] = {"LOWER": {"IN": tok.rstrip("?").split("|")}}
        if optional:
            spec["OP"] = "?"
        out.append(spec)
    return out


def _quote_mask(doc: Doc) -> list[bool]:
    """True for tokens inside quotation marks, paired per line (a line ends where
    ``str.splitlines`` ends one)."""
    mask = [False] * len(doc)
    opened: int | None = None
    for m in _QUOTE_OR_LINE_END.finditer(doc_text(doc)):
        ch, pos = m.group(), m.start()
        if ch not in _QUOTES:
            opened = None
        elif opened is None and ch != "”":
            opened = pos
        elif opened is not None and ch != "“":
            span = doc.char_span(opened, pos + 1, alignment_mode="expand") if pos - opened > 40 else None
            if span is not None:
                mask[span.start : span.end] = [True] * len(span)
            opened = None
    return mask


_QUOTE_OR_LINE_END = re.compile(r'["“”\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]')


class ArgumentFinder:
    """Finds the actor groups around a word: subject, object, possessor. Shared by the event
    matcher and the relation rules."""

    gaz: Any


    def _setup(self, doc: Doc) -> None:
        self._doc = doc
        self._junk = junk_mask(doc)
        mentions: list[Mention] = doc._.ipkg_mentions or []
        self._end_at = {m.end: m for m in mentions}
        self._start_at = {m.start: m for m in mentions}
        self._mentions = mentions
        self._in_date = [False] * len(doc)
        self._dates: list[tuple[Span, str | None, str | None, bool]] = []
        for d in doc._.ipkg_dates or []:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self._in_date[t.i] = True
            self._dates.append((span, d.iso, d.end_iso, d.adjectival))

    def _past_of_state(self, doc: Doc, m: Mention, hi: int) -> int:
        """Where a person's mention ends, "of Iran" included ("Ali Shamkhani of Iran")."""
        k = m.end
        if m.type == "Person" and k + 1 < hi and doc[k].lower_ == "of" and (k + 1) in self._start_at and self._start_at[k + 1].type == "State":
            return self._start_at[k + 1].end
        return k

    def _of_state(self, doc: Doc, m: Mention, lo: int) -> Mention:
        """ "Pahlavi of Iran": the person the state only qualifies."""
        k = m.start - 1
        if k > lo and doc[k].lower_ == "of" and k in self._end_at and self._end_at[k].type == "Person" and m.type == "State":
            return self._end_at[k]
        return m

    def _coordinated_left(self, doc: Doc, m: Mention, lo: int) -> list[Mention]:
        """``m`` and the actors listed before it: "A and B", "A, B and C", "A of X, B of Y and C"."""
        m = self._of_state(doc, m, lo)
        out = [m]
        k = m.start - 1
        listed = False
        while k > lo and (doc[k].lower_ in ("and", "&") or (listed and doc[k].text == ",")):
            listed = True
            prev = self._end_at.get(k)
            if prev is None and doc[k].text == "," and k - 1 > lo and doc[k - 1].lower_ == "and":
                prev = self._end_at.get(k - 1)
            if prev is None:
                break
            prev = self._of_state(doc, prev, lo)
            if prev.type != out[0].type and not {prev.type, out[0].type} <= _STATEISH - {"Person"}:
                break
            out.insert(0, prev)
            k = prev.start - 1
        return out

    def _coordinated_right(self, doc: Doc, m: Mention, hi: int) -> list[Mention]:
        """``m`` and the actors listed after it: "A and B", "A of X and B"."""
        out = [m]
        k = self._past_of_state(doc, m, hi)
        while k + 1 < hi and doc[k].lower_ in ("and", "&", "alongside"):
            j = k + 1
            if doc[j].lower_ in ("and", "the"):
                j += 1
            if j not in self._start_at and doc[j].lower_ in ("his", "her", "its", "their") and (j + 1) in self._start_at:
                j += 1
            elif j not in self._start_at and doc[j].lower_ in ("his", "her", "its", "their"):
                # "X and his Iranian counterpart, Y"
                stop = next((c for c in range(j + 1, min(hi, j + 5)) if doc[c].text == ","), None)
                role = list(doc[j + 1 : stop]) if stop else []
                if stop and all(t.text in self._demonyms() or (t.is_lower and t.is_alpha and not t.lower_.endswith("ed")) for t in role):
                    j = stop + 1
            nxt = self._start_at.get(j)
            if nxt is None:
                break
            out.append(nxt)
            k = self._past_of_state(doc, nxt, hi)
        return out

    def _pronoun(self, doc: Doc, k: int, sent: Span) -> Mention | None:
        """ "he"/"she" at the start of a clause: the subject of an earlier clause of the sentence
        that is a person, else the first person (the likeliest subject) of the last earlier
        sentence of the paragraph that names one."""
        previous = [ev for ev in getattr(self, "_events", []) if sent.start <= ev.start < k]
        if previous and previous[-1].actors[0].type == "Person":
            return previous[-1].actors[0]
        para_start = doc_text(doc).rfind("\n", 0, doc[k].idx) + 1
        cands = [m for m in self._mentions if m.type == "Person" and m.end <= sent.start and doc[m.start].idx >= para_start]
        if not cands:
            return None
        last_sentence = doc[cands[-1].start].sent.start
        return next(m for m in cands if doc[m.start].sent.start == last_sentence)

    def _speaker_of_pronoun(self, doc: Doc, k: int, sent: Span) -> list[Mention]:
        """ "Pakistan said on Thursday (that) it had ...": a pronoun right after a speech verb is
        the speaker, when the speaker agrees with it (a person for he/she, not for it)."""
        j = k - 1
        while j >= sent.start and (doc[j].lower_ == "that" or self._in_date[j] or doc[j].lower_ in ("on", "in", "late", "early")):
            j -= 1
        if j < sent.start or doc[j].lower_ not in self._speech_verbs():
            return []
        speakers = self.subject(doc, j, sent)
        person = doc[k].lower_ in ("he", "she")
        if len(speakers) == 1 and (speakers[0].type == "Person") == person and doc[k].lower_ != "they":
            return speakers
        return []

    def _speech_verbs(self) -> frozenset[str]:
        if not hasattr(self, "_speech"):
            self._speech = load_speech_verbs()
        return self._speech

    def subject(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """The actor group(s) before token ``s`` that can be its grammatical subject."""
        k = s - 1
        previous = [ev for ev in getattr(self, "_events", []) if sent.start <= ev.start < s and ev.actors]
        while k >= sent.start:
            t = doc[k]
            if t.lower_ == "to" and any(doc[c].lower_ in _ORDINAL for c in range(max(sent.start, k - 6), k)):
                # "X was / became / made history as the first head of state to visit"
                k = next(c for c in range(k - 1, sent.start - 1, -1) if doc[c].lower_ in _ORDINAL) - 1
                while k >= sent.start and doc[k].lower_ in _ORDINAL_FRAME:
                    k -= 1
                continue
            participle = t.text == "," and doc[s].lower_.endswith("ing") and k == s - 1
            if participle:
                return list(previous[-1].actors) if previous else []
            if t.lower_ == "and" and k - 1 >= sent.start and doc[k - 1].is_alpha and doc[k - 1].lower_.endswith("ly") and len(doc[k - 1]) > 4:
                k -= 1
                continue
            if t.lower_ == "and" and not previous and (k + 1) not in self._end_at and not any(m.start < k for m in self._mentions if sent.start < m.start):
                opener = self._start_at.get(sent.start)
                return [opener] if opener is not None and opener.type == "Person" else []  # "Karzai flew into the capital ... and held talks"
            if t.lower_ == "and" and previous and (k + 1) not in self._end_at:
                last = previous[-1]
                kinds = getattr(self, "kinds", {})
                kind_here = getattr(self, "_kind_at", {}).get(s, last.kind)
                together = last.kind in kinds and kind_here in kinds and kinds[last.kind].category == "meeting" and kinds[kind_here].category == "agreement"
                return list(last.actors) + (list(last.targets) if together else [])  # "A, B and C met and founded"
            if t.text == "," and (k + 1) in self._end_at and self._end_at[k + 1].start < k:
                return self._coordinated_left(doc, self._end_at[k + 1], sent.start)
            if t.text == ",":
                prev_comma = next((c for c in range(k - 1, max(sent.start, k - 16) - 1, -1) if doc[c].text == ","), None)
                if prev_comma is not None and doc[prev_comma + 1].lower_ in _APPOS_START and prev_comma + 1 < k:
                    k = prev_comma - 1
                    if k + 1 in self._end_at:
                        m = self._end_at[k + 1]
                        return self._coordinated_left(doc, m, sent.start)
                    continue
                if (k) in self._end_at:
                    return self._coordinated_left(doc, self._end_at[k], sent.start)
                return []
            if (k + 1) in self._end_at:
                m = self._end_at[k + 1]
                before = doc[m.start - 1].lower_ if m.start > sent.start else ""
                clause_subject = before in _SUBORDINATORS and all(self._in_date[c] or doc[c].lower_ in _SKIP_LEFT for c in range(m.end, s))
                if before == "of" and (m.start - 1) in self._end_at and self._end_at[m.start - 1].type == "Person":
                    m = self._end_at[m.start - 1]  # "Pahlavi of Iran"
                elif before in _LOCATIVE | {"of", "to", "by", "with", "for"} and not clause_subject:
                    return []
                return self._coordinated_left(doc, m, sent.start)
            if t.lower_ in _SKIP_LEFT or t.lower_ in _OFFSET_WORDS or self._in_date[k] or (t.is_alpha and t.lower_.endswith("ly") and len(t) > 4):
                k -= 1
                continue
            if t.lower_ in ("on", "in") and k + 1 < s and self._in_date[k + 1]:
                k -= 1
                continue
            if t.text == ")":
                o = next((c for c in range(k - 1, max(sent.start, k - 8) - 1, -1) if doc[c].text == "("), None)
                if o is None:
                    return []
                k = o - 1
                continue
            if t.is_lower and t.is_alpha and k - 1 >= sent.start and doc[k - 1].text in self._demonyms():
                person = self._described(doc, k - 1)
                if person is not None:
                    return [person]  # "the Iranian president thanked ..."
            if load_nominals().get(t.lower_) == "role" and t.is_lower:
                if k in self._end_at and self._end_at[k].type in _ARMED:
                    return [self._end_at[k]]  # "Jaish al-Adl fighters killed"
                if k - 1 >= sent.start and doc[k - 1].lower_ in ("its", "their"):
                    owner = self._last_of_type(doc, k - 1, sent, _ARMED)
                    return [owner] if owner else []  # "its fighters killed"
            if t.lower_ == "of" and k == s - 1 and doc[s].lower_.endswith("ing") and k - 2 >= sent.start and doc[k - 1].is_lower and doc[k - 2].text in ("'s", "’s") and (k - 2) in self._end_at:
                return [self._end_at[k - 2]]  # "Iran's admission of carrying out": the gerund's subject
            if t.lower_ == "who" and k - 1 >= sent.start and doc[k - 1].text == "," and k - 1 in self._end_at:
                return [self._end_at[k - 1]]  # "..., X, who later held talks"
            if t.lower_ in ("it", "he", "she", "they"):
                speaker = self._speaker_of_pronoun(doc, k, sent)
                if speaker:
                    return speaker
            if t.lower_ == "they":
                group = self._last_group(doc, sent)
                if group:
                    return group
            if t.lower_ in ("he", "she") and (k == sent.start or doc[k - 1].text in (",", "that", "where", "when")):
                found = self._pronoun(doc, k, sent)
                return [found] if found else []
            if t.lower_ in ("delegation", "team") and k - 2 >= sent.start and doc[k - 1].lower_ in ("his", "her", "its", "their") and doc[k - 2].lower_ == "and":
                k -= 3
                continue
            return []
        return []

    def object(self, doc: Doc, e: int, sent: Span, window: int = 8) -> list[Mention]:
        """The first actor group after token ``e`` within the clause."""
        k = e
        if k < sent.end and doc[k].lower_ in ("him", "her"):
            previous = [ev for ev in getattr(self, "_events", []) if sent.start <= ev.start < e]
            if previous:
                current = {m.key for m in getattr(self, "_clause_subject", [])}
                before = previous[-1]
                # the earlier clause's subject, unless it is this clause's subject too
                order = before.targets + before.actors if {m.key for m in before.actors} & current else before.actors + before.targets
                other = [m for m in order if m.type == "Person" and m.key not in current]
                return other[:1]
            return []
        limit = e + window
        while k < min(sent.end, limit):
            if k in self._start_at:
                group = [self._possessed(doc, m) for m in self._coordinated_right(doc, self._possessed(doc, self._start_at[k]), sent.end)]
                return self._including(doc, group, sent) or group
            t = doc[k]
            if self._in_date[k] or (t.lower_ in ("on", "in", "last", "this") and k + 1 < sent.end and self._in_date[k + 1]):
                k += 1
                limit += 1
                continue
            if t.text in self._demonyms() and k + 1 < sent.end and doc[k + 1].is_lower:
                person = self._described(doc, k)
                return [person] if person else [self._demonym_mention(doc, k)]
            if t.lower_ in _BREAK or t.lower_ in _LOCATIVE or t.text in (".", "!", "?"):
                return []
            k += 1
        return []

    def _including(self, doc: Doc, group: list[Mention], sent: Span) -> list[Mention]:
        """ "Pakistani leaders, including Prime Minister X": the named members, not the state."""
        k = group[-1].end
        if not (k + 1 < sent.end and doc[k].text == "," and doc[k + 1].lower_ == "including" and all(m.type == "State" for m in group)):
            return []
        first = self._start_at.get(k + 2)
        return self._coordinated_right(doc, first, sent.end) if first is not None and first.type == "Person" else []

    def _possessed(self, doc: Doc, m: Mention) -> Mention:
        """ "Pakistan's ISI": the organisation, not its owner."""
        k = m.end
        if k + 1 < len(doc) and doc[k].text in ("'s", "’s") and (k + 1) in self._start_at:
            nxt = self._start_at[k + 1]
            if nxt.type not in ("State", "Place"):
                return nxt
        return m

    def possessor(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """ "X's visit", "a Pakistani state visit": the actor owning a nominal trigger."""
        k = s - 1
        floor = max(sent.start, s - 3)
        while k >= sent.start and ((k >= floor and doc[k].is_alpha and doc[k].is_lower and doc[k].lower_ not in _DETERMINERS) or self._in_date[k]):
            if self._in_date[k]:
                floor = max(sent.start, floor - 1)
            k -= 1
        if k >= sent.start and doc[k].text in ("'s", "’s") and k in self._end_at:
            return [self._end_at[k]]
        if k >= sent.start and doc[k].lower_ in ("his", "her"):
            # "Khan, on his first visit to Iran": the person the clause is about
            before = [m for m in self._mentions if sent.start <= m.start and m.end <= k and m.type == "Person"]
            if before:
                return [before[-1]]
            m = self._pronoun(doc, k, sent)
            return [m] if m else []
        modifiers = doc[k + 1 : s]
        verbal = any(t.lower_ in _SKIP_LEFT or t.lower_.endswith("ed") or (t.lower_.endswith("ly") and len(t) > 4) for t in modifiers if not self._in_date[t.i])
        if k >= sent.start and (k + 1) in self._end_at and not verbal and (self._end_at[k + 1].source == "demonym" or self._end_at[k + 1].type == "State"):
            return [self._end_at[k + 1]]
        if k >= sent.start and doc[k].text in self._demonyms():
            return [self._demonym_mention(doc, k)]
        return []

    def _described(self, doc: Doc, k: int) -> Mention | None:
        """ "the Iranian president", "the Pakistani minister": the one person named earlier in the
        document whose office and state fit the description (demonym at ``k``)."""
        if k == 0 or doc[k - 1].lower_ != "the" or k + 1 >= len(doc):
            return None
        state = self._demonyms()[doc[k].text]
        words = [t.lower_ for t in doc[k + 1 : min(len(doc), k + 3)] if t.is_lower and t.is_alpha]
        fits: dict[str, Mention] = {}
        for p in doc._.ipkg_positions or []:
            if p.person.start >= k or (p.org != state and self._state_of(p.person) != state):
                continue
            office = p.office_label.lower().split()
            if office and set(office) <= set(words[:3]) and all(w in office for w in words[: len(office)]):
                fits.setdefault(p.person.key, p.person)
        return next(iter(fits.values())) if len(fits) == 1 else None

    def _demonym_mention(self, doc: Doc, k: int) -> Mention:
        e = self.gaz.entries[self._demonyms()[doc[k].text]]
        return Mention(k, k + 1, k, k + 1, e.iri, e.label, e.type, doc[k].text, "demonym")

    def _state_of_place(self, m: Mention) -> str | None:
        """The state a state or a place stands for: itself, or the state the gazetteer puts the
        place in (the capital's or the region's)."""
        if m.type == "State":
            return m.key
        entry = self.gaz.entries.get(m.key)
        state = entry and (entry.capital_of or entry.part_of)
        return state if state and state in self.gaz.entries else None

    def _standing_for(self, m: Mention, state: str, source: str = "place-of") -> Mention:
        """``m``'s words standing for the gazetteer actor ``state`` ("Islamabad" for Pakistan)."""
        se = self.gaz.entries[state]
        return Mention(m.start, m.end, m.head_start, m.head_end, se.iri, se.label, se.type, m.surface, source)

    def _state_of(self, m: Mention) -> str | None:
        """The state an actor belongs to: itself, the text's nationality cue, or the gazetteer's."""
        if m.type == "State":
            return m.key
        entry = self.gaz.entries.get(m.key)
        return m.nationality or (entry.nationality if entry else None)


    def _last_of_type(self, doc: Doc, k: int, sent: Span, types: set[str]) -> Mention | None:
        """The last actor of one of ``types`` named before token ``k`` in its paragraph."""
        para_start = doc_text(doc).rfind("\n", 0, doc[k].idx) + 1
        found = [m for m in self._mentions if m.end <= k and doc[m.start].idx >= para_start and m.type in types and m.source != "demonym"]
        openers = [m for m in found if m.start == doc[m.start].sent.start]
        return (openers or found)[-1] if found else None

    def _last_group(self, doc: Doc, sent: Span) -> list[Mention]:
        """ "they": the persons who acted together in the paragraph's last event, if several."""
        para_start = doc_text(doc).rfind("\n", 0, doc[sent.start].idx) + 1
        earlier = [ev for ev in getattr(self, "_events", []) if doc[ev.start].idx >= para_start and ev.start < sent.end]
        if not earlier:
            return []
        group = earlier[-1].actors
        return list(group) if len(group) >= 2 and all(m.type == "Person" for m in group) else []

    def _paragraphs_between(self, doc: Doc, a: int, b: int) -> int:
        """Line breaks between character offsets ``a`` and ``b``, not counting lines that carry
        no text (blank, link lists, headings, other junk)."""
        count = 0
        pos = doc_text(doc).find("\n", a, b)
        while pos != -1:
            end = doc_text(doc).find("\n", pos + 1, b)
            line = doc_text(doc)[pos + 1 : end if end != -1 else b]
            first = doc.char_span(pos + 1, pos + 1 + len(line.split(" ")[0]), alignment_mode="expand") if line.strip() else None
            if first is not None and len(first) and not self._junk[first.start] and len(line.split()) >= 8:
                count += 1
            elif end == -1 and line.strip():
                count += 1
            pos = end
        return count

    def _demonyms(self) -> dict[str, str]:
        if not hasattr(self, "_dem"):
            self._dem = self.gaz.demonyms()
        return self._dem

class EventMatcher(ArgumentFinder):
    """spaCy component: sets ``doc._.ipkg_events`` (list of :class:`EventMention`) and
    ``doc.spans["ipkg_events"]`` (label = event kind)."""

    def __init__(self, nlp: Language, name: str = "ipkg_events", *, ontology: str | None = None) -> None:
        self.name = name
        folder = ontology or str(ontology_dir())
        self.kinds = load_event_kinds(folder)
        self.triggers: tuple[Trigger, ...] = load_triggers(folder)
        self.gaz = load_gazetteer(folder)
        self.matcher = AnchoredMatcher(nlp.vocab, [compile_pattern(t.pattern) for t in self.triggers], extension="ipkg_in_date")
        if not Doc.has_extension("ipkg_events"):
            Doc.set_extension("ipkg_events", default=None)
        if not Token.has_extension("ipkg_in_date"):
            Token.set_extension("ipkg_in_date", default=False)

    def __call__(self, doc: Doc) -> Doc:
        self._setup(doc)
        for i, flag in enumerate(self._in_date):
            if flag:
                doc[i]._.ipkg_in_date = True
        junk = self._junk
        quoted = _quote_mask(doc)
        by_span: dict[tuple[int, int], list[Trigger]] = {}
        for idx, s, e in self.matcher(doc, self._in_date):
            by_span.setdefault((s, e), []).append(self.triggers[idx])
        spans = sorted(by_span, key=lambda se: (se[0], -(se[1] - se[0])))
        chosen: list[tuple[int, int]] = []
        last = -1
        for s, e in spans:
            if s >= last:
                chosen.append((s, e))
                last = e
        events: list[EventMention] = []
        self._events = events
        self._orphans: list[EventMention] = []
        out_spans: list[Span] = []
        text = doc_text(doc)
        lowers = token_lowers(doc)
        first_seen: dict[str, int] = {}
        for first, end in sentence_bounds(doc):
            if end - first >= 8:
                span = doc[first:end]
                first_seen.setdefault(" ".join(text[span.start_char : span.end_char].split()), first)
        for s, e in chosen:
            if any(junk[s:e]) or quoted[s] or any(s <= m.start < e and m.type != "Place" and not (m.end < e and doc[m.end].text in ("'s", "’s")) for m in self._mentions):
                continue
            sent = doc[s].sent
            if first_seen.get(" ".join(text[sent.start_char : sent.end_char].split()), sent.start) != sent.start:
                continue
            left = lowers[max(sent.start, s - 3) : s]
            ordinal = any(w in _ORDINAL for w in lowers[max(sent.start, s - 7) : s])
            if any(w in _NEGATION for w in left) or any(w in _IRREALIS and not (w == "to" and ordinal) for w in left[-2:]):
                continue
            if any(w in ("if", "unless", "whether") for w in lowers[sent.start : s]):
                continue
            if any(w in _IRREALIS_AFTER for w in lowers[max(sent.start, s - 2) : min(sent.end, e + 8)]):
                continue
            if any(w in _HEDGE_NOUNS for w in lowers[max(sent.start, s - 5) : s]) and "of" in left:
                continue
            if self.kinds[by_span[(s, e)][0].kind].category == "strike" and any(w in _MANY for w in lowers[max(sent.start, s - 2) : e]):
                continue  # "has carried out several attacks": a pattern, not one happening
            if self.kinds[by_span[(s, e)][0].kind].category == "statement" and any(w in _HABITUAL for w in lowers[max(sent.start, s - 4) : s]):
                continue
            trig = self._pick(doc, by_span[(s, e)], s)
            self._kind_at = {s: trig.kind}
            self._pending_pairs: list[tuple[Mention, Mention]] = []
            self._extra_events: list[EventMention] = []
            self._next_leg: tuple[Mention, int] | None = None
            ev = self._arguments(doc, trig, s, e, sent)
            if ev is None:
                continue
            for extra in self._extra_events:
                events.append(extra)
                out_spans.append(Span(doc, extra.start, extra.end, label=extra.kind))
            leg = self._next_leg if self.kinds[ev.kind].category == "visit" else None
            self._next_leg = None
            for a, b in self._pending_pairs:
                # "A, B and C met": every pair of them met, not only A with the others
                pair = EventMention(ev.kind, s, e, [a], [b], ev.place)
                self._date(doc, pair, sent, events)
                events.append(pair)
                out_spans.append(Span(doc, s, e, label=pair.kind))
            if trig.frame != "claim":
                self._date(doc, ev, sent, events)
            if ev.date is None and self.kinds[ev.kind].category == "statement":
                ev.date = self._recent_month(doc, ev, events)
            if ev.date and len(ev.date) == 10 and self.kinds[ev.kind].category == "visit" and doc[s].lower_ in _ENDED:
                length = next((_NUMBER_WORDS.get(doc[t.i - 2].lower_, 0) for t in doc[s:e] if t.lower_ == "day" and t.i - 2 >= s and doc[t.i - 1].text == "-"), 0)
                if length > 1:  # "wrapped up a two-day trip on Friday": it began on Thursday
                    ev.date = (dt.date.fromisoformat(ev.date) - dt.timedelta(days=length - 1)).isoformat()
            if ev.date and len(ev.date) == 10 and self.kinds[ev.kind].category == "visit" and doc[s].lower_ in ("is", "was", "are", "were"):
                ev.date, ev.end_date = ev.date[:7], None  # "who is on a visit": under way that day, begun earlier
            if self.kinds[ev.kind].category == "strike" and trig.frame != "claim":
                ev.casualties = self._casualties(sent.text)
            events.append(ev)
            out_spans.append(Span(doc, s, e, label=ev.kind))
            if leg is not None:
                second = self._visit_to(leg[0], ev, leg[1])
                if second is not None:
                    events.append(second)
                    out_spans.append(Span(doc, s, e, label=second.kind))
        for visit in self._visits_from_talks(doc, events):
            events.append(visit)
            out_spans.append(Span(doc, visit.start, visit.end, label=visit.kind))
        self._link_denials(events)
        self._link_allegations(doc, events)
        keep = [i for i, ev in enumerate(events) if ev.targets]
        events = [events[i] for i in keep]
        out_spans = [out_spans[i] for i in keep]
        doc._.ipkg_events = events
        doc.spans["ipkg_events"] = out_spans
        return doc

    def _pick(self, doc: Doc, cands: list[Trigger], s: int) -> Trigger:
        if len(cands) == 1:
            return cands[0]
        kinds = {c.kind for c in cands}
        if "appeal" in kinds and "meeting" in kinds:
            # "called on X to ..." is an appeal; "called on X" (a courtesy call) is a meeting
            sent = doc[s].sent
            rest = [t.lower_ for t in doc[s : sent.end]]
            wanted = "appeal" if "to" in rest[: rest.index(",") if "," in rest else len(rest)] else "meeting"
            return next(c for c in cands if c.kind == wanted)
        k = s - 1
        while k > 0 and s - k <= 3 and doc[k].is_alpha and doc[k].is_lower and doc[k].lower_ not in _DETERMINERS:
            k -= 1
        nominal_context = k >= 0 and (doc[k].lower_ in _DETERMINERS or doc[k].text in self._demonyms() or (k + 1) in self._end_at)
        pref = [c for c in cands if (c.frame == "nominal") == nominal_context]
        return (pref or cands)[0]

    def _arguments(self, doc: Doc, trig: Trigger, s: int, e: int, sent: Span) -> EventMention | None:
        category = self.kinds[trig.kind].category
        place: Mention | None = None
        actors: list[Mention] = []
        targets: list[Mention] = []
        if trig.frame == "svo":
            actors = self._clause_subject = self.subject(doc, s, sent) or self._the_two(doc, s, sent)
            targets = self.object(doc, e, sent)
        elif trig.frame == "reverse":
            by = e
            if doc[e - 1].lower_ != "by":
                by = next((c + 1 for c in range(e, min(sent.end, e + 12)) if doc[c].lower_ == "by"), e)
                if any(t.text in ",;" for t in doc[e:by]):
                    by = e
            actors, targets = self.object(doc, by, sent), self.subject(doc, s, sent)
        elif trig.frame == "nominal":
            actors = self.possessor(doc, s, sent)
            if not actors and category in ("meeting", "visit") and s - 2 >= sent.start and doc[s - 2].lower_ in ("during", "at", "in") and doc[s - 1].lower_ in ("a", "an", "the"):
                actors = self._sentence_subject(doc, sent, s)
            if not actors and category == "meeting":
                actors = self._host_of_nominal(doc, s, sent)
            if not actors and e < sent.end and doc[e].lower_ == "by":
                actors = self.object(doc, e + 1, sent, window=1)
                after = actors[-1].end if actors else e
                targets = self.object(doc, after, sent, window=4) if after > e else []
            else:
                targets = self.object(doc, e, sent, window=4)
            after = e
            while after < sent.end and (self._in_date[after] or (doc[after].lower_ in ("on", "in") and after + 1 < sent.end and self._in_date[after + 1])):
                after += 1
            if (doc[e - 1].lower_ == "between" or (after < sent.end and doc[after].lower_ == "between")) and len(targets) >= 2:
                actors, targets = targets[:1], targets[1:]
                k = targets[-1].end
                if k + 2 < sent.end and doc[k].text == "," and doc[k + 1].lower_ in ("alongside", "accompanied") and (k + 2) in self._start_at:
                    actors = actors + [self._start_at[k + 2]]  # "between A and B, alongside C": C came with A
            if not actors and doc[sent.start].lower_ in ("in", "during", "at") and s - sent.start <= 3:
                comma = next((c for c in range(e, sent.end) if doc[c].text == ","), None)
                if comma is not None:
                    actors = self.object(doc, comma + 1, sent, window=2)
                    if not actors and comma + 1 < sent.end and doc[comma + 1].lower_ in ("he", "she"):
                        p = self._pronoun(doc, comma + 1, sent)
                        actors = [p] if p else []
        elif trig.frame == "pair":
            actors = self.subject(doc, s, sent) or self._the_two(doc, s, sent)
            targets = self.object(doc, e, sent)
            if not targets and len(actors) >= 2:
                actors, targets = actors[:1], actors[1:]
                if len(targets) >= 2 and category == "meeting":
                    self._pending_pairs = [(a, b) for i, a in enumerate(targets) for b in targets[i + 1 :]]
        if category == "agreement" and trig.frame == "reverse":
            # "the agreement, brokered by C, was signed by A and B": the subject is the agreement
            actors, targets = (actors[:1], actors[1:]) if len(actors) >= 2 else ([], [])
        if category == "visit" and actors and not targets and doc[e - 1].lower_.startswith("arriv"):
            targets = self._dateline_place(doc)  # "ISLAMABAD — X arrived on Thursday"
        if category == "strike" and actors and not targets:
            territory = self._territory(doc, sent, {a.key for a in actors}, after=e)
            targets = [territory] if territory is not None else []
        if category == "strike" and actors and not targets:
            located = self._located_state(doc, e, sent)
            if located is not None and located[0].key not in {a.key for a in actors}:
                targets, place = [located[0]], located[1]
                if place is None:
                    targets = [m for m in self._coordinated_right(doc, located[0], sent.end) if m.type == "State"]
        if category == "statement":
            actors, targets = self._stance_arguments(doc, trig, s, e, sent, actors, targets)
        if category == "statement" and actors:
            actors = self._reporter(doc, actors, sent) or actors
        if trig.kind in _TOWARD_OTHERS and actors and targets:
            targets = self._other_than_own(doc, actors, targets, sent)
        if trig.pattern.startswith("killed") and not all(a.type in _ARMED for a in actors):
            return None
        if category == "strike" and not actors and trig.frame != "claim":
            self._remember_orphan(doc, trig, s, e, sent, targets)
            return None
        if trig.frame == "claim":
            return self._claimed(doc, trig, s, e, sent)
        if not actors or (not targets and trig.kind != "deny"):
            return None
        targets = [t for t in targets if t.key not in {a.key for a in actors}]
        if not targets and trig.kind != "deny":
            return None
        if category == "visit":
            dest = []
            for t in targets:
                if t.type == "Place" and t.key in self.gaz.entries:
                    place = t
                    state = self._state_of_place(t)
                    if state:
                        dest.append(self._standing_for(t, state))
                elif t.type == "State":
                    dest.append(t)
            self._next_leg = self._second_leg(doc, targets[-1] if targets else None, sent)
            targets = dest[:1]
            actors = [a for a in actors if a.type in _STATEISH and not (targets and self._state_of(a) == targets[0].key)]
            if not targets or not actors:
                return None
        elif category == "strike":
            territory = self._territory(doc, sent, {a.key for a in actors})
            if territory is not None:
                targets = [territory]
            elif not targets:
                located = self._located_state(doc, e, sent)
                if located is not None and located[0].key not in {a.key for a in actors}:
                    targets, place = [located[0]], located[1]
        elif category == "recognition":
            if not all(m.type == "State" for m in actors + targets):
                return None
        elif category in ("meeting", "statement", "agreement", "other"):
            if any(m.type in ("Place", "Project") for m in actors):
                return None
        if category == "agreement":
            parties = self._as_parties(actors + targets)
            if sum(p.type == "State" for p in parties) >= 2:
                parties = [p for p in parties if p.type == "State"]  # an organisation named is what they founded or joined
            if len(parties) < 2:
                return None
            actors, targets = parties[:1], parties[1:]
        if place is None:
            place = self._place(doc, sent, actors + targets, s)
        return EventMention(trig.kind, s, e, actors, targets, place)

    def _visit_to(self, place: Mention, first: EventMention, days: int) -> EventMention | None:
        state = self._state_of_place(place)
        if not state or (first.targets and first.targets[0].key == state):
            return None
        dest = self._standing_for(place, state)
        visit = EventMention(first.kind, first.start, first.end, list(first.actors), [dest], place if place.type == "Place" else None)
        if first.date and len(first.date) == 10:
            visit.date = (dt.date.fromisoformat(first.date) + dt.timedelta(days=days)).isoformat()
        else:
            visit.date = first.date
        return visit

    def _dateline_place(self, doc: Doc) -> list[Mention]:
        """The place of a report's dateline ("ISLAMABAD —", "TEHRAN, April 22 —"), if it has one."""
        for sent in doc.sents:
            if not any(not self._junk[t.i] and not t.is_space for t in sent):
                continue
            dash = next((t.i for t in sent[:8] if t.text in ("—", "–")), None)
            if dash is None:
                return []
            places = [m for m in self._mentions if sent.start <= m.start < dash and m.type == "Place"]
            if not places and doc[sent.start].is_upper:
                iri = self.gaz.by_label().get(doc[sent.start].text.title())
                entry = self.gaz.entries.get(iri) if iri else None
                if entry is not None and entry.type == "Place":
                    t = doc[sent.start]
                    places = [Mention(t.i, t.i + 1, t.i, t.i + 1, entry.iri, entry.label, entry.type, t.text, "dateline")]
            if places and all(t.is_punct or t.is_title or t.is_upper or self._in_date[t.i] or t.is_digit for t in doc[sent.start : dash]):
                return places[:1]
            return []
        return []

    def _second_leg(self, doc: Doc, first: Mention | None, sent: Span) -> tuple[Mention, int] | None:
        """ "flew to Riyadh on January 18 and to Tehran the next day": the second destination and
        how many days after the first it was reached."""
        if first is None:
            return None
        k = first.end
        while k < sent.end and (self._in_date[k] or doc[k].lower_ in ("on", "in")):
            k += 1
        if not (k + 2 < sent.end and doc[k].lower_ == "and" and doc[k + 1].lower_ == "to" and (k + 2) in self._start_at):
            return None
        nxt = self._start_at[k + 2]
        tail = [t.lower_ for t in doc[nxt.end : min(sent.end, nxt.end + 4)]]
        days = 1 if tail[:3] in (["the", "next", "day"], ["the", "following", "day"]) or tail[:3] == ["a", "day", "later"] else 0
        return nxt, days

    def _as_parties(self, mentions: list[Mention]) -> list[Mention]:
        """The parties to an agreement: the states (or organisations) its signatories act for."""
        out: dict[str, Mention] = {}
        for m in mentions:
            state = self._state_of(m) if m.type in ("Person", "State", "GovernmentBody") else None
            after = self._start_at.get(m.end + 1)
            if state is None and m.type == "Person" and after is not None and after.type == "State" and self._doc[m.end].lower_ == "of":
                state = after.key  # "President Cemal Gürsel of Turkey"
            if state and state in self.gaz.entries:
                out.setdefault(state, m if m.key == state else self._standing_for(m, state, "signatory-of"))
            elif m.type in ("InternationalOrganization", "ArmedGroup"):
                out.setdefault(m.key, m)
        return list(out.values())

    def _remember_orphan(self, doc: Doc, trig: Trigger, s: int, e: int, sent: Span, targets: list[Mention]) -> None:
        """An attack told without its author ("a suicide bombing killed 27 members of the IRGC"),
        kept for a claim of responsibility that may follow."""
        if not targets:
            victims = _VICTIMS.search(doc[e : sent.end].text)
            if victims:
                start = doc[e].idx + victims.start("org")
                targets = [m for m in self._mentions if m.start >= e and doc[m.start].idx >= start][:1]
        if not targets:
            located = self._located_state(doc, e, sent)
            targets = [located[0]] if located else []
        if not targets:
            return
        orphan = EventMention(trig.kind, s, e, [], targets[:1], self._place(doc, sent, targets, s))
        self._date(doc, orphan, sent, getattr(self, "_events", []))
        orphan.casualties = self._casualties(sent.text)
        self._orphans.append(orphan)

    def _claimed(self, doc: Doc, trig: Trigger, s: int, e: int, sent: Span) -> EventMention | None:
        """ "X claimed the attack", "... attack, which X claimed": X carried out the attack told
        just before (in this sentence or the two before it)."""
        actors = [m for m in self.subject(doc, s, sent) if m.type in ("ArmedGroup", "State", "MilitaryOrganization")]
        if not actors:
            return None
        bare = e - s == 1
        k = actors[0].start - 1
        while k > sent.start:
            if doc[k].text in ("'s", "’s"):
                k -= 1
            elif (k + 1) in self._end_at:
                k = self._end_at[k + 1].start - 1
            else:
                break
        relative = k >= sent.start and doc[k].lower_ in ("which", "that")
        if bare and not relative:
            return None  # a bare "claimed" is a claim of responsibility only in "an attack, which X claimed"
        back = sent.start if bare else self._sentence_back(doc, sent, 2)
        recent = [o for o in self._orphans if o.start < s and doc[o.start].sent.start >= back]
        if not recent:
            return None
        attack = recent[-1]
        self._orphans.remove(attack)
        told = EventMention(attack.kind, attack.start, attack.end, actors, list(attack.targets), attack.place, attack.date, attack.end_date, attack.casualties)
        self._extra_events.append(told)
        return EventMention(attack.kind, s, e, actors, list(attack.targets), attack.place, attack.date, attack.end_date, attack.casualties)

    @staticmethod
    def _sentence_back(doc: Doc, sent: Span, n: int) -> int:
        start = sent.start
        for _ in range(n):
            if start == 0:
                break
            start = doc[start - 1].sent.start
        return start

    def _host_of_nominal(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """Who held a meeting told as a noun: "Rouhani said on Monday after talks with Y" (the
        subject of the verb the phrase hangs on), "X's visit to Z included a meeting with Y"
        (the visitor)."""
        visits = [ev for ev in getattr(self, "_events", []) if sent.start <= ev.start < s and self.kinds[ev.kind].category == "visit"]
        if visits and all(m.type == "Person" for m in visits[-1].actors):
            return list(visits[-1].actors)
        k = s - 1
        if k >= sent.start and doc[k].lower_ in ("a", "an", "the"):
            k -= 1
        if k < sent.start or doc[k].lower_ not in ("after", "following"):
            return []
        k -= 1
        while k >= sent.start and (self._in_date[k] or doc[k].lower_ in ("on", "in", "shortly", "soon", "just", ",")):
            k -= 1
        if k < sent.start or not doc[k].is_alpha or not doc[k].is_lower:
            return []
        return [m for m in self.subject(doc, k, sent) if m.type in _STATEISH]

    def _sentence_subject(self, doc: Doc, sent: Span, before: int) -> list[Mention]:
        """The actor group a sentence opens with ("On Monday, Dar ...", "Dar ..."), if any."""
        k = sent.start
        while k < before and (self._in_date[k] or doc[k].lower_ in ("on", "in", ",", "later", "earlier", "meanwhile")):
            k += 1
        m = self._start_at.get(k)
        if m is None and doc[k].lower_ in ("during", "at", "in") and k == before - 2:
            # "During a visit to Tehran, Zardari and ... signed": the subject after the phrase
            comma = next((c for c in range(before, min(sent.end, before + 10)) if doc[c].text == ","), None)
            m = self._start_at.get(comma + 1) if comma is not None else None
        if m is None or m.type in ("Place", "Project"):
            return []
        return self._coordinated_right(doc, m, sent.end)

    def _the_two(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """ "The two (leaders) met": the two parties of the last event told before."""
        k = s - 1
        while k >= sent.start and (doc[k].lower_ in _SKIP_LEFT or (doc[k].is_alpha and doc[k].lower_.endswith("ly") and len(doc[k]) > 4)):
            k -= 1
        wanted: set[str] | None = None
        if k >= sent.start and doc[k].is_lower and doc[k].lower_ in _TWO_NOUNS:
            wanted = {"Person"} if doc[k].lower_ in _TWO_PERSONS else {"State"}
            k -= 1
        if k - 1 < sent.start or doc[k].lower_ not in ("two", "three") or doc[k - 1].lower_ != "the":
            return []
        n = 2 if doc[k].lower_ == "two" else 3
        for ev in reversed([ev for ev in getattr(self, "_events", []) if ev.start < sent.start]):
            parties = {m.key: m for m in ev.actors + ev.targets}
            if wanted == {"State"}:
                parties = {m.key: m for m in self._as_parties(list(parties.values()))}
            if len(parties) == n and (wanted is None or all(m.type in wanted for m in parties.values())):
                return list(parties.values())
        return []

    def _visits_from_talks(self, doc: Doc, events: list[EventMention]) -> list[EventMention]:
        """Talks held in a city of one state by someone from another state, with someone of
        the host state, are that visitor's visit ("Khan and Rouhani held talks in Tehran")."""
        out: list[EventMention] = []
        for ev in events:
            if self.kinds[ev.kind].category != "meeting" or ev.place is None:
                continue
            entry = self.gaz.entries.get(ev.place.key)
            host = entry and (entry.capital_of or entry.part_of)
            if not host or host not in self.gaz.entries:
                continue
            parties = ev.actors + ev.targets
            resident = {p.person.key for p in doc._.ipkg_positions or [] if p.office_label.lower() in _RESIDENT_OFFICES}
            visitors = [m for m in parties if m.type == "Person" and self._state_of(m) not in (None, host) and m.key not in resident]
            hosts = [m for m in parties if self._state_of(m) == host]
            if not visitors or not hosts or len(visitors) + len(hosts) != len(parties):
                continue
            if any(o.kind == "visit" and {m.key for m in o.actors} >= {m.key for m in visitors} and o.targets and o.targets[0].key == host for o in events):
                continue
            visit = EventMention("visit", ev.start, ev.end, visitors, [self._standing_for(ev.place, host)], ev.place)
            visit.date, visit.end_date = ev.date, ev.end_date
            out.append(visit)
        return out

    def _other_than_own(self, doc: Doc, actors: list[Mention], targets: list[Mention], sent: Span) -> list[Mention]:
        """ "Sharif pledged that Pakistan would not allow its soil to be used against Iran": a
        pledge, thanks or support is not about the speaker's own state; the other state the
        clause names is (or none)."""
        own = {self._state_of(a) for a in actors if a.type == "Person"} - {None}
        if not own or not all(t.key in own for t in targets):
            return targets
        later = [m for m in self._mentions if m.start >= targets[-1].end and m.start < sent.end and m.type == "State" and m.key not in own]
        clause_end = next((k for k in range(targets[-1].end, sent.end) if doc[k].text in (";", ".")), sent.end)
        return [m for m in later if m.start < clause_end][:1]

    def _reporter(self, doc: Doc, actors: list[Mention], sent: Span) -> list[Mention]:
        """ "He reiterated that Pakistan stands with Iran": a stance in a clause reported by a
        speech verb belongs to whoever reports it."""
        k = actors[0].start - 1
        if k >= sent.start and doc[k].lower_ == "that":
            k -= 1
        while k >= sent.start and (self._in_date[k] or doc[k].lower_ in ("also", "again", "repeatedly", "once", "on", "in")):
            k -= 1
        if k >= sent.start and doc[k].lower_ not in self._speech_verbs():
            # "told his weekly briefing on Thursday that ...": skip the audience
            j = k
            while j >= max(sent.start, k - 4) and doc[j].is_lower and doc[j].is_alpha and doc[j].lower_ not in _TELL and doc[j].lower_ not in ("and", "but", "or", "while"):
                j -= 1
            if j >= sent.start and doc[j].lower_ in _TELL and j < k:
                k = j
        if k < sent.start or doc[k].lower_ not in self._speech_verbs():
            return []
        return self.subject(doc, k, sent)

    def _stance_arguments(
        self, doc: Doc, trig: Trigger, s: int, e: int, sent: Span, actors: list[Mention], targets: list[Mention]
    ) -> tuple[list[Mention], list[Mention]]:
        """Speaker and addressee of a stance that the plain frame left open: a verb coordinated
        with an earlier one ("X telephoned Y, condemned Z"), "both leaders", the content of a
        claim, or the author of "the attack" condemned."""
        if trig.frame == "nominal" and actors and any(doc[c].lower_ in _IRREALIS for c in range(actors[-1].end, s)):
            return [], targets
        if not actors and trig.frame == "svo":
            actors = self._both(doc, s, sent) or self._coordinated_subject(doc, s, sent) or self._people_speaker(doc, s, sent)
        if not targets and trig.kind == "claim":
            targets = self._claim_about(doc, e, sent)
        if trig.kind == "condemn":
            targets = self._attacker(doc, e, sent) or targets  # "condemned the attack as a violation of Iran's ...": its author
        if not targets and trig.kind == "pledge":
            targets = self.object(doc, e, sent, window=12)
        if trig.kind in ("praise", "thank") and any(t.lower_ in ("as", "forget") for t in doc[s:e]):
            targets = [m for m in self._mentions if s <= m.start and m.end < e and doc[m.end].text in ("'s", "’s")][:1]
        if trig.kind == "support" and doc[e - 1].lower_ in ("solidarity", "support") and actors:
            targets = self._counterpart_state(doc, s, sent, actors)
        return actors, targets

    def _counterpart_state(self, doc: Doc, s: int, sent: Span, actors: list[Mention]) -> list[Mention]:
        """ "X telephoned Y to ... reiterate Pakistan's solidarity": solidarity named without its
        object goes to the state of the one X called or met earlier in the sentence."""
        keys = {m.key for m in actors}
        calls = [ev for ev in getattr(self, "_events", []) if sent.start <= ev.start < s and self.kinds[ev.kind].category == "meeting" and {m.key for m in ev.actors} == keys]
        if not calls or len(calls[-1].targets) != 1:
            return []
        other = calls[-1].targets[0]
        state = self._state_of(other)
        if state is None or state not in self.gaz.entries or state in {self._state_of(m) for m in actors}:
            return []
        return [self._standing_for(other, state)]

    def _coordinated_subject(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """ "X defended the strike and claimed ...", "X telephoned Y to convey condolences,
        condemn Z": the subject of the clause's first verb, for a verb coordinated after it."""
        k = s - 1
        while k >= sent.start and (doc[k].is_alpha and doc[k].lower_.endswith("ly") and len(doc[k]) > 4 or doc[k].lower_ in ("also", "then", "again")):
            k -= 1
        if k < sent.start or doc[k].lower_ not in ("and", "but", ","):
            return []
        for v in range(sent.start, k):
            t = doc[v]
            if self._in_date[v]:
                continue
            if t.lower_ in _CLAUSE_BREAK:
                return []
            if not (t.is_alpha and t.is_lower and (t.lower_.endswith("ed") or t.lower_ in self._speech_verbs())):
                continue
            if any(m.start <= v < m.end for m in self._mentions):
                continue
            found = self.subject(doc, v, sent)
            if found:
                context = [w.lower_ for w in doc[max(sent.start, v - 4) : v]]
                if any(w in _HABITUAL or w in _NEGATION for w in context) or any(w in _IRREALIS for w in context[-2:]):
                    return []
                if any(doc[c].lower_ in _CLAUSE_BREAK and not self._in_date[c] for c in range(v, k)):
                    return []
                return found
        return []

    def _recent_month(self, doc: Doc, ev: EventMention, events: list[EventMention], lines: int = 8) -> str | None:
        """The month of the last dated statement or meeting told within ``lines`` lines before an
        undated stance ("Sharif condemned X on Monday. ... He praised Y"), so that it is not
        merged with the same stance told of another occasion."""
        for prev in reversed(events):
            if self._paragraphs_between(doc, doc[prev.start].idx, doc[ev.start].idx) > lines:
                return None
            if prev.date and self.kinds[prev.kind].category in ("statement", "meeting"):
                return prev.date[:7]
        return None

    def _people_speaker(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """ "X said (, stressing) that Iranians will never forget ...": a people's feeling
        reported by a speaker is the speaker's stance."""
        k = s - 1
        while k >= sent.start and doc[k].text in _QUOTES:
            k -= 1
        if k < sent.start or not doc[k].is_title or k in self._end_at or (k + 1) in self._end_at:
            return []
        if k - 2 < sent.start or doc[k - 1].lower_ != "that" or doc[k - 2].lower_ not in self._speech_verbs():
            return []
        v = k - 2
        return self.subject(doc, v, sent) or (self._coordinated_subject(doc, v, sent) if doc[v - 1].text == "," else [])

    def _both(self, doc: Doc, s: int, sent: Span) -> list[Mention]:
        """ "Both leaders condemned ...": the two parties of the last meeting told before."""
        k = s - 1
        while k >= sent.start and (doc[k].is_alpha and doc[k].lower_.endswith("ly") and len(doc[k]) > 4 or doc[k].lower_ in _SKIP_LEFT):
            k -= 1
        if k - 1 < sent.start or doc[k - 1].lower_ != "both" or doc[k].lower_ not in _PARTY_NOUNS or k - 1 != sent.start:
            return []
        earlier = [ev for ev in getattr(self, "_events", []) if ev.start < sent.start and self.kinds[ev.kind].category == "meeting"]
        if not earlier:
            return []
        parties = {m.key: m for m in earlier[-1].actors + earlier[-1].targets}
        return list(parties.values()) if len(parties) == 2 else []

    def _claim_about(self, doc: Doc, e: int, sent: Span, window: int = 16) -> list[Mention]:
        """ "claimed that only members of X had been hit", "stated its targets were militant
        groups near the border, specifically X": the first actor the claimed clause names."""
        for m in self._mentions:
            if e <= m.start < min(sent.end, e + window) and m.type not in ("Place", "Project"):
                if any(doc[c].lower_ in _CLAUSE_BREAK or doc[c].text in _QUOTES for c in range(e, m.start)):
                    return []
                return [m]
        return []

    def _attacker(self, doc: Doc, e: int, sent: Span) -> list[Mention]:
        """ "condemned the attack": the attacker of the last strike told before, when the
        condemned noun names no one."""
        k = e
        if k < sent.end and doc[k].lower_ in ("the", "this", "that", "these", "those"):
            k += 1
        while k < sent.end and doc[k].lower_ in ("missile", "drone", "air", "aerial", "cross-border", "military", "deadly", "latest", "recent", "and"):
            k += 1
        if k >= sent.end or doc[k].lower_ not in _ATTACK_NOUNS:
            return []
        if k + 1 < sent.end and (doc[k + 1].lower_ in ("by", "of", "on", "against") or (k + 1) in self._start_at):
            return []
        strikes = [ev for ev in getattr(self, "_events", []) if ev.start < e and self.kinds[ev.kind].category == "strike"]
        if not strikes:
            return []
        last = strikes[-1]
        if self._paragraphs_between(doc, doc[last.start].idx, doc[e].idx) > 4:
            return []
        return list(last.actors[:1])

    def _located_state(self, doc: Doc, e: int, sent: Span) -> tuple[Mention, Mention | None] | None:
        """ "a strike in the province of Balochistan": the state where the first place after
        ``e`` lies (and that place); "in several Iranian provinces": the state of the demonym."""
        candidates = [m for m in self._mentions if m.type in ("Place", "State")]
        candidates += [self._demonym_mention(doc, k) for k in range(e, min(sent.end, e + 10)) if doc[k].text in self._demonyms() and k not in self._start_at]
        for m in sorted(candidates, key=lambda m: m.start):
            if m.start < e or m.start >= min(sent.end, e + 10):
                continue
            between = doc[e : m.start]
            if not any(t.lower_ in ("in", "inside", "on", "near", "into") for t in between) or any(t.text in ",;" for t in between):
                return None
            if m.type == "State":
                return m, None
            state = self._state_of_place(m)
            return (self._standing_for(m, state), m) if state else None
        return None

    def _territory(self, doc: Doc, sent: Span, actors: set[str], after: int = 0) -> Mention | None:
        """ "on Pakistani soil", "inside Iran's territory", "in Iranian airspace": the state hit
        (not one of the ``actors``), first after token ``after`` if there is one there."""
        ordered = sorted(self._mentions, key=lambda m: (m.start < after, m.start))
        for m in ordered:
            if not (sent.start <= m.start < sent.end) or m.type != "State" or m.end >= sent.end or m.key in actors:
                continue
            tail = doc[m.head_start + 1 : min(sent.end, m.end + 3)]
            if any(t.lower_ in _TERRITORY for t in tail) and m.start > 0 and doc[m.start - 1].lower_ in ("on", "in", "inside", "into", "within"):
                return m
        return None

    def _place(self, doc: Doc, sent: Span, args: list[Mention], at: int) -> Mention | None:
        """The place "in/at/near" which the event at token ``at`` happened: the nearest one in
        its clause (a semicolon or dash starts another)."""
        used = {id(m) for m in args}
        best: tuple[int, Mention] | None = None
        for m in self._mentions:
            if not (sent.start <= m.start < sent.end) or m.type != "Place" or id(m) in used or m.start == 0 or doc[m.start - 1].lower_ not in ("in", "at", "near"):
                continue
            lo, hi = sorted((m.start, at))
            if any(t.text in (";", "—", "–") for t in doc[lo:hi]):
                continue
            if best is None or abs(m.start - at) < best[0]:
                best = (abs(m.start - at), m)
        return best[1] if best else None

    def _offset_date(self, doc: Doc, ev: EventMention, sent: Span, previous: list[EventMention]) -> str | None:
        """ "..., a day after <event>", "<event> two days later", "the next day <event>": the day
        counted from the date the sentence (or the paragraph's last dated event) gives."""
        words = [t.lower_ for t in doc[sent.start : sent.end]]
        for i in range(len(words) - 1):
            k = sent.start + i
            nxt = words[i + 1 : i + 3]
            if words[i] == "the" and nxt in (["next", "day"], ["following", "day"]):
                days, direction, end = 1, "later", k + 3
            elif (words[i] == "the" and nxt[:1] == ["same"] and nxt[1:] in (["day"], ["evening"], ["morning"])) or (words[i] == "that" and nxt[:1] in (["day"], ["evening"])):
                days, direction, end = 0, "later", k + (3 if words[i] == "the" else 2)
            else:
                if not (words[i] in ("a", "one") or words[i] in _NUMBER_WORDS) or not nxt or nxt[0].rstrip("s") not in ("day", "week"):
                    continue
                n = 1 if words[i] in ("a", "one") else _NUMBER_WORDS[words[i]]
                days = n * (7 if nxt[0].startswith("week") else 1)
                direction = nxt[1] if len(nxt) > 1 else ""
                if direction not in ("after", "before", "later", "earlier"):
                    continue
                end = k + 3
            if direction in ("after", "before"):
                if not (end <= ev.start <= end + 12):
                    continue
                anchor = self._day_before(doc, sent.start, k)
                sign = -1 if direction == "after" else 1
            else:
                follows = end <= ev.start <= end + 6
                trails = ev.end <= k <= ev.end + 12 and not any(t.lower_ in (";", "and", "but", "then") for t in doc[ev.end : k])
                if not (follows or trails):
                    continue
                anchor = self._day_before(doc, sent.start, k)
                sign = 1 if direction == "later" else -1
            same = [p for p in previous if self.kinds[p.kind].category == self.kinds[ev.kind].category]
            anchor = anchor or next((p.date for p in [*reversed(same), *reversed(previous)] if p.date and len(p.date) == 10), None)
            if anchor is None:
                anchor = self._day_before(doc, self._paragraph_floor(doc, sent, 2), sent.start)
            if anchor is None:
                return None
            return (dt.date.fromisoformat(anchor) + dt.timedelta(days=sign * days)).isoformat()
        return None

    @staticmethod
    def _lines_back(doc: Doc, pos: int, n: int, counts: Callable[[int, int], bool]) -> int:
        """Walk back line by line from character ``pos`` until ``n`` lines for which
        ``counts(start, end)`` holds are passed; the start offset reached."""
        counted = 0
        while counted < n and pos > 0:
            end = pos - 1
            pos = doc_text(doc).rfind("\n", 0, max(end, 0)) + 1
            if counts(pos, end):
                counted += 1
        return pos

    def _paragraph_floor(self, doc: Doc, sent: Span, paragraphs: int) -> int:
        """The first token of the ``paragraphs``-th non-blank line before ``sent``'s own (its own
        line counts when ``sent`` does not open it)."""
        pos = self._lines_back(doc, doc[sent.start].idx, paragraphs, lambda a, b: bool(doc_text(doc)[a:b].strip()))
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span.start if span is not None else 0

    def _day_before(self, doc: Doc, lo: int, hi: int) -> str | None:
        days = [(span.start, iso) for span, iso, _e, adj in self._dates if iso and len(iso) == 10 and not adj and lo <= span.start and span.end <= hi]
        return max(days)[1] if days else None

    def _date(self, doc: Doc, ev: EventMention, sent: Span, previous: list[EventMention]) -> None:
        offset = self._offset_date(doc, ev, sent, previous)
        if offset is not None:
            ev.date = offset
            return
        best = None
        for span, iso, end_iso, adjectival in self._dates:
            between = doc[span.end : ev.start]
            if adjectival and iso is not None and span.end <= ev.start and len(between) <= 4 and all(t.is_lower and t.is_alpha for t in between) and doc[ev.start].lower_ not in self._speech_verbs():
                ev.date, ev.end_date = iso, end_iso
                return
        for span, iso, end_iso, adjectival in self._dates:
            if span.start < sent.start or span.end > sent.end or adjectival or iso is None:
                continue
            if any(m.start <= span.start < m.end for m in ev.targets):
                continue
            if self._is_dateline(doc, span, sent):
                continue
            dist = abs(span.start - ev.start)
            lo, hi = sorted((span.end, ev.start)) if span.start < ev.start else sorted((ev.end, span.start))
            if any(t.lower_ in ("and", "but", "while", "whereas") for t in doc[lo:hi]):
                dist += 20  # another clause's date ("flew in on Thursday and held talks on Friday")
            if any(t.lower_ in ("since", "after", "before", "until", "following") for t in doc[max(sent.start, span.start - 4) : span.start]) and not (span.start > ev.start and all(not t.is_punct for t in doc[ev.end : span.start]) and doc[span.start - 1].lower_ in ("since", "until")):
                dist += 1000  # "since taking office last August": another time, not the event's
            if span.start > ev.end and any(t.lower_ in ("since", "until") for t in doc[ev.end : span.start]) and doc[span.start - 1].lower_ not in ("since", "until"):
                continue  # "his first trip since sanctions were lifted in January": that clause's time
            if best is None or dist < best[0]:
                best = (dist, iso, end_iso)
        if best is not None:
            ev.date, ev.end_date = best[1], best[2]
            return
        para_start = doc_text(doc).rfind("\n", 0, doc[ev.start].idx) + 1
        keys = {m.key for m in ev.actors + ev.targets}
        for prev in reversed(previous):
            if doc[prev.start].idx < para_start:
                break
            if prev.date and keys & {m.key for m in prev.actors + prev.targets}:
                if ev.place is not None and prev.place is not None and ev.place.key != prev.place.key:
                    continue  # the same people somewhere else: another day, perhaps
                ev.date, ev.end_date = prev.date, prev.end_date
                return
        if not any(t.lower_ in _BACKGROUND for t in doc[sent.start : ev.start]):
            ev.date = self._narrative_time(doc, sent)

    @staticmethod
    def _is_dateline(doc: Doc, span: Span, sent: Span) -> bool:
        """ "ISLAMABAD, Jan 30 —", "Washington, February 6:": the report's date, not an event's."""
        if span.start - sent.start > 4 or span.end >= sent.end or doc[span.end].text not in ("—", "–", "-", ":"):
            return False
        before = doc[sent.start : span.start]
        if any(t.pos_ == "ADP" or t.lower_ in ("on", "in", "by", "at", "from", "since", "until", "after", "before") for t in before):
            return False  # "On June 13, 2025 — the day the war began — ...": the sentence's own date
        return all(t.is_punct or t.is_title or t.is_upper for t in before)

    def _narrative_time(self, doc: Doc, sent: Span, paragraphs: int = 6) -> str | None:
        """The month (or year) of the last date the narrative named before ``sent``, within the
        same paragraph or the ``paragraphs`` content paragraphs before it (there, a date that
        only modifies a noun, "Israel's June 13 attack", does not set the time); never a day,
        which the text did not give this event."""
        def content(start: int, end: int) -> bool:
            line = doc_text(doc)[start:end]
            first = doc.char_span(start, start + len(line.split(" ")[0]) if line else start, alignment_mode="expand")
            junk = first is not None and len(first) > 0 and bool(self._junk[first.start])
            return len(line.split()) >= 8 and not junk

        floor = self._lines_back(doc, doc[sent.start].idx, paragraphs, content)
        best: tuple[int, str] | None = None
        paragraph = doc_text(doc).rfind("\n", 0, doc[sent.start].idx) + 1
        for span, iso, _end, adjectival in self._dates:
            if iso is None or span.end > sent.start or doc[span.start].idx < floor or self._is_dateline(doc, span, span.sent):
                continue
            if adjectival and doc[span.start].idx < paragraph:
                continue
            if best is None or span.start > best[0]:
                best = (span.start, iso)
        return best[1][:7] if best else None

    @staticmethod
    def _casualties(text: str) -> int | None:
        for m in _KILLED.finditer(text):
            raw = (m.group("a") or m.group("b")).lower().replace(",", "")
            if raw.isdigit() and len(raw) == 4 and raw[:2] in ("18", "19", "20"):
                continue  # "In 2013 its fighters killed": a year
            return _NUMBER_WORDS.get(raw, None) if not raw.isdigit() else int(raw)
        return None

    def _link_denials(self, events: list[EventMention]) -> None:
        for i, ev in enumerate(events):
            if ev.kind != "deny":
                continue
            deniers = {m.key for m in ev.actors}
            for prev in reversed(events[:i]):
                if prev.kind == "claim" and deniers & {m.key for m in prev.targets}:
                    ev.denies = prev
                    if not ev.targets:
                        ev.targets = list(prev.actors)
                    break

    def _link_allegations(self, doc: Doc, events: list[EventMention]) -> None:
        """A denial that names no one answers the last accusation or claim told before it in the
        same or the previous paragraph: one aimed at the denier ("A accused B ... B denied any
        link"), or any other speaker's when "these allegations" are denied."""
        for i, ev in enumerate(events):
            if ev.kind != "deny" or ev.targets or ev.denies is not None:
                continue
            deniers = {m.key for m in ev.actors}
            anaphoric = any(t.lower_ in _ALLEGATION_NOUNS for t in doc[ev.end : min(len(doc), ev.end + 3)])
            for prev in reversed(events[:i]):
                if doc_text(doc).count("\n", doc[prev.start].idx, doc[ev.start].idx) > 4:
                    break
                if prev.kind not in ("claim", "accuse") or deniers & {m.key for m in prev.actors}:
                    continue
                if anaphoric or deniers & {m.key for m in prev.targets}:
                    ev.denies = prev
                    ev.targets = list(prev.actors)
                    break
