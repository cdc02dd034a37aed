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
    errors: bool = typer.Option(False, "--errors", help="Also list every missed gold row and every wrong predicted row."),
) -> None:
    """Precision, recall and F1 of every bundled query against gold annotations.

    Example: ipkg evaluate evaluation/gold/seeds.toml evaluation/gold/dev.toml
    """
    from ..evaluate import evaluate, load_gold, render_scores
    from ..kg.io import load_graph
    from ..workflow import build_graph

    failed = False
    try:
        for path in gold:
            data = load_gold(path)
            if graph is not None:
                ds = load_graph(graph)
            else:
                ds, _ = build_graph([(path.parent / data.get("documents", ".")).resolve()])
            scores = evaluate(ds, data)
            typer.echo(render_scores(scores, f"== {path}", errors=errors))
            failed |= any(s.precision < min_precision or s.recall < min_recall for s in scores if s.gold)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if failed:
        typer.echo(f"below target: precision >= {min_precision}, recall >= {min_recall}", err=True)
        raise typer.Exit(1)
