"""``ipkg serve``."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import IpkgError

__all__ = ["serve_cli"]


def serve_cli(
    graph: Path = typer.Option(Path("out"), "--graph", "-g", help="A build folder written by `ipkg build`."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default; 0.0.0.0 exposes it to the network)."),
    port: int = typer.Option(7878, "--port", "-p", help="Port to listen on (0 picks a free one)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds a query may run before it is stopped (HTTP 503)."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Most rows (or triples) in one answer."),
    workers: int = typer.Option(2, "--workers", help="Queries answered at once, each in its own process."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Allow federated SERVICE calls to other servers."),
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql, with the explorer at / and a query page at /query.

    Example: ipkg serve --graph out --port 7878
    """
    from ..server import ServeConfig, serve

    if timeout <= 0 or max_rows <= 0 or workers <= 0:
        typer.echo("error: --timeout, --max-rows and --workers must be positive", err=True)
        raise typer.Exit(2)
    config = ServeConfig(timeout=timeout, max_rows=max_rows, workers=workers, allow_service=allow_service)

    def announce(url: str) -> None:
        typer.echo(f"ipkg serve: listening on {url}")
        typer.echo(f"  SPARQL endpoint {url}sparql · query page {url}query · health {url}health", err=True)

    try:
        serve(graph, host, port, config, announce=announce)
    except IpkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
