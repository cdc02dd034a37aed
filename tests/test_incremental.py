"""Incremental builds: unchanged documents come from ``out/cache``, and the output is the same bytes as a full build's."""

import pathlib
import pickle
import shutil

import pytest

from conftest import SEEDS
from ipkg.facts.cache import CACHE_DIR, FactsCache, pipeline_fingerprint
from ipkg.ingest.scan import INPUTS_MANIFEST
from ipkg.kg.io import save_graph
from ipkg.query.sparql import run_query
from ipkg.store import open_store
from ipkg.workflow import build, build_graph

SEED_FILES = sorted(SEEDS.glob("*.txt"))
VISIT = "Pakistani Prime Minister Shehbaz Sharif visited Tehran on 12 May 2024 and met Iranian President Ebrahim Raisi.\n"
SAME_VISIT = "On 12 May 2024, Shehbaz Sharif visited Tehran, where he met Ebrahim Raisi to discuss trade.\n"


def _trig(paths, out, nlp, cache=True, **kw):
    """``graph.trig`` of a build of ``paths`` in ``out`` (cache in ``out/cache``), and the summary."""
    ds, summary = build_graph(paths, nlp=nlp, cache=out / CACHE_DIR if cache else None, **kw)
    return save_graph(ds, out).read_bytes(), summary


def _entries(out):
    """The facts cache's entries (and anything else but the stat manifest of the inputs)."""
    return sorted(p.name for p in (out / CACHE_DIR).iterdir() if p.name != INPUTS_MANIFEST)


def test_incremental_rebuild_from_cache_is_byte_identical(seed_build, tmp_path):
    """A rebuild of the seeds that takes every document from the cache writes the same graph.trig."""
    summary, full = seed_build
    assert (summary.processed, summary.from_cache) == (5, 0)
    out = tmp_path / "out"
    shutil.copytree(full / CACHE_DIR, out / CACHE_DIR)
    again = build([SEEDS], out)
    assert (again.documents, again.processed, again.from_cache) == (5, 0, 5)
    assert "documents   5 (0 processed, 5 from cache)" in again.render()
    assert (out / "graph.trig").read_bytes() == (full / "graph.trig").read_bytes()
    assert (out / "graph.html").read_bytes() == (full / "graph.html").read_bytes()
    assert again.render().replace(str(out), "") == summary.render().replace(str(full), "").replace("(5 processed, 0 from cache)", "(0 processed, 5 from cache)")


def test_incremental_adding_a_document_processes_only_it(nlp, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _trig(SEED_FILES[:3], out, nlp)
    trig, summary = _trig(SEED_FILES[:4], out, nlp)
    assert (summary.processed, summary.from_cache) == (1, 3)
    assert trig == _trig(SEED_FILES[:4], fresh, nlp, cache=False)[0]
    assert len(_entries(out)) == 4


def test_incremental_changed_document_is_processed_again(nlp, tmp_path):
    docs, out, fresh = tmp_path / "docs", tmp_path / "out", tmp_path / "fresh"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT)
    (docs / "b.txt").write_text(SAME_VISIT)
    _trig([docs], out, nlp)
    (docs / "b.txt").write_text(SAME_VISIT.replace("12 May", "13 May"))
    trig, summary = _trig([docs], out, nlp)
    assert (summary.processed, summary.from_cache) == (1, 1)
    assert trig == _trig([docs], fresh, nlp, cache=False)[0]
    assert len(_entries(out)) == 2


def test_incremental_removing_a_document_keeps_the_event_of_the_other(nlp, tmp_path):
    """Two documents report one visit; after one is removed the visit has one source, and the removed document's cache entry is gone."""
    docs, out, fresh = tmp_path / "docs", tmp_path / "out", tmp_path / "fresh"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT)
    (docs / "b.txt").write_text(SAME_VISIT)
    ds, summary = build_graph([docs], nlp=nlp, cache=out / CACHE_DIR)
    visits = run_query(ds, "visits").rows
    assert len(visits) == 1 and visits[0]["sources"] == "2"
    assert len(_entries(out)) == 2

    (docs / "b.txt").unlink()
    ds, summary = build_graph([docs], nlp=nlp, cache=out / CACHE_DIR)
    assert (summary.documents, summary.processed, summary.from_cache) == (1, 0, 1)
    visits = run_query(ds, "visits").rows
    assert len(visits) == 1 and visits[0]["sources"] == "1" and visits[0]["date"] == "2024-05-12"
    assert "discuss trade" not in save_graph(ds, out).read_text()
    assert len(_entries(out)) == 1
    assert (out / "graph.trig").read_bytes() == _trig([docs], fresh, nlp, cache=False)[0]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "binary", "wrong-shape", "wrong-key", "empty", "directory", "foreign-class"])
