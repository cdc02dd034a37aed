"""The NLP stage: text -> spaCy ``Doc`` with actors, dates, events and relations."""

from .pipeline import build_nlp, process, record_to_doc

__all__ = ["build_nlp", "process", "record_to_doc"]
