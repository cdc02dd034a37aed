import os
import pickle
import time
from pathlib import Path

import pytest

from ipkg.errors import IpkgError
from ipkg.facts.cache import record_key
from ipkg.ingest import scan
from ipkg.ingest.readers import InputError, iter_records
from ipkg.ingest.scan import ScannedRecord, folder_files, scan_records

FP = "fingerprint"


@pytest.fixture
def no_racy_margin(monkeypatch):
    """Trust entries of files changed a moment before the manifest was written (tests cannot wait two seconds a scan)."""
    monkeypatch.setattr(scan, "RACY_NS", 0)


def _settle():
    """Let the file system's clock tick past the files just written, as the racy check requires."""
    time.sleep(0.02)


def _expected(paths):
    problems = []
    recs = list(iter_records(paths, problems))
    return [(r.doc_id, r.path, record_key(r, FP)) for r in recs], [str(p) for p in problems]


def _scan(paths, manifest, **kw):
    problems = []
    found = scan_records(paths, problems, fingerprint=FP, manifest=manifest, **kw)
    return found, [(s.doc_id, s.path, s.key) for s in found], [str(p) for p in problems]


def _check(paths, manifest, **kw):
    """Scan, compare with iter_records, and return which documents were read (by id)."""
    found, docs, problems = _scan(paths, manifest, **kw)
    assert (docs, problems) == _expected(paths)
    return {s.doc_id for s in found if s.record is not None}


def _corpus(root: Path) -> Path:
    docs = root / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / ".git").mkdir()
    (docs / ".git" / "HEAD.txt").write_text("hidden")
    (docs / "a" / "x.txt").write_text("Iran recognised Pakistan.")
    (docs / "a-b.txt").write_text("Pakistan recognised Bangladesh.")
    (docs / "A B.md").write_text("---\ntitle: Same slug\n---\nIran and Turkey.")
    (docs / "ontology.txt").write_text("Named like the ontology's graph.")
    (docs / "cp.txt").write_bytes(b"\x93Quoted\x94 text.")
    (docs / "bin.txt").write_bytes(b"%PDF-1.4 ...")
    (docs / "empty.txt").write_text("  \n")
    (docs / "note.docx").write_bytes(b"PK\x03\x04")
    (docs / "bad.md").write_text("---\nnot a field\n---\nBody")
    (docs / "persian.txt").write_text("روابط ایران و پاکستان در سال ۱۹۴۷ آغاز شد.")
    (docs / "manifest.tsv").write_text("file\tid\ttitle\na-b.txt\tab\tFrom the manifest\n")
    (docs / "link.txt").symlink_to(docs / "a" / "x.txt")
    (docs / "broken.txt").symlink_to(docs / "nowhere.txt")
    (docs / "linked").symlink_to(docs / "a", target_is_directory=True)
    single = root / "single.txt"
    single.write_text("Pakistan and Iran.")
    return docs


def test_scan_folder_files_lists_what_rglob_lists(tmp_path):
    docs = _corpus(tmp_path)
    (docs / "a" / "b").mkdir()
    (docs / "a" / "b" / "y.txt").write_text("deeper")
    (docs / "a.b").mkdir()
    (docs / "a.b" / "z.txt").write_text("dotted folder")
    for name in ("a b.txt", "a.txt", "a0.txt", "a!.txt", "B.txt", "é.txt"):
        (docs / name).write_text("sorted by parts, not by the whole path")
    expected = [
        str(f) for f in sorted(docs.rglob("*")) if not f.is_dir() and not any(p.startswith(".") for p in f.relative_to(docs).parts)
    ]
    assert [path for _, path, _ in folder_files(str(docs))] == expected


def test_scan_gives_what_iter_records_gives_first_and_from_the_manifest(tmp_path, no_racy_margin):
    docs = _corpus(tmp_path)
    paths = [docs, tmp_path / "single.txt", tmp_path / "missing.txt", docs / "a" / "x.txt"]
    manifest = tmp_path / "cache" / scan.INPUTS_MANIFEST
    read = _check(paths, manifest)
    assert read == {"A B", "ab", "cp", "link", "ontology-2", "persian", "x", "x-2", "single"} and manifest.is_file()
    _settle()
    assert _check(paths, manifest) == set()  # nothing opened
    assert _check(paths, manifest, rebuild=True) == read


def test_scan_trusted_record_loads_as_read(tmp_path, no_racy_margin):
    docs = _corpus(tmp_path)
    manifest = tmp_path / scan.INPUTS_MANIFEST
    first, _, _ = _scan([docs], manifest)
    _settle()
    again, _, _ = _scan([docs], manifest)
    assert all(s.record is None for s in again)
    assert [s.load() for s in again] == [s.record for s in first]


def test_scan_same_size_edit_with_mtime_put_back_is_read_again(tmp_path, no_racy_margin):
    """ctime catches it: no user program can set it back."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.")
    (docs / "b.txt").write_text("Pakistan recognised Iran.")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    _, before, _ = _scan([docs], manifest)
    _settle()
    st = os.stat(docs / "a.txt")
    (docs / "a.txt").write_text("Iran recognised Turkey!!.")
    os.utime(docs / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(docs / "a.txt").st_size == st.st_size and os.stat(docs / "a.txt").st_mtime_ns == st.st_mtime_ns
    _settle()
    assert _check([docs], manifest) == {"a"}
    _, after, _ = _scan([docs], manifest)
    assert after[0][2] != before[0][2] and after[1] == before[1]


def test_scan_recent_files_are_not_trusted(tmp_path):
    """The racy case: a file changed less than RACY_NS before the manifest was written is read again."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    _scan([docs], manifest)
    assert _check([docs], manifest) == {"a"}
    later = time.time_ns() + scan.RACY_NS + 1_000_000_000  # as if the manifest had been written seconds later
    os.utime(manifest, ns=(later, later))
    assert _check([docs], manifest) == set()


