"""Graph chunks kept between builds: a rebuild writes RDF only for graphs whose inputs changed, and
its output is the same bytes as a build from scratch."""

import json
import shutil

import pyoxigraph as ox
import pytest

from conftest import SEEDS
from ipkg.facts.cache import CACHE_DIR
from ipkg.kg.build import namespaces
from ipkg.kg.chunks import INDEX, PACK, GraphChunks, chunk_witnesses, chunks_fingerprint
from ipkg.kg.io import trig_prefixes
from ipkg.kg.quads import NQuads, chunk_iris
from ipkg.workflow import build

SEED_FILES = sorted(SEEDS.glob("*.txt"))
LINE = '<urn:s{i}> <urn:p> "o" <urn:g{i}> .\n'


def _chunk(i: int) -> bytes:
    return LINE.format(i=i).encode()


def _index(out):
    return json.loads((out / CACHE_DIR / INDEX).read_text())


@pytest.mark.parametrize(
    "steps",
    [
        [(0, 1, 2), (0, 1, 2, 3), (0, 1, 2, 3, 4)],  # documents added, one at a time
        [(0, 1, 2, 3, 4), (0, 2, 3, 4), (0, 2, 4), (0, 1, 2, 3, 4)],  # removed, then put back
        [(3, 4), (1, 3, 4), (0, 1, 3, 4)],  # added before the others in name order
    ],
)
def test_chunks_rebuilds_equal_fresh_builds(tmp_path, steps):
    """The seeds tell the same happenings in several documents: adding or removing one changes the
    merged events (dates, sources) and so the graphs of other documents; each rebuild from the
    kept chunks writes what a build from scratch writes."""
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for n, step in enumerate(steps):
        for p in docs.iterdir():
            p.unlink()
        for i in step:
            shutil.copy(SEED_FILES[i], docs)
        build([docs], out)
        fresh = tmp_path / f"fresh{n}"
        build([docs], fresh, cache=False)
        assert (out / "graph.trig").read_bytes() == (fresh / "graph.trig").read_bytes(), step
        assert (out / "graph.html").read_bytes() == (fresh / "graph.html").read_bytes(), step
        assert len(_index(out)["graphs"]) == len(step)


