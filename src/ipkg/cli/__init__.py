"""The ``ipkg`` command: a thin shell over the Python API."""

from __future__ import annotations

import typer

from .analyze import analyze_cli
from .build import build_cli
from .evaluate import evaluate_cli
from .push import push_cli
from .serve import serve_cli
from .query import query_cli
from .viz import viz_cli

__all__ = ["app"]

app = typer.Typer(help="ipkg: the Iran–Pakistan knowledge graph.", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.command("build")(build_cli)
app.command("query")(query_cli)
app.command("evaluate")(evaluate_cli)
app.command("push")(push_cli)
app.command("serve")(serve_cli)
app.command("analyze")(analyze_cli)
app.command("viz")(viz_cli)
