"""Load and save graphs as TriG, atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ..errors import Errors, IpkgError
from .build import new_dataset
from .quads import NQuads, batches, dataset_quads

__all__ = ["GRAPH_FILE", "save_graph", "load_graph", "trig_prefixes", "prefixer", "prefix_witnesses", "save_quads", "write_atomic", "current_umask"]

GRAPH_FILE = "graph.trig"


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_atomic(path: Path, data: bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Write ``data`` (bytes, or pieces of it written one after the other) to ``path`` through a temporary file and a rename.

    With ``durable``, the file is flushed to disk before the rename, so that after a crash the
    path holds the old content or the new one; without it (for files whose readers check what
    they read, such as cache entries) a crash may leave it truncated, but writing is many times
    faster."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes) else data:
                fh.write(piece)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp's 0600 would hide a published page from a web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prefixer(namespaces: Mapping[str, str]) -> Callable[[str], tuple[str, str] | None]:
    """A function giving the (prefix, namespace) of ``namespaces`` that turns an IRI into a plain local name (no ``/`` or ``#`` left), or None.

    Examples
    --------
    >>> prefix_of = prefixer({"actor": "https://w3id.org/ipkg/id/actor/"})
    >>> prefix_of("https://w3id.org/ipkg/id/actor/iran"), prefix_of("https://w3id.org/ipkg/id/actor/x/y")
    (('actor', 'https://w3id.org/ipkg/id/actor/'), None)
    """
    by_ns: dict[str, str] = {}
    for prefix, ns in namespaces.items():
        if prefix:
            by_ns.setdefault(ns, prefix)
    # Only a namespace that ends where an IRI's last "/" or "#" does can leave a plain local name,
    # unless it ends inside that local name (few do): those are tried one by one.
    inner = sorted((ns for ns in by_ns if not ns.endswith(("/", "#"))), key=len, reverse=True)

    def prefix_of(iri: str) -> tuple[str, str] | None:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        longer = next((ns for ns in inner if len(ns) >= cut and iri.startswith(ns)), None) if inner else None
        if longer is not None:
            return (by_ns[longer], longer) if len(longer) < len(iri) else None
        stem = iri[:cut]
        return (by_ns[stem], stem) if cut < len(iri) and stem in by_ns else None

    return prefix_of


def trig_prefixes(namespaces: Mapping[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The ``namespaces`` that turn at least one of ``iris`` into a plain local name (no ``/`` or ``#`` left).

    Each IRI counts on its own, so the prefixes of a union of IRI sets are the union of their
    prefixes (see :func:`prefix_witnesses`).

    Examples
    --------
    >>> trig_prefixes({"id": "https://w3id.org/ipkg/id/", "actor": "https://w3id.org/ipkg/id/actor/"},
    ...               ["https://w3id.org/ipkg/id/actor/iran", "https://w3id.org/ipkg/id/evidence/d/1-2"])
    {'actor': 'https://w3id.org/ipkg/id/actor/'}
    """
    prefix_of = prefixer(namespaces)
    used = dict(p for p in map(prefix_of, set(iris)) if p is not None)
    return dict(sorted(used.items()))


def prefix_witnesses(namespaces: Mapping[str, str], iris: Iterable[str]) -> tuple[str, ...]:
    """Of ``iris``, the first that gives each prefix: ``trig_prefixes`` of them is ``trig_prefixes`` of all.

    Examples
    --------
    >>> prefix_witnesses({"actor": "https://w3id.org/ipkg/id/actor/"},
    ...                  ["https://w3id.org/ipkg/id/actor/iran", "urn:x", "https://w3id.org/ipkg/id/actor/oman"])
    ('https://w3id.org/ipkg/id/actor/iran',)
    """
    prefix_of = prefixer(namespaces)
    first: dict[str, str] = {}
    for iri in iris:
        p = prefix_of(iri)
        if p is not None:
            first.setdefault(p[0], iri)
    return tuple(first.values())


def save_quads(quads: NQuads, out_dir: str | Path, namespaces: Mapping[str, str]) -> Path:
    """Write ``quads`` as ``out_dir/graph.trig`` in their order, with those of ``namespaces`` that shorten some IRI; returns the path.

    The prefixes come first, in name order; then Oxigraph serialises about 8 MB of graphs at a
    time, so the file is written without holding it whole, and the same quads are the same
    bytes in every run.
    """
    prefixes = trig_prefixes(namespaces, quads.iris)

    def pieces() -> Iterator[bytes]:
        yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")
        for chunk in batches(quads.graphs.values(), 8 << 20):
            data = ox.serialize(ox.parse(chunk, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
            end = 0
            while data.startswith(b"@prefix ", end):
                end = data.index(b"\n", end) + 1
            yield data[end:]

    path = Path(out_dir) / GRAPH_FILE
    write_atomic(path, pieces())
    return path


def save_graph(ds: Dataset, out_dir: str | Path) -> Path:
    """Serialise ``ds`` as ``out_dir/graph.trig``, its quads sorted (see :func:`save_quads`); returns the path."""
    return save_quads(NQuads.from_quads(dataset_quads(ds)), out_dir, {prefix: str(ns) for prefix, ns in ds.namespaces()})


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
