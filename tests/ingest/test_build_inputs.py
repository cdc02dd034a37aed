"""``ipkg build`` on a folder of good and bad files, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

GOOD = {
    "recognition.txt": "Iran was the first country to recognize Pakistan in 1947.\n",
    "page.html": "<html><head><title>Call</title></head><body><nav><p>Menu</p></nav>"
    "<p>Pakistani Prime Minister Shehbaz Sharif telephoned Iranian President Masoud Pezeshkian.</p></body></html>",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "ipkg", "build", *args], capture_output=True, text=True, env=env, timeout=300)


def test_build_inputs_mixed_folder_reports_each_bad_file_and_exits_1(tmp_path):
    from ipkg.kg.io import load_graph
    from ipkg.kg.namespace import IPKG

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in GOOD.items():
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "windows.txt").write_bytes("Pakistan\u2019s Prime Minister Shehbaz Sharif met Iran\u2019s President Masoud Pezeshkian in Tehran.".encode("cp1252"))
    bad = {
        "empty.txt": ("warning", "no text; skipped"),
        "scan.txt": ("error", "binary file (PDF document), not text"),
        "image.png": ("warning", "unsupported file type '.png'; skipped"),
        "pipe.txt": ("error", "not a regular file (a named pipe)"),
        "gone.md": ("error", "broken symbolic link"),
        "front.md": ("error", "malformed front matter"),
        "windows.txt": ("warning", "not UTF-8; read as Windows-1252"),
    }
    (docs / "empty.txt").write_text("")
    (docs / "scan.txt").write_bytes(b"%PDF-1.7\n1 0 obj\n")
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    os.mkfifo(docs / "pipe.txt")
    (docs / "gone.md").symlink_to(docs / "deleted.md")
    (docs / "front.md").write_text("---\nno colon here\n---\nText")
    out = tmp_path / "out"
    proc = _run(str(docs), "--out", str(out), "--quiet")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == len(bad), lines
    for name, (level, reason) in bad.items():
        (line,) = [x for x in lines if f"{docs / name}:" in x]
        assert line.startswith(f"{level}: {docs / name}: {reason}")
    assert "documents   3" in proc.stdout
    ds = load_graph(out)
    sentences = {str(o) for o in ds.objects(None, IPKG.sentence)}
    assert GOOD["recognition.txt"].strip() in sentences
    assert "Pakistani Prime Minister Shehbaz Sharif telephoned Iranian President Masoud Pezeshkian." in sentences
    assert "Pakistan’s Prime Minister Shehbaz Sharif met Iran’s President Masoud Pezeshkian in Tehran." in sentences


def test_build_inputs_all_fine_exits_0(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD["recognition.txt"])
    proc = _run(str(tmp_path), "--out", str(tmp_path / "out"), "--store", "none", "--quiet")
    assert (proc.returncode, proc.stderr) == (0, "")


def test_build_inputs_warnings_only_exit_0(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD["recognition.txt"])
    (tmp_path / "b.txt").write_text("  \n")
    proc = _run(str(tmp_path), "--out", str(tmp_path / "out"), "--store", "none", "--quiet")
    assert proc.returncode == 0
    assert proc.stderr == f"warning: {tmp_path / 'b.txt'}: no text; skipped\n"


def test_build_inputs_nothing_usable_exits_2(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "b.txt").write_text("")
    proc = _run(str(tmp_path), str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[:3] == [
        f"error: {tmp_path / 'a.txt'}: binary file (PNG image), not text",
        f"warning: {tmp_path / 'b.txt'}: no text; skipped",
        f"error: {tmp_path / 'missing'}: no such file or folder",
    ]
    assert lines[3].startswith("error: No input documents found")
    assert not (tmp_path / "out" / "graph.trig").exists()


def test_build_inputs_max_size_option(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD["recognition.txt"])
    (tmp_path / "b.txt").write_text(GOOD["recognition.txt"] * 100)
    proc = _run(str(tmp_path), "--out", str(tmp_path / "out"), "--store", "none", "--quiet", "--max-size", "0.001")
    assert proc.returncode == 1
    assert proc.stderr == f"error: {tmp_path / 'b.txt'}: 5,800 bytes is above the size limit of 1,000 bytes (raise it with --max-size)\n"
