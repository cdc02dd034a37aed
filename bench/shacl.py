"""SHACL validation of a large ipkg-shaped graph: the compiled shapes on Oxigraph against pySHACL.

``python -m bench.shacl [TRIPLES] [FOLDER]`` writes about TRIPLES quads (default 10^6, see
:mod:`bench.graph`) as N-Quads and as an Oxigraph store in FOLDER, then validates them in a child
process per case and prints one JSON line per case: wall and CPU seconds of :func:`validate`,
the child's peak RSS (VmHWM) and its RSS before validating (store opened or quads read), and the result.

Cases: ``sparql-store`` (the store on disk, opened read-only, as ``ipkg build`` has it),
``sparql-nquads`` (the :class:`~ipkg.kg.quads.NQuads` a build holds in memory) and
``pyshacl-store`` (pySHACL over an rdflib copy of the store's default graph).

Examples
--------
``python -m bench.shacl 100000 /tmp/shacl``
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

CASES = ("sparql-store", "sparql-nquads", "pyshacl-store")


def _status_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process in MiB (``ru_maxrss`` would include the parent's peak before exec)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024


def child(case: str, folder: Path) -> dict[str, object]:
    """Validate in this process; the measurements of one case."""
    from ipkg.kg.quads import NQuads
    from ipkg.kg.validate import validate
    from ipkg.store.oxigraph import STORE_DIR, OxigraphStore

    if case == "sparql-nquads":
        import pyoxigraph as ox

        data: object = NQuads.from_quads(ox.parse(path=str(folder / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    else:
        data = OxigraphStore(folder / STORE_DIR, read_only=True)
    before = _status_mb("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    result = validate(data, engine="pyshacl" if case.startswith("pyshacl") else "sparql")  # type: ignore[arg-type]
    return {
        "case": case, "wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
        "rss_before_mb": round(before), "peak_rss_mb": round(_status_mb("VmHWM")), "violations": result.violations,
        "conforms": result.conforms, "engine": result.engine,
    }


def main(triples: int, folder: Path) -> None:
    from bench.graph import template_nquads, write_graph
    from ipkg.store.oxigraph import STORE_DIR, write_store

    folder.mkdir(parents=True, exist_ok=True)
    nq = folder / "graph.nq"
    n = write_graph(nq, triples, template_nquads(Path(__file__).resolve().parents[1] / "seeds"))
    write_store([nq], folder / STORE_DIR)
    print(json.dumps({"quads": n, "folder": str(folder)}), flush=True)
    for case in CASES:
        out = subprocess.run([sys.executable, "-m", "bench.shacl", "--child", case, str(folder)], capture_output=True, text=True, check=True)
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/ipkg-bench-shacl"))
