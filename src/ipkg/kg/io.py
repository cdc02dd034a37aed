"""Load and save graphs as TriG, atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset

from ..errors import Errors, IpkgError
from .build import new_dataset

__all__ = ["GRAPH_FILE", "save_graph", "load_graph", "write_atomic"]

GRAPH_FILE = "graph.trig"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_graph(ds: Dataset, out_dir: str | Path) -> Path:
    """Serialise ``ds`` as ``out_dir/graph.trig``; returns the path."""
    path = Path(out_dir) / GRAPH_FILE
    write_atomic(path, ds.serialize(format="trig").encode("utf-8"))
    return path


def load_graph(location: str | Path) -> Dataset:
    """Load a TriG file, or ``graph.trig`` inside a build folder.

    Raises
    ------
    IpkgError
        If there is no graph there.
    """
    p = Path(location)
    if p.is_dir():
        p = p / GRAPH_FILE
    if not p.is_file():
        raise IpkgError(Errors.E006.format(path=p))
    ds = new_dataset()
    ds.parse(p, format="trig")
    return ds
