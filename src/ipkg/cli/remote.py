"""Options shared by the commands that talk to a SPARQL server."""

from __future__ import annotations

from typing import Optional

import typer

from ..store import RemoteStore

__all__ = ["UPDATE", "GRAPH_STORE", "USER", "PASSWORD", "remote_store"]

UPDATE: Optional[str] = typer.Option(None, "--update-endpoint", help="Where SPARQL Update goes (default: the endpoint).")
GRAPH_STORE: Optional[str] = typer.Option(
    None, "--graph-store", help="A SPARQL 1.1 Graph Store Protocol URL; graphs are PUT there instead of sent by INSERT DATA."
)
USER: Optional[str] = typer.Option(None, "--user", envvar="IPKG_SPARQL_USER", help="User for HTTP Basic/Digest authentication.")
PASSWORD: Optional[str] = typer.Option(
    None, "--password", envvar="IPKG_SPARQL_PASSWORD", help="Password (better given by the IPKG_SPARQL_PASSWORD variable)."
)


def remote_store(endpoint: str, update: str | None, graph_store: str | None, user: str | None, password: str | None) -> RemoteStore:
    """A :class:`RemoteStore` from the command's options."""
    return RemoteStore(endpoint, update_endpoint=update, graph_store=graph_store, user=user, password=password)
