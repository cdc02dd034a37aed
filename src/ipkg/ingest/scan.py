"""Reading the input files of an incremental build again only where they changed.

:func:`scan_records` finds the same documents, with the same ids, in the same order, and reports
the same problems in the same order as :func:`ipkg.ingest.readers.iter_records`. A *stat
manifest* (a file kept in the build's cache folder) remembers, per file, its ``stat``
(device, inode, size, mode, mtime and ctime in nanoseconds) and what reading it gave: its id
before collisions were settled, the problems it raised, the defaults it took from its folder's
``manifest.tsv``, its final id and cache key, and its length. A file whose ``stat`` is what the
manifest says is not opened: its record is only read (:meth:`ScannedRecord.load`) if its facts
have to be made again.

What a ``stat`` catches and what it cannot:

- an edit, however small, changes mtime and ctime; an edit that keeps the size and then puts the
  old mtime back (``touch -d``, ``os.utime``, ``cp -p``, ``rsync -t``) still changes the ctime,
  which no user program can set back on Linux and macOS;
- a file renamed or replaced by another (another inode), a retargeted symbolic link (its target's
  inode), a changed ``manifest.tsv`` (the rows each file took are compared);
- not caught: a file changed without its ctime moving, which takes changing the system clock, a
  file system that keeps no ctime (on Windows ``st_ctime`` is the creation time), or writing to
  the disk under the file system; a file edited within the same clock tick as the manifest was
  written (the "racy git" problem) is guarded against: an entry is trusted only if its mtime and
  ctime are more than :data:`RACY_NS` older than the manifest file's own mtime (the clock of the
  file system that holds it), so a file changed just before or while a build ran is read again
  by the next build.

A manifest that cannot be read, or was written by other code, for other settings or another
pipeline fingerprint, is ignored (every file is read, and a new manifest written).
"""

from __future__ import annotations

import gc
import hashlib
import io
import operator
import os
import pickle
import struct
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Errors, IpkgError, Warnings
from .readers import (
    MANIFEST,
    MAX_BYTES,
    PART_CHARS,
    SUFFIXES,
    InputError,
    Problem,
    TextRecord,
    _SUFFIX_LIST,
    _manifest,
    _reporter,
    read_record,
    split_record,
)

__all__ = ["INPUTS_MANIFEST", "RACY_NS", "ScannedRecord", "scan_records"]

INPUTS_MANIFEST = "inputs.stat"
"""The stat manifest's name in a build's cache folder."""
RACY_NS = 2_000_000_000
"""An entry whose file changed less than this many nanoseconds before the manifest was written is not trusted."""
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]
# What reading a file gives depends on this code: readers, HTML extraction, the script check (cleaner),
# the messages, slugs and reserved names (collisions), and the cache key.
_CODE = ("ingest", "errors.py", "facts/resolve.py", "facts/cache.py", "kg/mint.py", "nlp/components/cleaner.py")

Stat = tuple[bytes, int]
"""A file's ``stat`` as the manifest keeps it (device, inode, size, mode, mtime and ctime packed), and the later of its mtime and ctime."""
_SIGNATURE = struct.Struct("<4Q2q")


@dataclass(frozen=True)
class _Origin:
    """What :meth:`ScannedRecord.load` needs to read a file as the scan would have."""

    max_bytes: int
    fingerprint: str | None
    manifest: Path | None


