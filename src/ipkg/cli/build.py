"""``ipkg build``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import Errors, IpkgError
from .remote import GRAPH_STORE, PASSWORD, UPDATE, USER, remote_store

__all__ = ["build_cli"]


def build_cli(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders of .txt/.md documents (default: seeds/)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder for graph.trig and graph.html."),
    config: Optional[Path] = typer.Option(None, "--config", help="A pipeline config (default: the bundled one)."),
    model: Optional[str] = typer.Option(None, "--model", help="A statistical spaCy pipeline to build on ('auto', a name or a path)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
    store: str = typer.Option(
        "oxigraph", "--store", help="'oxigraph' (write out/oxigraph), 'none' (TriG only) or a SPARQL endpoint URL to push to as well."
    ),
    update_endpoint: Optional[str] = UPDATE,
    graph_store: Optional[str] = GRAPH_STORE,
    user: Optional[str] = USER,
    password: Optional[str] = PASSWORD,
) -> None:
    """Build the knowledge graph from documents and write graph.trig, the Oxigraph store and graph.html.

    Example: ipkg build seeds --out out
    """
    from ..workflow import build

    try:
        remote = None
        if store.startswith(("http://", "https://")):
            remote = remote_store(store, update_endpoint, graph_store, user, password)
        elif store not in ("oxigraph", "none"):
            raise IpkgError(Errors.E015.format(store=store))
        summary = build(
            paths or [Path("seeds")],
            out,
            config=config,
            model=model,
            progress=not quiet and sys.stderr.isatty(),
            embedded=store != "none",
            remote=remote,
        )
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(summary.render())
