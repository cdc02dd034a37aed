"""Load and save graphs as TriG, atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import Dataset

from ..errors import Errors, IpkgError
from .build import new_dataset
from .quads import NQuads, dataset_quads

__all__ = [
    "GRAPH_FILE", "FileRange", "save_graph", "load_graph", "trig_prefixes", "prefixer", "save_quads", "write_atomic", "current_umask",
    "preload", "preloaded", "drop_preloaded", "file_identity",
]

GRAPH_FILE = "graph.trig"
TRIG_INDEX_FORMAT = 1
BATCH_BYTES = 8 << 20


class FileRange(NamedTuple):
    """``length`` bytes at ``offset`` of the open file ``fd``: a piece that :func:`write_atomic`
    copies in the kernel (``os.copy_file_range``) instead of passing it through Python."""

    fd: int
    offset: int
    length: int


_PRELOADED: dict[str, tuple[tuple[tuple[int, ...] | None, ...], Any]] = {}


def file_identity(st: os.stat_result) -> tuple[int, ...]:
    """What tells a file from an edited or replaced one: its device, inode, size, mtime and ctime
    (the change time moves on any write, rename, link or chmod).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "f"
    >>> _ = path.write_bytes(b"a")
    >>> before = file_identity(path.stat())
    >>> _ = path.write_bytes(b"ab")
    >>> file_identity(path.stat()) == before
    False
    """
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _identities(paths: Sequence[Path]) -> tuple[tuple[int, ...] | None, ...]:
    """Each file's :func:`file_identity`; None for a file that is not there."""
    out: list[tuple[int, ...] | None] = []
    for path in paths:
        try:
            out.append(file_identity(os.stat(path)))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def preload(tag: str, paths: Sequence[Path], load: Callable[[], Any]) -> None:
    """Run ``load()``, which reads the files ``paths``, now, for :func:`preloaded` (with the same
    ``tag`` and ``paths``) to hand out once, later, if the files are then still the ones read
    (a file that was missing still missing). When a file changes while ``load`` runs, or it raises
    ``OSError``, nothing is kept.

    A build preloads its caches while a forked process builds the pipeline (see
    :func:`ipkg.workflow.build`), and drops what it did not use (:func:`drop_preloaded`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cache"
    >>> _ = path.write_bytes(b"abc")
    >>> preload("t", [path], lambda: path.read_bytes().upper())
    >>> _ = path.write_bytes(b"xyz")  # changed since: read again
    >>> preloaded("t", [path], lambda: path.read_bytes().upper())
    b'XYZ'
    >>> preload("t", [path], lambda: [path.read_bytes()])
    >>> preloaded("t", [path], lambda: None)  # unchanged: what preload made, once
    [b'xyz']
    >>> preloaded("t", [path], lambda: None) is None
    True
    """
    try:
        before = _identities(paths)
        value = load()
    except OSError:
        return
    if _identities(paths) == before:
        _PRELOADED[tag] = (before, value)


def preloaded(tag: str, paths: Sequence[Path], load: Callable[[], Any]) -> Any:
    """What :func:`preload` made with ``tag`` if the files ``paths`` are unchanged since, else ``load()``."""
    held = _PRELOADED.pop(tag, None)
    if held is not None and _identities(paths) == held[0]:
        return held[1]
    return load()


def drop_preloaded() -> None:
    """Forget what :func:`preload` made that was not used."""
    _PRELOADED.clear()