def test_scan_renamed_added_and_removed_files_change_ids_as_a_full_read_does(tmp_path, no_racy_margin):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "A b.txt").write_text("Iran recognised Pakistan.")
    (docs / "a-b.txt").write_text("Pakistan recognised Iran.")
    (docs / "c.txt").write_text("Turkey and Iran.")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    _check([docs], manifest)
    _settle()
    assert [s.doc_id for s in _scan([docs], manifest)[0]] == ["A b", "a-b-2", "c"]
    (docs / "A b.txt").unlink()  # a-b-2 becomes a-b: its key, which holds its id, is made from its text
    assert _check([docs], manifest) == {"a-b"}
    _settle()
    (docs / "0.txt").write_text("---\nid: a b\n---\nAn id from the front matter.")
    _settle()
    assert _check([docs], manifest) == {"a b", "a-b-2"}
    _settle()
    (docs / "c.txt").rename(docs / "d.txt")
    assert _check([docs], manifest) == {"d"}
    _settle()
    assert _check([docs], manifest) == set()


def test_scan_changed_manifest_tsv_rereads_the_files_whose_row_changed(tmp_path, no_racy_margin):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.")
    (docs / "b.txt").write_text("Pakistan recognised Iran.")
    (docs / "manifest.tsv").write_text("file\ttitle\na.txt\tOne\nb.txt\tTwo\n")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    _check([docs], manifest)
    _settle()
    (docs / "manifest.tsv").write_text("file\ttitle\na.txt\tOne\nb.txt\tThree\n")
    assert _check([docs], manifest) == {"b"}
    _settle()
    (docs / "manifest.tsv").write_bytes(b"file\ttitle\na.txt\t\xff\n")  # unreadable: reported where it was, each build
    assert _check([docs], manifest) == {"a", "b"}
    _settle()
    assert _check([docs], manifest) == set()


def test_scan_other_fingerprint_or_settings_read_everything(tmp_path, no_racy_margin):
    docs = _corpus(tmp_path)
    manifest = tmp_path / scan.INPUTS_MANIFEST
    n = len(_check([docs], manifest))
    _settle()
    problems = []
    found = scan_records([docs], problems, fingerprint="other", manifest=manifest)
    assert sum(s.record is not None for s in found) == n
    _settle()
    found = scan_records([docs], [], fingerprint="other", manifest=manifest, max_bytes=1000)
    assert sum(s.record is not None for s in found) == n


@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped", "empty", "directory", "wrong-shape", "foreign-class"])
def test_scan_damaged_manifest_reads_every_file(tmp_path, no_racy_margin, damage):
    docs = _corpus(tmp_path)
    manifest = tmp_path / scan.INPUTS_MANIFEST
    n = len(_check([docs], manifest))
    _settle()
    data = manifest.read_bytes()
    planted = tmp_path / "planted"
    if damage == "truncated":
        manifest.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        manifest.write_bytes(b"not a manifest {")
    elif damage == "flipped":
        manifest.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "empty":
        manifest.write_bytes(b"")
    elif damage == "directory":
        manifest.unlink()
        manifest.mkdir()
    else:  # written with a valid checksum, as a bug or a hand could
        header, folders, files = pickle.loads(data[len(scan._MAGIC) + 65 :])
        if damage == "wrong-shape":
            body = pickle.dumps((header, folders, {path: ("x",) for path in files}))
        else:
            body = pickle.dumps((header, folders, _Planted(str(planted))))
        import hashlib

        manifest.write_bytes(scan._MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    _settle()
    assert len(_check([docs], manifest)) == n
    assert not planted.exists()
    if damage != "directory":
        _settle()
        assert _check([docs], manifest) == set()  # and a good manifest is written again


class _Planted:
    """Unpickled by a plain unpickler, it would write a file (as a planted pickle would run a command)."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "ran"))


def test_scan_load_of_a_file_gone_since_the_scan_fails_and_forgets_the_manifest(tmp_path, no_racy_margin):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    _scan([docs], manifest)
    _settle()
    (found,) = _scan([docs], manifest)[0]
    (docs / "a.txt").unlink()
    with pytest.raises(InputError):
        found.load()
    assert not manifest.exists()


def test_scan_without_fingerprint_uses_no_manifest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.")
    manifest = tmp_path / scan.INPUTS_MANIFEST
    (found,) = scan_records([docs], [], manifest=manifest)
    assert isinstance(found, ScannedRecord) and found.key == "" and found.record is not None and not manifest.exists()
    with pytest.raises(IpkgError):
        scan_records([tmp_path / "nothing"], [], fingerprint=FP, manifest=manifest)


def test_scan_long_text_parts_and_longest_line(tmp_path, no_racy_margin):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Iran recognised Pakistan.\n" * 20 + "x" * 300)
    manifest = tmp_path / scan.INPUTS_MANIFEST
    (read,) = scan_records([docs], [], fingerprint=FP, manifest=manifest, part_chars=200)
    _settle()
    (kept,) = scan_records([docs], [], fingerprint=FP, manifest=manifest, part_chars=200)
    assert kept.record is None and (read.length, read.parts, read.line) == (kept.length, kept.parts, kept.line) == (820, 5, 300)