def test_incremental_corrupt_entry_is_reprocessed(nlp, tmp_path, damage):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT)
    (docs / "b.txt").write_text(SAME_VISIT)
    before, _ = _trig([docs], out, nlp)
    entries = sorted(p for p in (out / CACHE_DIR).iterdir() if p.name != INPUTS_MANIFEST)
    victim, other = entries
    data = victim.read_bytes()
    planted = tmp_path / "planted"
    if damage == "truncated":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        victim.write_bytes(b"not a pickle {")
    elif damage == "binary":
        victim.write_bytes(bytes(range(256)))
    elif damage == "wrong-shape":
        victim.write_bytes(pickle.dumps((2, victim.stem, {"doc_id": 3})))
    elif damage == "wrong-key":
        victim.write_bytes(other.read_bytes())
    elif damage == "empty":
        victim.write_bytes(b"")
    elif damage == "foreign-class":  # a pickle planted to run code: refused, not run
        victim.write_bytes(pickle.dumps((2, victim.stem, _Planted(str(planted)))))
    else:
        victim.unlink()
        victim.mkdir()
    if damage != "directory":
        trig, summary = _trig([docs], out, nlp)
        assert (summary.processed, summary.from_cache) == (1, 1)
        assert trig == before
        assert FactsCache(out / CACHE_DIR).get(victim.stem) is not None  # rewritten
    else:
        trig, summary = _trig([docs], out, nlp)
        assert (summary.processed, summary.from_cache) == (1, 1) and trig == before
    assert not planted.exists()