class _SourceChanged(Exception):
    """The file a :class:`FileRange` points into ended before the range did."""


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_atomic(path: Path, data: bytes | Iterable[bytes | FileRange], *, durable: bool = True) -> None:
    """Write ``data`` (bytes, or pieces of it written one after the other: bytes, or ranges of
    another file) to ``path`` through a temporary file and a rename.

    With ``durable``, the file is flushed to disk before the rename, so that after a crash the
    path holds the old content or the new one; without it (for files whose readers check what
    they read, such as cache entries) a crash may leave it truncated, but writing is many times
    faster.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp()) / "src"
    >>> src.write_bytes(b"0123456789")
    10
    >>> with open(src, "rb") as fh:
    ...     write_atomic(src.with_name("dst"), [b"<", FileRange(fh.fileno(), 2, 5), b">"])
    >>> src.with_name("dst").read_bytes()
    b'<23456>'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [data] if isinstance(data, bytes) else data:
                if isinstance(piece, FileRange):
                    fh.flush()
                    _copy_range(piece, fh.fileno())
                    fh.seek(0, os.SEEK_END)
                else:
                    fh.write(piece)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp's 0600 would hide a published page from a web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_range(src: FileRange, dst: int) -> None:
    """Append ``src`` to the file open as ``dst``, in the kernel where it can."""
    offset, left = src.offset, src.length
    while left:
        try:
            n = os.copy_file_range(src.fd, dst, left, offset)
        except (AttributeError, OSError):  # no such call here, or not between these files
            n = -1
        if n <= 0:
            data = os.pread(src.fd, min(left, 1 << 20), offset)
            if not data:
                raise _SourceChanged(src)
            n = os.write(dst, data)
        offset += n
        left -= n


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
    prefixes (see :func:`ipkg.kg.chunks.chunk_witnesses`).

    Examples
    --------
    >>> trig_prefixes({"id": "https://w3id.org/ipkg/id/", "actor": "https://w3id.org/ipkg/id/actor/"},
    ...               ["https://w3id.org/ipkg/id/actor/iran", "https://w3id.org/ipkg/id/evidence/d/1-2"])
    {'actor': 'https://w3id.org/ipkg/id/actor/'}
    """
    prefix_of = prefixer(namespaces)
    used = dict(p for p in map(prefix_of, set(iris)) if p is not None)
    return dict(sorted(used.items()))


def save_quads(quads: NQuads, out_dir: str | Path, namespaces: Mapping[str, str], index: str | Path | None = None, prefixes: Mapping[str, str] | None = None) -> Path:
    """Write ``quads`` as ``out_dir/graph.trig`` in their order, with those of ``namespaces`` that shorten some IRI; returns the path.

    The prefixes come first, in name order; then Oxigraph serialises about 8 MB of graphs at a
    time, so the file is written without holding it whole, and the same quads are the same
    bytes in every run. Each named graph is a block of its own (``name {`` to ``}``) that
    does not depend on its neighbours.

    With ``index``, a JSON file there records what was written: the prefixes, each graph's
    digest and byte range, and the size, times and inode of the file. The next write, if the
    file still matches that record and the prefixes are the same, copies the blocks of the
    graphs whose digest is unchanged from the old file and serialises only the others; the
    bytes are the same as a write from scratch.

    Parameters
    ----------
    quads : NQuads
        The named graphs to write.
    out_dir : str or Path
        The folder of ``graph.trig``.
    namespaces : mapping of str to str
        Candidate prefixes (see :func:`trig_prefixes`).
    index : str or Path, optional
        Where to keep the record of the file for the next write (an index that does not match
        the file, or cannot be read, is ignored).
    prefixes : mapping of str to str, optional
        ``trig_prefixes(namespaces, quads.iris)``, if the caller has it (at 10^4 documents it
        takes ~0.09 s).

    Returns
    -------
    Path

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> nq = lambda *gs: NQuads({f"<urn:{g}>": [f'<urn:s> <urn:p> "{g}" <urn:{g}> .\\n'] for g in gs}, ["urn:s"])
    >>> print(save_quads(nq("a", "b"), out, {"u": "urn:"}, out / "trig.json").read_text().expandtabs(4), end="")
    @prefix u: <urn:> .
    u:a {
        u:s u:p "a" .
    }
    u:b {
        u:s u:p "b" .
    }
    >>> save_quads(nq("a", "c"), out, {"u": "urn:"}, out / "trig.json").read_bytes() == save_quads(nq("a", "c"), out, {"u": "urn:"}).read_bytes()
    True
    """
    prefixes = dict(prefixes) if prefixes is not None else trig_prefixes(namespaces, quads.iris)
    path = Path(out_dir) / GRAPH_FILE
    if index is None:
        write_atomic(path, _trig_pieces(quads, prefixes))
        return path
    index = Path(index)
    old_fd, old = _open_indexed(path, index, prefixes)
    written: dict[str, list[Any]] | None = {}
    try:
        try:
            write_atomic(path, _trig_pieces(quads, prefixes, old_fd, old, written))
        except _SourceChanged:  # the old file shrank while it was copied from: start afresh
            written = {}
            write_atomic(path, _trig_pieces(quads, prefixes, written=written))
        except _Unsplittable:  # not expected of the Oxigraph the index names, but then no index
            written = None
            write_atomic(path, _trig_pieces(quads, prefixes))
    finally:
        if old_fd is not None:
            os.close(old_fd)
    try:
        if written is None:
            index.unlink(missing_ok=True)
        else:
            record = {"format": TRIG_INDEX_FORMAT, "oxigraph": ox.__version__, "file": _identity(path.stat()), "prefixes": prefixes, "graphs": written}
            write_atomic(index, json.dumps(record, separators=(",", ":")).encode("utf-8"), durable=False)
    except OSError:  # an index that cannot be written costs the next write its head start, no more
        pass
    return path


