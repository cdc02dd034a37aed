"""Files and folders -> :class:`TextRecord`, with front matter and a folder manifest.

Bad input never stops a build: every file that cannot be read, or is read with a change, becomes a
:class:`Problem` (path, reason, level), and the other files are still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import stat
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..errors import Errors, IpkgError, Warnings
from .html import html_to_text

__all__ = [
    "TextRecord",
    "Problem",
    "InputError",
    "InputWarning",
    "read_record",
    "record_from_bytes",
    "iter_records",
    "parse_front_matter",
    "decode_bytes",
    "sniff_binary",
    "dominant_script",
    "split_record",
    "SUFFIXES",
    "HTML_SUFFIXES",
    "MAX_BYTES",
    "PART_CHARS",
]

SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST = "manifest.tsv"
#: Files larger than this many bytes are refused (``ipkg build --max-size``).
MAX_BYTES = 10_000_000
#: Texts longer than this many characters are processed in parts (see :func:`split_record`).
PART_CHARS = 100_000
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SUFFIX_LIST = ", ".join(SUFFIXES)


@dataclass(frozen=True)
class TextRecord:
    """A document as read from disk.

    ``text`` is the body after any front matter; ``offset`` is where the body starts in the
    file's decoded text, so ``offset + i`` points into the original file. For an HTML page,
    ``text`` is the extracted main text (see :func:`ipkg.ingest.html.html_to_text`) and offsets
    point into that text, not into the markup. ``meta`` holds the front matter and manifest
    fields, plus ``encoding`` (how the bytes were decoded), ``format`` (``"html"`` for pages) and
    ``script`` (for text mostly in a non-Latin script).
    """

    doc_id: str
    path: str
    text: str
    offset: int = 0
    title: str = ""
    url: str = ""
    kind: str = ""
    published: dt.date | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A file that was not read (``level="error"``), or was read with a change or skipped
    harmlessly (``"warning"``).

    Examples
    --------
    >>> print(Problem("in/a.pdf", "binary file (PDF document), not text"))
    error: in/a.pdf: binary file (PDF document), not text
    """

    path: str
    reason: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.reason}"


class InputError(IpkgError):
    """A file that cannot be read as a document; ``problem`` says which and why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.problem = Problem(str(path), reason)
        super().__init__(f"{path}: {reason}")


class InputWarning(UserWarning):
    """A file read with a change, when no ``problems`` list collects it."""


Report = Callable[[Problem], None]


def _reporter(problems: list[Problem] | None) -> Report:
    """Append to ``problems``; without a list, raise errors and issue warnings."""

    def report(p: Problem) -> None:
        if problems is not None:
            problems.append(p)
        elif p.level == "error":
            raise InputError(p.path, p.reason)
        else:
            warnings.warn(str(p), InputWarning, stacklevel=3)

    return report


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive, e.g. DOCX, ODT or EPUB"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"%!PS", "PostScript document"),
    (b"{\\rtf", "RTF document"),
    (b"OggS", "Ogg media"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "web font"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SNIFF = 8192
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}
_CONTROL_BYTES = bytes(sorted(_CONTROL))


def sniff_binary(data: bytes) -> str | None:
    """What kind of binary file ``data`` is, or None for text.

    Known signatures (PDF, PNG, JPEG, ZIP/DOCX, ...) are recognised; otherwise a NUL byte, or more
    than 10% control bytes, in the first 8 KB means binary. Text that starts with a UTF-16 or
    UTF-32 byte order mark is text.

    Examples
    --------
    >>> sniff_binary(b"%PDF-1.7\\n...")
    'PDF document'
    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n...")
    'PNG image'
    >>> sniff_binary(b"abc\\x00def")
    'NUL bytes'
    >>> sniff_binary("Iran and Pakistan".encode("utf-16")) is None
    True
    >>> sniff_binary(b"Plain text.") is None
    True
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "NUL bytes"
    if head and len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) / 10:
        return "control bytes"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else
    Windows-1252 when it decodes cleanly, else Latin-1 (which always does).

    Returns
    -------
    (text, encoding)
        ``encoding`` is one of ``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32``, ``cp1252``,
        ``latin-1``.

    Examples
    --------
    >>> decode_bytes("Caf\\u00e9".encode("utf-8"))
    ('Café', 'utf-8')
    >>> decode_bytes(b"\\x93Quoted\\x94 \\x96 caf\\xe9")
    ('“Quoted” – café', 'cp1252')
    >>> decode_bytes(b"\\x81\\xe9")
    ('\\x81é', 'latin-1')
    >>> decode_bytes("سلام".encode("utf-16"))
    ('سلام', 'utf-16')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def dominant_script(text: str, sample: int = 20_000) -> str:
    """The script most letters of ``text`` are written in, when it is not Latin; else ``""``.

    Examples
    --------
    >>> dominant_script("روابط ایران و پاکستان")
    'Arabic'
    >>> dominant_script("Iran and Pakistan (ایران و پاکستان)")
    ''
    """
    head = text[:sample]
    if head.isascii():
        return ""
    ascii_ = head.encode("ascii", "ignore")
    latin = len(ascii_.translate(None, _NOT_ASCII_LETTERS))
    if latin >= len(head) - len(ascii_):  # no more letters of other scripts than there are non-ASCII characters
        return ""
    scripts: Counter[str] = Counter()
    first_latin = _ASCII_LETTER.search(head)
    for m in _NON_ASCII.finditer(head):
        ch = m.group()
        if ch.isalpha():
            if latin and first_latin and first_latin.start() < m.start() and "LATIN" not in scripts:
                scripts["LATIN"] = 0  # counted in the order letters first appear, as ties go to the first
            name = unicodedata.name(ch, "")
            scripts[name.split(" ", 1)[0] if name else "UNKNOWN"] += 1
    if latin:
        scripts["LATIN"] += latin
    if not scripts:
        return ""
    top, n = scripts.most_common(1)[0]
    if top == "LATIN" or scripts["LATIN"] * 2 >= sum(scripts.values()):
        return ""
    return "CJK" if top == "CJK" else top.title()


