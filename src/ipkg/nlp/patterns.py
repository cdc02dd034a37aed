"""Registered functions that turn the gazetteer into ``span_ruler`` patterns."""

from __future__ import annotations

from typing import Any

from spacy.util import registry

from ..resources import load_gazetteer

__all__ = ["gazetteer_patterns"]


@registry.misc("ipkg.gazetteer_patterns.v1")
def gazetteer_patterns(path: str | None = None) -> list[dict[str, Any]]:
    """Phrase patterns for every preferred and alternative label of ``ontology/actors.ttl``.

    ``label`` is the actor type, ``id`` the actor IRI.

    Examples
    --------
    >>> pats = gazetteer_patterns()
    >>> {"label": "State", "pattern": "Pakistan", "id": "https://w3id.org/ipkg/id/actor/pakistan"} in pats
    True
    """
    gaz = load_gazetteer(path)
    out = []
    for e in gaz.entries.values():
        for form in sorted({e.label, *e.aliases}):
            out.append({"label": e.type, "pattern": form, "id": e.iri})
    return out
