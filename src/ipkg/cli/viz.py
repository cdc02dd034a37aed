"""``ipkg viz``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import IpkgError

__all__ = ["viz_cli"]


def viz_cli(
    graph: Path = typer.Option(Path("out"), "--graph", "-g", help="A build folder or a .trig file."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="The page to write (default: viz.html beside the graph)."),
    around: Optional[str] = typer.Option(None, "--around", "-a", help="Centre on this actor: a label, alias or IRI."),
    hops: int = typer.Option(2, "--hops", help="With --around: keep actors within this many events of it."),
    since: Optional[str] = typer.Option(None, "--since", help="Keep events from this date on (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Keep events up to this date, inclusive (YYYY, YYYY-MM or YYYY-MM-DD)."),
) -> None:
    """Draw a focused explorer page: an actor's neighbourhood, events in a date window.

    Dates match by overlap at their own precision: --since 2024-01 keeps an event dated
    2024-01-15 and one dated only 2024; undated events are left out when a date is given.

    Example: ipkg viz --graph out --around "Asim Munir" --hops 2 --since 2024-01
    """
    from ..viz.focus import draw_explorer

    try:
        summary = draw_explorer(graph, out, around=around, hops=hops, since=since, until=until)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(summary.render())