class _Planted:
    """Unpickled by a plain unpickler, it would write a file (as a planted pickle would run a command)."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.path),))


def test_incremental_rebuild_and_no_cache(nlp, tmp_path):
    out = tmp_path / "out"
    _trig(SEED_FILES[:2], out, nlp)
    entries = _entries(out)
    (out / CACHE_DIR / ".0000.json.x.tmp").write_text("left by a killed build")
    trig, summary = _trig(SEED_FILES[:2], out, nlp, rebuild=True)
    assert (summary.processed, summary.from_cache) == (2, 0)
    assert _entries(out) == entries
    _, summary = _trig(SEED_FILES[:2], tmp_path / "none", nlp, cache=False)
    assert summary.from_cache is None and not (tmp_path / "none" / CACHE_DIR).exists()
    assert "from cache" not in summary.render()


def test_incremental_fingerprint_follows_rules(tmp_path, monkeypatch):
    """Editing an ontology or lexicon file, the config or the part size invalidates every entry."""
    from ipkg.resources import ontology_dir

    base = pipeline_fingerprint()
    onto = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), onto)
    monkeypatch.setenv("IPKG_ONTOLOGY", str(onto))
    assert pipeline_fingerprint() == base
    lexicon = sorted(p for p in (onto / "lexicon").rglob("*") if p.is_file())[0]
    lexicon.write_text(lexicon.read_text() + "\n")
    assert pipeline_fingerprint() != base
    monkeypatch.delenv("IPKG_ONTOLOGY")
    from ipkg.nlp.pipeline import DEFAULT_CONFIG

    cfg = tmp_path / "my.cfg"
    cfg.write_text(DEFAULT_CONFIG.read_text() + "\n# edited\n")
    assert pipeline_fingerprint(cfg) != base
    assert pipeline_fingerprint(part_chars=1000) != pipeline_fingerprint(part_chars=2000)


def test_incremental_unwritable_cache_does_not_stop_the_build(nlp, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / CACHE_DIR).write_text("a file where the cache folder should be")
    trig, summary = _trig(SEED_FILES[:1], out, nlp)
    assert (summary.processed, summary.from_cache) == (1, 0) and trig == _trig(SEED_FILES[:1], tmp_path / "fresh", nlp, cache=False)[0]


def test_incremental_cli_flags(tmp_path):
    """``ipkg build`` reuses OUT/cache by default; ``--rebuild`` processes everything; ``--no-cache`` leaves the cache alone."""
    from test_cli import _ipkg

    out = tmp_path / "out"
    args = ["build", str(SEED_FILES[1]), "--out", str(out), "--store", "none", "-q"]
    assert "documents   1 (1 processed, 0 from cache)" in _ipkg(*args).stdout
    assert "documents   1 (0 processed, 1 from cache)" in _ipkg(*args).stdout
    assert "documents   1 (1 processed, 0 from cache)" in _ipkg(*args, "--rebuild").stdout
    entries = _entries(out)
    r = _ipkg(*args, "--no-cache")
    assert r.returncode == 0 and "documents   1\n" in r.stdout and _entries(out) == entries


def test_incremental_a_build_that_fails_midway_keeps_the_documents_it_finished(tmp_path):
    """Each document's facts are cached as soon as it is processed, so a build stopped by an error keeps them."""
    from spacy.language import Language

    from ipkg.nlp import build_nlp

    @Language.component("test_fail_on_marker")
    def fail_on_marker(doc):
        if "ZZFAIL" in doc.text:
            raise RuntimeError("stopped on purpose")
        return doc

    nlp = build_nlp()
    nlp.add_pipe("test_fail_on_marker", last=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, path in enumerate(SEED_FILES[:3]):
        shutil.copy(path, docs / f"{i}-{path.name}")
    (docs / "9-last.txt").write_text(VISIT + "ZZFAIL\n", encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError, match="stopped on purpose"):
        build_graph([docs], nlp=nlp, cache=cache, jobs=1)
    assert len(list(cache.glob("*.pickle"))) == 3
    (docs / "9-last.txt").write_text(VISIT, encoding="utf-8")
    _, summary = build_graph([docs], nlp=nlp, cache=cache, jobs=1)
    assert (summary.documents, summary.processed, summary.from_cache) == (4, 1, 3)


def _store_quads(folder):
    from ipkg.store import OxigraphStore

    return {str(q) for q in OxigraphStore(folder, read_only=True).oxigraph}


def test_incremental_store_rewrites_only_changed_graphs_and_equals_a_fresh_store(tmp_path):
    """Adding, changing and removing a document patch the store in place of rewriting it; the
    result holds the same quads (named and default graph) as a store written whole."""
    from ipkg.store import write_store
    from ipkg.kg.io import load_graph
    from ipkg.kg.quads import dataset_quads

    docs = tmp_path / "docs"
    docs.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, docs / path.name)
    out = tmp_path / "out"
    build([docs], out)
    first = _store_quads(out / "oxigraph")
    (docs / "zz-new.txt").write_text(VISIT, encoding="utf-8")
    build([docs], out)
    added = _store_quads(out / "oxigraph")
    assert len(added) > len(first)
    for change in (lambda: (docs / "zz-new.txt").write_text(SAME_VISIT, encoding="utf-8"), lambda: (docs / "zz-new.txt").unlink()):
        change()
        build([docs], out)
        fresh = write_store([dataset_quads(load_graph(out))], tmp_path / "fresh")
        assert _store_quads(out / "oxigraph") == _store_quads(fresh)
    assert _store_quads(out / "oxigraph") == first
    assert len(list(out.glob(".oxigraph-*"))) == 1


def test_incremental_trig_rewritten_from_its_index_equals_a_full_write(nlp, tmp_path):
    """After adding, changing and removing a document, graph.trig (the other graphs' blocks copied
    from the last file by way of ``cache/trig.json``) is the same bytes as a write from scratch."""
    from ipkg.workflow import TRIG_INDEX

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for path in SEED_FILES[:3]:
        shutil.copy(path, docs / path.name)
    build([docs], out)
    assert (out / CACHE_DIR / TRIG_INDEX).is_file()
    for change in (
        lambda: (docs / "zz-new.txt").write_text(VISIT, encoding="utf-8"),
        lambda: (docs / "zz-new.txt").write_text(SAME_VISIT, encoding="utf-8"),
        lambda: (docs / "zz-new.txt").unlink(),
    ):
        change()
        build([docs], out)
        ds, _ = build_graph([docs], nlp=nlp, cache=out / CACHE_DIR)
        assert (out / "graph.trig").read_bytes() == save_graph(ds, tmp_path / "full").read_bytes()


