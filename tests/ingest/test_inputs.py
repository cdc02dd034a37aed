"""Bad input: every file that is not read, or read with a change, is one Problem; the rest is read."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from ipkg.errors import IpkgError
from ipkg.ingest import InputError, Problem, iter_records, read_record, split_record
from ipkg.ingest.readers import MAX_BYTES, PART_CHARS

GOOD = "Iran was the first country to recognize Pakistan in 1947.\n"


def _read(folder: Path, **kw) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return list(iter_records([folder], problems, **kw)), problems


def _one(problems: list[Problem], name: str) -> Problem:
    mine = [p for p in problems if Path(p.path).name == name]
    assert len(mine) == 1, problems
    return mine[0]


@pytest.mark.parametrize(
    "content, where",
    [(b"", ""), (b"   \n\t\r\n  ", ""), (b"---\ntitle: Only metadata\n---\n\n", " after the front matter")],
    ids=["empty", "whitespace", "front-matter-only"],
)
def test_inputs_empty_files_are_skipped_with_a_warning(tmp_path, content, where):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_bytes(content)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    p = _one(problems, "empty.txt")
    assert (p.level, p.reason) == ("warning", f"no text{where}; skipped")


@pytest.mark.parametrize(
    "content, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP archive, e.g. DOCX, ODT or EPUB"),
        (b"Iran\x00and\x00Pakistan", "NUL bytes"),
        (bytes(range(1, 9)) * 20, "control bytes"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "nul", "control"],
)
def test_inputs_binary_files_named_txt_are_errors(tmp_path, content, kind):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "bad.txt").write_bytes(content)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    p = _one(problems, "bad.txt")
    assert (p.level, p.reason) == ("error", f"binary file ({kind}), not text")


@pytest.mark.parametrize(
    "data, text, encoding, warning",
    [
        ("Café “quoted” – Iran".encode("utf-8"), "Café “quoted” – Iran", "utf-8", None),
        ("\ufeffCafé Iran".encode("utf-8"), "Café Iran", "utf-8-sig", None),
        ("Café Iran".encode("utf-16"), "Café Iran", "utf-16", None),
        ("Café Iran".encode("utf-16-be").join([b"\xfe\xff", b""]), "Café Iran", "utf-16", None),
        ("Café “quoted” – Iran’s".encode("cp1252"), "Café “quoted” – Iran’s", "cp1252", "not UTF-8; read as Windows-1252"),
        (b"Caf\xe9 \x81 Iran", "Café \x81 Iran", "latin-1", "neither UTF-8 nor Windows-1252; read as Latin-1, so some characters may be wrong"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252", "latin1"],
)
def test_inputs_encodings_fall_back_with_a_note(tmp_path, data, text, encoding, warning):
    (tmp_path / "a.txt").write_bytes(data)
    records, problems = _read(tmp_path)
    assert records[0].text == text
    assert records[0].meta["encoding"] == encoding
    assert [p.reason for p in problems] == ([warning] if warning else [])
    assert all(p.level == "warning" for p in problems)


def test_inputs_cp1252_front_matter_offsets_point_into_the_decoded_file(tmp_path):
    raw = "---\ntitle: Caf\u00e9\n---\n\u201cIran\u201d recognised Pakistan."
    (tmp_path / "a.txt").write_bytes(raw.encode("cp1252"))
    (rec,), _ = _read(tmp_path)
    assert rec.title == "Café"
    assert raw[rec.offset :] == rec.text


def test_inputs_html_page_gives_main_text_and_title(tmp_path):
    page = """<!doctype html><html><head><title>Iran &amp; Pakistan</title>
    <meta property="article:published_time" content="2024-04-22T09:00:00+05:00">
    <style>p { color: red }</style></head><body>
    <header><p>Site name</p></header><nav><ul><li>Home</li><li>World</li></ul></nav>
    <article><h1>Raisi in Lahore</h1>
    <p>Iranian President Ebrahim Raisi visited Lahore on   Tuesday.</p>
    <script>document.write("<p>injected</p>")</script>
    <blockquote>We are brothers.</blockquote><ul><li>First point</li></ul></article>
    <aside><p>Related: other news</p></aside><form><p>Subscribe</p></form><footer><p>© 2024</p></footer>
    </body></html>"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (rec,), problems = _read(tmp_path)
    assert problems == []
    assert rec.text == "Raisi in Lahore\n\nIranian President Ebrahim Raisi visited Lahore on Tuesday.\n\nWe are brothers.\n\nFirst point"
    assert rec.title == "Iran & Pakistan"
    assert str(rec.published) == "2024-04-22"
    assert rec.meta["format"] == "html"


