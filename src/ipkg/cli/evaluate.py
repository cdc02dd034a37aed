"""``ipkg evaluate``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import IpkgError

__all__ = ["evaluate_cli"]


def evaluate_cli(
    gold: list[Path] = typer.Argument(..., help="Gold annotation files (TOML, see evaluation/GUIDELINES.md)."),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help="A build folder; default: build the gold file's documents in memory."),
    min_precision: float = typer.Option(0.0, "--min-precision", help="Exit 1 if any query scores below this precision."),
    min_recall: float = typer.Option(0.0, "--min-recall", help="Exit 1 if any query scores below this recall."),
    within: Optional[float] = typer.Option(None, "--within", help="Exit 1 if a later gold file's precision or recall falls more than this below the first's (and below the minimum)."),
    only: Optional[str] = typer.Option(None, "--only", help="Comma-separated queries the targets apply to; default: all."),
    known: Optional[Path] = typer.Option(None, "--known", help="A TOML file of known shortfalls, each with a floor it must not fall under."),
    errors: bool = typer.Option(False, "--errors", help="Also list every missed gold row and every wrong predicted row."),
) -> None:
    """Precision, recall and F1 of every bundled query against gold annotations.

    Example: ipkg evaluate evaluation/gold/seeds.toml evaluation/gold/dev.toml --min-precision 0.9 --min-recall 0.85 --within 0.1
    """
    from ..evaluate import SCORED, evaluate, load_gold, load_known, render_scores, shortfalls
    from ..kg.io import load_graph
    from ..workflow import build_graph

    queries = tuple(q.strip() for q in only.split(",")) if only else SCORED
    unknown = sorted(set(queries) - set(SCORED))
    if unknown:
        typer.echo(f"error: unknown query in --only: {', '.join(unknown)} (known: {', '.join(SCORED)})", err=True)
        raise typer.Exit(2)
    tables = []
    try:
        allowed = load_known(known) if known is not None else {}
        for path in gold:
            data = load_gold(path)
            if graph is not None:
                ds = load_graph(graph)
            else:
                ds, _ = build_graph([(path.parent / data.get("documents", ".")).resolve()])
            scores = evaluate(ds, data)
            typer.echo(render_scores(scores, f"== {path}", errors=errors))
            tables.append(scores)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    failed = False
    for miss in shortfalls(tables, min_precision, min_recall, within, queries):
        floor = allowed.get((miss.table, miss.query, miss.measure))
        if floor is not None and miss.value >= floor - 1e-9:
            typer.echo(f"known shortfall: {miss} (floor {floor:.2f})", err=True)
        else:
            typer.echo(f"below target: {miss}", err=True)
            failed = True
    if failed:
        raise typer.Exit(1)