def parse_front_matter(raw: str, path: str = "<string>") -> tuple[dict[str, str], int]:
    """Split a ``---`` front-matter block from the start of ``raw``.

    Returns
    -------
    (fields, offset)
        The ``key: value`` fields and the offset where the body starts (0 without front matter).

    Raises
    ------
    InputError
        On a line of the block that is not ``key: value``.

    Examples
    --------
    >>> parse_front_matter("---\\ntitle: A\\npublished: 2024-01-16\\n---\\nBody")
    ({'title': 'A', 'published': '2024-01-16'}, 39)
    >>> parse_front_matter("No front matter")
    ({}, 0)
    """
    m = _FRONT.match(raw)
    if not m:
        return {}, 0
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise InputError(path, Errors.E004.format(reason=f"expected 'key: value', got {line[:80]!r}"))
        fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, m.end()


def _parse_date(value: str, path: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(path, Errors.E004.format(reason=f"published must be YYYY-MM-DD, got {value[:40]!r}")) from None


def _manifest(folder: Path, report: Report) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report(Problem(str(path), Errors.E030.format(reason=exc)))
        return {}
    return {row["file"]: row for row in rows if row.get("file")}


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def read_record(
    path: str | Path,
    defaults: dict[str, str] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    problems: list[Problem] | None = None,
) -> TextRecord:
    """Read one file; front matter fields override ``defaults`` (from a manifest).

    Only regular files are opened (a named pipe would block), and only up to ``max_bytes``.

    Parameters
    ----------
    path : str or Path
        A .txt, .md, .html or .htm file (the suffix is not checked here).
    defaults : dict, optional
        Fields from a manifest.
    max_bytes : int
        Refuse larger files.
    problems : list of Problem, optional
        Receives warnings (another encoding, a non-Latin script); without it they are issued as
        :class:`InputWarning`.

    Raises
    ------
    InputError
        If the file cannot be read (missing, not a regular file, too large, binary, malformed
        front matter); ``exc.problem`` names the file and the reason.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise InputError(p, Errors.E029.format(target=os.readlink(p))) from None
        raise InputError(p, Errors.E031) from None
    except OSError as exc:
        raise InputError(p, Errors.E030.format(reason=exc.strerror or exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(p, Errors.E028.format(kind=_file_kind(st.st_mode)))
    if st.st_size > max_bytes:
        raise InputError(p, Errors.E026.format(size=_size(st.st_size), limit=_size(max_bytes)))
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(p, Errors.E030.format(reason=exc.strerror or exc)) from None
    if len(data) > max_bytes:
        raise InputError(p, Errors.E026.format(size=f"more than {_size(max_bytes)}", limit=_size(max_bytes)))
    return record_from_bytes(data, p, defaults, problems=problems)


def record_from_bytes(
    data: bytes, path: str | Path, defaults: dict[str, str] | None = None, *, problems: list[Problem] | None = None
) -> TextRecord:
    """Make a record of a file's bytes: refuse binary data, decode, extract an HTML page's text,
    split off front matter, note another encoding or a non-Latin script.

    ``path`` names the document (its stem is the default id; ``.html``/``.htm`` means HTML).

    Raises
    ------
    InputError
        For binary data or malformed front matter.

    Examples
    --------
    >>> problems = []
    >>> rec = record_from_bytes(b"---\\nid: a1\\n---\\n\\x93Hello\\x94", "in/a.txt", problems=problems)
    >>> rec.doc_id, rec.text, rec.offset, rec.meta["encoding"]
    ('a1', '“Hello”', 15, 'cp1252')
    >>> [str(p) for p in problems]
    ['warning: in/a.txt: not UTF-8; read as Windows-1252']
    >>> record_from_bytes(b"%PDF-1.4", "in/b.txt")
    Traceback (most recent call last):
    ...
    ipkg.ingest.readers.InputError: in/b.txt: binary file (PDF document), not text
    """
    p = Path(path)
    report = _reporter(problems)
    kind = sniff_binary(data)
    if kind:
        raise InputError(p, Errors.E025.format(kind=kind))
    raw, encoding = decode_bytes(data)
    if encoding == "cp1252":
        report(Problem(str(p), Warnings.W002, "warning"))
    elif encoding == "latin-1":
        report(Problem(str(p), Warnings.W003, "warning"))
    fields = dict(defaults or {})
    extra = {"encoding": encoding}
    if p.suffix.lower() in HTML_SUFFIXES:
        page = html_to_text(raw)
        text, offset = page.text, 0
        for key, value in (("title", page.title), ("published", page.published), ("url", page.url)):
            if value and not fields.get(key):
                fields[key] = value
        extra["format"] = "html"
    else:
        front, offset = parse_front_matter(raw, str(p))
        fields.update(front)
        text = raw[offset:]
    script = dominant_script(text)
    if script:
        extra["script"] = script
        language = ""
        if script == "Arabic":
            from ..nlp.components.cleaner import detect_script_language  # not at import: nlp imports ingest

            language = {"fa": " (Persian)", "ur": " (Urdu)", "ar": " (Arabic)"}.get(detect_script_language(text[:20_000]), "")
        report(Problem(str(p), Warnings.W006.format(script=script, language=language), "warning"))
    return TextRecord(
        doc_id=fields.get("id") or p.stem,
        path=str(p),
        text=text,
        offset=offset,
        title=fields.get("title", ""),
        url=fields.get("url", ""),
        kind=fields.get("kind", ""),
        published=_parse_date(fields.get("published", ""), str(p)),
        meta={**extra, **fields},
    )


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def iter_records(
    paths: Iterable[str | Path],
    problems: list[Problem] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> Iterator[TextRecord]:
    """Yield a record for every readable .txt/.md/.html/.htm file in ``paths`` (files or folders),
    sorted by path within each folder.

    A folder may hold a ``manifest.tsv`` (columns file, id, title, kind, published, url) that gives
    the same fields as front matter. Hidden files and folders (``.git``, ``.DS_Store``) are passed
    over silently.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders.
    problems : list of Problem, optional
        Collects one :class:`Problem` per file that is skipped or read with a change, and reading
        goes on. Errors: missing paths, broken links, pipes and other non-files, files above
        ``max_bytes``, binary files, malformed front matter, a file named explicitly whose type
        ipkg does not read. Warnings: empty files, files of another type inside a folder, text
        not in UTF-8, text mostly in a non-Latin script, a document id used twice. Without a list,
        the first error raises :class:`InputError` and warnings are issued as :class:`InputWarning`.
    max_bytes : int
        Files larger than this are refused.

    Raises
    ------
    IpkgError
        If no document could be read at all.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Iran recognised Pakistan.")
    >>> _ = (folder / "b.txt").write_bytes(b"%PDF-1.4 ...")
    >>> _ = (folder / "c.docx").write_bytes(b"PK\\x03\\x04")
    >>> _ = (folder / "d.txt").write_text("  \\n")
    >>> problems = []
    >>> [r.doc_id for r in iter_records([folder], problems)]
    ['a']
    >>> for p in problems:
    ...     print(p.level, Path(p.path).name, p.reason)
    error b.txt binary file (PDF document), not text
    warning c.docx unsupported file type '.docx'; skipped (ipkg reads .txt, .md, .html, .htm)
    warning d.txt no text; skipped
    """
    from ..facts.resolve import slugify  # not at import: facts imports ingest
    from ..kg.mint import RESERVED_GRAPHS

    report = _reporter(problems)
    found = 0
    ids = {slug: f"ipkg's graph {iri}" for slug, iri in RESERVED_GRAPHS.items()}

    def read(f: Path, defaults: dict[str, str] | None) -> TextRecord | None:
        try:
            rec = read_record(f, defaults, max_bytes=max_bytes, problems=problems)
        except InputError as exc:
            report(exc.problem)
            return None
        if not rec.text.strip():
            where = " after the front matter" if rec.offset else " in the HTML page" if rec.meta.get("format") == "html" else ""
            report(Problem(str(f), Warnings.W001.format(where=where), "warning"))
            return None
        # Graph and document IRIs are made from the id's slug, so two ids with one slug
        # ("A b.txt", "a-b.txt"; two Persian file names, both "x") would merge two documents,
        # and "ontology.txt" would take the ontology's graph.
        if slugify(rec.doc_id) in ids:
            n = 2
            while slugify(f"{rec.doc_id}-{n}") in ids:
                n += 1
            new_id = f"{rec.doc_id}-{n}"
            report(Problem(str(f), Warnings.W007.format(doc_id=rec.doc_id, other=ids[slugify(rec.doc_id)], new_id=new_id), "warning"))
            rec = replace(rec, doc_id=new_id)
        ids[slugify(rec.doc_id)] = str(f)
        return rec

    paths = list(paths)
    for path in paths:
        p = Path(path)
        if p.is_dir():
            manifest = _manifest(p, report)
            for f in sorted(p.rglob("*")):
                if f.is_dir() or _is_hidden(f, p) or (f.name == MANIFEST and f.parent == p):
                    continue
                if f.suffix.lower() not in SUFFIXES:
                    report(Problem(str(f), Warnings.W004.format(suffix=f.suffix or f.name, suffixes=_SUFFIX_LIST), "warning"))
                    continue
                rec = read(f, manifest.get(f.name))
                if rec is not None:
                    found += 1
                    yield rec
        elif p.exists() and p.suffix.lower() not in SUFFIXES:
            report(Problem(str(p), Errors.E027.format(suffix=p.suffix or p.name, suffixes=_SUFFIX_LIST)))
        else:
            rec = read(p, _manifest(p.parent, report).get(p.name) if p.parent.is_dir() else None)
            if rec is not None:
                found += 1
                yield rec
    if not found:
        raise IpkgError(Errors.E002.format(paths=[str(p) for p in paths]))


_PARA = re.compile(r"\n[ \t]*\n")
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


def split_record(record: TextRecord, max_chars: int = PART_CHARS) -> list[TextRecord]:
    """The record in parts of at most ``max_chars`` characters, each with its own ``offset``.

    Parts end at the last paragraph break in the second half of the window, else the last line
    break, sentence end or space there, else at ``max_chars`` exactly. Evidence offsets stay
    offsets into the file (each part's ``offset`` is where it starts).

    Examples
    --------
    >>> rec = TextRecord("d", "d.txt", "One two. Three four. Five six.", offset=4)
    >>> [(r.text, r.offset) for r in split_record(rec, 12)]
    [('One two. ', 4), ('Three four. ', 13), ('Five six.', 25)]
    >>> split_record(rec)[0] is rec
    True
    """
    text = record.text
    if len(text) <= max_chars:
        return [record]
    parts, start = [], 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            window = text[start:end]
            half = max_chars // 2
            cut = -1
            for m in (*_PARA.finditer(window, half),):
                cut = m.end()
            if cut < 0:
                cut = window.rfind("\n", half) + 1 or -1
            if cut < 0:
                for m in _SENT_END.finditer(window, half):
                    cut = m.end()
            if cut < 0:
                space = max(window.rfind(" ", half), window.rfind("\t", half))
                cut = space + 1 if space >= 0 else max_chars
            end = start + cut
        parts.append(replace(record, text=text[start:end], offset=record.offset + start))
        start = end
    return parts