@dataclass(slots=True)
class ScannedRecord:
    """A document found by :func:`scan_records`.

    ``record`` is the record as read, or None when the file was not opened because its ``stat``
    is unchanged; :meth:`load` reads it then. ``length`` is the text's length in characters,
    ``parts`` how many parts :func:`~ipkg.ingest.readers.split_record` cuts it into and ``line``
    its longest line when that is more than one (else 0).
    """

    doc_id: str
    path: str
    key: str
    record: TextRecord | None
    length: int
    parts: int = 1
    line: int = 0
    defaults: dict[str, str] | None = field(default=None, repr=False, compare=False)
    origin: _Origin | None = field(default=None, repr=False, compare=False)

    def load(self) -> TextRecord:
        """The record: as read by the scan, or read now.

        A file that no longer reads as it did (changed in a way its ``stat`` did not show, or
        while the build ran) is read as it is now, still under ``doc_id``; ``key`` becomes the
        key of what was read (so that nothing is cached under the old one), and the manifest is
        deleted so that the next build reads every file.

        Raises
        ------
        InputError
            If the file cannot be read any more, or holds no text.
        """
        if self.record is not None:
            return self.record
        from ..facts.cache import record_key

        origin = self.origin or _Origin(MAX_BYTES, None, None)
        try:
            rec = read_record(self.path, self.defaults, max_bytes=origin.max_bytes, problems=[])
            if not rec.text.strip():
                raise InputError(self.path, Warnings.W001.format(where=""))
        except InputError:
            _forget(origin.manifest)
            raise
        rec = replace(rec, doc_id=self.doc_id)
        if origin.fingerprint is not None:
            key = record_key(rec, origin.fingerprint)
            if key != self.key:
                self.key = key
                _forget(origin.manifest)
        return rec


def _forget(manifest: Path | None) -> None:
    if manifest is not None:
        try:
            manifest.unlink(missing_ok=True)
        except OSError:
            pass


def code_fingerprint() -> str:
    """A digest of the code whose output the manifest keeps (and of Python's Unicode tables).

    Examples
    --------
    >>> code_fingerprint() == code_fingerprint()
    True
    """
    from .. import __version__
    from ..resources import update_with_files

    h = hashlib.sha256(f"ipkg-inputs {FORMAT} {__version__} unicode {sys.version_info[:2]}\0".encode())
    for name in _CODE:
        p = _PACKAGE / name
        update_with_files(h, _PACKAGE, p.glob("*.py") if p.is_dir() else [p])
    return h.hexdigest()


def _signature(st: os.stat_result) -> Stat | None:
    try:
        m, c = st.st_mtime_ns, st.st_ctime_ns
        return _SIGNATURE.pack(st.st_dev, st.st_ino, st.st_size, st.st_mode, m, c), m if m > c else c
    except struct.error:  # not 64-bit numbers: not taken on trust
        return None


def _stat(path: str) -> Stat | None:
    try:
        return _signature(os.stat(path))
    except (OSError, ValueError):
        return None


_Listing = list[tuple[str, str, "os.DirEntry[str]"]]
_NAME = operator.attrgetter("name")


def folder_files(root: str) -> _Listing:
    """What ``sorted(Path(root).rglob("*"))`` lists, less folders (and links to folders) and
    hidden entries, as ``(name, path, entry)``; hidden folders are not entered.

    Sorting paths by their parts is going through the tree depth first with each folder's names
    sorted, which is what this does.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a").mkdir(); (folder / ".git").mkdir()
    >>> for name in ("a/x.txt", "a-b.txt", ".git/c.txt", "b.md"):
    ...     _ = (folder / name).write_text("text")
    >>> [pathlib.Path(path).relative_to(folder).as_posix() for _, path, _ in folder_files(str(folder))]
    ['a/x.txt', 'a-b.txt', 'b.md']
    """
    found: _Listing = []
    fold = os.name == "nt"  # Windows paths compare case-insensitively

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if not e.name.startswith(".")]
        except OSError:
            return
        entries.sort(key=(lambda e: e.name.lower()) if fold else _NAME)
        for e in entries:
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            path = e.path if folder != "." else e.name  # as str(Path(folder) / e.name)
            if is_dir:
                if not e.is_symlink():
                    walk(path)
                continue
            found.append((e.name, path, e))

    walk(root)
    return found


