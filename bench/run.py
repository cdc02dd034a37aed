"""The measurements, each run in a child process of its own (``python -m bench --child ...``).

A child prints one JSON object on its last line of stdout; its peak RSS (``ru_maxrss``) is its
own, so sizes do not contaminate each other.
"""

from __future__ import annotations

import functools
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Names looked up in ipkg.workflow (``Class.method`` for a method) and the phase each one's time
# goes to. Names that a later version of workflow.py no longer has are skipped. What runs beside
# something else (TriG beside the store's load, SHACL beside the explorer) counts only for the
# time the build waits for it.
PHASES = {
    "iter_records": "read",
    "_read_inputs": "read",
    "build_nlp": "pipeline load",
    "extract_facts": "nlp",
    "PipelineAhead.extract": "pipeline load + nlp (forked; waited for)",
    "merge_parts": "facts",
    "resolve": "resolve",
    "ResolutionState.keys": "resolve",
    "ResolutionState.update": "resolve",
    "facts_to_nquads": "rdf",
    "update_store": "oxigraph load",
    "write_store": "oxigraph load",
    "graph_to_actor_network": "explorer",
    "actor_network_to_pyvis": "explorer",
    "write_html": "explorer",
    "write_explorer": "explorer",
    "Concurrent.result": "trig, shacl (waited for)",
}
GENERATORS = {"iter_records", "extract_facts"}


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mb() -> float:
    """The largest peak resident set size of this process's finished children (the NLP and SHACL processes), in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _instrument(module: Any, totals: dict[str, float]) -> None:
    """Wrap the functions of ``module`` named in PHASES so their time in the main thread adds up in ``totals``."""
    for name, phase in PHASES.items():
        owner, attr = module, name
        if "." in name:
            owner_name, attr = name.split(".", 1)
            owner = getattr(module, owner_name, None)
        fn = getattr(owner, attr, None)
        if not callable(fn):
            continue
        if name in GENERATORS:

            def gen_wrapper(*a: Any, _fn: Callable[..., Any] = fn, _phase: str = phase, **k: Any) -> Iterator[Any]:
                t = time.perf_counter()
                it = iter(_fn(*a, **k))
                totals[_phase] += time.perf_counter() - t
                while True:
                    t = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        totals[_phase] += time.perf_counter() - t
                        return
                    totals[_phase] += time.perf_counter() - t
                    yield item

            setattr(owner, attr, functools.wraps(fn)(gen_wrapper))
        else:

            def wrapper(*a: Any, _fn: Callable[..., Any] = fn, _phase: str = phase, **k: Any) -> Any:
                if threading.current_thread() is not threading.main_thread():
                    return _fn(*a, **k)  # the phases are the main thread's time: work beside it is counted where it is waited for
                t = time.perf_counter()
                try:
                    return _fn(*a, **k)
                finally:
                    totals[_phase] += time.perf_counter() - t

            setattr(owner, attr, functools.wraps(fn)(wrapper))


def child_build(corpus: Path, out: Path) -> dict[str, Any]:
    """``ipkg.workflow.build`` of ``corpus`` into ``out``, timed by phase."""
    from ipkg import workflow

    totals: dict[str, float] = defaultdict(float)
    _instrument(workflow, totals)
    t = time.perf_counter()
    summary = workflow.build([corpus], out)
    total = time.perf_counter() - t
    phases = dict(totals)
    phases["other"] = total - sum(phases.values())
    return {
        "seconds": total,
        "phases": phases,
        "documents": summary.documents,
        "sentences": summary.sentences,
        "actors": summary.actors,
        "events": summary.events,
        "triples": summary.triples,
        "violations": summary.violations,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_children_mb": peak_rss_children_mb(),
    }


def _timed(fns: list[Callable[[], Any]], runs: int, budget: float) -> list[tuple[dict[str, Any], Any]]:
    """Median latency (ms) of ``runs`` runs of each of ``fns``, taken in turn so that the load of
    the moment weighs on all alike, after one warm-up (whose answer is returned); the warm-up
    alone when ``runs`` of the slowest would exceed ``budget`` seconds."""
    answers, firsts = [], []
    for fn in fns:
        t = time.perf_counter()
        answers.append(fn())
        firsts.append(time.perf_counter() - t)
    capped = max(firsts) * runs > budget
    times: list[list[float]] = [[f] for f in firsts]
    if not capped:
        times = [[] for _ in fns]
        for _ in range(runs):
            for fn, ts in zip(fns, times):
                t = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t)
    return [({"ms": statistics.median(ts) * 1000, "runs": len(ts), "capped": capped}, a) for ts, a in zip(times, answers)]


def _engine(store: Any, text: str) -> Callable[[], int]:
    """Oxigraph's own work on ``text``: every solution read, no conversion to rdflib or strings."""
    raw = store.oxigraph

    def run() -> int:
        n = 0
        for solution in raw.query(text):
            tuple(solution)
            n += 1
        return n

    return run


