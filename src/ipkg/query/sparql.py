"""The bundled competency queries and a runner that binds parameters safely.

Queries are ``queries/*.rq`` files whose first line is ``# question: ...``. Parameters reach a
query only as bound terms (``initBindings`` and its equivalents), never by string formatting. A query with a ``SERVICE``
clause can reach the network: run untrusted queries in a sandbox.

A page of rows (``limit``, ``offset``) is cut by the query itself when it has page lines: lines
that start with ``#page``, comments to every engine until :func:`page_query` switches them on. They
hold a sub-SELECT that orders the keys of the rows (events, actors ...) as the query orders its rows,
ties broken by the key, and keeps one page of them (``LIMIT $limit OFFSET $offset``; ``$limit``,
``$offset`` and ``$end``, their sum, are the only text put into a query, and only as validated
whole numbers), so that only those rows are computed. Lines that start with ``#index`` do the same
from a store's page index (:mod:`ipkg.store.pageindex`): they are switched on instead of the
``#page`` lines when the store has one. Lines that start with ``#kept`` read columns the index
keeps, in place of the lines that end with ``#noindex``, which would compute them: with an index,
they are switched on and those off, for a page and for a whole answer (:func:`kept_query`).
Other queries, queries run with bindings and queries run by rdflib (faster whole than paged) are
cut after they ran.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.query import Result
from rdflib.term import Identifier

from ..errors import Errors, IpkgError
from ..store import MemoryStore, Store

__all__ = ["QUERY_DIR", "DEFAULT_LIMIT", "QueryResult", "list_queries", "load_query", "page_query", "kept_query", "run_query", "parse_binding"]

QUERY_DIR = Path(__file__).with_name("queries")

#: Rows ``ipkg query`` shows unless asked for more.
DEFAULT_LIMIT = 100

_PAGE_LINE = re.compile(r"^([ \t]*)#page(?: |$)")
_INDEX_LINE = re.compile(r"^([ \t]*)#index(?: |$)")
_KEPT_LINE = re.compile(r"^([ \t]*)#kept(?: |$)")
_NOINDEX_LINE = re.compile(r"^([ \t]*)(.*[ \t]#noindex[ \t]*)$")


def list_queries() -> dict[str, str]:
    """Bundled query names and the question each answers.

    Examples
    --------
    >>> sorted(list_queries())[:3]
    ['actors', 'agreements', 'events']
    """
    out = {}
    for p in sorted(QUERY_DIR.glob("*.rq")):
        first = p.read_text(encoding="utf-8").splitlines()[0]
        out[p.stem] = first.split(":", 1)[1].strip() if first.startswith("# question:") else ""
    return out


def load_query(query: str) -> tuple[str, str]:
    """Resolve a bundled query name, a ``.rq`` file or inline SPARQL to ``(name, text)``.

    Raises
    ------
    IpkgError
        If ``query`` is neither.
    """
    bundled = QUERY_DIR / f"{query}.rq"
    if bundled.is_file():
        return query, bundled.read_text(encoding="utf-8")
    if query.endswith(".rq"):
        p = Path(query)
        if not p.is_file():
            raise IpkgError(Errors.E003.format(path=p, reason="no such file"))
        return p.stem, p.read_text(encoding="utf-8")
    if any(k in query.upper() for k in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")):
        return "inline", query
    raise IpkgError(Errors.E005.format(name=query, names=", ".join(list_queries())))


def parse_binding(binding: str) -> tuple[str, URIRef | Literal]:
    """``name=value`` -> a variable binding; values that look like IRIs become IRIs.

    Examples
    --------
    >>> parse_binding("kind=visit")
    ('kind', rdflib.term.Literal('visit'))
    >>> parse_binding("actor=https://w3id.org/ipkg/id/actor/iran")[1]
    rdflib.term.URIRef('https://w3id.org/ipkg/id/actor/iran')
    """
    name, sep, value = binding.partition("=")
    if not sep or not name.strip():
        raise IpkgError(Errors.E008.format(binding=binding))
    value = value.strip()
    term: URIRef | Literal = URIRef(value) if value.startswith(("http://", "https://", "urn:")) else Literal(value)
    return name.strip().lstrip("?"), term


def page_query(text: str, limit: int, offset: int = 0, *, index: bool = False) -> str | None:
    r"""``text`` with its page lines switched on, keeping ``limit`` rows after ``offset``.

    With ``index``, its ``#index`` lines are switched on instead, if it has any, and its columns
    read from the index as :func:`kept_query` reads them: they read the page index
    (:mod:`ipkg.store.pageindex`), which only a store that has one may be given.

    Returns
    -------
    str or None
        The query for that page, or None if ``text`` has no page lines.

    Raises
    ------
    IpkgError
        If ``limit`` or ``offset`` is not a whole number, 0 or more.

    Examples
    --------
    >>> text = "SELECT ?s {\n  { SELECT ?s { ?s ?p ?o }\n    #page ORDER BY ?s LIMIT $limit OFFSET $offset\n  }\n}"
    >>> print(page_query(text, 10, 20))
    SELECT ?s {
      { SELECT ?s { ?s ?p ?o }
        ORDER BY ?s LIMIT 10 OFFSET 20
      }
    }
    >>> page_query("SELECT ?s { ?s ?p ?o }", 10) is None
    True
    >>> text = "SELECT ?s {\n  #page ?s ?p ?o\n  #index ?s ?p ?o . ?o ?q ?r LIMIT $end\n}"
    >>> print(page_query(text, 10, 20, index=True))
    SELECT ?s {
      #page ?s ?p ?o
      ?s ?p ?o . ?o ?q ?r LIMIT 30
    }
    """
    limit, offset = _count(limit, "limit"), _count(offset, "offset")
    lines = text.split("\n")
    indexed = index and any(_INDEX_LINE.match(line) for line in lines)
    marker = _INDEX_LINE if indexed else _PAGE_LINE
    found = False
    for i, line in enumerate(lines):
        m = marker.match(line)
        if m:
            found = True
            code = line[m.end():].replace("$limit", str(limit)).replace("$offset", str(offset)).replace("$end", str(limit + offset))
            lines[i] = m.group(1) + code
    if not found:
        return None
    return _read_kept(lines) if indexed else "\n".join(lines)


def kept_query(text: str) -> str | None:
    r"""``text`` reading the columns a store's page index keeps (:mod:`ipkg.store.pageindex`):
    its lines that start with ``#kept`` switched on, and those that end with ``#noindex`` off.

    Returns
    -------
    str or None
        That query, or None if ``text`` has no ``#kept`` lines.

    Examples
    --------
    >>> text = "SELECT ?s ?e {\n  ?s ?p ?x .\n  ?x ?q ?e .  #noindex\n  #kept GRAPH ?ix { ?s ?kept ?e }\n}"
    >>> print(kept_query(text))
    SELECT ?s ?e {
      ?s ?p ?x .
      # ?x ?q ?e .  #noindex
      GRAPH ?ix { ?s ?kept ?e }
    }
    >>> kept_query("SELECT ?s { ?s ?p ?o }") is None
    True
    """
    lines = text.split("\n")
    return _read_kept(lines) if any(_KEPT_LINE.match(line) for line in lines) else None


def _read_kept(lines: list[str]) -> str:
    for i, line in enumerate(lines):
        if m := _KEPT_LINE.match(line):
            lines[i] = m.group(1) + line[m.end():]
        elif m := _NOINDEX_LINE.match(line):
            lines[i] = m.group(1) + "# " + m.group(2)
    return "\n".join(lines)


def _count(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise IpkgError(Errors.E033.format(what=what, value=value))
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise IpkgError(Errors.E033.format(what=what, value=value)) from None
    if number < 0:
        raise IpkgError(Errors.E033.format(what=what, value=value))
    return number


@dataclass
class QueryResult:
    """Rows of a SELECT query as plain strings, plus the raw rdflib result.

    ``more`` is True when a limit cut the rows and more follow.
    """

    columns: list[str]
    rows: list[dict[str, str]]
    raw: Result
    more: bool = False

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows)
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        return self.raw.serialize(format="json").decode("utf-8")  # type: ignore[union-attr]

    def to_table(self, width: int = 60) -> str:
        cols = self.columns
        cells = [[(r.get(c, "") or "").replace("\n", " ") for c in cols] for r in self.rows]
        cells = [[v if len(v) <= width else v[: width - 1] + "…" for v in row] for row in cells]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
        line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
        out = [line(cols), line(["-" * w for w in widths])] + [line(r) for r in cells]
        return "\n".join(out) + f"\n({len(self.rows)} rows)\n"

    def to_dataframe(self):  # type: ignore[no-untyped-def]
        """A pandas DataFrame (pandas must be installed)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def run_query(
    target: Dataset | Store, query: str, *, limit: int | None = None, offset: int = 0, **bindings: object
) -> QueryResult:
    """Run a bundled query (by name), a ``.rq`` file or inline SPARQL against a graph or a store.

    Parameters
    ----------
    target : rdflib.Dataset or ipkg.store.Store
        A graph built by ipkg (default graph = union of the named graphs), or any store holding one.
    query : str
        Name, path or SPARQL text.
    limit : int, optional
        At most this many rows (all rows if None).
    offset : int
        Rows to skip first; with ``limit``, pages follow one another in the query's order.
    **bindings
        Values for query variables: ``initBindings`` in rdflib, substitutions in Oxigraph, a
        ``VALUES`` block written by rdflib's serialiser for a remote server.

    Raises
    ------
    IpkgError
        If the query is unknown or fails; :class:`~ipkg.errors.QuerySyntaxError` if it does not parse.

    Examples
    --------
    >>> from ipkg.kg import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> run_query(facts_to_graph(resolve([])), "visits").rows
    []
    """
    _, text = load_query(query)
    limit, offset = None if limit is None else _count(limit, "limit"), _count(offset, "offset")
    store = MemoryStore(target) if isinstance(target, Dataset) else target
    init = {k: (v if isinstance(v, (URIRef, Literal)) else Literal(v)) for k, v in bindings.items()}
    # One row more than asked tells whether more follow.
    paged = None
    if limit is not None and not init and store.pages_in_query:
        paged = page_query(text, limit + 1, offset, index=store.page_index)
    whole = None
    if paged is None and not init and store.pages_in_query and store.page_index:
        whole = kept_query(text)
    res = store.query(paged or whole or text, init)
    variables = list(res.vars or [])
    cols = [str(v) for v in variables]
    render = _renderer(store.namespace_manager)
    kept = []
    for binding in res.bindings if res.type == "SELECT" else []:
        if not binding:
            continue  # as rdflib's own iteration skips it; its get() would answer with the bindings
        row = {c: render(binding.get(v)) for c, v in zip(cols, variables)}
        if any(row.values()):
            kept.append((binding, row))
    more = False
    if limit is not None or offset:
        if paged is None:
            kept = kept[offset:]
        if limit is not None:
            more = len(kept) > limit
            kept = kept[:limit]
        res.bindings = [binding for binding, _ in kept]
    return QueryResult(cols, [row for _, row in kept], res, more)


def _renderer(nm: NamespaceManager) -> Callable[[Identifier | None], str]:
    """A term as a cell: an IRI as ``prefix:name`` where it can be, anything else as its text.

    IRIs are remembered, as rdflib takes tens of microseconds to find an IRI's prefix.
    """
    qnames: dict[URIRef, str] = {}

    def render(term: Identifier | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            text = qnames.get(term)
            if text is None:
                text = qnames[term] = term.n3(nm)
            return text
        return str(term)

    return render
