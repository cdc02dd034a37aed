"""Facts: extraction from annotated Docs and resolution across documents."""

from .extract import doc_to_facts, merge_parts
from .model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, Passage, PositionFact, QuoteFact
from .resolve import Resolved, resolve

__all__ = [
    "doc_to_facts",
    "merge_parts",
    "resolve",
    "Resolved",
    "ActorRef",
    "DocumentFacts",
    "EventFact",
    "Evidence",
    "FigureFact",
    "Passage",
    "PositionFact",
    "QuoteFact",
]