def time_query(store: Any, name: str, runs: int, budget: float) -> dict[str, Any]:
    """``ipkg query NAME`` as it runs by default (its first page), and the whole answer (``full``).

    On Oxigraph, ``engine_ms`` is the store's own share of each (the rest is Python: rdflib terms
    and cells), timed in turn with it.
    """
    from ipkg.query.sparql import DEFAULT_LIMIT, load_query, page_query, run_query

    text = load_query(name)[1]

    def timing(limit: int | None, sparql: str) -> dict[str, Any]:
        fns: list[Callable[[], Any]] = [lambda: run_query(store, name, limit=limit)]
        if getattr(store, "kind", "") == "oxigraph":
            fns.append(_engine(store, sparql))
        (out, result), *engine = _timed(fns, runs, budget)
        out["rows"] = len(result.rows)
        if engine:
            out["engine_ms"] = engine[0][0]["ms"]
        return out

    page = timing(DEFAULT_LIMIT, page_query(text, DEFAULT_LIMIT + 1, index=store.page_index) or text)
    return {**page, "limit": DEFAULT_LIMIT, "full": timing(None, text)}


def time_queries(stores: dict[str, Any], runs: int, budget: float) -> dict[str, dict[str, Any]]:
    from ipkg.query.sparql import list_queries

    return {q: {kind: time_query(store, q, runs, budget) for kind, store in stores.items()} for q in list_queries()}


#: Above this many triples a build's queries are not timed on rdflib: one query alone takes minutes
#: there (at 10^4 documents, 1.2 M triples, the set ran over 10 minutes and was stopped).
RDFLIB_MAX_TRIPLES = 300_000


def child_query(out: Path, runs: int, budget: float) -> dict[str, Any]:
    """Every bundled query on the build's default store (Oxigraph) and, up to ``RDFLIB_MAX_TRIPLES``, on rdflib."""
    from ipkg.kg.io import load_graph
    from ipkg.store import MemoryStore, open_store

    ox = open_store(out)
    stores: dict[str, Any] = {"oxigraph": ox}
    rdflib_load = None
    if ox.default_size() <= RDFLIB_MAX_TRIPLES:
        t = time.perf_counter()
        stores["rdflib"] = MemoryStore(load_graph(out))
        rdflib_load = time.perf_counter() - t
    return {
        "stores": {name: store.kind for name, store in stores.items()},
        "rdflib_load_seconds": rdflib_load,
        "queries": time_queries(stores, runs, budget),
        "peak_rss_mb": peak_rss_mb(),
    }


def child_triples(triples: int, rdflib_triples: int, runs: int, budget: float) -> dict[str, Any]:
    """The query set on a synthetic graph of ``triples`` (Oxigraph, on disk as ``ipkg build`` writes
    it) and of ``rdflib_triples`` (Oxigraph in memory and rdflib, for their ratio)."""
    from ipkg.kg.build import new_dataset
    from ipkg.store import MemoryStore, OxigraphStore, open_store, write_store

    from .corpus import SEEDS
    from .graph import template_nquads, write_graph

    result: dict[str, Any] = {}
    template = template_nquads(SEEDS)
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-") as tmp:
        big = Path(tmp) / "big.nq"
        t = time.perf_counter()
        n = write_graph(big, triples, template)
        result["generate_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        write_store([big], Path(tmp) / "oxigraph")
        result["oxigraph_load_seconds"] = time.perf_counter() - t
        big.unlink()
        ox = open_store(tmp)
        result["large"] = {"triples": n, "store": ox.kind, "queries": time_queries({"oxigraph": ox}, runs, budget)}
        ox.close()
        del ox
        small = Path(tmp) / "small.nq"
        m = write_graph(small, rdflib_triples, template)
        ox_mem = OxigraphStore()
        ox_mem.load_file(small)
        ox_mem.refresh_index()  # as write_store does
        t = time.perf_counter()
        ds = new_dataset()
        ds.parse(small, format="nquads")
        rdflib_load = time.perf_counter() - t
        mem = MemoryStore(ds)
        result["small"] = {"triples": m, "rdflib_load_seconds": rdflib_load,
                           "queries": time_queries({"oxigraph": ox_mem, "rdflib": mem}, runs, budget)}
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def child_main(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "build":
        res = child_build(Path(rest[0]), Path(rest[1]))
    elif kind == "query":
        res = child_query(Path(rest[0]), int(rest[1]), float(rest[2]))
    elif kind == "triples":
        res = child_triples(int(rest[0]), int(rest[1]), int(rest[2]), float(rest[3]))
    else:
        raise SystemExit(f"unknown child {kind}")
    sys.stdout.write("\n" + json.dumps(res) + "\n")
