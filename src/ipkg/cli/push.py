"""``ipkg push``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import IpkgError
from .remote import GRAPH_STORE, PASSWORD, UPDATE, USER, remote_store

__all__ = ["push_cli"]


def push_cli(
    endpoint: str = typer.Option(..., "--endpoint", "-e", help="The server's SPARQL query endpoint URL."),
    graph: Path = typer.Option(Path("out"), "--graph", "-g", help="A build folder or a .trig file."),
    update_endpoint: Optional[str] = UPDATE,
    graph_store: Optional[str] = GRAPH_STORE,
    user: Optional[str] = USER,
    password: Optional[str] = PASSWORD,
) -> None:
    """Load a built graph into a SPARQL 1.1 server, replacing the named graphs it holds.

    Example: ipkg push --graph out --endpoint http://127.0.0.1:8890/sparql-auth --user dba
    """
    from ..workflow import push

    try:
        store = remote_store(endpoint, update_endpoint, graph_store, user, password)
        triples = push(graph, store)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"pushed {triples} triples to {endpoint}")
