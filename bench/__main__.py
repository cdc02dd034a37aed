"""``python -m bench``: see :mod:`bench`."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from .corpus import write_corpus
from .run import child_main

RESULTS = Path(__file__).resolve().parent / "results"


def _child(*args: object) -> dict[str, Any]:
    """Run ``python -m bench --child ARGS`` and return the JSON it prints last."""
    cmd = [sys.executable, "-m", "bench", "--child", *map(str, args)]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, str(Path(root) / "src"), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run(cmd, env=env, cwd=root, stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        raise SystemExit(f"bench child {args[0]} failed with status {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time (the lower of the two middle ones)."""
    return sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]


def run_size(n: int, runs: int, budget: float, seed: int, add_runs: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ipkg-bench-") as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "out"
        t = time.perf_counter()
        docs, words = write_corpus(corpus, n, seed=seed)
        print(f"# {n} documents, {words} words written in {time.perf_counter() - t:.1f} s; building...", file=sys.stderr)
        build = _child("build", corpus, out)
        print(f"# built in {build['seconds']:.1f} s; timing queries...", file=sys.stderr)
        query = _child("query", out, runs, budget)
        print("# adding one document...", file=sys.stderr)
        one = Path(tmp) / "one"
        write_corpus(one, 1, seed=seed + 1, prefix="new")
        # in turn, so that the load of the moment weighs on both alike: the document built alone into
        # a new folder, then added to the corpus (after the first time, removed and built first)
        alones, adds = [], []
        for i in range(add_runs):
            alones.append(_child("build", one, Path(tmp) / f"out-one-{i}"))
            if i:
                (corpus / "new00000.txt").unlink()
                _child("build", corpus, out)
            shutil.copy(one / "new00000.txt", corpus)
            adds.append(_child("build", corpus, out))
    added, alone = _median_run(adds), _median_run(alones)
    build["add_one"] = {
        "seconds": added["seconds"], "phases": added["phases"], "alone_seconds": alone["seconds"], "alone_phases": alone["phases"],
        "runs": [a["seconds"] for a in adds], "alone_runs": [a["seconds"] for a in alones],
        "runs_phases": [a["phases"] for a in adds], "alone_runs_phases": [a["phases"] for a in alones],
    }
    build["words"] = words
    build["words_per_s_nlp"] = words / build["phases"]["nlp"] if build["phases"].get("nlp") else None
    build["words_per_s"] = words / build["seconds"]
    build["triples_per_s"] = build["triples"] / build["seconds"]
    return {"documents": n, "build": build, "query": query}


def _ms(q: dict[str, Any] | None) -> str:
    if not q:
        return "-"
    return f"{q['ms']:.1f}" + ("*" if q.get("capped") else "")


def _full(q: dict[str, Any] | None) -> dict[str, Any] | None:
    """The whole answer's timing: ``full``, or the timing itself in files from before paging."""
    if not q:
        return None
    return q.get("full") or (None if "limit" in q else q)


def _limit(result: dict[str, Any]) -> int | None:
    """The page size the default timings used (None: files from before paging timed all rows)."""
    for entry in _entries(result):
        return entry[3].get("limit")
    return None


def _entries(result: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(where, query, store, timing) for every query timing of a result file."""
    for s in result.get("sizes", []):
        for q, r in s["query"]["queries"].items():
            for kind, v in r.items():
                yield f"{s['documents']} docs", q, kind, v
    t = result.get("triples")
    if t:
        for q, r in t["large"]["queries"].items():
            yield f"{t['large']['triples']:,}t", q, "oxigraph", r["oxigraph"]


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    return f"{b['ms'] / a['ms']:.1f}x" if a and b and a["ms"] else "-"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, rows)])


def size_table(sizes: list[dict[str, Any]]) -> str:
    """One table: a column per corpus size, a row per measure and per bundled query."""
    header = ["documents"] + [str(s["documents"]) for s in sizes]
    b = [s["build"] for s in sizes]
    rows = [
        ["words"] + [f"{x['words']:,}" for x in b],
        ["sentences"] + [f"{x['sentences']:,}" for x in b],
        ["events / actors"] + [f"{x['events']:,} / {x['actors']:,}" for x in b],
        ["build s (end to end)"] + [f"{x['seconds']:.1f}" for x in b],
        ["words/s NLP pass"] + [f"{x['words_per_s_nlp']:,.0f}" if x["words_per_s_nlp"] else "-" for x in b],
        ["words/s end to end"] + [f"{x['words_per_s']:,.0f}" for x in b],
        ["triples"] + [f"{x['triples']:,}" for x in b],
        ["triples/s"] + [f"{x['triples_per_s']:,.0f}" for x in b],
        ["peak RSS build MiB"] + [f"{x['peak_rss_mb']:,.0f}" for x in b],
        ["peak RSS children MiB"] + [f"{x.get('peak_rss_children_mb', 0):,.0f}" for x in b],
        ["peak RSS queries MiB"] + [f"{s['query']['peak_rss_mb']:,.0f}" for s in sizes],
        ["add 1 doc s (rebuild, median)"] + [f"{x['add_one']['seconds']:.2f}" if "add_one" in x else "-" for x in b],
        ["that doc alone s (median)"] + [f"{x['add_one']['alone_seconds']:.2f}" if "add_one" in x else "-" for x in b],
        ["add 1 / alone"] + [f"{x['add_one']['seconds'] / x['add_one']['alone_seconds']:.2f}x" if "add_one" in x else "-" for x in b],
    ]
    phases = list(dict.fromkeys(p for x in b for p in x["phases"]))
    rows += [[f"  {p} s"] + [f"{x['phases'].get(p, 0):.2f}" for x in b] for p in phases]
    for title, pick in ((f"query ms, first {_limit({'sizes': sizes})} rows (ipkg query's default)", lambda v: v), ("query ms, all rows", _full)):
        rows.append([f"{title}: oxigraph / rdflib (ratio)"] + [""] * len(sizes))
        for q in sizes[0]["query"]["queries"]:
            cells = []
            for s in sizes:
                r = s["query"]["queries"].get(q, {})
                a, b = pick(r.get("oxigraph")), pick(r.get("rdflib"))
                cells.append(f"{_ms(a)} / {_ms(b)} ({_ratio(a, b)})")
            rows.append([f"  {q}"] + cells)
    return _table(header, rows)


def triples_table(t: dict[str, Any]) -> str:
    """The large graph on Oxigraph (default page and all rows, each with Oxigraph's own share),
    then the small graph on Oxigraph and rdflib."""
    large, small = t["large"], t["small"]
    limit = _limit({"triples": t})
    header = ["query", "rows", f"first {limit} ms", "engine", "all rows ms", "engine"]
    rows = []
    for q, r in large["queries"].items():
        ox = r["oxigraph"]
        rows.append([q, f"{ox['full']['rows']:,}", _ms(ox), f"{ox['engine_ms']:.1f}", _ms(ox["full"]), f"{ox['full']['engine_ms']:.1f}"])
    head = f"Oxigraph, {large['triples']:,} triples (engine: Oxigraph's own share, the rest is Python)"
    header2 = ["query", f"oxigraph first {limit}", "rdflib", "ratio", "oxigraph all rows", "rdflib", "ratio"]
    rows2 = []
    for q, r in small["queries"].items():
        a, b = r["oxigraph"], r["rdflib"]
        rows2.append([q, _ms(a), _ms(b), _ratio(a, b), _ms(a["full"]), _ms(b["full"]), _ratio(a["full"], b["full"])])
    foot = (
        f"generated in {t['generate_seconds']:.1f} s; Oxigraph store written in {t['oxigraph_load_seconds']:.1f} s; "
        f"rdflib parsed {small['triples']:,} triples in {small['rdflib_load_seconds']:.1f} s; peak RSS {t['peak_rss_mb']:,.0f} MiB"
    )
    return "\n".join([head, _table(header, rows), "", f"{small['triples']:,} triples, ms", _table(header2, rows2), foot])


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Deltas of the headline measures and query medians between two result files."""
    lines = []
    olds = {s["documents"]: s for s in old.get("sizes", [])}
    for s in new.get("sizes", []):
        o = olds.get(s["documents"])
        if not o:
            continue
        for key in ("words_per_s_nlp", "words_per_s", "triples_per_s", "peak_rss_mb", "seconds"):
            a, b = o["build"].get(key), s["build"].get(key)
            if a and b:
                lines.append(f"{s['documents']:>6} docs  {key:<22}{a:>14,.1f} -> {b:>14,.1f}  {100 * (b - a) / a:+6.1f}%")
    ot, nt = old.get("triples"), new.get("triples")
    if ot and nt and ot["large"]["triples"] != nt["large"]["triples"]:
        lines.append(f"large graphs differ ({ot['large']['triples']:,} and {nt['large']['triples']:,} triples): not compared")
    olds = {(where, q, kind): v for where, q, kind, v in _entries(old)}
    lo, ln = _limit(old), _limit(new)
    default = lambda n: f"first {n}" if n else "default"  # noqa: E731
    for where, q, kind, v in _entries(new):
        o = olds.get((where, q, kind))
        if not o:
            continue
        pairs = [(f"{default(lo)}->{default(ln)}", o, v), ("all rows", _full(o), _full(v))]
        if lo == ln:
            pairs[0] = (default(ln), o, v)
        for label, a, b in pairs:
            if a and b and a["ms"]:
                lines.append(f"{where:>11}  {q + ' ' + kind + ' ' + label:<36}{a['ms']:>12,.1f} -> {b['ms']:>12,.1f}  {100 * (b['ms'] - a['ms']) / a['ms']:+6.1f}%")
    if lo != ln:
        lines.append(f"(default: the rows `ipkg query` shows unless told otherwise; {default(lo)} in the old file, {default(ln)} in the new; a file without a page size timed all rows)")
    return "\n".join(lines) or "nothing to compare (no common sizes)"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return
    ap = argparse.ArgumentParser(prog="python -m bench", description="ipkg's build and query benchmark.")
    ap.add_argument("--sizes", default="100,1000", help="corpus sizes in documents, comma-separated ('' for none); default 100,1000")
    ap.add_argument("--triples", type=int, default=0, help="also time the queries on a synthetic graph of about this many triples")
    ap.add_argument("--rdflib-triples", type=int, default=100_000, help="size of the graph rdflib is timed on in --triples mode")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up); the median is reported")
    ap.add_argument("--add-runs", type=int, default=3, help="times a new document is built alone and added to each corpus; the medians are reported")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per query and store: beyond it, the warm-up run alone is reported (marked *)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compare", type=Path, help="a previous result file: print the deltas")
    ap.add_argument("--save", type=Path, help="where to write the JSON (default bench/results/<timestamp>.json)")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(), "load_before": os.getloadavg()},
        "args": {k: str(v) for k, v in vars(args).items()},
        "sizes": [],
    }
    for n in sizes:
        result["sizes"].append(run_size(n, args.runs, args.budget, args.seed, args.add_runs))
    if args.triples:
        print(f"# synthetic graph of {args.triples:,} triples...", file=sys.stderr)
        result["triples"] = _child("triples", args.triples, min(args.rdflib_triples, args.triples), args.runs, args.budget)
    result["machine"]["load_after"] = os.getloadavg()
    print(f"# load average before {result['machine']['load_before'][0]:.1f}, after {result['machine']['load_after'][0]:.1f} "
          f"on {os.cpu_count()} CPUs (other jobs make timings noisy)", file=sys.stderr)
    if result["sizes"]:
        print(size_table(result["sizes"]))
    if args.triples:
        print()
        print(triples_table(result["triples"]))
    if '"capped": true' in json.dumps(result):
        print("(* one run only: it exceeded the per-query budget)")
    path = args.save or RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"saved {path}")
    if args.compare:
        print()
        print(compare(json.loads(args.compare.read_text(encoding="utf-8")), result))


if __name__ == "__main__":
    main()
