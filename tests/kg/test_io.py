"""graph.trig rewritten from its index: the same bytes as a write from scratch, and an index that does not describe the file is never used."""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest

from ipkg.kg import io
from ipkg.kg.io import GRAPH_FILE, save_quads
from ipkg.kg.quads import NQuads

NS = {"u": "urn:x:", "v": "urn:y:"}
HOSTILE = ['"a\\n}\\nb"', '"}"', '"\\t{ }\\r\\n"', '"\u2028}"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "_:b1", "<urn:x:o>"]


def _quads(graphs: dict[str, list[str]], extra: tuple[str, ...] = ()) -> NQuads:
    """Named graphs ``g`` -> objects, each stated by two subjects (so Oxigraph groups them)."""
    lines = {f"<urn:x:{g}>": [f"<urn:x:{s}> <urn:x:p> {o} <urn:x:{g}> .\n" for s in ("s", "t") for o in objs] for g, objs in graphs.items()}
    iris = {"urn:x:p", "urn:x:s", "urn:x:t", "urn:x:o", *extra, *(f"urn:x:{g}" for g in graphs)}
    return NQuads(lines, iris)


def _graphs(n: int) -> dict[str, list[str]]:
    return {f"g{i:03d}": [f'"{i}"', HOSTILE[i % len(HOSTILE)]] for i in range(n)}


def _plain(quads: NQuads, tmp_path, ns=NS) -> bytes:
    return save_quads(quads, tmp_path / "plain", ns).read_bytes()


@pytest.fixture(params=[8 << 20, 200], ids=["one-batch", "small-batches"])
def batch(request, monkeypatch):
    monkeypatch.setattr(io, "BATCH_BYTES", request.param)
    return request.param


def test_io_graph_blocks_are_independent_of_their_neighbours():
    """Oxigraph's TriG of several graphs is the TriG of each graph alone, one after the other."""
    quads = _quads(_graphs(20))
    trig = lambda chunks: ox.serialize(ox.parse(b"".join(chunks), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG)  # noqa: E731
    assert trig(quads.graphs.values()) == b"".join(trig([c]) for c in quads.graphs.values())


def test_io_first_write_with_an_index(tmp_path, batch):
    quads = _quads(_graphs(30))
    out, index = tmp_path / "out", tmp_path / "cache" / "trig.json"
    data = save_quads(quads, out, NS, index).read_bytes()
    assert data == _plain(quads, tmp_path)
    record = json.loads(index.read_text())
    assert record["prefixes"] == {"u": "urn:x:"}
    assert record["file"]["size"] == len(data)
    for name, (digest, offset, length) in record["graphs"].items():
        assert digest == quads.digest(name)
        assert data[offset : offset + length].startswith(name.replace("<urn:x:", "u:").replace(">", " {\n").encode())
        assert data[offset : offset + length].endswith(b"\n}\n")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda g: g.update(g000x=['"new"'], g015x=['"new"'], zzz=['"last"']), id="add"),
        pytest.param(lambda g: g.update(g000=['"changed"'], g015=[*g["g015"], '"more"'], g029=['"x"']), id="change"),
        pytest.param(lambda g: [g.pop(k) for k in ("g000", "g014", "g015", "g029")], id="remove"),
        pytest.param(lambda g: (g.pop("g003"), g.update(g004=['"c"'], g007a=['"a"'])), id="all-three"),
        pytest.param(lambda g: g.update(g010=[]), id="emptied"),
        pytest.param(lambda g: None, id="none"),
    ],
)
def test_io_rewrite_is_byte_identical_to_a_full_write(tmp_path, batch, change):
    graphs = _graphs(30)
    out, index = tmp_path / "out", tmp_path / "trig.json"
    save_quads(_quads(graphs), out, NS, index)
    change(graphs)
    quads = _quads(graphs)
    assert save_quads(quads, out, NS, index).read_bytes() == _plain(quads, tmp_path)
    graphs.update(g020=['"again"'], g021x=['"new"'])  # and once more, from the index the rewrite left
    del graphs["g022"]
    quads = _quads(graphs)
    assert save_quads(quads, out, NS, index).read_bytes() == _plain(quads, tmp_path)


