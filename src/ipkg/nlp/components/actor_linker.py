"""Actor mentions: gazetteer entities plus the constructions news English uses for actors.

Runs after the gazetteer ``span_ruler`` (``doc.ents`` with label = actor type and
``ent_id_`` = actor IRI). It adds

- titled persons: "Pakistani Prime Minister Shehbaz Sharif", "Iran's Ambassador to Pakistan,
  Reza Amiri Moghaddam", "Field Marshal Asim Munir", with the office as a position;
- appositions: "Ali Larijani, Secretary of Iran's Supreme National Security Council",
  "the late X, then commander of Y";
- people the gazetteer does not know: speakers ("Khalid noted", "according to X") and names
  with an office in apposition ("Reza Karimi, deputy governor of Sistan and Baluchestan");
- short forms (surnames, "the Senate") resolved to a full mention earlier in the document;
- institutions named by a short form the context settles: "Chinese foreign ministry",
  "the Foreign Office in Islamabad", "Foreign Office spokesperson X" (the ministry is the office's org);
- "his Iranian counterpart X" (the office of the person before), "its spokeswoman, X" (the
  organisation before), "President X of Turkey", and a province the gazetteer knows for a
  sub-national office ("Chief Minister X" of Sindh);
- capitals used for their governments ("Tehran said") and kept as places after a preposition
  ("the streets of Islamabad");
- states behind demonyms and possessives: "Iranian officials", "Pakistan's top leaders",
  "the Israeli aggression".

Not actors: weekdays, months and institution nouns read as names ("Wednesday said"), names
glued to "non-" ("non-NATO ally"), places inside event, treaty and corridor names ("Bangladesh
Liberation War", "Treaty of Izmir"), short forms inside longer names ("Gulf of Aden").

The result is ``doc._.ipkg_mentions`` (list of :class:`Mention`), ``doc._.ipkg_positions`` and
``doc.ents`` set to the mention heads (label = type, ``kb_id_`` = actor key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import Namespace

from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, IS_STOP, IS_UPPER, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ...resources import Gazetteer, load_gazetteer, load_nominals, load_speech_verbs, ontology_dir, read_turtle
from ..annotations import Mention, PositionMention, doc_text, sentence_bounds, token_columns, token_lowers, token_texts
from .cleaner import junk_mask

__all__ = ["ActorLinker", "load_tenures", "new_actor_key"]

_IPKG = Namespace("https://w3id.org/ipkg/ontology#")

_POSSESSIVE = {"'s", "’s", "'", "’"}
_PARTICLES = {"al", "ul", "ud", "ur", "bin", "ibn", "e", "el", "de", "van", "von", "der", "da", "di"}
_STATUS = {"then": "then", "former": "former", "late": "late", "ex": "former", "current": "current", "now": "current"}
_TITLE_FILLER = {"top", "senior", "chief", "then", "former", "late", "deputy", "acting", "military", "civilian", "new", "current", "interim", "caretaker", "ex", "-", "the"}
_LOCATIVE = {"in", "at", "to", "from", "near", "into", "across", "outside", "inside", "around", "via", "toward", "towards", "through", "reached", "reach"}
_PLACE_NOUNS = {"streets", "city", "capital", "outskirts", "centre", "center", "heart", "suburbs", "airport", "skies"}
_NAME_TOKEN = re.compile(r"^[A-Z][a-zà-ÿ'’]+(?:[A-Z][a-zà-ÿ]+)?$")
_FUNCTION_WORDS = {"with", "to", "for", "of", "the", "a", "an", "in", "on", "at", "by", "from", "and", "or", "that", "which", "who"}
_WORD_NUMBERS = {"a", "an", "the", "this", "that"}
_GLUED = re.compile(r"[^\w'’]")
_DETERMINERS = {"the", "a", "an", "other", "many", "some", "several", "all", "these", "those", "both", "most", "few", "each", "every", "no"}
_NEGATING_PREFIXES = {"non"}
_TITLE_OPENERS = _TITLE_FILLER | set(_STATUS) | {"its"}


def new_actor_key(type_: str, label: str) -> str:
    """Identity of an actor the gazetteer does not know.

    Examples
    --------
    >>> new_actor_key("Person", "Gaurav Arya")
    'new:Person:Gaurav Arya'
    """
    return f"new:{type_}:{label}"


@lru_cache(maxsize=8)
def load_tenures(folder: str | None = None) -> dict[tuple[str, str], frozenset[str]]:
    """The organisations the gazetteer says a person held an office of.

    Parameters
    ----------
    folder
        The ontology folder; defaults to :func:`ipkg.resources.ontology_dir`.

    Returns
    -------
    dict
        ``(person IRI, office IRI)`` -> the organisation IRIs of that person's tenures of the office.

    Examples
    --------
    >>> load_tenures()[("https://w3id.org/ipkg/id/actor/murad-ali-shah", "https://w3id.org/ipkg/id/office/chief-minister")]
    frozenset({'https://w3id.org/ipkg/id/actor/sindh'})
    """
    g = read_turtle(Path(folder or ontology_dir()) / "actors.ttl")
    out: dict[tuple[str, str], set[str]] = {}
    for person, tenure in g.subject_objects(_IPKG.holds):
        office, org = g.value(tenure, _IPKG.office), g.value(tenure, _IPKG.organization)
        if office is not None and org is not None:
            out.setdefault((str(person), str(office)), set()).add(str(org))
    return {k: frozenset(v) for k, v in out.items()}


class ActorLinker:
    """spaCy component: turns gazetteer entities and titled names into canonical actor mentions."""

    def __init__(self, nlp: Language, name: str = "ipkg_actor_linker", *, ontology: str | None = None) -> None:
        self.name = name
        self.gaz: Gazetteer = load_gazetteer(ontology)
        lexicon = load_nominals(ontology)
        self.nominals = {w: c for w, c in lexicon.items() if c not in ("notname", "namehead")}
        self.name_heads = frozenset(w for w, c in lexicon.items() if c == "namehead")
        self.not_names = frozenset(w for w, c in lexicon.items() if c == "notname")
        self.tenures = load_tenures(ontology)
        self.speech = load_speech_verbs(ontology)
        self.demonyms = self.gaz.demonyms()
        self.anaphoric = self.gaz.anaphoric()
        self.form_order = {form: i for i, form in enumerate(self.anaphoric)}
        self.form_sizes = sorted({len(form.split()) for form in self.anaphoric})
        self.offices = PhraseMatcher(nlp.vocab, attr="LOWER")
        for iri, office in self.gaz.offices.items():
            self.offices.add(iri, [nlp.make_doc(f) for f in office.forms])
        self.short_forms = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form in self.anaphoric:
            self.short_forms.add(form, [nlp.make_doc(form)])
        self.owned_lower: dict[str, list[str]] = {}
        for form, keys in self.anaphoric.items():
            if form.lower() not in self.nominals and any(self.gaz.entries[k].part_of and self.gaz.entries[k].type != "Person" for k in keys):
                self.owned_lower.setdefault(form.lower(), []).extend(k for k in keys if k not in self.owned_lower.get(form.lower(), []))
        self.owned_forms = PhraseMatcher(nlp.vocab, attr="LOWER")
        for form in self.owned_lower:
            self.owned_forms.add(form, [nlp.make_doc(form)])
        for ext in ("ipkg_mentions", "ipkg_positions"):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=None)

    # ------------------------------------------------------------------ helpers

    def _entry_mention(self, span: Span, start: int, end: int, source: str) -> Mention | None:
        entry = self.gaz.entries.get(span.id_)
        if entry is None:
            return None
        return Mention(start, end, span.start, span.end, entry.iri, entry.label, entry.type, span.text, source)

    def _name_run(self, doc: Doc, i: int, limit: int, sent_end: int, stop: Iterable[int] = ()) -> int:
        """End of a run of capitalised name tokens starting at ``i`` (``i`` when there is none)."""
        j = i
        stops = set(stop)
        while j < min(sent_end, i + limit):
            if j in stops:
                break
            text = self._texts[j]
            if _NAME_TOKEN.match(text) and not self._junk[j] and self._lowers[j] not in self.not_names:
                j += 1
            elif text in ("-", "‐") and j > i and j + 1 < sent_end and (self._texts[j + 1].lower() in _PARTICLES or _NAME_TOKEN.match(self._texts[j + 1])) and not self._spaces[j] and not self._spaces[j - 1]:
                j += 1
            elif text.lower() in _PARTICLES and j > i and j + 1 < sent_end and (_NAME_TOKEN.match(self._texts[j + 1]) or self._texts[j + 1] == "-"):
                j += 1
            else:
                break
        while j > i and (self._texts[j - 1] in ("-", "‐") or self._texts[j - 1].lower() in _PARTICLES):
            j -= 1
        if j < len(doc) and self._texts[j] in ("-", "‐") and not self._spaces[j - 1]:
            return i
        if i < j < len(doc) and self._junk[j] and _NAME_TOKEN.match(_GLUED.split(self._texts[j])[0]):
            return i
        return j

    def _span_text(self, doc: Doc, start: int, end: int) -> str:
        """``doc[start:end].text``, cut from the Doc's text without making a ``Span``."""
        end = min(end, len(doc))
        if start >= end:
            return ""
        return doc_text(doc)[self._idx[start] : self._idx[end - 1] + len(self._texts[end - 1])]

    # ------------------------------------------------------------------ main

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        sent_of = [0] * n
        sent_end_of = [n] * n
        for k, (s_start, s_end) in enumerate(sentence_bounds(doc)):
            sent_of[s_start:s_end] = [k] * (s_end - s_start)
            sent_end_of[s_start:s_end] = [s_end] * (s_end - s_start)
        junk = self._junk = junk_mask(doc)
        texts = self._texts = token_texts(doc)
        lowers = self._lowers = token_lowers(doc)
        self._idx, spaces, stops, lower_flags, alphas, uppers, sent_starts = token_columns(doc, [IDX, SPACY, IS_STOP, IS_LOWER, IS_ALPHA, IS_UPPER, SENT_START])
        starts = [v == 1 for v in sent_starts]
        self._spaces, self._stops, self._lower_flags, self._alphas, self._uppers, self._starts = spaces, stops, lower_flags, alphas, uppers, starts
        ents = {
            e.start: e
            for e in doc.ents
            if not any(junk[e.start : e.end])
            and not (e.end < n and texts[e.end] in ("$", "¢") and not spaces[e.end - 1])
            and not self._negated(doc, e.start)
            and not self._inside_name(doc, e)
        }
        offices: dict[int, tuple[int, str]] = {}
        for match_id, o_start, o_end in sorted(self.offices(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            if o_start not in offices and not junk[o_start]:
                offices[o_start] = (o_end, doc.vocab.strings[match_id])
        name_stops = {k for k, (_, iri) in offices.items() if not self.gaz.offices[iri].is_rank}
        self._yield_to_offices(doc, ents, offices)
        self._institutions(doc, ents, offices, junk, texts)
        mentions: list[Mention] = []
        positions: list[PositionMention] = []
        taken = [False] * n
        surname_keys: dict[str, list[tuple[int, str]]] = {}

        def is_person_ent(i: int) -> bool:
            return i in ents and ents[i].label_ == "Person"

        def state_at(i: int) -> tuple[str | None, int]:
            """A possessor or demonym at ``i``: (state or org IRI, end index of the cue)."""
            if i >= n:
                return None, i
            if i in ents and ents[i].label_ != "Person":
                e = ents[i]
                if e.end < n and texts[e.end] in _POSSESSIVE:
                    return e.id_, e.end + 1
                if e.end < n and (e.end in offices) and sent_of[e.end] == sent_of[i]:
                    return e.id_, e.end
            if texts[i] in self.demonyms:
                return self.demonyms[texts[i]], i + 1
            return None, i

        def add(m: Mention) -> None:
            mentions.append(m)
            for k in range(m.start, m.end):
                taken[k] = True
            if m.type == "Person" and m.head_end - m.head_start >= 2:
                surname_keys.setdefault(texts[m.head_end - 1], []).append((m.head_start, m.key))

        # 1. titled persons: [possessor|demonym] (office|rank|filler)+ [of|to ORG] [,] NAME
        i = 0
        while i < n:
            named = i in offices or i in ents or texts[i] in self.demonyms
            opens = lowers[i] in _TITLE_OPENERS and i + 1 < n and ((i + 1) in offices or lowers[i + 1] in _TITLE_OPENERS or texts[i + 1] == "-")
            if taken[i] or junk[i] or not (named or opens) or is_person_ent(i):
                i += 1
                continue
            start = i
            status = "current"
            org, j = state_at(i)
            if lowers[i] == "its" and i + 1 < n and ((i + 1) in offices or lowers[i + 1] in _TITLE_FILLER):
                org, j = self._antecedent_org(doc, i, ents, sent_of), i + 1
            if lowers[i] in ("the",) and i + 1 < n and lowers[i + 1] in _STATUS:
                j = i + 1
            titles: list[str] = []
            counterpart = False
            org_from_of: str | None = None
            se = sent_end_of[i]
            while j < se:
                low = lowers[j]
                if j > start and is_person_ent(j):
                    break
                if j in offices:
                    end, iri = offices[j]
                    titles.append(iri)
                    j = end
                elif low in _STATUS and (j + 1 < se) and ((j + 1) in offices or texts[j + 1] == "-"):
                    status = _STATUS[low]
                    j += 1
                elif titles and low in ("of", "to") and j + 1 < se:
                    parsed = self._of_phrase(doc, j, se, ents, state_at)
                    if parsed is None:
                        break
                    j, owner_of = parsed
                    org_from_of = owner_of or org_from_of
                elif titles and low in ("in", "at") and (j + 1) in ents and ents[j + 1].label_ in ("Place", "State"):
                    j = ents[j + 1].end  # "Pakistan's ambassador in Tehran, X": where the post is
                elif titles and low in ("and", ",") and (j + 1) in offices:
                    j += 1
                elif low in _TITLE_FILLER and (j + 1 < se) and (((j + 1) in offices) or lowers[j + 1] in _TITLE_FILLER):
                    j += 1
                elif titles and texts[j] == "(" and j + 3 < se and texts[j + 2] == "." and texts[j + 3] == ")":
                    j += 4
                elif lowers[j] in self.nominals and self.nominals[lowers[j]] == "person" and (org or titles):
                    titles.append("")
                    counterpart = True
                    j += 1
                else:
                    break
            if not titles:
                i += 1
                continue
            k = j + 1 if j < se and texts[j] == "," else j
            person: Mention | None = None
            if k < se and is_person_ent(k):
                ent = ents[k]
                person = self._entry_mention(ent, start, ent.end, "title")
            elif k < se:
                end = self._name_run(doc, k, 5, se, name_stops)
                if end > k and not (k in ents):
                    name = self._span_text(doc, k, end)
                    key = self._resolve_short(name, k, mentions, surname_keys) if end - k == 1 else None
                    if key is not None:
                        entry = self.gaz.entries.get(key)
                        label = entry.label if entry else next((m.label for m in mentions if m.key == key), name)
                        person = Mention(start, end, k, end, key, label, "Person", name, "title+short")
                    else:
                        person = Mention(start, end, k, end, new_actor_key("Person", name), name, "Person", name, "title")
            if person is None:
                i += 1
                continue
            person.nationality = org
            cue = ents.get(start)
            if cue is not None and cue.label_ not in ("Person", "State") and cue.end <= person.head_start:
                institution = self._entry_mention(cue, cue.start, cue.end, "gazetteer")
                if institution is not None:
                    add(institution)
            add(person)
            owner = org_from_of or org
            end = person.end
            if owner is None and end + 1 < se and lowers[end] == "of" and (end + 1) in ents and ents[end + 1].label_ == "State":
                owner, end = ents[end + 1].id_, ents[end + 1].end
            if counterpart and org is not None and not any(titles):
                other = [p for p in positions if p.end <= start and sent_of[p.start] == sent_of[start] and p.org != org]
                if other:
                    titles.append(other[-1].office)
            for title in titles:
                if title and not self.gaz.offices[title].is_rank:
                    positions.append(self._position(person, title, owner or self._default_org(person.key, title), status, start, end))
            i = person.end
            i = self._apposition(doc, person, i, se, ents, offices, state_at, positions)

        # 2. remaining gazetteer entities
        for s, e in sorted(ents.items()):
            if any(taken[s : e.end]):
                continue
            m = self._entry_mention(e, s, e.end, "gazetteer")
            if m is None:
                continue
            if e.end < n and texts[e.end] in _POSSESSIVE and e.end + 1 < n:
                m = self._possessed(doc, m, ents, offices) or m
            if m.type == "Place":
                m = self._metonym(doc, m) or m
            add(m)
            if m.type == "Person":
                m.end = self._apposition(doc, m, m.end, sent_end_of[s], ents, offices, state_at, positions)
        mentions.sort(key=lambda m: m.start)

        # 3. unknown speakers: "Khalid noted", "according to Gaurav Arya"
        for i in range(n):
            if taken[i] or junk[i] or not _NAME_TOKEN.match(texts[i]) or stops[i]:
                continue
            if i > 0 and (_NAME_TOKEN.match(texts[i - 1]) and not starts[i - 1] and not taken[i - 1]):
                continue
            se = sent_end_of[i]
            end = self._name_run(doc, i, 3, se)
            if end == i or any(taken[i:end]) or any(stops[k] for k in range(i, end)):
                continue
            after = lowers[end] if end < n else ""
            before = self._span_text(doc, i - 2, i).lower() if i >= 2 else ""
            speech = after in self.speech and end < n and sent_of[end] == sent_of[i]
            name = self._span_text(doc, i, end)
            titled: list[PositionMention] = []
            if not (speech or before == "according to"):
                if end - i < 2 or any(k in ents for k in range(i, end)):
                    continue
                probe = Mention(i, end, i, end, new_actor_key("Person", name), name, "Person", name, "apposition")
                self._apposition(doc, probe, end, se, ents, offices, state_at, titled)
                if not titled:
                    continue
            if (end - i == 1 and starts[i]) or (i > 0 and lowers[i - 1] in _DETERMINERS):
                continue
            key = self._resolve_short(name, i, mentions, surname_keys)
            if key is None:
                key = new_actor_key("Person", name)
            label = self.gaz.entries[key].label if key in self.gaz.entries else next((m.label for m in mentions if m.key == key), name)
            m = Mention(i, end, i, end, key, label, "Person", name, "apposition" if titled else "speaker")
            add(m)
            for pos in titled:
                pos.person = m
            positions.extend(titled)
        mentions.sort(key=lambda m: m.start)

        # 4. short forms after a full mention: surnames, "Senate", "Foreign Office"
        for match_id, fs, fe in sorted(self.short_forms(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            if any(taken[fs:fe]) or any(junk[fs:fe]):
                continue
            form = doc.vocab.strings[match_id]
            key = self._resolve_short(form, fs, mentions, surname_keys)
            if key is None:
                continue
            entry = self.gaz.entries[key] if key in self.gaz.entries else None
            label = entry.label if entry else form
            type_ = entry.type if entry else "Person"
            if type_ != "Person" and (self._inside_longer_name(doc, fs, fe, offices) or any(s0 < fs < e0 for s0, (e0, _) in offices.items())):
                continue
            add(Mention(fs, fe, fs, fe, key, label, type_, self._span_text(doc, fs, fe), "short"))
        for i in range(n):
            if taken[i] or junk[i] or texts[i] not in surname_keys:
                continue
            key = self._resolve_short(texts[i], i, mentions, surname_keys)
            if key is not None:
                label = next(m.label for m in mentions if m.key == key)
                add(Mention(i, i + 1, i, i + 1, key, label, "Person", texts[i], "short"))

        # 5. states behind demonyms: "Iranian officials", "the Israeli aggression"
        for i in range(n):
            if taken[i] or junk[i] or texts[i] not in self.demonyms:
                continue
            j = i + 1
            states = [self.demonyms[texts[i]]]
            if j + 1 < n and lowers[j] == "and" and texts[j + 1] in self.demonyms:
                states.append(self.demonyms[texts[j + 1]])
                j += 2
            while j < min(n, i + 4) and lowers[j] not in self.nominals and lower_flags[j] and alphas[j] and lowers[j] not in _FUNCTION_WORDS:
                j += 1
            if j < n and self.nominals.get(lowers[j]) in ("role", "act") and sent_of[j] == sent_of[i]:
                for k, state in enumerate(states):
                    entry = self.gaz.entries[state]
                    head = (i, i + 1) if k == 0 else (i + 2, i + 3)
                    add(Mention(head[0], j + 1 if k == len(states) - 1 else head[1], head[0], head[1], entry.iri, entry.label, entry.type, texts[head[0]], "demonym"))
        mentions.sort(key=lambda m: (m.start, m.end))
        doc._.ipkg_mentions = mentions
        doc._.ipkg_positions = positions
        heads = [Span(doc, m.head_start, m.head_end, label=m.type, kb_id=m.key) for m in mentions]
        doc.ents = filter_spans(heads)
        return doc

    # ------------------------------------------------------------------ pieces

    def _negated(self, doc: Doc, i: int) -> bool:
        """A name glued to a negating prefix ("non-NATO ally") names no actor."""
        return i >= 2 and self._texts[i - 1] in ("-", "‐") and not self._spaces[i - 2] and not self._spaces[i - 1] and self._lowers[i - 2] in _NEGATING_PREFIXES

    def _inside_name(self, doc: Doc, e: Span) -> bool:
        """A place or state that is only part of the name of an event, treaty or corridor:
        "Bangladesh Liberation War", "Iran–Iraq War", "Treaty of Izmir"."""
        if e.label_ not in ("State", "Place"):
            return False
        if e.start >= 2 and self._lowers[e.start - 1] == "of" and self._lowers[e.start - 2] in self.name_heads and self._texts[e.start - 2][:1].isupper():
            return True
        j = e.end
        while j < len(doc) and not self._starts[j]:
            text = self._texts[j]
            if self._lowers[j] in self.name_heads and text[:1].isupper():
                return True
            if not (_NAME_TOKEN.match(text) or text in ("–", "-", "‐") or self._uppers[j]):
                return False
            j += 1
        return False

    def _yield_to_offices(self, doc: Doc, ents: dict[int, Span], offices: dict[int, tuple[int, str]]) -> None:
        """An institution whose name runs into an office gives way to it: "Pakistan's army chief" is
        Pakistan plus the office, "Pakistani army chief" the demonym plus the office."""
        for start, e in list(ents.items()):
            entry = self.gaz.entries.get(e.id_)
            if entry is None or entry.type in ("Person", "State") or not entry.part_of:
                continue
            k = next((k for k in range(e.start + 1, e.end) if k in offices and offices[k][0] > e.end), None)
            if k is None:
                continue
            del ents[start]
            cut = k - 1 if self._texts[k - 1] in _POSSESSIVE else k
            if cut > start and not (cut - start == 1 and self._texts[start] in self.demonyms):
                state = self.gaz.entries[entry.part_of]
                ents[start] = Span(doc, start, cut, label=state.type, span_id=state.iri)

    def _inside_longer_name(self, doc: Doc, s: int, e: int, offices: dict[int, tuple[int, str]]) -> bool:
        """A short form inside a longer capitalised name: "Gulf of Aden", "Senate Foreign Relations"."""
        n = len(doc)
        if e < n and _NAME_TOKEN.match(self._texts[e]) and e not in offices:
            return True
        if e + 1 < n and self._lowers[e] == "of" and _NAME_TOKEN.match(self._texts[e + 1]):
            return True
        return s > 0 and bool(_NAME_TOKEN.match(self._texts[s - 1])) and not self._starts[s - 1]

    def _default_org(self, person: str, office: str) -> str | None:
        """The organisation of an office the text does not name: the province or other place the
        gazetteer knows the person held it in ("Chief Minister" of Sindh), else the person's state."""
        held = [o for o in self.tenures.get((person, office), ()) if o in self.gaz.entries and self.gaz.entries[o].type == "Place"]
        if len(held) == 1:
            return held[0]
        entry = self.gaz.entries.get(person)
        return entry.nationality if entry else None

    def _antecedent_org(self, doc: Doc, i: int, ents: dict[int, Span], sent_of: list[int]) -> str | None:
        """ "its" at ``i``: the last organisation or state named before it in the sentence."""
        before = [e for s, e in ents.items() if e.end <= i and sent_of[s] == sent_of[i] and e.label_ not in ("Person", "Place")]
        return max(before, key=lambda e: e.start).id_ if before else None

    def _owner_cue(self, doc: Doc, s: int, ends: dict[int, Span]) -> tuple[str | None, int]:
        """A state right before ``s``: demonym, "X's" or "X" (state IRI, start of the cue)."""
        if s >= 1 and self._texts[s - 1] in self.demonyms:
            return self.demonyms[self._texts[s - 1]], s - 1
        k = s - 1 if s >= 1 and self._texts[s - 1] in _POSSESSIVE else s
        e = ends.get(k)
        if e is not None and e.label_ == "State":
            return e.id_, e.start
        return None, s

    def _institutions(self, doc: Doc, ents: dict[int, Span], offices: dict[int, tuple[int, str]], junk: list[bool], texts: list[str]) -> None:
        """Add to ``ents`` the institutions named by a short form that the context resolves.

        "Chinese foreign ministry" / "Iran's Foreign Ministry" -> the ministry that is part of
        the state before it; "the Foreign Office" -> the one candidate mentioned earlier, the one
        of the capital after it ("in Islamabad"), or the one whose state is the only candidate
        state the document names (states, capitals, demonyms, known people's nationalities).
        Short forms inside an office title ("Chief of Staff of the Armed Forces") are left alone.
        """
        n = len(doc)
        covered = {k for e in ents.values() for k in range(e.start, e.end)}
        ends = {e.end: e for e in ents.values()}
        known = [self.gaz.entries[e.id_] for e in ents.values() if e.id_ in self.gaz.entries]
        states = {e.id_ for e in ents.values() if e.label_ == "State"}
        states |= {x for entry in known for x in (entry.capital_of, entry.nationality) if x}
        states |= {self.demonyms[t] for t in texts if t in self.demonyms}
        in_office = {k for s0, (e0, _) in offices.items() for k in range(s0, e0)}
        exact = {(s, e): doc.vocab.strings[m] for m, s, e in self.short_forms(doc)}
        found = [(s, e, doc.vocab.strings[m]) for m, s, e in self.owned_forms(doc)]
        found += [(s, e, form) for (s, e), form in exact.items() if form.lower() not in self.owned_lower]
        for s, e, form in sorted(found, key=lambda m: (m[0], -(m[1] - m[0]))):
            if any(k in covered or junk[k] or (k in in_office and k not in offices) for k in range(s, e)) or (s in offices and offices[s][0] > e):
                continue
            keys = [k for k in self.owned_lower.get(form.lower(), self.anaphoric.get(form, [])) if self.gaz.entries[k].type != "Person"]
            owner, cue = self._owner_cue(doc, s, ends)
            if owner is not None:
                cands = [k for k in keys if self.gaz.entries[k].part_of == owner]
            elif (s, e) not in exact:
                continue
            elif self._inside_longer_name(doc, s, e, offices):
                continue
            else:
                cands = [k for k in keys if any(x.start < s and x.id_ == k for x in ents.values())]
                if not cands and len(keys) > 1 and e + 1 < n and self._lowers[e] in ("in", "at") and (e + 1) in ents:
                    place = self.gaz.entries.get(ents[e + 1].id_)
                    where = place.capital_of or place.iri if place else None
                    cands = [k for k in keys if self.gaz.entries[k].part_of == where]
                if not cands:
                    cands = keys if len(keys) == 1 else [k for k in keys if self.gaz.entries[k].part_of in states]
            if len(cands) != 1:
                continue
            ents.pop(cue, None)
            entry = self.gaz.entries[cands[0]]
            span = Span(doc, cue, e, label=entry.type, span_id=entry.iri)
            ents[cue] = span
            ends[e] = span
            covered.update(range(cue, e))

    def _position(self, person: Mention, office: str, owner: str | None, status: str, start: int, end: int) -> PositionMention:
        owner_label = self.gaz.entries[owner].label if owner and owner in self.gaz.entries else None
        return PositionMention(person, office, self.gaz.offices[office].label, owner, owner_label, status, start, end)

    def _resolve_short(self, form: str, at: int, mentions: Iterable[Mention], surnames: dict[str, list[tuple[int, str]]]) -> str | None:
        """The one actor a short form refers to: a full mention earlier in the document, else the
        only gazetteer actor with that short form."""
        earlier = {m.key for m in mentions if m.head_start < at and m.source not in ("short",)}
        cands = {k for k in self.anaphoric.get(form, []) if k in earlier}
        cands |= {k for s, k in surnames.get(form, []) if s < at}
        if len(cands) == 1:
            return next(iter(cands))
        if not cands and len(self.anaphoric.get(form, [])) == 1:
            return self.anaphoric[form][0]
        return None

    def _possessed(self, doc: Doc, m: Mention, ents: dict[int, Span], offices: dict[int, tuple[int, str]]) -> Mention | None:
        """ "Pakistan's Senate" -> the Senate of Pakistan; "Pakistan's top leaders" -> Pakistan."""
        j = m.end + 1
        here = {(self._span_text(doc, j, j + size), size) for size in self.form_sizes}
        for form in sorted((f for f, size in here if f in self.form_order and len(f.split()) == size), key=self.form_order.__getitem__):
            size = len(form.split())
            owned = [k for k in self.anaphoric[form] if self.gaz.entries[k].part_of == m.key]
            if len(owned) == 1:
                e = self.gaz.entries[owned[0]]
                return Mention(m.start, j + size, j, j + size, e.iri, e.label, e.type, form, "possessive")
        k = j
        while k < min(len(doc), j + 4) and self._lower_flags[k] and self._lowers[k] not in self.nominals and self._alphas[k] and self._lowers[k] not in _FUNCTION_WORDS:
            k += 1
        if k < len(doc) and self.nominals.get(self._lowers[k]) in ("role", "act") and k not in offices:
            return Mention(m.start, k + 1, m.head_start, m.head_end, m.key, m.label, m.type, m.surface, "possessive")
        return None

    def _metonym(self, doc: Doc, m: Mention) -> Mention | None:
        """A capital outside a locative phrase stands for its government."""
        entry = self.gaz.entries[m.key]
        if not entry.capital_of:
            return None
        k = m.start - 1
        while k >= 0 and self._lowers[k] in ("the", "of") and not (self._lowers[k] == "of" and k > 0 and self._lowers[k - 1] in _PLACE_NOUNS):
            k -= 1
        prev = self._lowers[k] if k >= 0 else ""
        if prev in _LOCATIVE or prev in _PLACE_NOUNS or (prev == "of" and k > 0 and self._lowers[k - 1] in _PLACE_NOUNS):
            return None
        state = self.gaz.entries[entry.capital_of]
        return Mention(m.start, m.end, m.head_start, m.head_end, state.iri, state.label, state.type, m.surface, "metonym")

    def _of_phrase(self, doc: Doc, j: int, se: int, ents: dict[int, Span], state_at) -> tuple[int, str | None] | None:  # type: ignore[no-untyped-def]
        """ "of|for [the] [X's] ORG [(ACRONYM)]" or "to ORG" at ``j``: (end, the organisation for
        "of" and "for"; "to" names where an envoy is sent, not whom they serve).

        Returns ``None`` when no organisation follows."""
        k = j + 1
        while k < se and self._lowers[k] == "the":
            k += 1
        cue, k2 = state_at(k)
        if cue and k2 < se and k2 in ents:
            k = k2
        if k not in ents or ents[k].label_ == "Person":
            return None
        end = ents[k].end
        if end + 2 < se and self._texts[end] == "(" and self._texts[end + 2] == ")":
            end += 3
        return end, (ents[k].id_ if self._lowers[j] in ("of", "for") else None)

    def _apposition(self, doc: Doc, person: Mention, i: int, se: int, ents, offices, state_at, positions) -> int:  # type: ignore[no-untyped-def]
        """ "X, Secretary of Y," / "X, then commander of Y" after a person: a position."""
        if i >= se or self._texts[i] != ",":
            return i
        j = i + 1
        status = "current"
        while j < se and self._lowers[j] in ("the", "a", "an", "its", "his", "her"):
            j += 1
        if j < se and self._lowers[j] in _STATUS:
            status = _STATUS[self._lowers[j]]
            j += 1
        org, j2 = state_at(j)
        if org:
            j = j2
        elif j + 1 < se and self._lower_flags[j] and self._texts[j + 1] in _POSSESSIVE:
            # "X, the ministry's spokesman": the institution of that kind named last
            kinds = [self.gaz.entries[sp.id_] for st, sp in sorted(ents.items()) if sp.end <= person.start and sp.id_ in self.gaz.entries]
            org = next((e.iri for e in reversed(kinds) if e.type != "Person" and self._lowers[j] in e.label.lower().split()), None)
            if org:
                j += 2
        while j < se and self._lowers[j] in _TITLE_FILLER and (j + 1) not in offices and j not in offices:
            j += 1
        if j not in offices:
            return i
        end, office = offices[j]
        j = end
        if j < se and (j in ents or self._name_run(doc, j, 5, se) > j):
            return i
        if j < se and self._lowers[j] in ("of", "to", "for"):
            parsed = self._of_phrase(doc, j, se, ents, state_at)
            if parsed is not None:
                j, owner_of = parsed
                org = owner_of or org
        if not self.gaz.offices[office].is_rank:
            positions.append(self._position(person, office, org or self._default_org(person.key, office), status, person.start, j))
        return j + 1 if j < se and self._texts[j] == "," else j
