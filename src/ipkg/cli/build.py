"""``ipkg build``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import Errors, IpkgError
from ..ingest.readers import MAX_BYTES, Problem
from .remote import GRAPH_STORE, PASSWORD, UPDATE, USER, remote_store

__all__ = ["build_cli"]


def build_cli(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders of .txt/.md/.html documents (default: seeds/)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder for graph.trig and graph.html."),
    config: Optional[Path] = typer.Option(None, "--config", help="A pipeline config (default: the bundled one)."),
    model: Optional[str] = typer.Option(None, "--model", help="A statistical spaCy pipeline to build on ('auto', a name or a path)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Process every document again instead of taking unchanged ones from OUT/cache (which is refreshed), and write the store whole."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write OUT/cache: process every document."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for the NLP pass (default: 2 on a machine with 2+ cores once the input is large enough, else 1)."),
    max_size: float = typer.Option(MAX_BYTES / 1_000_000, "--max-size", help="Refuse input files larger than this many megabytes.", min=0),
    store: str = typer.Option(
        "oxigraph", "--store", help="'oxigraph' (write out/oxigraph), 'none' (TriG only) or a SPARQL endpoint URL to push to as well."
    ),
    update_endpoint: Optional[str] = UPDATE,
    graph_store: Optional[str] = GRAPH_STORE,
    user: Optional[str] = USER,
    password: Optional[str] = PASSWORD,
) -> None:
    """Build the knowledge graph from documents and write graph.trig, the Oxigraph store and graph.html.

    Every input that is skipped or read with a change gets one line on stderr, "error: PATH:
    REASON" (not read: binary, too large, unreadable, bad front matter...) or "warning: PATH:
    REASON" (empty, another encoding or type, a non-Latin script, processed in parts). Exit
    status: 0 every input was read; 1 some inputs were not read, the graph of the others was
    written; 2 nothing usable, or a usage error.

    The facts of each document are kept in OUT/cache: a rebuild processes only the documents
    that are new or changed (or all of them when the pipeline config, the model, the ontology
    and lexicon files or ipkg changed) and redoes resolution and RDF for all, rewriting only the
    named graphs of the store that changed; the output is the same as a full build's.

    Example: ipkg build seeds --out out
    """
    from ..workflow import build

    problems: list[Problem] = []
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
            problems=problems,
            max_bytes=int(max_size * 1_000_000),
            cache=not no_cache,
            rebuild=rebuild,
            jobs=jobs,
        )
    except IpkgError as exc:
        _report(problems)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    _report(problems)
    typer.echo(summary.render())
    if summary.failed:
        raise typer.Exit(1)


def _report(problems: list[Problem]) -> None:
    for p in problems:
        typer.echo(_one_line(str(p)), err=True)


def _one_line(text: str) -> str:
    """Control characters in a file name shown as escapes, so each problem is one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