def test_inputs_html_without_text_is_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "blank.htm").write_text("<html><head><script>x()</script></head><body><nav>menu</nav></body></html>")
    _, problems = _read(tmp_path)
    assert _one(problems, "blank.htm").reason == "no text in the HTML page; skipped"


def test_inputs_html_page_builds_facts(tmp_path, nlp):
    from ipkg.workflow import build_graph

    (tmp_path / "p.html").write_text(f"<html><body><nav><p>Pakistan condemned Iran.</p></nav><p>{GOOD}</p></body></html>")
    _, summary = build_graph([tmp_path], nlp=nlp)
    assert (summary.documents, summary.events, summary.problems) == (1, 1, [])


def test_inputs_five_megabyte_line_is_read_and_split_in_bounded_time_and_memory(tmp_path):
    sentence = "Officials from both sides said the talks were useful and would continue next month. "
    line = (sentence * (5_000_000 // len(sentence) + 1))[:5_000_000]
    (tmp_path / "long.txt").write_text(line)
    tracemalloc.start()
    t = time.perf_counter()
    (rec,), problems = _read(tmp_path)
    parts = split_record(rec)
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problems == []
    assert elapsed < 10 and peak < 200_000_000
    assert 50 <= len(parts) <= 52 and all(len(p.text) <= PART_CHARS for p in parts)
    assert "".join(p.text for p in parts) == line
    assert all(line[p.offset : p.offset + len(p.text)] == p.text for p in parts)
    assert all(p.text.endswith(". ") for p in parts[:-1])


def test_inputs_split_without_spaces_cuts_hard():
    from ipkg.ingest import TextRecord

    parts = split_record(TextRecord("d", "d.txt", "x" * 250_001))
    assert [len(p.text) for p in parts] == [100_000, 100_000, 50_001]


def test_inputs_long_line_is_processed_in_parts_with_file_offsets(tmp_path, nlp):
    from ipkg.workflow import build_graph

    filler = "Officials said the talks were useful and would continue next month. "
    body = filler * 1700 + GOOD.strip()  # one line of ~117,000 characters, the fact at its end
    (tmp_path / "long.txt").write_text("---\ntitle: Long\n---\n" + body)
    ds, summary = build_graph([tmp_path], nlp=nlp, part_chars=50_000)
    (p,) = summary.problems
    assert p.level == "warning" and "processed in 3 parts of at most 50,000 characters" in p.reason
    assert f"longest line {len(body):,}" in p.reason
    assert summary.events == 1
    from ipkg.kg.namespace import IPKG

    starts = {int(o) for o in ds.objects(None, IPKG.startOffset)}
    raw = (tmp_path / "long.txt").read_text()
    assert raw.index(GOOD.strip()) in starts


def test_inputs_file_above_the_size_limit_is_refused_without_reading_it(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    with open(tmp_path / "huge.txt", "wb") as fh:  # 50 MB, sparse: refused on its size alone
        fh.truncate(50_000_000)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert _one(problems, "huge.txt").reason == "50.0 MB is above the size limit of 10.0 MB (raise it with --max-size)"
    assert MAX_BYTES == 10_000_000


def test_inputs_size_limit_is_configurable(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD * 10)
    with pytest.raises(IpkgError):
        _read(tmp_path, max_bytes=100)
    records, _ = _read(tmp_path, max_bytes=1_000)
    assert len(records) == 1


def test_inputs_unknown_extension_in_folder_is_a_warning(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README").write_text("not a document")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref")
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert sorted((Path(p.path).name, p.level, p.reason) for p in problems) == [
        ("README", "warning", "unsupported file type 'README'; skipped (ipkg reads .txt, .md, .html, .htm)"),
        ("notes.docx", "warning", "unsupported file type '.docx'; skipped (ipkg reads .txt, .md, .html, .htm)"),
    ]


def test_inputs_unknown_extension_named_explicitly_is_an_error(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    problems: list[Problem] = []
    records = list(iter_records([tmp_path / "good.txt", tmp_path / "report.pdf"], problems))
    assert [r.doc_id for r in records] == ["good"]
    assert [(p.level, p.reason) for p in problems] == [("error", "unsupported file type '.pdf' (ipkg reads .txt, .md, .html, .htm)")]


@pytest.mark.parametrize(
    "text, script, language",
    [
        ("پاکستان و ایران روابط دوستانه دارند. رئیس جمهور ایران به اسلام آباد سفر کرد.", "Arabic", "Persian"),
        ("پاکستان اور ایران کے تعلقات بہت اچھے ہیں۔ ایرانی صدر نے اسلام آباد کا دورہ کیا۔", "Arabic", "Urdu"),
    ],
    ids=["persian", "urdu"],
)
def test_inputs_non_english_documents_are_processed_with_a_note(tmp_path, nlp, text, script, language):
    from ipkg.workflow import build_graph

    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    _, summary = build_graph([tmp_path], nlp=nlp)
    assert summary.documents == 1
    (p,) = summary.problems
    assert (p.level, p.reason) == ("warning", f"mostly {script} script ({language}); ipkg's rules are for English, so expect few or no facts")


def test_inputs_named_pipe_is_not_opened(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert _one(problems, "pipe.txt").reason == "not a regular file (a named pipe)"


def test_inputs_broken_symlink_is_an_error(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert _one(problems, "gone.txt").reason == f"broken symbolic link (points to {tmp_path / 'deleted.txt'})"


def test_inputs_permission_denied_is_an_error(tmp_path, monkeypatch):
    # Tests run as root, who may read any file: simulate what open() raises for others.
    (tmp_path / "good.txt").write_text(GOOD)
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD)
    real_open = Path.open

    def guarded(self, *args, **kwargs):
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert _one(problems, "secret.txt").reason == "cannot read: Permission denied"


def test_inputs_folder_named_like_a_file_is_walked(tmp_path):
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text(GOOD)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["inner"] and problems == []


def test_inputs_missing_path_is_an_error_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    problems: list[Problem] = []
    records = list(iter_records([tmp_path / "nope.txt", tmp_path], problems))
    assert [r.doc_id for r in records] == ["good"]
    assert [str(p) for p in problems] == [f"error: {tmp_path / 'nope.txt'}: no such file or folder"]


def test_inputs_malformed_front_matter_fails_one_file_only(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "bad.txt").write_text("---\nnot a field\n---\nBody")
    (tmp_path / "date.txt").write_text("---\npublished: last Tuesday\n---\nBody")
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["good"]
    assert "malformed front matter" in _one(problems, "bad.txt").reason
    assert "YYYY-MM-DD" in _one(problems, "date.txt").reason


def test_inputs_ids_that_share_a_slug_are_renamed(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "Talks.txt").write_text(GOOD)
    (tmp_path / "b" / "talks.md").write_text(GOOD)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["Talks", "talks-2"]
    assert "already used by" in _one(problems, "talks.md").reason


def test_inputs_a_document_cannot_take_the_ontology_graph(tmp_path):
    from ipkg.kg.build import ontology_quads
    from ipkg.kg.mint import ONTOLOGY_GRAPH, graph_iri
    from ipkg.workflow import build_graph

    (tmp_path / "Ontology.txt").write_text(GOOD)
    records, problems = _read(tmp_path)
    assert [r.doc_id for r in records] == ["Ontology-2"]
    assert str(ONTOLOGY_GRAPH) in _one(problems, "Ontology.txt").reason
    ds, _ = build_graph([tmp_path])
    assert len(ds.graph(ONTOLOGY_GRAPH)) == len(ontology_quads()[0])
    assert len(ds.graph(graph_iri("Ontology-2"))) > 0
    for reserved in ("ontology", "Actors"):
        with pytest.raises(ValueError, match="would name the graph"):
            graph_iri(reserved)


def test_inputs_without_a_problems_list_errors_raise_and_warnings_warn(tmp_path):
    from ipkg.ingest import InputWarning

    (tmp_path / "a.txt").write_bytes("“Iran”".encode("cp1252"))
    with pytest.warns(InputWarning, match="Windows-1252"):
        assert len(list(iter_records([tmp_path]))) == 1
    (tmp_path / "a.txt").unlink()
    (tmp_path / "b.txt").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="PDF document"):
        list(iter_records([tmp_path]))


def test_inputs_nothing_usable_is_an_error_after_reporting_each_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.txt").write_text("")
    problems: list[Problem] = []
    with pytest.raises(IpkgError, match="No input documents"):
        list(iter_records([tmp_path], problems))
    assert len(problems) == 2


def test_inputs_read_record_refuses_a_folder(tmp_path):
    with pytest.raises(InputError, match="not a regular file \\(a folder\\)"):
        read_record(tmp_path)
