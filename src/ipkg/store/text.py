"""Lexical helpers for SPARQL text: where the code is, as opposed to strings, IRIs and comments."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Identifier

__all__ = ["code_only", "mentions_keyword", "with_values"]

# Strings (long forms first), IRI references (SPARQL's IRIREF excludes spaces, so `?a < ?b` stays code)
# and comments, each replaced by spaces of the same length.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


def code_only(text: str) -> str:
    """``text`` with its strings, IRIs and comments blanked out, offsets unchanged.

    Examples
    --------
    >>> code_only('SELECT * { ?s ?p "a { b" } # {')
    'SELECT * { ?s ?p         }    '
    """
    return _OPAQUE.sub(lambda m: " " * len(m.group()), text)


def mentions_keyword(text: str, keyword: str) -> bool:
    """Whether ``keyword`` occurs as a SPARQL keyword (not a variable, prefixed name, string or IRI).

    Examples
    --------
    >>> mentions_keyword("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE")
    True
    >>> mentions_keyword('SELECT ?service { ?s ex:service "SERVICE" }', "SERVICE")
    False
    """
    return _keyword(keyword).search(code_only(text)) is not None


def _keyword(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w?$:-]){re.escape(keyword)}(?![\w:-])", re.IGNORECASE)


def with_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """Fix variables by a ``VALUES`` block opening the query's ``WHERE`` group.

    This is how bindings reach Oxigraph (whose substitutions only take projected variables) and a
    remote endpoint, which have no ``initBindings``: each term is written by rdflib's own N3
    serialiser, so a value can never change the query's structure.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(with_values('SELECT ?s { ?s ?p ?k }', {"k": Literal('a"} DROP ALL')}))
    SELECT ?s { VALUES (?k) { ("a\\"} DROP ALL") } ?s ?p ?k }
    >>> print(with_values("CONSTRUCT { ?s ?p ?k } WHERE { ?s ?p ?k }", {"k": Literal("x")}))
    CONSTRUCT { ?s ?p ?k } WHERE { VALUES (?k) { ("x") } ?s ?p ?k }
    """
    if not bindings:
        return text
    code = code_only(text)
    where = _keyword("WHERE").search(code)
    brace = code.find("{", where.end() if where else 0)
    if brace < 0:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f"{text[: brace + 1]} VALUES ({names}) {{ ({values}) }}{text[brace + 1 :]}"
