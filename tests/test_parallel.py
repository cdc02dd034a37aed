"""The NLP pass in several processes, and work run in the background during a build."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS
from ipkg.ingest.readers import iter_records, split_record
from ipkg.workflow import Concurrent, default_jobs, extract_facts


def _records():
    return [part for r in iter_records([SEEDS], []) for part in split_record(r, 4000)]


def test_parallel_extract_facts_equals_one_process(nlp):
    records = _records()
    one = [f.to_dict() for f in extract_facts(nlp, records, jobs=1)]
    two = [f.to_dict() for f in extract_facts(nlp, records, jobs=2, chunk_chars=5000)]
    assert len(one) == len(records) > 10
    assert two == one
    assert sum(len(f["events"]) for f in one) > 20


def test_default_jobs_is_one_for_little_text():
    records = _records()
    assert default_jobs(records[:1]) == 1
    assert default_jobs(records * 20) == min(2, len(os.sched_getaffinity(0)))


def test_cli_build_with_two_jobs_writes_the_same_bytes(seed_build, tmp_path):
    r = subprocess.run([sys.executable, "-m", "ipkg", "build", str(SEEDS), "--out", str(tmp_path), "-q", "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for name in ("graph.trig", "graph.html"):
        assert (tmp_path / name).read_bytes() == (seed_build[1] / name).read_bytes(), name


def _fail(message):
    raise ValueError(message)


def test_concurrent_returns_and_raises():
    assert Concurrent(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ValueError, match="no good"):
        Concurrent(_fail, "no good").result()


def test_bench_runs_and_saves_its_table(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    save = tmp_path / "b.json"
    r = subprocess.run([sys.executable, "-m", "bench", "--sizes", "4", "--runs", "1", "--add-runs", "2", "--save", str(save)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "words/s end to end" in r.stdout and "add 1 / alone" in r.stdout
    size = json.loads(save.read_text())["sizes"][0]
    assert size["documents"] == 4 and size["build"]["words"] > 500
    assert size["build"]["add_one"]["seconds"] > 0 and size["build"]["add_one"]["alone_seconds"] > 0
    assert len(size["build"]["add_one"]["runs"]) == len(size["build"]["add_one"]["alone_runs"]) == 2
    assert size["build"]["add_one"]["seconds"] in size["build"]["add_one"]["runs"]
    assert set(size["query"]["queries"]) >= {"events", "actors", "strikes"}


def test_extract_beside_a_pipeline_built_ahead_equals_one_process(nlp):
    from ipkg.workflow import PipelineAhead, _extract

    records = _records()[:3]
    keys = {r.doc_id: r.doc_id for r in records}
    ran = []
    ahead = PipelineAhead(None, None)
    try:
        beside = _extract(records, None, None, None, None, keys, False, None, meanwhile=lambda: ran.append(os.getpid()), ahead=ahead)
    finally:
        ahead.close()
    assert ran == [os.getpid()]  # in this process, once
    alone = _extract(records, nlp, None, None, None, keys, False, None)
    assert {k: f.to_dict() for k, f in beside.items()} == {k: f.to_dict() for k, f in alone.items()}
    assert sum(len(f.events) for f in beside.values()) > 0


@pytest.mark.parametrize("config, model", [("no.cfg", None), (None, "en_core_web_nothing")])
def test_pipeline_ahead_raises_the_error_of_building_the_pipeline(tmp_path, config, model):
    from ipkg.nlp import build_nlp
    from ipkg.workflow import PipelineAhead

    config = tmp_path / config if config else None
    ahead = PipelineAhead(config, model)
    try:
        with pytest.raises(Exception) as beside:
            ahead.extract(_records()[:1], lambda: None)
    finally:
        ahead.close()
    with pytest.raises(Exception) as alone:
        build_nlp(config, model)
    assert type(beside.value) is type(alone.value) and str(beside.value) == str(alone.value)


def test_pipeline_ahead_not_used_is_ended():
    import time

    from ipkg.workflow import PipelineAhead

    ahead = PipelineAhead(None, None)
    started = time.perf_counter()
    ahead.close()
    assert time.perf_counter() - started < 5
    assert not ahead._process.is_alive() and ahead._process.exitcode is not None


def test_pipeline_ahead_whose_process_died_raises_a_clear_error():
    import signal

    from ipkg.errors import IpkgError
    from ipkg.workflow import PipelineAhead

    ahead = PipelineAhead(None, None)
    try:
        os.kill(ahead._process.pid, signal.SIGKILL)
        ahead._process.join()
        with pytest.raises(IpkgError, match=f"exit code {-signal.SIGKILL}"):
            ahead.extract(_records()[:1], lambda: None)
    finally:
        ahead.close()
