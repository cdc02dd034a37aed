"""Every ipkg spaCy factory, registered in one place (spaCy's ``pipeline/factories.py`` habit).

Importing this module registers ``ipkg_cleaner``, ``ipkg_sentencizer``, ``ipkg_actor_linker``,
``ipkg_dates``, ``ipkg_events`` and ``ipkg_relations``; the package's ``spacy_factories`` entry
points let ``spacy.load`` find them without importing ipkg first.

Examples
--------
>>> import spacy
>>> import ipkg.nlp.components
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("ipkg_cleaner")
>>> nlp.pipe_names
['ipkg_cleaner']
"""

from __future__ import annotations

from spacy.language import Language

from .actor_linker import ActorLinker
from .cleaner import Cleaner
from .dates import DateRecognizer
from .event_matcher import EventMatcher
from .relation_rules import RelationRules
from .sentencizer import Sentencizer

__all__ = [
    "make_cleaner",
    "make_sentencizer",
    "make_actor_linker",
    "make_dates",
    "make_event_matcher",
    "make_relations",
]


@Language.factory("ipkg_cleaner", assigns=["doc.spans", "token._.ipkg_junk"])
def make_cleaner(nlp: Language, name: str) -> Cleaner:
    """Mark link spam, footers, boilerplate, citation marks and foreign passages."""
    return Cleaner(nlp, name)


@Language.factory("ipkg_sentencizer", assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> Sentencizer:
    """Sentence boundaries for web text."""
    return Sentencizer(nlp, name)


@Language.factory(
    "ipkg_actor_linker",
    default_config={"ontology": None},
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.ipkg_mentions", "doc._.ipkg_positions"],
)
def make_actor_linker(nlp: Language, name: str, *, ontology: str | None) -> ActorLinker:
    """Canonical actor mentions and the offices they hold."""
    return ActorLinker(nlp, name, ontology=ontology)


@Language.factory("ipkg_dates", assigns=["doc.spans", "doc._.ipkg_dates"])
def make_dates(nlp: Language, name: str) -> DateRecognizer:
    """Date expressions normalised to ISO 8601."""
    return DateRecognizer(nlp, name)


@Language.factory(
    "ipkg_events",
    default_config={"ontology": None},
    requires=["doc._.ipkg_mentions", "doc._.ipkg_dates"],
    assigns=["doc.spans", "doc._.ipkg_events"],
)
def make_event_matcher(nlp: Language, name: str, *, ontology: str | None) -> EventMatcher:
    """Events from the trigger lexicon, with actor, target, place and date."""
    return EventMatcher(nlp, name, ontology=ontology)


@Language.factory(
    "ipkg_relations",
    default_config={"ontology": None, "min_quote_words": 5},
    requires=["doc._.ipkg_mentions", "doc._.ipkg_dates"],
    assigns=["doc._.ipkg_quotes", "doc._.ipkg_figures"],
)
def make_relations(nlp: Language, name: str, *, ontology: str | None, min_quote_words: int) -> RelationRules:
    """Quotations with their speakers, and figures."""
    return RelationRules(nlp, name, ontology=ontology, min_quote_words=min_quote_words)
