"""Load and save graphs as TriG, atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from rdflib import Dataset

from ..errors import Errors, IpkgError
from .build import new_dataset

__all__ = ["GRAPH_FILE", "save_graph", "load_graph", "stable_trig", "write_atomic", "current_umask"]

GRAPH_FILE = "graph.trig"


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp's 0600 would hide a published page from a web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_GRAPH_OPEN = re.compile(r"^\S.* \{$", re.MULTILINE)


def stable_trig(text: str) -> str:
    r"""TriG with its graph blocks in the order of their names, and each block's subjects sorted.

    rdflib writes a dataset's graphs (and ties between subjects) in the order of a set, which
    follows the process's hash seed; sorting makes the same graph the same bytes in every run.

    Examples
    --------
    >>> print(stable_trig("@prefix a: <x:> .\n\n<x:b> {\n    a:s a:p a:o .\n}\n\n<x:a> {\n    a:s a:p a:q .\n}\n\n"), end="")
    @prefix a: <x:> .
    <BLANKLINE>
    <x:a> {
        a:s a:p a:q .
    }
    <BLANKLINE>
    <x:b> {
        a:s a:p a:o .
    }
    <BLANKLINE>
    """
    starts = [m.start() for m in _GRAPH_OPEN.finditer(text)]
    if not starts:
        return text
    blocks = [_sorted_block(text[a:b]) for a, b in zip(starts, [*starts[1:], len(text)])]
    return text[: starts[0]] + "".join(sorted(blocks, key=lambda b: b.split("\n", 1)[0]))


def _sorted_block(block: str) -> str:
    """A graph block with its subjects' stanzas (separated by blank lines) in sorted order."""
    head, _, rest = block.partition("\n")
    body, close, tail = rest.rpartition("\n}\n")
    if not close:
        return block
    stanzas = [st for st in body.split("\n\n") if st.strip()]
    return head + "\n" + "\n\n".join(sorted(stanzas)) + close + tail


def save_graph(ds: Dataset, out_dir: str | Path) -> Path:
    """Serialise ``ds`` as ``out_dir/graph.trig``, graphs in name order; returns the path."""
    path = Path(out_dir) / GRAPH_FILE
    write_atomic(path, stable_trig(ds.serialize(format="trig")).encode("utf-8"))
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
