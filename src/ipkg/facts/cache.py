"""A content-addressed cache of per-document facts, so that a rebuild runs the NLP pass only on
documents that are new or changed.

An entry is ``<folder>/<key>.pickle``, where ``key`` is the SHA-256 of a document's text, offset
and metadata together with a fingerprint of everything extraction depends on (pipeline config,
statistical model, the files under ``ontology/``, the extraction code, ipkg's and spaCy's
versions). Changing a rule therefore invalidates every entry. Resolution across documents is
redone from all documents' facts on every build (the RDF of a document whose facts and resolution
are unchanged is kept, see :mod:`ipkg.kg.chunks`).

Entries are pickles, which load three times faster than JSON and the facts made again from it,
read by an unpickler that builds only the classes of :mod:`ipkg.facts.model`: an entry that names
anything else (as a pickle planted to run code would) is refused like a damaged one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from collections.abc import Iterable
from typing import Any
from pathlib import Path

from ..ingest.readers import TextRecord
from .model import ActorRef, DocumentFacts, EventFact, Evidence, FigureFact, Passage, PositionFact, QuoteFact

__all__ = ["CACHE_DIR", "FactsCache", "pipeline_fingerprint", "record_key"]

CACHE_DIR = "cache"
FORMAT = 2
_ENTRY = re.compile(r"[0-9a-f]{64}\.(?:pickle|json)")  # .json: entries of format 1, pruned
_MODEL_CLASSES = {cls.__name__: cls for cls in (DocumentFacts, ActorRef, EventFact, Evidence, PositionFact, QuoteFact, FigureFact, Passage)}


class _FactsUnpickler(pickle.Unpickler):
    """Builds the classes of the facts model and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if module == DocumentFacts.__module__ and name in _MODEL_CLASSES:
            return _MODEL_CLASSES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not a class of the facts model")
_PACKAGE = Path(__file__).resolve().parents[1]
# The code whose output is cached; ingest is not listed because its output (the record) is hashed.
_CODE = ("nlp", "facts/extract.py", "facts/model.py", "facts/cache.py", "resources.py")


def pipeline_fingerprint(config: str | Path | None = None, model: str | None = None, part_chars: int | None = None) -> str:
    """A digest of everything the facts of a document depend on besides the document itself.

    Parameters
    ----------
    config, model
        As for :func:`ipkg.nlp.build_nlp`.
    part_chars : int, optional
        The size of the parts long texts are processed in.

    Raises
    ------
    IpkgError
        If a named model is not installed (see :func:`ipkg.nlp.pipeline.resolve_model`).

    Examples
    --------
    >>> pipeline_fingerprint() == pipeline_fingerprint()
    True
    >>> pipeline_fingerprint(part_chars=10) == pipeline_fingerprint(part_chars=20)
    False
    """
    import spacy
    from thinc.api import Config

    from .. import __version__
    from ..nlp.pipeline import DEFAULT_CONFIG, resolve_model
    from ..resources import ontology_dir, update_with_files

    h = hashlib.sha256(f"ipkg-facts-cache {FORMAT} {__version__} spacy {spacy.__version__} parts {part_chars}\0".encode())
    path = Path(config) if config else DEFAULT_CONFIG
    h.update(path.read_bytes())
    settings = dict(Config().from_disk(path).get("ipkg", {}))
    chosen = resolve_model((model if model is not None else os.environ.get("IPKG_SPACY_MODEL", settings.get("model", ""))) or "", path)
    h.update(f"\0model {chosen} {spacy.util.get_package_version(chosen) if chosen else ''}\0".encode())
    if chosen and Path(chosen).is_dir():
        update_with_files(h, Path(chosen), Path(chosen).glob("meta.json"))
    onto = ontology_dir()
    update_with_files(h, onto, onto.rglob("*"))
    for name in _CODE:
        p = _PACKAGE / name
        update_with_files(h, _PACKAGE, p.rglob("*.py") if p.is_dir() else [p])
    return h.hexdigest()


def record_key(record: TextRecord, fingerprint: str) -> str:
    """The cache key of a document: SHA-256 of its decoded text, offset and metadata, and ``fingerprint``.

    Examples
    --------
    >>> a = TextRecord("d", "d.txt", "Iran recognised Pakistan.")
    >>> record_key(a, "f") == record_key(TextRecord("d", "d.txt", "Iran recognised Pakistan."), "f")
    True
    >>> record_key(a, "f") == record_key(TextRecord("d", "d.txt", "Iran recognised Pakistan!"), "f")
    False
    >>> record_key(a, "f") == record_key(a, "g")
    False
    """
    fields = [
        fingerprint,
        record.doc_id,
        record.path,
        record.text,
        record.offset,
        record.title,
        record.url,
        record.kind,
        record.published.isoformat() if record.published else None,
        sorted(record.meta.items()),
    ]
    return hashlib.sha256(json.dumps(fields).encode("ascii")).hexdigest()


class FactsCache:
    """Per-document facts stored as JSON files in one folder.

    Entries are written atomically; an entry that cannot be read or does not hold what its name
    promises is treated as missing, so the document is processed again.

    Examples
    --------
    >>> import tempfile
    >>> cache = FactsCache(tempfile.mkdtemp())
    >>> key = "0" * 64
    >>> cache.get(key) is None
    True
    >>> cache.put(key, DocumentFacts("d", "d.txt", sentences=3))
    True
    >>> cache.get(key).sentences
    3
    >>> cache.discard([key]), cache.get(key)
    (1, None)
    >>> cache.prune(keep=set())
    0
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> DocumentFacts | None:
        """The facts stored under ``key``, or None if there are none or they cannot be read."""
        try:
            with self._path(key).open("rb") as fh:
                data = _FactsUnpickler(fh).load()
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, MemoryError):
            return None
        if not (isinstance(data, tuple) and len(data) == 3 and data[0] == FORMAT and data[1] == key and isinstance(data[2], DocumentFacts)):
            return None
        return data[2]

    def put(self, key: str, facts: DocumentFacts) -> bool:
        """Store ``facts`` under ``key`` atomically (a reader sees the old file or the new one; after
        a crash, possibly a truncated one, which :meth:`get` treats as missing).

        Returns False, and leaves the folder as it was, if the entry could not be written (the
        cache only saves time, so a build does not fail for it).
        """
        from ..kg.io import write_atomic

        try:
            write_atomic(self._path(key), pickle.dumps((FORMAT, key, facts), protocol=5), durable=False)
        except OSError:
            return False
        return True

    def discard(self, keys: Iterable[str]) -> int:
        """Delete the entries of ``keys`` (those there are); returns how many went."""
        removed = 0
        for key in keys:
            if _ENTRY.fullmatch(f"{key}.pickle"):
                try:
                    self._path(key).unlink()
                except OSError:
                    continue
                removed += 1
        return removed

    def prune(self, keep: set[str]) -> int:
        """Delete the entries not in ``keep`` and temporary files left by killed builds; returns how many entries went."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for p in self.folder.iterdir():
            stale = _ENTRY.fullmatch(p.name) and p.name.split(".", 1)[0] not in keep
            if stale or (p.name.startswith(".") and p.name.endswith(".tmp")):
                try:
                    p.unlink(missing_ok=True)
                except OSError:  # not a file, or not ours to delete: leave it
                    continue
                removed += bool(stale)
        return removed
