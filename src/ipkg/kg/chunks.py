"""Named graphs' N-Quads chunks kept between builds, so that a rebuild writes RDF only for the
graphs whose inputs changed.

A document's graph is a function of its facts (named by the facts cache's record key) and of
what resolution across documents made of them: the IRIs of its actors and the names it used
for them, and the IRI, participants, date and label of every event it mentions. The caller
digests those into a *signature*; a chunk stored under the same graph and signature is the
chunk that would be written again. The chunks live in one append-only file
(``graphs.pack``) with an index (``graphs.json``) that gives each graph's signature, byte range,
SHA-256 and the few IRIs that choose its TriG prefixes (see :func:`chunk_witnesses`).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from dataclasses import dataclass
from collections.abc import Mapping
from pathlib import Path

from ..resources import update_with_files
from .quads import chunk_iris

__all__ = ["GraphChunks", "Chunk", "PACK", "INDEX", "chunks_fingerprint"]

PACK = "graphs.pack"
INDEX = "graphs.json"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]
# The code a chunk's bytes depend on besides its signature's inputs.
_CODE = ("kg/build.py", "kg/mint.py", "kg/quads.py", "kg/namespace.py", "kg/io.py", "kg/chunks.py", "facts/resolve.py", "facts/model.py")


def chunks_fingerprint(namespaces: Mapping[str, str]) -> str:
    """A digest of the code and library versions that turn resolved facts into N-Quads text, and of
    the ``namespaces`` the chunks' prefix witnesses are chosen for.

    Examples
    --------
    >>> chunks_fingerprint({"a": "urn:a:"}) == chunks_fingerprint({"a": "urn:a:"}) != chunks_fingerprint({})
    True
    """
    import pyoxigraph
    import rdflib

    h = hashlib.sha256(f"ipkg-graph-chunks {FORMAT} pyoxigraph {pyoxigraph.__version__} rdflib {rdflib.__version__}\0".encode())
    h.update(json.dumps(sorted(namespaces.items())).encode("utf-8"))
    return update_with_files(h, _PACKAGE, [_PACKAGE / name for name in _CODE]).hexdigest()


def chunk_witnesses(prefixes: Mapping[str, str], chunk: bytes) -> tuple[str, ...]:
    """For each of ``prefixes`` (prefix -> namespace, those :func:`ipkg.kg.io.trig_prefixes`
    chose for the whole dataset) that some IRI of ``chunk``'s lines (subject, predicate or object)
    gives, one such IRI: ``trig_prefixes`` of them is ``trig_prefixes`` of all the chunk's.

    Examples
    --------
    >>> chunk_witnesses({"d": "urn:dt/", "u": "urn:x/"}, b'<urn:a> <urn:x/p> "<urn:x/q>"^^<urn:dt/t> <urn:x/g> .\\n')
    ('urn:x/p',)
    """
    from .io import prefixer

    prefix_of = prefixer(prefixes)
    found: dict[tuple[str, str], str] = {}
    for iri in chunk_iris(chunk):
        prefix = prefix_of(iri)
        if prefix is not None and prefix not in found:
            found[prefix] = iri
    return tuple(found[p] for p in prefixes.items() if p in found)


@dataclass(frozen=True)
class Chunk:
    """A graph's chunk as stored: its bytes, their SHA-256 and its prefix witnesses."""

    data: bytes | memoryview
    digest: str
    witnesses: tuple[str, ...]