def test_incremental_relative_out_folder_keeps_its_store(tmp_path, monkeypatch):
    """``ipkg build --out out`` (a relative folder, the CLI's default) patched its store after a
    copy of it was deleted: the live store was taken for a leftover of a killed build."""
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, docs)
    build(["docs"], "out")
    (docs / "zz.txt").write_text("Iran was the first country to recognize Pakistan in 1947.\n")  # one graph changes: patched
    build(["docs"], "out")
    (docs / "zz.txt").unlink()
    again = build(["docs"], "out")
    fresh = build(["docs"], tmp_path / "fresh", cache=False)
    assert again.triples == fresh.triples
    assert (tmp_path / "out" / "oxigraph").resolve().is_dir()
    assert len(list((tmp_path / "out").glob(".oxigraph-*"))) == 1
    rows = [run_query(open_store(tmp_path / name), "actors").rows for name in ("out", "fresh")]
    assert rows[0] == rows[1] and rows[0]


def test_incremental_resolution_state_follows_the_corpus(tmp_path):
    """Builds keep their resolution in out/cache/resolution.sqlite and redo it for the documents
    that changed; the outputs stay those of a fresh build, and a lost or damaged state only costs
    a whole resolution."""
    from ipkg.facts.state import STATE_FILE, ResolutionState, state_fingerprint
    from ipkg.ingest.readers import PART_CHARS

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for p in SEED_FILES[:3]:
        shutil.copy(p, docs / p.name)

    def same_as_fresh(n: int) -> None:
        fresh = tmp_path / f"fresh{n}"
        build([docs], fresh, cache=False)
        for name in ("graph.trig", "graph.html"):
            assert (out / name).read_bytes() == (fresh / name).read_bytes(), (n, name)
        state = ResolutionState(out / CACHE_DIR, state_fingerprint(pipeline_fingerprint(part_chars=PART_CHARS)))
        assert len(state.keys()) == len(list(docs.glob("*.txt"))) == len(list((out / CACHE_DIR).glob("*.pickle")))  # facts of documents gone are deleted
        state.close()

    build([docs], out)
    assert (out / CACHE_DIR / STATE_FILE).is_file()
    shutil.copy(SEED_FILES[3], docs / SEED_FILES[3].name)
    build([docs], out)
    same_as_fresh(1)
    (docs / "visit.txt").write_text(VISIT)
    build([docs], out)
    same_as_fresh(2)
    (docs / SEED_FILES[0].name).unlink()
    build([docs], out)
    same_as_fresh(3)
    (out / CACHE_DIR / STATE_FILE).write_bytes(b"damaged")
    (docs / "visit.txt").write_text(SAME_VISIT)
    build([docs], out)
    same_as_fresh(4)


@pytest.fixture
def no_racy_margin(monkeypatch):
    """Trust the stat of files written a moment ago (see ipkg.ingest.scan.RACY_NS); each test waits a clock tick."""
    from ipkg.ingest import scan

    monkeypatch.setattr(scan, "RACY_NS", 0)


def _tick():
    import time

    time.sleep(0.02)


def _mixed_corpus(docs):
    docs.mkdir()
    for path in SEED_FILES[:2]:
        shutil.copy(path, docs / path.name)
    (docs / "A b.txt").write_text(VISIT, encoding="utf-8")
    (docs / "a-b.txt").write_bytes(SAME_VISIT.replace("visited", "\u201cvisited\u201d").encode("cp1252"))
    (docs / "long.txt").write_text((VISIT + "\n") * 40, encoding="utf-8")
    (docs / "bin.txt").write_bytes(b"%PDF-1.4")
    (docs / "ontology.md").write_text(SAME_VISIT, encoding="utf-8")


def test_incremental_unchanged_inputs_are_not_read_and_give_the_same_output_and_problems(nlp, tmp_path, no_racy_margin):
    """The second build takes every document from the stat manifest: ids, keys, problems (W005 too) and output as a full read gives them."""
    docs, out = tmp_path / "docs", tmp_path / "out"
    _mixed_corpus(docs)
    fresh, full = _trig([docs], tmp_path / "fresh", nlp, cache=False, part_chars=2000)
    first, _ = _trig([docs], out, nlp, part_chars=2000)
    _tick()
    import ipkg.ingest.scan as scan

    reads = []
    real = scan.read_record
    scan.read_record = lambda *a, **k: reads.append(a[0]) or real(*a, **k)
    try:
        again, summary = _trig([docs], out, nlp, part_chars=2000)
    finally:
        scan.read_record = real
    assert reads == [] and summary.processed == 0
    assert first == again == fresh
    assert [str(p) for p in summary.problems] == [str(p) for p in full.problems]
    assert any("processed in" in p.reason for p in summary.problems) and any("ontology" in p.reason for p in summary.problems)


