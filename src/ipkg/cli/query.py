"""``ipkg query``."""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import Errors, IpkgError
from ..query.sparql import DEFAULT_LIMIT

__all__ = ["query_cli"]

FORMATS = ("table", "csv", "json")


def query_cli(
    query: Optional[str] = typer.Argument(None, help="A bundled query name, a .rq file or inline SPARQL."),
    graph: str = typer.Option("out", "--graph", "-g", help="A build folder (its Oxigraph store, else graph.trig), a .trig file or a SPARQL endpoint URL."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json (SPARQL 1.1 Query Results JSON)."),
    bind: Optional[list[str]] = typer.Option(None, "--bind", "-b", help="NAME=VALUE binding for a query variable (repeatable)."),
    limit: int = typer.Option(DEFAULT_LIMIT, "--limit", "-n", help="Show at most N rows; 0 shows them all."),
    offset: int = typer.Option(0, "--offset", help="Skip the first K rows (with --limit: the next page)."),
    list_: bool = typer.Option(False, "--list", help="List the bundled queries and their questions."),
) -> None:
    """Ask the graph a question with SPARQL.

    Example: ipkg query visits --graph out --format csv
    """
    from ..query.sparql import list_queries, parse_binding, run_query
    from ..store import open_store

    if list_ or not query:
        for name, question in list_queries().items():
            typer.echo(f"{name:<13}{question}")
        return
    try:
        if fmt not in FORMATS:
            raise IpkgError(Errors.E010.format(fmt=fmt, choices=", ".join(FORMATS)))
        bindings = dict(parse_binding(b) for b in bind or [])
        result = run_query(open_store(graph), query, limit=limit or None, offset=offset, **bindings)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo({"table": result.to_table, "csv": result.to_csv, "json": result.to_json}[fmt](), nl=False)
    if result.more:
        typer.echo(f"note: more rows follow; --offset {offset + limit} shows the next {limit}, --limit 0 all of them", err=True)
