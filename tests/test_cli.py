"""The ipkg command, run as a user runs it."""

import json
import subprocess
import sys


def _ipkg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ipkg", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_cli_build_and_query(tmp_path):
    from conftest import SEEDS

    out = tmp_path / "out"
    r = _ipkg("build", str(SEEDS), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "documents   5" in r.stdout and "SHACL violations 0" in r.stdout
    r = _ipkg("query", "visits", "--graph", str(out), "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["results"]["bindings"]
    r = _ipkg("query", "visits", "--graph", str(out), "--format", "csv")
    assert r.stdout.splitlines()[0] == "event,visitorLabel,destinationLabel,date,sources,evidence"
    r = _ipkg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", str(out))
    assert r.returncode == 0 and "(1 rows)" in r.stdout
    r = _ipkg("query", "actors", "--graph", str(out), "--limit", "2", "--offset", "1", "--format", "json")
    assert r.returncode == 0 and len(json.loads(r.stdout)["results"]["bindings"]) == 2
    assert r.stderr.startswith("note: more rows follow; --offset 3 shows the next 2")
    every = _ipkg("query", "actors", "--graph", str(out), "--limit", "0")
    first = _ipkg("query", "actors", "--graph", str(out))
    assert every.returncode == 0 and every.stdout == first.stdout and not first.stderr  # the seeds hold < 100 actors
    r = _ipkg("query", "actors", "--graph", str(out), "--limit", "-1")
    assert r.returncode == 2 and r.stderr.startswith("error: Bad limit -1")


def test_cli_errors_are_one_line(tmp_path):
    r = _ipkg("query", "visits", "--graph", str(tmp_path))
    assert r.returncode == 2 and r.stderr.startswith("error: No graph found") and "Traceback" not in r.stderr
    r = _ipkg("build", str(tmp_path / "missing"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cli_query_list():
    r = _ipkg("query", "--list")
    assert r.returncode == 0 and r.stdout.startswith("actors")