def _identity(st: os.stat_result) -> dict[str, int]:
    """What tells a file from an edited or replaced one (its change time moves on any write, rename, link or chmod)."""
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino, "dev": st.st_dev}


def _open_indexed(path: Path, index: Path, prefixes: Mapping[str, str]) -> tuple[int | None, dict[str, list[Any]]]:
    """``path`` opened, and the graphs ``index`` records in it (name -> digest, offset, length), if
    the index describes that very file, written by this Oxigraph with ``prefixes``; else ``(None, {})``."""
    try:
        record = json.loads(index.read_bytes())
        fd = os.open(path, os.O_RDONLY)
    except (OSError, ValueError):
        return None, {}
    try:
        st = os.fstat(fd)
        graphs = record["graphs"]
        if (
            record["format"] == TRIG_INDEX_FORMAT
            and record["oxigraph"] == ox.__version__
            and record["file"] == _identity(st)
            and record["prefixes"] == prefixes
            and isinstance(graphs, dict)
            and all(
                isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and type(v[1]) is int and type(v[2]) is int and 0 <= v[1] <= v[1] + v[2] <= st.st_size
                for v in graphs.values()
            )
        ):
            return fd, graphs
    except (KeyError, TypeError, OSError):
        pass
    os.close(fd)
    return None, {}


class _Unsplittable(Exception):
    """Oxigraph's TriG for some graphs is not one ``name { ... }`` block per graph."""


def _trig_pieces(
    quads: NQuads,
    prefixes: dict[str, str],
    old_fd: int | None = None,
    old: Mapping[str, list[Any]] | None = None,
    written: dict[str, list[Any]] | None = None,
) -> Iterator[bytes | FileRange]:
    """The TriG file of ``quads`` in pieces: the prefixes, then the graphs' blocks in order.

    The graphs whose digest is the one ``old`` gives (name -> digest, offset, length in the file
    open as ``old_fd``) are ranges of that file, adjacent ones a single range; the others are
    serialised by Oxigraph. ``written``, if given, receives every graph's digest, offset and
    length in the new file.
    """
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")
    yield header
    pos = len(header)
    reuse = old if old_fd is not None and old else {}
    for copied, names in _segments(quads, reuse):
        if copied:
            start = reuse[names[0]][1]
            piece = FileRange(old_fd, start, reuse[names[-1]][1] + reuse[names[-1]][2] - start)  # type: ignore[arg-type]
            if written is not None:
                written.update((n, [reuse[n][0], pos + reuse[n][1] - start, reuse[n][2]]) for n in names)
            yield piece
            pos += piece.length
            continue
        data = ox.serialize(ox.parse(b"".join(quads.graphs[n] for n in names), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
        end = 0
        while data.startswith(b"@prefix ", end):
            end = data.index(b"\n", end) + 1
        data = data[end:]
        if written is not None:
            at = 0
            for n in names:
                length = _block_length(data, at) if quads.graphs[n] else 0
                written[n] = [quads.digest(n), pos + at, length]
                at += length
            if at != len(data):
                raise _Unsplittable(names)
        yield data
        pos += len(data)


def _segments(quads: NQuads, reuse: Mapping[str, list[Any]]) -> Iterator[tuple[bool, list[str]]]:
    """The graphs of ``quads`` in runs: (True, names) of graphs ``reuse`` has with the same
    digest, one after the other in the old file; (False, names) of others, about
    ``BATCH_BYTES`` of N-Quads at most."""
    run: list[str] = []
    copied = False
    end = size = 0
    for name, chunk in quads.graphs.items():
        prev = reuse.get(name)
        copy = prev is not None and prev[0] == quads.digest(name)
        if run and (copy != copied or (copy and prev[1] != end) or (not copy and size >= BATCH_BYTES)):  # type: ignore[index]
            yield copied, run
            run, size = [], 0
        run.append(name)
        copied = copy
        if copy:
            end = prev[1] + prev[2]  # type: ignore[index]
        else:
            size += len(chunk)
    if run:
        yield copied, run


def _block_length(data: bytes, at: int) -> int:
    """The length of the graph block that starts at ``at`` in Oxigraph's TriG ``data``.

    Inside a block every line but the last starts with a tab (a literal's newlines are
    escaped), so the block ends at the first newline followed by ``}``.
    """
    close = data.find(b"\n}\n", at)
    if close < 0:
        raise _Unsplittable(at)
    return close + 3 - at


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
