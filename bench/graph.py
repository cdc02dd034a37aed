"""Large ipkg-shaped graphs without NLP: copies of a real build with per-document IRIs renamed.

The template is the graph ipkg builds from ``seeds/`` (a few thousand triples, every class and
property the queries use). Copy ``i`` renames the IRIs minted per document (document, graph,
evidence, passage, event, position, quote, figure) with a ``-c{i}`` suffix, and sends each actor,
with probability one half, to one of ``copies // 4`` variants of it (same label), so the actor
population grows with the graph while a few actors stay in many events, as in the news. The
ontology graph is written once.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from rdflib import Dataset

ID = "https://w3id.org/ipkg/id/"
_PER_DOC = re.compile(r"<(" + re.escape(ID) + r"(?:document|graph|evidence|passage|event|position|quote|figure)/[^>]*)>")
_ACTOR = re.compile(r"<(" + re.escape(ID) + r"actor/[^>]*)>")
ONTOLOGY_GRAPH = f"<{ID}graph/ontology>"


def template_nquads(seeds: Path) -> tuple[list[str], list[str]]:
    """The seeds' graph as N-Quads lines: (per-document lines, ontology-graph lines)."""
    from ipkg.workflow import build_graph

    ds, _ = build_graph([seeds])
    return split_nquads(ds)


def split_nquads(ds: Dataset) -> tuple[list[str], list[str]]:
    lines = [ln for ln in ds.serialize(format="nquads").splitlines() if ln.strip()]
    onto = [ln for ln in lines if ln.endswith(f"{ONTOLOGY_GRAPH} .")]
    docs = [ln for ln in lines if not ln.endswith(f"{ONTOLOGY_GRAPH} .")]
    return docs, onto


def write_graph(path: Path, triples: int, template: tuple[list[str], list[str]], seed: int = 0) -> int:
    """Write about ``triples`` quads to ``path`` (N-Quads); returns the number written."""
    docs, onto = template
    copies = max(1, round((triples - len(onto)) / len(docs)))
    rng = random.Random(seed)
    actors = sorted({m.group(1) for ln in docs for m in _ACTOR.finditer(ln)})
    variants = max(1, copies // 4)
    n = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join(onto) + "\n")
        n += len(onto)
        for i in range(copies):
            amap = {a: (a if rng.random() < 0.5 else f"{a}-v{rng.randrange(variants)}") for a in actors}
            suffix = f"-c{i}"
            text = "\n".join(docs)
            text = _PER_DOC.sub(lambda m: f"<{m.group(1)}{suffix}>", text)
            text = _ACTOR.sub(lambda m: f"<{amap[m.group(1)]}>", text)
            out.write(text + "\n")
            n += len(docs)
    return n
