"""``ipkg analyze``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import IpkgError

__all__ = ["analyze_cli"]


def analyze_cli(
    graph: Path = typer.Option(Path("out"), "--graph", "-g", help="A build folder written by `ipkg build` (or a .trig file)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report folder (default: GRAPH/report)."),
    top: int = typer.Option(10, "--top", help="Rows in the top-actor tables."),
    seed: int = typer.Option(0, "--seed", help="Seed for Louvain communities and the network layout."),
) -> None:
    """Analyse the actor network: top actors, communities, dyad series over time and brokers; write a Markdown report with charts.

    Example: ipkg analyze --graph out --out out/report
    """
    from ..analysis.report import write_report
    from ..store import open_store

    if top <= 0:
        typer.echo("error: --top must be positive", err=True)
        raise typer.Exit(2)
    folder = out if out is not None else (graph if graph.is_dir() else graph.parent) / "report"
    try:
        summary = write_report(open_store(graph), folder, top=top, seed=seed)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(summary.render())
