"""Score the bundled queries against a gold annotation file (see ``evaluation/GUIDELINES.md``).

A gold file is TOML with one table array per query. Its top-level ``documents`` key names the
folder of the texts it annotates (relative to the gold file). Labels match case-insensitively,
through the aliases the gold ``actors`` table lists; a gold date matches a predicted date it is a
prefix of (``2025-08`` matches ``2025-08-02``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset

from .errors import Errors, IpkgError
from .facts.resolve import name_key
from .query.sparql import run_query

__all__ = ["Score", "Shortfall", "evaluate", "load_gold", "load_known", "render_scores", "shortfalls", "SCORED"]

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Score:
    query: str
    gold: int
    predicted: int
    correct_predicted: int
    matched_gold: int
    missed: tuple[dict[str, Any], ...] = field(default=(), compare=False, repr=False)
    wrong: tuple[dict[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[“”\"'’‘]", "", s).casefold().split())


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold TOML file.

    Raises
    ------
    IpkgError
        If it cannot be read or parsed.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IpkgError(Errors.E003.format(path=p, reason=exc)) from None
    data["_path"] = p
    return data


class _Labels:
    """Maps any surface form the gold lists for an actor to its gold label."""

    def __init__(self, gold: dict[str, Any]) -> None:
        self.map: dict[str, str] = {}
        for row in gold.get("actors", []):
            for form in [row["label"], *row.get("aliases", [])]:
                self.map.setdefault(_norm(form), _norm(row["label"]))

    def spelling(self, gold: dict[str, Any]) -> None:
        """Map a transliteration variant of a gold person's name ("Mehmood" for "Mahmood") to it,
        when the variant names no one else (the guidelines make spelling variants one actor)."""
        keys: dict[str, set[str]] = {}
        for row in gold.get("actors", []):
            if row.get("type") == "Person":
                for form in [row["label"], *row.get("aliases", [])]:
                    keys.setdefault(name_key(form), set()).add(_norm(row["label"]))
        self.variants = {k: v.pop() for k, v in keys.items() if len(v) == 1}

    def learn(self, actors: list[dict[str, str]]) -> None:
        """Map a predicted label the gold does not list through the actor's own aliases.

        The gold's choice of spelling is not scored: a predicted actor whose surface forms name
        exactly one gold actor is that actor.
        """
        for row in actors:
            label = _norm(row["label"])
            if label in self.map:
                continue
            if row.get("type") == "Person" and name_key(row["label"]) in getattr(self, "variants", {}):
                self.map[label] = self.variants[name_key(row["label"])]
                continue
            hits = {self.map[a] for a in map(_norm, row.get("aliases", "").split(" | ")) if a in self.map}
            if len(hits) == 1:
                self.map[label] = hits.pop()

    def __call__(self, label: str) -> str:
        return self.map.get(_norm(label), _norm(label))

    def many(self, labels: str) -> list[str]:
        return [self(x) for x in labels.split(" | ") if x.strip()]


def _date_ok(gold: str, pred: str) -> bool:
    return pred.startswith(gold) if gold else True


# For each query: gold row -> key; predicted row -> candidate keys; key comparison.
Spec = tuple[Callable[[dict[str, Any], _Labels], Key], Callable[[dict[str, str], _Labels], list[Key]], Callable[[Key, Key], bool]]


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def _specs() -> dict[str, Spec]:
    exact: Callable[[Key, Key], bool] = lambda g, p: g == p  # noqa: E731
    dated: Callable[[Key, Key], bool] = lambda g, p: g[:-1] == p[:-1] and _date_ok(g[-1], p[-1])  # noqa: E731
    return {
        "actors": (lambda g, L: (L(g["label"]),), lambda p, L: [(L(p["label"]),)], exact),
        "positions": (
            lambda g, L: (L(g["person"]), _norm(g["position"]), L(g.get("org", ""))),
            lambda p, L: [(L(p["personLabel"]), _norm(p["position"]), L(p["orgLabel"]))],
            lambda g, p: g[:2] == p[:2] and (not g[2] or g[2] == p[2]),
        ),
        "visits": (
            lambda g, L: (L(g["visitor"]), L(g["destination"]), g.get("date", "")),
            lambda p, L: [(a, b, p["date"]) for a in L.many(p["visitorLabel"]) for b in L.many(p["destinationLabel"])],
            dated,
        ),
        "meetings": (
            lambda g, L: (_pair(L(g["actor"]), L(g["counterpart"])), g.get("date", "")),
            lambda p, L: [(_pair(a, b), p["date"]) for a in L.many(p["actorLabel"]) for b in L.many(p["counterpartLabel"])],
            dated,
        ),
        "strikes": (
            lambda g, L: (L(g["attacker"]), L(g["target"]), g.get("date", "")),
            lambda p, L: [(a, b, p["date"]) for a in L.many(p["attackerLabel"]) for b in L.many(p["targetLabel"])],
            dated,
        ),
        "statements": (
            lambda g, L: (L(g["speaker"]), _norm(g["stance"]), L(g.get("about", ""))),
            lambda p, L: [(a, _norm(p["stance"]), b) for a in L.many(p["speakerLabel"]) for b in (L.many(p["aboutLabel"]) or [""])],
            exact,
        ),
        "recognitions": (
            lambda g, L: (L(g["recognizer"]), L(g["recognized"]), g.get("date", "")),
            lambda p, L: [(a, b, p["date"]) for a in L.many(p["recognizerLabel"]) for b in L.many(p["recognizedLabel"])],
            dated,
        ),
        "agreements": (
            lambda g, L: (frozenset(L(x) for x in g["parties"]), g.get("date", "")),
            lambda p, L: [(frozenset(L.many(p["partyLabels"])), p["date"])],
            lambda g, p: g[0] <= p[0] and _date_ok(g[1], p[1]),
        ),
        "quotes": (
            lambda g, L: (L(g["speaker"]), _norm(g["quote"])),
            lambda p, L: [(L(p["speakerLabel"]), _norm(p["quote"]))],
            lambda g, p: g[0] == p[0] and (g[1] in p[1] or p[1] in g[1]),
        ),
        "figures": (
            lambda g, L: (float(g["value"]), _norm(g["unit"])),
            lambda p, L: [(float(p["value"]), _norm(p["unit"]))],
            lambda g, p: abs(g[0] - p[0]) <= 1e-9 * max(1.0, abs(g[0])) and g[1] == p[1],
        ),
    }


SCORED = tuple(_specs())


def evaluate(ds: Dataset, gold: dict[str, Any], queries: tuple[str, ...] = SCORED) -> list[Score]:
    """Precision, recall and F1 of each bundled query on ``ds`` against ``gold``.

    A predicted row with several actors on a side ("A | B") states one fact per combination
    (A met C, B met C); each such fact is correct when it matches a gold row not matched yet (a
    duplicate is therefore an error), and each gold row is found when some fact matches it.

    Examples
    --------
    >>> from ipkg.kg import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> [s.recall for s in evaluate(facts_to_graph(resolve([])), {"visits": [{"visitor": "A", "destination": "B"}]}, ("visits",))]
    [0.0]
    """
    labels = _Labels(gold)
    labels.spelling(gold)
    labels.learn(run_query(ds, "actors").rows)
    specs = _specs()
    out = []
    for name in queries:
        gkey, pkeys, same = specs[name]
        gold_raw = gold.get(name, [])
        gold_rows = [gkey(g, labels) for g in gold_raw]
        pred_raw = run_query(ds, name).rows
        facts = [(raw, key) for raw in pred_raw for key in dict.fromkeys(pkeys(raw, labels))]
        matched = [False] * len(gold_rows)
        wrong = []
        for raw, key in facts:
            hit = next((i for i, g in enumerate(gold_rows) if not matched[i] and same(g, key)), None)
            if hit is None:
                wrong.append(raw)
            else:
                matched[hit] = True
        missed = tuple(g for g, m in zip(gold_raw, matched) if not m)
        out.append(Score(name, len(gold_rows), len(facts), len(facts) - len(wrong), sum(matched), missed, tuple(wrong)))
    return out


_SHOWN = ("event", "evidence", "quote", "sources")


def _brief(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}={str(v)[:70]}" for k, v in row.items() if v not in ("", None) and (k not in _SHOWN or k == "quote"))


def render_scores(scores: list[Score], title: str = "", errors: bool = False) -> str:
    """A plain-text table of scores; with ``errors``, every missed gold row and wrong prediction.

    Examples
    --------
    >>> print(render_scores([Score("visits", 2, 1, 1, 1)]), end="")
    query          gold  pred      P      R     F1
    visits            2     1   1.00   0.50   0.67
    """
    lines = [title] if title else []
    lines.append(f"{'query':<13}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for s in scores:
        lines.append(f"{s.query:<13}{s.gold:>6}{s.predicted:>6}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}")
    if errors:
        for s in scores:
            lines += [f"{s.query}  missed  {_brief(g)}" for g in s.missed]
            lines += [f"{s.query}  wrong   {_brief(p)}" for p in s.wrong]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Shortfall:
    """A score under its target: ``table`` counts gold files from 1."""

    table: int
    query: str
    measure: str
    value: float
    target: float

    def __str__(self) -> str:
        return f"table {self.table} {self.query}: {self.measure} {self.value:.2f} < {self.target:.2f}"


def shortfalls(
    tables: list[list[Score]],
    min_precision: float = 0.0,
    min_recall: float = 0.0,
    within: float | None = None,
    only: tuple[str, ...] = SCORED,
) -> list[Shortfall]:
    """Every way the scores miss their targets; empty when all are met.

    The first table must reach ``min_precision`` and ``min_recall`` on each query in ``only``
    that has gold rows. With ``within``, every later table must also reach them or stay within
    ``within`` of the first table's precision and recall, query by query (a development set
    held to the level of the set the extractor was built on).

    Examples
    --------
    >>> seeds, dev = [Score("visits", 10, 10, 9, 9)], [Score("visits", 10, 10, 7, 7)]
    >>> [str(s) for s in shortfalls([seeds, dev], 0.9, 0.85, within=0.1)]
    ['table 2 visits: precision 0.70 < 0.80', 'table 2 visits: recall 0.70 < 0.80']
    """
    out: list[Shortfall] = []
    if not tables:
        return out
    first = {s.query: s for s in tables[0]}
    for n, table in enumerate(tables, 1):
        for s in table:
            if s.query not in only or not s.gold:
                continue
            for measure, floor in (("precision", min_precision), ("recall", min_recall)):
                value = getattr(s, measure)
                if n > 1:
                    if within is None:
                        continue
                    ref = first.get(s.query)
                    floor = min(floor, getattr(ref, measure) - within) if ref is not None else floor
                if value < floor - 1e-9:
                    out.append(Shortfall(n, s.query, measure, value, floor))
    return out


def load_known(path: str | Path) -> dict[tuple[int, str, str], float]:
    """Read a file of known shortfalls: ``[[shortfall]]`` tables with ``table``, ``query``,
    ``measure``, ``floor`` and ``reason``. A known shortfall fails only below its floor.

    Raises
    ------
    IpkgError
        If it cannot be read or a row lacks a field.
    """
    data = load_gold(path)
    try:
        return {(int(r["table"]), r["query"], r["measure"]): float(r["floor"]) for r in data.get("shortfall", []) if r["reason"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise IpkgError(Errors.E003.format(path=path, reason=f"bad shortfall row: {exc}")) from None
