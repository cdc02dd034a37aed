"""Files and folders -> :class:`TextRecord`, with front matter and a folder manifest."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Errors, IpkgError

__all__ = ["TextRecord", "read_record", "iter_records", "parse_front_matter", "SUFFIXES"]

SUFFIXES = (".txt", ".md")
MANIFEST = "manifest.tsv"
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class TextRecord:
    """A document as read from disk.

    ``text`` is the body after any front matter; ``offset`` is where the body starts in the
    file's decoded text, so ``offset + i`` points into the original file.
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


def parse_front_matter(raw: str, path: str = "<string>") -> tuple[dict[str, str], int]:
    """Split a ``---`` front-matter block from the start of ``raw``.

    Returns
    -------
    (fields, offset)
        The ``key: value`` fields and the offset where the body starts (0 without front matter).

    Raises
    ------
    IpkgError
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
            raise IpkgError(Errors.E004.format(path=path, reason=f"expected 'key: value', got {line!r}"))
        fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, m.end()


def _parse_date(value: str, path: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise IpkgError(Errors.E004.format(path=path, reason=f"published must be YYYY-MM-DD, got {value!r}")) from None


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def read_record(path: str | Path, defaults: dict[str, str] | None = None) -> TextRecord:
    """Read one file; front matter fields override ``defaults`` (from a manifest).

    Raises
    ------
    IpkgError
        If the file cannot be read or decoded.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IpkgError(Errors.E003.format(path=p, reason=exc)) from None
    fields = dict(defaults or {})
    front, offset = parse_front_matter(raw, str(p))
    fields.update(front)
    return TextRecord(
        doc_id=fields.get("id") or p.stem,
        path=str(p),
        text=raw[offset:],
        offset=offset,
        title=fields.get("title", ""),
        url=fields.get("url", ""),
        kind=fields.get("kind", ""),
        published=_parse_date(fields.get("published", ""), str(p)),
        meta=fields,
    )


def iter_records(paths: Iterable[str | Path]) -> Iterator[TextRecord]:
    """Yield a record for every .txt/.md file in ``paths`` (files or folders), sorted by path.

    A folder may hold a ``manifest.tsv`` (columns file, id, title, kind, published, url) that gives
    the same fields as front matter.

    Raises
    ------
    IpkgError
        If no input file is found.
    """
    found = 0
    for path in paths:
        p = Path(path)
        if p.is_dir():
            manifest = _manifest(p)
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            for f in files:
                found += 1
                yield read_record(f, manifest.get(f.name))
        elif p.is_file():
            found += 1
            yield read_record(p, _manifest(p.parent).get(p.name))
        else:
            raise IpkgError(Errors.E003.format(path=p, reason="no such file or folder"))
    if not found:
        raise IpkgError(Errors.E002.format(paths=[str(p) for p in paths]))