def test_io_unchanged_graphs_are_copied_from_the_old_file(tmp_path):
    """Proof that the old bytes are used: an index that swaps two blocks' ranges (the file itself
    untouched) shows up in the output."""
    quads = _quads(_graphs(5))
    out, index = tmp_path / "out", tmp_path / "trig.json"
    old = save_quads(quads, out, NS, index).read_bytes()
    record = json.loads(index.read_text())
    g1, g2 = record["graphs"]["<urn:x:g001>"], record["graphs"]["<urn:x:g002>"]
    g1[1:], g2[1:] = g2[1:], g1[1:]
    index.write_text(json.dumps(record))
    new = save_quads(quads, out, NS, index).read_bytes()
    assert new != old and sorted(new.splitlines()) == sorted(old.splitlines())


def test_io_changed_prefixes_rewrite_every_graph(tmp_path, batch):
    graphs = _graphs(10)
    out, index = tmp_path / "out", tmp_path / "trig.json"
    save_quads(_quads(graphs), out, NS, index)
    graphs["g005"] = ["<urn:y:o>"]
    quads = _quads(graphs, extra=("urn:y:o",))
    data = save_quads(quads, out, NS, index).read_bytes()
    assert data == _plain(quads, tmp_path) and b"@prefix v: <urn:y:> ." in data and b"v:o" in data
    assert json.loads(index.read_text())["prefixes"] == {"u": "urn:x:", "v": "urn:y:"}


def _edit_same_size(path):
    data = path.read_bytes()
    st = path.stat()
    path.write_bytes(data.replace(b'"1"', b'"7"'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size and modification time: the change time still tells


def _replace(path):
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(_edit_same_size, id="edited"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes() + b"\n"), id="appended"),
        pytest.param(lambda p: p.unlink(), id="missing"),
        pytest.param(_replace, id="replaced"),
        pytest.param(lambda p: os.chmod(p, 0o644), id="chmod"),
        pytest.param(lambda p: p.with_name("trig.json").write_text("{not json"), id="index-garbled"),
        pytest.param(lambda p: p.with_name("trig.json").write_text('{"format": 1, "graphs": []}'), id="index-malformed"),
        pytest.param(lambda p: p.with_name("trig.json").unlink(), id="index-missing"),
    ],
)
def test_io_index_that_does_not_describe_the_file_is_ignored(tmp_path, spoil):
    graphs = _graphs(10)
    out = tmp_path / "out"
    index = out / "trig.json"
    save_quads(_quads(graphs), out, NS, index)
    spoil(out / GRAPH_FILE)
    graphs["g002"] = ['"changed"']
    quads = _quads(graphs)
    assert save_quads(quads, out, NS, index).read_bytes() == _plain(quads, tmp_path)
    assert json.loads(index.read_text())["file"]["size"] == (out / GRAPH_FILE).stat().st_size


def test_io_index_of_another_file_is_ignored(tmp_path):
    """Two outputs' files with the same bytes: the index of one is no use for the other."""
    quads = _quads(_graphs(10))
    index = tmp_path / "trig.json"
    save_quads(quads, tmp_path / "a", NS, index)
    save_quads(quads, tmp_path / "b", NS)
    (tmp_path / "a" / GRAPH_FILE).write_bytes(b"")
    assert io._open_indexed(tmp_path / "b" / GRAPH_FILE, index, {"u": "urn:x:"}) == (None, {})


def test_io_write_without_index_is_unchanged(tmp_path):
    """No index: nothing beside the file, and the bytes of Oxigraph's own serialisation."""
    quads = _quads(_graphs(10))
    data = save_quads(quads, tmp_path, NS).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [GRAPH_FILE]
    assert data == ox.serialize(ox.parse(b"".join(quads.graphs.values()), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG, prefixes={"u": "urn:x:"})


def test_io_index_that_cannot_be_written_does_not_stop_the_write(tmp_path):
    (tmp_path / "cache").write_text("a file where the index's folder should be")
    quads = _quads(_graphs(5))
    assert save_quads(quads, tmp_path / "out", NS, tmp_path / "cache" / "trig.json").read_bytes() == _plain(quads, tmp_path)
    assert save_quads(quads, tmp_path / "out", NS, tmp_path / "cache" / "trig.json").read_bytes() == _plain(quads, tmp_path)