class _Unpickler(pickle.Unpickler):
    """Builds lists, tuples, dicts, strings and numbers, and no class or function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: a stat manifest holds no objects")


_MAGIC = b"ipkg-inputs\n"


class _Manifest:
    """The stat manifest as loaded: entries keyed by path (none if it is missing, damaged or for other settings)."""

    def __init__(self, path: Path | None, header: dict[str, Any]) -> None:
        self.files: dict[str, Any] = {}
        self.folders: dict[str, Any] = {}
        self.limit = 0
        if path is None:
            return
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data = fh.read()
            if not data.startswith(_MAGIC) or data[len(_MAGIC) : len(_MAGIC) + 64] != hashlib.sha256(data[len(_MAGIC) + 65 :]).hexdigest().encode():
                return
            collecting = gc.isenabled()
            gc.disable()  # tens of thousands of objects, none in a cycle
            try:
                saved, folders, files = _Unpickler(io.BytesIO(data[len(_MAGIC) + 65 :])).load()
            finally:
                if collecting:
                    gc.enable()
        except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError, RecursionError, MemoryError, IndexError, KeyError, AttributeError):
            return
        if saved == header and isinstance(files, dict) and isinstance(folders, dict):
            self.files, self.folders = files, folders
            self.limit = st.st_mtime_ns - RACY_NS

    def trusted(self, entry: Any, st: Stat | None) -> bool:
        """Whether ``entry``'s stat is ``st`` and old enough to be taken on trust."""
        return st is not None and entry[0] == st[0] and st[1] < self.limit


def _problems(stored: tuple[tuple[str, str, str], ...]) -> list[Problem]:
    return [Problem(path, reason, "error" if level == "error" else "warning") for path, reason, level in stored]


def _stored(problems: list[Problem]) -> tuple[tuple[str, str, str], ...]:
    return tuple((p.path, p.reason, p.level) for p in problems)


