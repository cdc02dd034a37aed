"""Relations over time: a cooperation-conflict series for each directed dyad of actors.

A point of a series is one period (a year or a month) of one dyad A→B: the events in it where A
(or, with ``roll_up``, an actor belonging to A) acts on B, their summed Goldstein score, how many
fall in each PLOVER quad class, and the IRIs of those events, so that every number can be traced
back to its evidence.

Dates come at the precision the text gives: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A yearly
series places every dated event in its year. A monthly series places events dated to the month or
the day in their month and **skips** events dated only to a year, rather than put them in
January; it lists them in :attr:`DyadSeries.skipped`. Undated events are in no point and are
listed in :attr:`DyadSeries.undated`.

The dyads to follow by default are data, not code: ``ontology/dyads.tsv`` names the focal pair
and the third parties by IRI (:func:`load_dyads`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ..errors import Errors, IpkgError
from ..resources import load_gazetteer, ontology_dir
from .metrics import resolve_actor
from .project import node_to_iri

__all__ = [
    "QUAD_CLASSES",
    "PERIODS",
    "DYADS_FILE",
    "SeriesPoint",
    "DyadSeries",
    "load_dyads",
    "focus_pair",
    "period_of",
    "dyad_series",
    "series_for_dyads",
    "series_to_csv",
]

#: PLOVER's quad classes (skos:prefLabel of ipkg:VerbalCooperation ... in ``ipkg.ttl``), in the
#: order of the cooperation-conflict scale.
QUAD_CLASSES = ("Verbal Cooperation", "Material Cooperation", "Verbal Conflict", "Material Conflict")
PERIODS = ("year", "month")
DYADS_FILE = "dyads.tsv"


def _dyad_rows(path: str | Path | None) -> tuple[Path, list[tuple[str, str]]]:
    p = Path(path) if path else ontology_dir() / DYADS_FILE
    try:
        lines = [ln for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    except OSError as exc:
        raise IpkgError(Errors.E003.format(path=p, reason=exc.strerror)) from None
    rows = []
    for i, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        role, actor = (row.get("role") or "").strip(), (row.get("actor") or "").strip()
        if role not in ("focus", "third") or not actor.startswith(("http://", "https://")):
            raise IpkgError(Errors.E024.format(path=p, line=i, reason=f"expected role focus|third and an actor IRI, got {row}"))
        rows.append((role, actor))
    return p, rows


def focus_pair(path: str | Path | None = None) -> tuple[str, str]:
    """The two focal actors of ``ontology/dyads.tsv`` (or ``path``), as IRIs.

    Examples
    --------
    >>> [iri.rsplit("/", 1)[-1] for iri in focus_pair()]
    ['iran', 'pakistan']
    """
    p, rows = _dyad_rows(path)
    focus = [a for role, a in rows if role == "focus"]
    if len(focus) != 2:
        raise IpkgError(Errors.E024.format(path=p, line="-", reason=f"expected two focus actors, got {len(focus)}"))
    return focus[0], focus[1]


def load_dyads(path: str | Path | None = None) -> list[tuple[str, str]]:
    """Directed dyads (source IRI, target IRI) to follow: the focal pair both ways, then each
    focal actor with each third party, both ways.

    Parameters
    ----------
    path : str or Path, optional
        A TSV with columns ``role`` (``focus`` or ``third``) and ``actor`` (an IRI); by default
        ``dyads.tsv`` in the ontology folder.

    Raises
    ------
    IpkgError
        E024 if the file is malformed.

    Examples
    --------
    >>> dyads = load_dyads()
    >>> [(a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]) for a, b in dyads[:4]]
    [('iran', 'pakistan'), ('pakistan', 'iran'), ('iran', 'united-states'), ('united-states', 'iran')]
    """
    a, b = focus_pair(path)
    _, rows = _dyad_rows(path)
    out = [(a, b), (b, a)]
    for focal in (a, b):
        for role, third in rows:
            if role == "third" and third not in (a, b):
                out += [(focal, third), (third, focal)]
    return out


def period_of(date: str, period: str = "year") -> str | None:
    """The period an ISO date at any precision falls in, or None if it cannot be placed.

    Examples
    --------
    >>> period_of("2024-01-16", "month"), period_of("2024-01", "year"), period_of("2024", "month")
    ('2024-01', '2024', None)
    """
    if period not in PERIODS:
        raise IpkgError(Errors.E022.format(period=period, choices=", ".join(PERIODS)))
    if len(date) < 4:
        return None
    if period == "year":
        return date[:4]
    return date[:7] if len(date) >= 7 else None


@dataclass(frozen=True)
class SeriesPoint:
    """One period of a dyad: its events, their summed Goldstein score and counts per quad class."""

    period: str
    events: int
    goldstein: float
    quads: dict[str, int]
    event_iris: tuple[str, ...]


@dataclass
class DyadSeries:
    """The cooperation-conflict series of one directed dyad, oldest period first.

    ``skipped`` holds the events of the dyad dated too coarsely for the period (a year-only date
    in a monthly series); ``undated`` the events with no date. Neither is in any point.
    """

    source: str
    target: str
    source_label: str
    target_label: str
    period: str
    points: list[SeriesPoint] = field(default_factory=list)
    skipped: tuple[str, ...] = ()
    undated: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.source_label} → {self.target_label}"

    @property
    def events(self) -> int:
        """Events placed in a period."""
        return sum(p.events for p in self.points)

    @property
    def goldstein(self) -> float:
        return round(sum(p.goldstein for p in self.points), 6)

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per point: dyad, period, events, Goldstein, a count per quad class, event IRIs."""
        quads = list(QUAD_CLASSES) + sorted({q for p in self.points for q in p.quads} - set(QUAD_CLASSES))
        return [
            {
                "source": self.source,
                "target": self.target,
                "source_label": self.source_label,
                "target_label": self.target_label,
                "period": p.period,
                "events": p.events,
                "goldstein": p.goldstein,
                **{q: p.quads.get(q, 0) for q in quads},
                "event_iris": " ".join(p.event_iris),
            }
            for p in self.points
        ]

    def to_csv(self) -> str:
        return series_to_csv([self])