class GraphChunks:
    """The chunks of the last build, by graph, and those of this one as they are written.

    Parameters
    ----------
    folder : str or Path
        Where ``graphs.pack`` and ``graphs.json`` are kept (a build's cache folder).
    fingerprint : str
        What else the chunks depend on (:func:`chunks_fingerprint`): an index written under
        another fingerprint is ignored.
    reuse : bool
        Read the chunks of the last build; with False they are all written anew.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> chunks = GraphChunks(folder, "f")
    >>> chunks.get("<urn:g>", "s1") is None
    True
    >>> chunks.put("<urn:g>", "s1", b"<urn:s> <urn:p> <urn:o> <urn:g> .\\n", "d")
    >>> chunks.save({"urn": "urn:"})
    >>> chunk = GraphChunks(folder, "f").get("<urn:g>", "s1")
    >>> bytes(chunk.data), chunk.digest, chunk.witnesses
    (b'<urn:s> <urn:p> <urn:o> <urn:g> .\\n', 'd', ('urn:s',))
    >>> GraphChunks(folder, "f").get("<urn:g>", "s2") is None, GraphChunks(folder, "g").get("<urn:g>", "s1") is None
    (True, True)
    """

    def __init__(self, folder: str | Path, fingerprint: str, *, reuse: bool = True) -> None:
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self._old: dict[str, list[object]] = {}
        self._iris: list[str] = []
        self._new: dict[str, list[object]] = {}
        self._added: list[bytes] = []
        self._map: mmap.mmap | None = None
        self._size = 0
        self.reused = 0
        if not reuse:
            return
        try:
            index = json.loads((self.folder / INDEX).read_bytes())
            pack = (self.folder / PACK).open("rb")
        except (OSError, ValueError):
            return
        with pack:
            size = os.fstat(pack.fileno()).st_size
            # a pack longer than its index says holds chunks of a build killed before it wrote the index
            if not (isinstance(index, dict) and index.get("format") == FORMAT and index.get("fingerprint") == fingerprint and isinstance(index.get("size"), int) and 0 < index["size"] <= size):
                return
            self._map = mmap.mmap(pack.fileno(), 0, access=mmap.ACCESS_READ)
            self._view = memoryview(self._map)
        self._size = index["size"]
        entries, iris = index.get("graphs"), index.get("iris")
        if isinstance(entries, dict) and isinstance(iris, list):
            self._old, self._iris = entries, iris

    def get(self, graph: str, signature: str) -> Chunk | None:
        """The chunk stored for ``graph`` under ``signature``, or None; a chunk got is kept by :meth:`save`."""
        entry = self._old.get(graph)
        if self._map is None or not isinstance(entry, list) or len(entry) != 5 or entry[0] != signature:
            return None
        _, start, length, digest, witnesses = entry
        if not (isinstance(start, int) and isinstance(length, int) and 0 <= start and start + length <= self._size):
            return None
        try:
            iris = tuple(str(self._iris[i]) for i in witnesses)
        except (TypeError, IndexError):
            return None
        self._new[graph] = [*entry[:4], list(iris)]
        self.reused += 1
        return Chunk(self._view[start : start + length], str(digest), iris)  # not copied: most are never read

    def _named(self, witnesses: list[str] | tuple[int, ...]) -> list[str]:
        return [str(self._iris[i]) for i in witnesses] if isinstance(witnesses, tuple) else witnesses

    def take(self, wanted: Mapping[str, str]) -> tuple[dict[str, Chunk], set[str]]:
        """The chunks of many graphs (graph -> signature) as :meth:`get` gives them, but their
        witnesses pooled: (graph -> chunk with no witnesses of its own, the witnesses of all).
        At 10^4 graphs, half the time of as many :meth:`get`.

        Raises
        ------
        KeyError
            With the name of a graph that has no chunk under its signature.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> chunks = GraphChunks(folder, "f")
        >>> chunks.put("<urn:g>", "s1", b"<urn:s> <urn:p> <urn:o> <urn:g> .\\n", "d")
        >>> chunks.save({"urn": "urn:"})
        >>> taken, witnesses = GraphChunks(folder, "f").take({"<urn:g>": "s1"})
        >>> bytes(taken["<urn:g>"].data), witnesses
        (b'<urn:s> <urn:p> <urn:o> <urn:g> .\\n', {'urn:s'})
        >>> GraphChunks(folder, "f").take({"<urn:g>": "s2"})
        Traceback (most recent call last):
        ...
        KeyError: '<urn:g>'
        """
        taken: dict[str, Chunk] = {}
        indices: set[int] = set()
        old, new, size, view = self._old, self._new, self._size, getattr(self, "_view", None)
        for graph, signature in wanted.items():
            entry = old.get(graph)
            if view is None or not isinstance(entry, list) or len(entry) != 5 or entry[0] != signature:
                raise KeyError(graph)
            _, start, length, digest, witnesses = entry
            if not (isinstance(start, int) and isinstance(length, int) and 0 <= start and start + length <= size and isinstance(witnesses, list)):
                raise KeyError(graph)
            indices.update(witnesses)
            new[graph] = [*entry[:4], tuple(witnesses)]  # the old numbering, which save() keeps
            taken[graph] = Chunk(view[start : start + length], str(digest), ())
        try:
            iris = {str(self._iris[i]) for i in indices}
        except (TypeError, IndexError):
            raise KeyError(next(iter(wanted))) from None
        self.reused += len(taken)
        return taken, iris

    def put(self, graph: str, signature: str, data: bytes, digest: str) -> None:
        """Keep chunk ``data`` (of SHA-256 ``digest``) as ``graph``'s under ``signature`` (written by :meth:`save`)."""
        self._new[graph] = [signature, -1 - len(self._added), len(data), digest, None]
        self._added.append(data)

    def save(self, prefixes: Mapping[str, str]) -> None:
        """Write the chunks put and the index of all chunks got or put (the others are dropped).

        New chunks are appended to the pack; when it would hold more dead bytes than live ones, or
        no chunk was reused, it is written anew with the live ones only. Chunks put get their
        witnesses here, among ``prefixes`` (those of the whole dataset; the work is done now rather
        than while the graph is written, so that a build can do it beside its store's load). A failure to write
        leaves the cache unusable, not wrong: the index names the pack's size, and is written last.
        """
        from .io import write_atomic

        for entry in self._new.values():
            if entry[4] is None:
                entry[4] = list(chunk_witnesses(prefixes, self._added[-1 - int(entry[1])]))  # type: ignore[call-overload]
        live = sum(int(e[2]) for e in self._new.values())  # type: ignore[call-overload]
        fresh = self.reused == 0 or self._size + sum(map(len, self._added)) > 2 * live
        self.folder.mkdir(parents=True, exist_ok=True)
        pack = self.folder / PACK
        try:
            if fresh:
                pieces, offset = [], 0
                for entry in self._new.values():
                    start, length = int(entry[1]), int(entry[2])  # type: ignore[call-overload]
                    pieces.append(self._added[-1 - start] if start < 0 else self._map[start : start + length])  # type: ignore[index]
                    entry[1] = offset
                    offset += length
                write_atomic(pack, pieces, durable=False)
                size = offset
            else:
                starts, size = [], self._size
                for data in self._added:
                    starts.append(size)
                    size += len(data)
                with pack.open("r+b") as fh:
                    fh.seek(self._size)
                    for data in self._added:
                        fh.write(data)
                    fh.truncate(size)
                for entry in self._new.values():
                    if int(entry[1]) < 0:  # type: ignore[call-overload]
                        entry[1] = starts[-1 - int(entry[1])]  # type: ignore[call-overload]
            # witnesses are IRIs, or (a tuple) numbers of the old index's: a pack appended to keeps
            # that numbering, a pack written anew gets one of its own
            number: dict[str, int] = {} if fresh else {iri: i for i, iri in enumerate(self._iris)}
            graphs = {
                g: [*e[:4], list(e[4]) if isinstance(e[4], tuple) and not fresh else [number.setdefault(iri, len(number)) for iri in self._named(e[4])]]  # type: ignore[arg-type]
                for g, e in self._new.items()
            }
            index = {"format": FORMAT, "fingerprint": self.fingerprint, "size": size, "iris": list(number), "graphs": graphs}
            write_atomic(self.folder / INDEX, json.dumps(index, separators=(",", ":")).encode("utf-8"), durable=False)
        except OSError:
            (self.folder / INDEX).unlink(missing_ok=True)