def test_incremental_same_size_edit_with_mtime_put_back_is_processed(nlp, tmp_path, no_racy_margin):
    import os

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT, encoding="utf-8")
    (docs / "b.txt").write_text(SAME_VISIT, encoding="utf-8")
    _trig([docs], out, nlp)
    _tick()
    st = os.stat(docs / "a.txt")
    (docs / "a.txt").write_text(VISIT.replace("12 May", "13 May"), encoding="utf-8")
    os.utime(docs / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns))
    _tick()
    trig, summary = _trig([docs], out, nlp)
    assert (summary.processed, summary.from_cache) == (1, 1)
    assert trig == _trig([docs], tmp_path / "fresh", nlp, cache=False)[0]


def test_incremental_unchanged_file_whose_facts_are_gone_is_read_then(nlp, tmp_path, no_racy_margin):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT, encoding="utf-8")
    (docs / "b.txt").write_text(SAME_VISIT, encoding="utf-8")
    before, _ = _trig([docs], out, nlp)
    _tick()
    for p in (out / CACHE_DIR).glob("*.pickle"):
        p.unlink()
    trig, summary = _trig([docs], out, nlp)
    assert (summary.processed, summary.from_cache) == (2, 0) and trig == before
    assert (out / CACHE_DIR / INPUTS_MANIFEST).is_file()  # the files read as the manifest said: it is kept


def test_incremental_rebuild_ignores_the_stat_manifest(nlp, tmp_path, no_racy_margin):
    """A manifest that lies (here: every file's key and id swapped with another's, checksum made good) is not used by --rebuild."""
    import hashlib

    from ipkg.ingest import scan

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT, encoding="utf-8")
    (docs / "b.txt").write_text(SAME_VISIT, encoding="utf-8")
    before, _ = _trig([docs], out, nlp)
    _tick()
    manifest = out / CACHE_DIR / INPUTS_MANIFEST
    data = manifest.read_bytes()
    header, folders, files = pickle.loads(data[len(scan._MAGIC) + 65 :])
    (pa, ea), (pb, eb) = sorted(files.items())
    files = {pa: ea[:3] + eb[3:], pb: eb[:3] + ea[3:]}
    body = pickle.dumps((header, folders, files))
    manifest.write_bytes(scan._MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    trig, summary = _trig([docs], out, nlp, rebuild=True)
    assert trig == before and summary.processed == 2


def test_incremental_file_that_no_longer_reads_as_its_stat_promised_is_cached_under_its_real_key(nlp, tmp_path, no_racy_margin):
    """What a stat cannot show (here: the manifest's key for a.txt made wrong, as a change that kept the stat would) costs a
    full read on the next build, and nothing is cached under a key that does not match the text."""
    import hashlib

    from ipkg.ingest import scan

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT, encoding="utf-8")
    (docs / "b.txt").write_text(SAME_VISIT, encoding="utf-8")
    before, _ = _trig([docs], out, nlp)
    keys = set(_entries(out))
    _tick()
    manifest = out / CACHE_DIR / INPUTS_MANIFEST
    data = manifest.read_bytes()
    header, folders, files = pickle.loads(data[len(scan._MAGIC) + 65 :])
    path = str(docs / "a.txt")
    files[path] = files[path][:6] + ("0" * 64,) + files[path][7:]
    body = pickle.dumps((header, folders, files))
    manifest.write_bytes(scan._MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    trig, summary = _trig([docs], out, nlp)
    assert trig == before and (summary.processed, summary.from_cache) == (1, 1)
    assert set(_entries(out)) == keys and not manifest.exists()


def test_incremental_inputs_problems_are_reported_before_a_missing_model_fails_the_build(tmp_path):
    from ipkg.errors import IpkgError

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(VISIT, encoding="utf-8")
    (docs / "b.txt").write_bytes(b"%PDF-1.4")
    problems = []
    with pytest.raises(IpkgError, match="no_such_model_xyz"):
        build_graph([docs], model="no_such_model_xyz", cache=tmp_path / "cache", problems=problems)
    assert [pathlib.Path(p.path).name for p in problems] == ["b.txt"]