def series_to_csv(series: Iterable[DyadSeries]) -> str:
    """The rows of several series as one CSV (columns of the first non-empty series).

    Examples
    --------
    >>> series_to_csv([]).splitlines()[0].split(",")[:5]
    ['source', 'target', 'source_label', 'target_label', 'period']
    """
    rows = [r for s in series for r in s.to_rows()]
    cols = list(rows[0]) if rows else ["source", "target", "source_label", "target_label", "period", "events", "goldstein", *QUAD_CLASSES, "event_iris"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", restval=0)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _endpoint(G: nx.Graph, actor: Hashable) -> tuple[str, str]:
    """(IRI, label) of a dyad end: a node of ``G``, or an IRI of an actor absent from it."""
    if isinstance(actor, str) and actor.startswith(("http://", "https://")) and not any(i == actor for _, i in G.nodes(data="iri")):
        entry = load_gazetteer().entries.get(actor)
        return actor, entry.label if entry else actor.rstrip("/").rsplit("/", 1)[-1]
    n = resolve_actor(G, actor)
    return str(G.nodes[n].get("iri") or node_to_iri(str(n))), str(G.nodes[n].get("label", n))


def _side(G: nx.Graph, node: Hashable, roll_up: bool) -> str:
    attrs = G.nodes[node]
    if roll_up and attrs.get("state"):
        return node_to_iri(str(attrs["state"]))
    return str(attrs.get("iri") or node_to_iri(str(node)))


def dyad_series(G: nx.Graph, source: Hashable, target: Hashable, *, period: str = "year", roll_up: bool = True) -> DyadSeries:
    """The series of events from ``source`` to ``target``, by year or by month.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The actor network of :func:`ipkg.analysis.graph_to_actor_network`.
    source, target : str
        Node names, IRIs, labels or aliases (see :func:`~ipkg.analysis.metrics.resolve_actor`); an
        IRI of an actor in no event gives an empty series.
    period : {"year", "month"}
        The bucket. A monthly series skips events dated only to a year (see the module notes).
    roll_up : bool
        Count an actor's events for the state it belongs to (its node's ``state``): the
        Iranian president's visit to Pakistan is then an Iran → Pakistan event. With False only
        events of the two actors themselves count.

    Returns
    -------
    DyadSeries
        Each event counted once per dyad, however many of its actors belong to each side.

    Raises
    ------
    IpkgError
        E022 for another ``period``; E017/E020 for an actor that names nobody or several.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", iri="x:a", label="A"); G.add_node("b", iri="x:b", label="B")
    >>> _ = G.add_edge("a", "b", iri="x:e1", date="2024-01-16", quad="Verbal Cooperation", goldstein=1.9)
    >>> _ = G.add_edge("a", "b", iri="x:e2", date="2024", quad="Verbal Conflict", goldstein=-2.0)
    >>> [(p.period, p.events, p.goldstein) for p in dyad_series(G, "A", "B").points]
    [('2024', 2, -0.1)]
    >>> s = dyad_series(G, "A", "B", period="month")
    >>> [(p.period, p.event_iris) for p in s.points], s.skipped
    ([('2024-01', ('x:e1',))], ('x:e2',))
    """
    if period not in PERIODS:
        raise IpkgError(Errors.E022.format(period=period, choices=", ".join(PERIODS)))
    src, src_label = _endpoint(G, source)
    dst, dst_label = _endpoint(G, target)
    side = {n: _side(G, n, roll_up) for n in G}
    events: dict[str, tuple[str, str, float]] = {}
    for u, v, data in G.edges(data=True):
        if side[u] == src and side[v] == dst:
            iri = str(data.get("iri") or data.get("event"))
            events[iri] = (str(data.get("date") or ""), str(data.get("quad", "")), float(data.get("goldstein", 0.0)))
    buckets: dict[str, list[str]] = {}
    skipped, undated = [], []
    for iri, (date, _, _) in sorted(events.items()):
        key = period_of(date, period)
        if key is not None:
            buckets.setdefault(key, []).append(iri)
        elif date:
            skipped.append(iri)
        else:
            undated.append(iri)
    points = []
    for key in sorted(buckets):
        iris = buckets[key]
        quads = dict.fromkeys(QUAD_CLASSES, 0)
        for iri in iris:
            quads[events[iri][1]] = quads.get(events[iri][1], 0) + 1
        points.append(SeriesPoint(key, len(iris), round(sum(events[i][2] for i in iris), 6), quads, tuple(iris)))
    return DyadSeries(src, dst, src_label, dst_label, period, points, tuple(skipped), tuple(undated))


def series_for_dyads(
    G: nx.Graph,
    dyads: Iterable[tuple[Hashable, Hashable]] | None = None,
    *,
    period: str = "year",
    roll_up: bool = True,
    keep_empty: bool = False,
) -> list[DyadSeries]:
    """:func:`dyad_series` for each dyad (by default those of :func:`load_dyads`), in order.

    Dyads with no event at all (placed, skipped or undated) are left out unless ``keep_empty``.

    Examples
    --------
    >>> series_for_dyads(nx.MultiDiGraph())
    []
    """
    out = []
    for a, b in load_dyads() if dyads is None else dyads:
        s = dyad_series(G, a, b, period=period, roll_up=roll_up)
        if keep_empty or s.points or s.skipped or s.undated:
            out.append(s)
    return out
