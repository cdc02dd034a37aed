"""The analysis report: headline tables, CSV files and PNG charts of a built graph, in one folder.

:func:`write_report` does the work for ``ipkg analyze``. Charts are drawn with matplotlib's Agg
canvas directly (no pyplot, no display, no global backend switch), and the network layout takes
``seed=``, so the same graph gives the same files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from ..store import Store
from .metrics import betweenness, brokers, communities, pagerank, rank, weighted_degree
from .project import graph_to_actor_network, node_to_iri
from .series import QUAD_CLASSES, DyadSeries, focus_pair, series_for_dyads, series_to_csv

__all__ = ["ReportSummary", "Table", "write_report"]

REPORT_FILE = "report.md"
# Presentation only: a colour per quad class, cooperation in blues and greens, conflict in oranges and reds.
_QUAD_COLOURS = dict(zip(QUAD_CLASSES, ("#6baed6", "#31a354", "#fd8d3c", "#de2d26")))
_SHORT = {"Verbal Cooperation": "VCoop", "Material Cooperation": "MCoop", "Verbal Conflict": "VConf", "Material Conflict": "MConf"}


@dataclass
class Table:
    """A headline table: a title, column names and rows of strings."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def to_text(self) -> str:
        """Aligned plain text, as the terminal shows it.

        Examples
        --------
        >>> print(Table("T", ["a", "bb"], [["1", "2"]]).to_text())
        T
        a  bb
        -  --
        1  2
        """
        widths = [max([len(c)] + [len(r[i]) for r in self.rows]) for i, c in enumerate(self.columns)]

        def line(vals: Sequence[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()

        out = [self.title, line(self.columns), line(["-" * w for w in widths])] + [line(r) for r in self.rows]
        if self.note:
            out.append(self.note)
        return "\n".join(out)

    def to_markdown(self) -> str:
        """A Markdown table (pipes in cells escaped)."""
        esc = lambda v: v.replace("|", "\\|")  # noqa: E731
        out = ["| " + " | ".join(esc(c) for c in self.columns) + " |", "|" + "|".join(" --- " for _ in self.columns) + "|"]
        out += ["| " + " | ".join(esc(v) for v in r) + " |" for r in self.rows]
        if self.note:
            out += ["", self.note]
        return "\n".join(out)


@dataclass
class ReportSummary:
    """What :func:`write_report` wrote, and the headline tables it printed there."""

    out: Path
    report: Path
    actors: int = 0
    events: int = 0
    tables: list[Table] = field(default_factory=list)
    charts: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def render(self) -> str:
        """The headline tables and the files written, for the terminal."""
        parts = [f"actors {self.actors}  events {self.events}"]
        parts += [t.to_text() for t in self.tables]
        parts.append("\n".join(f"wrote {p}" for p in [self.report, *self.charts.values(), *self.files]))
        return "\n\n".join(parts)


def _label(G: nx.Graph, n: Hashable) -> str:
    return str(G.nodes[n].get("label", n))


def _events(G: nx.Graph) -> dict[str, dict[str, object]]:
    """Each event of the actor network once (an event with several counterparts has several edges)."""
    out: dict[str, dict[str, object]] = {}
    for _, _, d in G.edges(data=True):
        out.setdefault(str(d.get("iri") or d.get("event")), d)
    return out


def _num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if x else "0"


def _actor_tables(G: nx.Graph, top: int, seed: int) -> tuple[list[Table], dict[str, dict[Hashable, float]], list[set[Hashable]]]:
    deg = weighted_degree(G, "events")
    gold = weighted_degree(G, "goldstein")
    pr = pagerank(G)
    bc = betweenness(G, seed=seed)
    comms = communities(G, seed=seed)
    tables = [
        Table(
            f"Top {top} actors by weighted degree (events)",
            ["#", "actor", "type", "events", "abs. Goldstein"],
            [[str(i), _label(G, n), str(G.nodes[n].get("type", "")), _num(v), f"{gold[n]:.1f}"] for i, (n, v) in enumerate(rank(deg, top), 1)],
        ),
        Table(
            f"Top {top} actors by PageRank (events, actor -> target)",
            ["#", "actor", "pagerank"],
            [[str(i), _label(G, n), f"{v:.3f}"] for i, (n, v) in enumerate(rank(pr, top), 1)],
        ),
        Table(
            f"Top {top} actors by betweenness",
            ["#", "actor", "betweenness"],
            [[str(i), _label(G, n), f"{v:.3f}"] for i, (n, v) in enumerate(rank(bc, top), 1)],
        ),
    ]
    members = []
    for i, c in enumerate(comms, 1):
        names = [_label(G, n) for n, _ in rank({n: deg[n] for n in c})]
        shown = ", ".join(names[:8]) + (f", … (+{len(names) - 8})" if len(names) > 8 else "")
        members.append([str(i), str(len(c)), shown])
    tables.append(Table(f"Louvain communities (seed {seed})", ["#", "size", "members (by weighted degree)"], members))
    return tables, {"degree": deg, "goldstein": gold, "pagerank": pr, "betweenness": bc}, comms


def _series_table(yearly: list[DyadSeries], monthly: list[DyadSeries]) -> Table:
    rows = []
    for s in yearly:
        for p in s.points:
            rows.append([s.name, p.period, str(p.events), f"{p.goldstein:.1f}", *(str(p.quads.get(q, 0)) for q in QUAD_CLASSES)])
    skipped = sum(len(s.skipped) for s in monthly)
    undated = sum(len(s.undated) for s in yearly)
    note = (
        f"Goldstein: summed per year. Monthly series (dyads_month.csv) skip {skipped} event-dyad pair(s) dated only to a year; "
        f"{undated} undated event-dyad pair(s) are in no series. Actors count for their state (roll-up)."
    )
    return Table("Dyad series per year", ["dyad", "year", "events", "Goldstein", *(_SHORT.get(q, q) for q in QUAD_CLASSES)], rows, note)


def _broker_table(G: nx.Graph, a: str, b: str) -> Table:
    direct = brokers(G, a, b)
    indirect = brokers(G, a, b, indirect=True)
    la, lb = _label(G, direct.source), _label(G, direct.target)
    joined = sum(1 for u, v in ((direct.source, direct.target), (direct.target, direct.source)) if G.has_edge(u, v) for _ in G[u][v])
    if direct.distance == 1:
        head = f"{la} and {lb} are joined directly by {joined} event edge(s); setting those aside, "
    else:
        head = ""
    ref = indirect if direct.distance == 1 else direct
    if ref.distance is None:
        note = head + "no other path joins them."
    else:
        note = head + f"{ref.paths} shortest path(s) of {ref.distance} steps join them."
    rows = [[_label(G, n), str(k), f"{k / ref.paths:.2f}"] for n, k in ref.ranking]
    return Table(f"Brokers between {la} and {lb}", ["broker", "paths", "share"], rows, note)


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path) -> Path:  # type: ignore[no-untyped-def]
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def _chart_timeline(events: dict[str, dict[str, object]], path: Path) -> Path:
    counts: Counter[tuple[str, str]] = Counter()
    for d in events.values():
        if d.get("date"):
            counts[str(d["date"])[:4], str(d.get("quad", ""))] += 1
    years = sorted({y for y, _ in counts})
    fig = _figure(max(6.0, 0.45 * len(years) + 2), 4)
    ax = fig.add_subplot()
    bottom = [0] * len(years)
    for q in QUAD_CLASSES:
        vals = [counts[y, q] for y in years]
        ax.bar(range(len(years)), vals, bottom=bottom, color=_QUAD_COLOURS[q], label=q)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(range(len(years)), years, rotation=60, fontsize=8)
    ax.set_ylabel("events")
    ax.set_title("Events per year by quad class (years with events only)")
    ax.legend(fontsize=8)
    return _save(fig, path)


def _chart_dyads(yearly: list[DyadSeries], path: Path) -> Path:
    n = max(1, len(yearly))
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    fig = _figure(6 * cols, 2.4 * rows)
    for i, s in enumerate(yearly):
        ax = fig.add_subplot(rows, cols, i + 1)
        xs = [p.period for p in s.points]
        ys = [p.goldstein for p in s.points]
        ax.bar(range(len(xs)), ys, width=0.6, color=["#31a354" if y >= 0 else "#de2d26" for y in ys])
        ax.axhline(0, color="#444444", linewidth=0.6)
        ax.set_xlim(-0.7, max(len(xs), 6) - 0.3)
        ax.set_xticks(range(len(xs)), xs, fontsize=7, rotation=45)
        ax.set_title(f"{s.name} ({s.events} events)", fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
    if not yearly:
        fig.add_subplot().text(0.5, 0.5, "no dyad has events", ha="center")
    fig.suptitle("Summed Goldstein score per year, by directed dyad", fontsize=10)
    return _save(fig, path)


def _chart_top(G: nx.Graph, deg: dict[Hashable, float], top: int, path: Path) -> Path:
    ranked = rank(deg, top)[::-1]
    fig = _figure(7, 0.35 * len(ranked) + 1.2)
    ax = fig.add_subplot()
    ax.barh(range(len(ranked)), [v for _, v in ranked], color="#3182bd")
    ax.set_yticks(range(len(ranked)), [_label(G, n) for n, _ in ranked], fontsize=8)
    ax.set_xlabel("weighted degree (event edges)")
    ax.set_title(f"Top {len(ranked)} actors by weighted degree")
    return _save(fig, path)


def _chart_communities(G: nx.Graph, comms: list[set[Hashable]], deg: dict[Hashable, float], seed: int, path: Path) -> Path:
    from matplotlib import colormaps

    H = nx.Graph(G.to_undirected())
    pos = nx.spring_layout(H, seed=seed) if len(H) else {}
    cmap = colormaps["tab20"]
    colour = {n: cmap(i % 20) for i, c in enumerate(comms) for n in c}
    fig = _figure(9, 7)
    ax = fig.add_subplot()
    for u, v in H.edges():
        ax.plot([pos[u][0], pos[v][0]], [pos[u][1], pos[v][1]], color="#bbbbbb", linewidth=0.6, zorder=1)
    nodes = sorted(H, key=str)
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=[40 + 25 * deg.get(n, 0) for n in nodes], c=[colour.get(n, "#999999") for n in nodes], zorder=2, edgecolors="white")
    for n in nodes:
        ax.annotate(_label(G, n), pos[n], fontsize=6, ha="center", va="bottom", xytext=(0, 5), textcoords="offset points", zorder=3)
    ax.set_axis_off()
    ax.set_title(f"Actor network, coloured by Louvain community (seed {seed}); size by weighted degree")
    return _save(fig, path)


def write_report(ds: Dataset | Store, out: str | Path, *, top: int = 10, seed: int = 0) -> ReportSummary:
    """Analyse a built graph and write ``report.md``, its PNG charts and CSV tables to ``out``.

    Parameters
    ----------
    ds : rdflib.Dataset or ipkg.store.Store
        The graph, e.g. ``ipkg.load_graph("out")`` or ``ipkg.open_store("out")``.
    out : str or Path
        The report folder (created).
    top : int
        Rows in the top-actor tables and bars in their chart.
    seed : int
        Seed for Louvain and the network layout.

    Returns
    -------
    ReportSummary
        The headline tables (actors by weighted degree, PageRank and betweenness; communities;
        the dyad series per year; the brokers between the focal pair of ``ontology/dyads.tsv``)
        and the paths written: ``report.md``; ``timeline.png``, ``dyads.png``,
        ``top_actors.png``, ``communities.png``; ``actors.csv``, ``dyads_year.csv`` and
        ``dyads_month.csv`` (every series point with its event IRIs).

    Examples
    --------
    >>> import tempfile
    >>> from ipkg.kg import new_dataset
    >>> summary = write_report(new_dataset(), tempfile.mkdtemp())
    >>> summary.report.name, summary.events, sorted(summary.charts)
    ('report.md', 0, ['communities', 'dyads', 'timeline', 'top_actors'])
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    G = graph_to_actor_network(ds)
    events = _events(G)
    summary = ReportSummary(out=out, report=out / REPORT_FILE, actors=G.number_of_nodes(), events=len(events))

    tables, scores, comms = _actor_tables(G, top, seed)
    yearly = series_for_dyads(G, period="year")
    monthly = series_for_dyads(G, period="month")
    tables.append(_series_table(yearly, monthly))
    a, b = focus_pair()
    iris = {d.get("iri") for _, d in G.nodes(data=True)}
    if a in iris and b in iris:
        tables.append(_broker_table(G, a, b))
    summary.tables = tables

    community_of = {n: i for i, c in enumerate(comms, 1) for n in c}
    actor_rows = ["actor,label,type,state,degree_events,degree_goldstein,pagerank,betweenness,community"]
    for n, _ in rank(scores["degree"]):
        d = G.nodes[n]
        vals = [str(d.get("iri", n)), str(d.get("label", n)), str(d.get("type", "")), node_to_iri(str(d["state"])) if d.get("state") else ""]
        vals = ['"' + v.replace('"', '""') + '"' if ("," in v or '"' in v) else v for v in vals]
        nums = [_num(scores["degree"][n]), _num(scores["goldstein"][n], 1), f"{scores['pagerank'][n]:.6f}", f"{scores['betweenness'][n]:.6f}", str(community_of.get(n, ""))]
        actor_rows.append(",".join(vals + nums))
    files = {"actors.csv": "\n".join(actor_rows) + "\n", "dyads_year.csv": series_to_csv(yearly), "dyads_month.csv": series_to_csv(monthly)}
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        summary.files.append(out / name)

    summary.charts = {
        "timeline": _chart_timeline(events, out / "timeline.png"),
        "dyads": _chart_dyads(yearly, out / "dyads.png"),
        "top_actors": _chart_top(G, scores["degree"], top, out / "top_actors.png"),
        "communities": _chart_communities(G, comms, scores["degree"], seed, out / "communities.png"),
    }
    summary.report.write_text(_markdown(summary, events), encoding="utf-8")
    return summary


def _markdown(summary: ReportSummary, events: dict[str, dict[str, object]]) -> str:
    dated = sorted(str(d["date"]) for d in events.values() if d.get("date"))
    span = f", dated {dated[0]} to {dated[-1]} ({len(events) - len(dated)} undated)" if dated else ""
    lines = [
        "# Analysis of the actor network",
        "",
        f"{summary.actors} actors in {summary.events} events{span}. The actor network has one edge per event "
        "and counterpart (an actor acting on two targets makes two edges); measures that need one edge per pair "
        "merge them and count the events.",
        "",
        "## Events over time",
        "",
        "![Events per year by quad class](timeline.png)",
        "",
    ]
    for t in summary.tables:
        if t.title.startswith("Top") and "weighted degree" in t.title:
            lines += ["## Who matters", "", f"### {t.title}", "", t.to_markdown(), "", "![Top actors](top_actors.png)", ""]
        elif t.title.startswith("Top"):
            lines += [f"### {t.title}", "", t.to_markdown(), ""]
        elif t.title.startswith("Louvain"):
            lines += ["## Communities", "", t.to_markdown(), "", "![Communities](communities.png)", ""]
        elif t.title.startswith("Dyad series"):
            lines += [
                "## Relations over time",
                "",
                "Each directed dyad A → B counts the events in which A, or an actor belonging to A (its officials, "
                "bodies and capital), acts on B or on an actor belonging to B. Every point is traceable: "
                "`dyads_year.csv` and `dyads_month.csv` list the IRIs of its events.",
                "",
                "![Dyad series](dyads.png)",
                "",
                t.to_markdown(),
                "",
            ]
        elif t.title.startswith("Brokers"):
            lines += [f"## {t.title}", "", "Actors on the shortest paths between the focal pair, ranked by how many paths pass through them.", "", t.to_markdown(), ""]
    lines += ["## Files", ""] + [f"- [{p.name}]({p.name})" for p in summary.files]
    return "\n".join(lines) + "\n"