def scan_records(
    paths: Iterable[str | Path],
    problems: list[Problem] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    part_chars: int = PART_CHARS,
    fingerprint: str | None = None,
    manifest: str | Path | None = None,
    rebuild: bool = False,
) -> list[ScannedRecord]:
    """The documents :func:`~ipkg.ingest.readers.iter_records` reads, reading only the files
    that changed since the last scan saved ``manifest``.

    Parameters
    ----------
    paths, problems, max_bytes
        As for :func:`~ipkg.ingest.readers.iter_records`; ``problems`` receives the same
        problems in the same order.
    part_chars : int
        The size of the parts long texts are processed in (for ``parts`` and ``line``).
    fingerprint : str, optional
        Of the facts pipeline (:func:`ipkg.facts.cache.pipeline_fingerprint`): each document's
        ``key`` is :func:`ipkg.facts.cache.record_key` with it. Without it, keys are ``""`` and
        no manifest is used.
    manifest : str or Path, optional
        The stat manifest to use and then save (see the module's description).
    rebuild : bool
        Read every file, ignoring the manifest (a new one is saved).

    Returns
    -------
    list of ScannedRecord
        In the order ``iter_records`` yields them.

    Raises
    ------
    IpkgError
        If no document could be read at all.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Iran recognised Pakistan.")
    >>> _ = (folder / "A.md").write_text("Pakistan recognised Bangladesh.")
    >>> problems = []
    >>> found = scan_records([folder], problems, fingerprint="f", manifest=folder / "inputs.stat")
    >>> [(s.doc_id, s.record is not None) for s in found]
    [('A', True), ('a-2', True)]
    >>> print(problems[0].reason)
    document id 'a' is already used by ... (ids are compared as IRI slugs); this document is 'a-2'
    """
    from ..facts.cache import record_key
    from ..facts.resolve import slugify
    from ..kg.mint import RESERVED_GRAPHS

    report = _reporter(problems)
    header = {"format": FORMAT, "code": code_fingerprint(), "fingerprint": fingerprint, "max_bytes": max_bytes, "part_chars": part_chars}
    where = Path(manifest) if fingerprint is not None and manifest is not None else None
    old = _Manifest(where if not rebuild else None, header)
    origin = _Origin(max_bytes, fingerprint, where)
    files: dict[str, Any] = {}
    folders: dict[str, Any] = {}
    changed = False
    found: list[ScannedRecord] = []
    ids = {slug: f"ipkg's graph {iri}" for slug, iri in RESERVED_GRAPHS.items()}

    def settle(base: str, slug: str, path: str) -> str:
        """The id a document gets (another one's slug taken: ``-2``, ``-3``, ...), reported as ``iter_records`` does."""
        if slug in ids:
            n = 2
            while slugify(f"{base}-{n}") in ids:
                n += 1
            new_id = f"{base}-{n}"
            report(Problem(path, Warnings.W007.format(doc_id=base, other=ids[slug], new_id=new_id), "warning"))
            ids[slugify(new_id)] = path
            return new_id
        ids[slug] = path
        return base

    def add(slot: str, rec: TextRecord, path: str, defaults: dict[str, str] | None, st: Stat | None, got: tuple[tuple[str, str, str], ...], base: str, slug: str, doc_id: str) -> None:
        """A document read in full, under its settled id: its key made, its entry noted."""
        rec = replace(rec, doc_id=doc_id) if doc_id != rec.doc_id else rec
        key = record_key(rec, fingerprint) if fingerprint is not None else ""
        length = len(rec.text)
        parts, line = 1, 0
        if length > part_chars:
            parts = len(split_record(rec, part_chars))
            if parts > 1:
                line = max(len(x) for x in rec.text.splitlines())
        if st is not None:
            files[slot] = (st[0], defaults, got, base, "" if slug == base else slug, doc_id, key, length, parts, line)
        found.append(ScannedRecord(doc_id, path, key, rec, length, parts, line))

    def read(slot: str, path: str, defaults: dict[str, str] | None, st: Stat | None) -> None:
        """Read the file as ``iter_records`` does, and note what it gave."""
        nonlocal changed
        changed = True
        got: list[Problem] = []
        rec: TextRecord | None
        try:
            rec = read_record(path, defaults, max_bytes=max_bytes, problems=got)
        except InputError as exc:
            got.append(exc.problem)
            rec = None
        if rec is not None and not rec.text.strip():
            where_ = " after the front matter" if rec.offset else " in the HTML page" if rec.meta.get("format") == "html" else ""
            got.append(Problem(path, Warnings.W001.format(where=where_), "warning"))
            rec = None
        for p in got:
            report(p)
        if rec is not None:
            slug = slugify(rec.doc_id)
            add(slot, rec, path, defaults, st, _stored(got), rec.doc_id, slug, settle(rec.doc_id, slug, path))
        elif st is not None:
            files[slot] = (st[0], defaults, _stored(got), None)

    old_files, limit = old.files, old.limit

    def visit(path: str, st: Stat | None, rows: Callable[[], dict[str, dict[str, str]]], name: str, same_rows: bool) -> None:
        """One file: taken from the manifest if its stat (and its row of manifest.tsv) is unchanged, else read."""
        nonlocal changed
        slot = path
        if slot in files:  # a file named twice (a folder and a file in it) is a document each time, with its own entry
            n = 2
            while f"{path}\0{n}" in files:
                n += 1
            slot = f"{path}\0{n}"
        entry = old_files.get(slot)
        # trusted: the same stat, changed long enough before the manifest was written (see RACY_NS)
        if entry is None or st is None or entry[0] != st[0] or st[1] >= limit or not (same_rows or rows().get(name) == entry[1]):
            read(slot, path, rows().get(name), st)
            return
        defaults, got, base = entry[1], entry[2], entry[3]
        if got:
            for p in _problems(got):
                report(p)
        files[slot] = entry
        if base is None:
            return
        _, _, _, _, slug, last_id, key, length, parts, line = entry
        slug = slug or base
        if slug in ids:
            doc_id = settle(base, slug, path)
        else:
            doc_id = base
            ids[slug] = path
        if doc_id == last_id:
            found.append(ScannedRecord(doc_id, path, key, None, length, parts, line, defaults, origin))
            return
        # another document took or left this one's slug: its key, which holds the id, needs its text
        changed = True
        try:
            rec = read_record(path, defaults, max_bytes=max_bytes, problems=[])
        except InputError as exc:
            raise IpkgError(Errors.E030.format(reason=f"{path} changed while it was read ({exc.problem.reason}); build again")) from None
        add(slot, rec, path, defaults, st, got, base, slug, doc_id)

    def folder_rows(folder: Path) -> tuple[Callable[[], dict[str, dict[str, str]]], bool]:
        """The rows of ``folder``'s manifest.tsv (parsed only when needed) and whether they are as last time.

        Problems reading it are reported now, as ``iter_records`` does.
        """
        nonlocal changed
        mpath = str(folder / MANIFEST)
        st = _stat(mpath)
        entry = old.folders.get(mpath)
        if entry is not None and (entry[0] is None and st is None or old.trusted(entry, st)):
            for p in _problems(entry[1]):
                report(p)
            folders[mpath] = entry
            parsed: list[dict[str, dict[str, str]]] = []

            def lazy() -> dict[str, dict[str, str]]:
                if not parsed:
                    parsed.append(_manifest(folder, lambda p: None))
                return parsed[0]

            return lazy, True
        changed = True
        got: list[Problem] = []
        rows = _manifest(folder, got.append)
        for p in got:
            report(p)
        folders[mpath] = (st[0] if st is not None else None, _stored(got))
        return (lambda: rows), False

    paths = list(paths)
    reported = len(problems) if problems is not None else 0
    try:
        for path in paths:
            p = Path(path)
            if p.is_dir():
                rows, same = folder_rows(p)
                top = MANIFEST if str(p) == "." else os.path.join(str(p), MANIFEST)
                for name, fpath, e in folder_files(str(p)):
                    if fpath == top:
                        continue
                    dot = name.rfind(".")
                    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # Path.suffix
                    if suffix.lower() not in SUFFIXES:
                        report(Problem(fpath, Warnings.W004.format(suffix=suffix or name, suffixes=_SUFFIX_LIST), "warning"))
                        continue
                    try:
                        st = _signature(e.stat())
                    except OSError:
                        st = None
                    visit(fpath, st, rows, name, same)
            elif p.exists() and p.suffix.lower() not in SUFFIXES:
                report(Problem(str(p), Errors.E027.format(suffix=p.suffix or p.name, suffixes=_SUFFIX_LIST)))
            else:
                rows, same = folder_rows(p.parent) if p.parent.is_dir() else ((lambda: {}), True)
                visit(str(p), _stat(str(p)), rows, p.name, same)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        if not (old.files or old.folders):
            raise
        # an entry not of the shape this code writes: scan again, reading every file
        if problems is not None:
            del problems[reported:]
        return scan_records(paths, problems, max_bytes=max_bytes, part_chars=part_chars, fingerprint=fingerprint, manifest=manifest, rebuild=True)
    if where is not None and (changed or files.keys() != old.files.keys() or folders.keys() != old.folders.keys()):
        _save(where, header, files, folders)
    if not found:
        raise IpkgError(Errors.E002.format(paths=[str(p) for p in paths]))
    return found


def _save(path: Path, header: dict[str, Any], files: dict[str, Any], folders: dict[str, Any]) -> None:
    from ..kg.io import write_atomic

    body = pickle.dumps((header, folders, files), protocol=5)
    try:
        write_atomic(path, [_MAGIC, hashlib.sha256(body).hexdigest().encode(), b"\n", body], durable=False)
    except OSError:  # the manifest only saves time
        pass