def test_chunks_unchanged_documents_are_not_written_again(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    for p in SEED_FILES:
        shutil.copy(p, docs)
    build([docs], out)
    before = _index(out)["graphs"]
    build([docs], out)
    assert _index(out)["graphs"] == before
    (docs / "zz-new.txt").write_text("Iran was the first country to recognize Pakistan in 1947.\n")
    build([docs], out)
    after = _index(out)["graphs"]
    assert len(after) == len(before) + 1
    kept = [g for g in before if after[g][:4] == before[g][:4] or after[g][0] == before[g][0]]
    assert len(kept) >= 3  # only the graphs whose facts or events changed are written again


@pytest.mark.parametrize("damage", ["truncate", "garbage-index", "no-pack", "other-fingerprint"])
def test_chunks_damaged_cache_is_not_trusted(tmp_path, damage):
    docs, out, fresh = tmp_path / "docs", tmp_path / "out", tmp_path / "fresh"
    docs.mkdir()
    for p in SEED_FILES[:3]:
        shutil.copy(p, docs)
    build([docs], out)
    cache = out / CACHE_DIR
    graphs = _index(out)["graphs"]
    if damage == "truncate":
        with (cache / PACK).open("r+b") as fh:
            fh.truncate(100)
    elif damage == "garbage-index":
        (cache / INDEX).write_text("{not json")
    elif damage == "no-pack":
        (cache / PACK).unlink()
    else:
        index = _index(out)
        index["fingerprint"] = "x"
        (cache / INDEX).write_text(json.dumps(index))
    kept = GraphChunks(cache, chunks_fingerprint(namespaces()))
    assert [g for g, e in graphs.items() if kept.get(g, e[0]) is not None] == []
    shutil.copy(SEED_FILES[3], docs)
    build([docs], out)
    build([docs], fresh, cache=False)
    assert (out / "graph.trig").read_bytes() == (fresh / "graph.trig").read_bytes()


def test_chunks_pack_appends_then_compacts(tmp_path):
    chunks = GraphChunks(tmp_path, "f")
    for i in range(10):
        chunks.put(f"<urn:g{i}>", "s", _chunk(i), str(i))
    chunks.save({})
    size = (tmp_path / PACK).stat().st_size
    chunks = GraphChunks(tmp_path, "f")
    assert [chunks.get(f"<urn:g{i}>", "s").data for i in range(8)] == [_chunk(i) for i in range(8)]
    chunks.put("<urn:g8>", "t", _chunk(88), "88")
    chunks.save({})
    assert (tmp_path / PACK).stat().st_size == size + len(_chunk(88))  # appended
    chunks = GraphChunks(tmp_path, "f")
    assert chunks.get("<urn:g8>", "t").data == _chunk(88)
    assert chunks.get("<urn:g9>", "s") is None  # not kept by the last build
    chunks.get("<urn:g0>", "s")
    chunks.save({})
    assert (tmp_path / PACK).stat().st_size == len(_chunk(88)) + len(_chunk(0))  # more dead bytes than live: written anew
    again = GraphChunks(tmp_path, "f")
    assert (again.get("<urn:g0>", "s").data, again.get("<urn:g8>", "t").data) == (_chunk(0), _chunk(88))


def test_chunks_pack_longer_than_its_index_keeps_its_chunks(tmp_path):
    """A build killed after appending to the pack, before writing the index: the chunks the index names are still good."""
    chunks = GraphChunks(tmp_path, "f")
    chunks.put("<urn:g1>", "s", _chunk(1), "1")
    chunks.save({})
    with (tmp_path / PACK).open("ab") as fh:
        fh.write(b"half a chunk")
    chunks = GraphChunks(tmp_path, "f")
    assert chunks.get("<urn:g1>", "s").data == _chunk(1)
    chunks.put("<urn:g2>", "s", _chunk(2), "2")
    chunks.save({})
    again = GraphChunks(tmp_path, "f")
    assert (again.get("<urn:g1>", "s").data, again.get("<urn:g2>", "s").data) == (_chunk(1), _chunk(2))


def test_chunks_witnesses_choose_the_same_prefixes(seed_build):
    """The few IRIs kept per chunk give the TriG prefixes that all its IRIs give."""
    _, out = seed_build
    ns = namespaces()
    quads = NQuads.from_quads(ox.parse((out / "graph.trig").read_bytes(), format=ox.RdfFormat.TRIG))
    used = trig_prefixes(ns, quads.iris)
    for chunk in quads.graphs.values():
        iris = chunk_iris(chunk)
        assert trig_prefixes(ns, chunk_witnesses(used, chunk)) == trig_prefixes(ns, iris)


def test_chunks_witnesses_are_terms_not_text_in_literals():
    chunk = b'<urn:a> <urn:p> "see <https://w3id.org/ipkg/id/actor/x>" <urn:g> .\n<urn:a> <urn:q> "1"^^<https://w3id.org/ipkg/id/actor/t> <urn:g> .\n'
    assert chunk_witnesses({"actor": "https://w3id.org/ipkg/id/actor/"}, chunk) == ()
    moved = chunk + b'<urn:b> <urn:p> <https://w3id.org/ipkg/id/actor/y> <urn:g> .\n'
    assert chunk_witnesses({"actor": "https://w3id.org/ipkg/id/actor/"}, moved) == ("https://w3id.org/ipkg/id/actor/y",)


def test_chunks_taken_keep_their_witnesses_through_appends_and_rewrites(tmp_path):
    """Chunks taken many at a time (as an update takes the unchanged documents' graphs) come back
    with the witnesses get() gives, after a save that appends to the pack and after one that writes it anew."""
    prefixes = {"a": "urn:a/", "b": "urn:b/"}
    text = lambda i: f"<urn:a/s{i}> <urn:b/p> <urn:a/o{i % 3}> <urn:g{i}> .\n".encode()  # noqa: E731
    chunks = GraphChunks(tmp_path, "f")
    for i in range(6):
        chunks.put(f"<urn:g{i}>", "s", text(i), str(i))
    chunks.save(prefixes)
    want = {i: GraphChunks(tmp_path, "f").get(f"<urn:g{i}>", "s").witnesses for i in range(6)}
    assert all(want.values())
    chunks = GraphChunks(tmp_path, "f")
    taken, witnesses = chunks.take({f"<urn:g{i}>": "s" for i in range(5)})
    assert [bytes(taken[f"<urn:g{i}>"].data) for i in range(5)] == [text(i) for i in range(5)]
    assert witnesses == {iri for i in range(5) for iri in want[i]}
    chunks.put("<urn:g9>", "s", text(9), "9")
    chunks.save(prefixes)  # appended: the old numbering of witnesses kept
    again = GraphChunks(tmp_path, "f")
    assert {i: again.get(f"<urn:g{i}>", "s").witnesses for i in range(5)} == {i: want[i] for i in range(5)}
    assert again.get("<urn:g5>", "s") is None and again.get("<urn:g9>", "s").data == text(9)
    again.save(prefixes)
    chunks = GraphChunks(tmp_path, "f")
    chunks.take({"<urn:g0>": "s"})
    chunks.save(prefixes)  # most bytes dead: written anew, with a numbering of its own
    last = GraphChunks(tmp_path, "f")
    assert last.get("<urn:g0>", "s").witnesses == want[0] and last._iris == list(want[0])
    with pytest.raises(KeyError):
        last.take({"<urn:g0>": "s", "<urn:g1>": "s"})
