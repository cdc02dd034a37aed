"""Deterministic synthetic news corpora recombined from the seeds' sentences.

Nothing of the seeds is copied into this code: the sentences are read from ``seeds/*.txt`` at run
time, and every gazetteer label found in a sentence is replaced by the label of another actor of
the same type (a seeded RNG), so the pipeline meets realistic syntax with many more actors.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from ipkg.ingest.readers import parse_front_matter
from ipkg.resources import load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“A-Z0-9])")


def seed_sentences(folder: Path = SEEDS) -> list[str]:
    """The sentences of the seed texts (at least six words, headings left out)."""
    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        _, offset = parse_front_matter(raw, str(path))
        for line in raw[offset:].splitlines():
            for s in _SENTENCE_END.split(line.strip()):
                if len(s.split()) >= 6 and s[-1:] in '.!?"”':
                    out.append(s)
    return out


class Recombiner:
    """Sentences with their actors swapped for random actors of the same type."""

    def __init__(self, seed: int = 0, folder: Path = SEEDS) -> None:
        self.rng = random.Random(seed)
        gaz = load_gazetteer()
        self.by_type: dict[str, list[str]] = {}
        label_type: dict[str, str] = {}
        for e in gaz.entries.values():
            self.by_type.setdefault(e.type, []).append(e.label)
            label_type[e.label] = e.type
        self.label_type = label_type
        labels = sorted(label_type, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(map(re.escape, labels)) + r")\b")
        self.sentences = seed_sentences(folder)
        if not self.sentences:
            raise SystemExit(f"no sentences found in {folder}")

    def sentence(self) -> str:
        text = self.rng.choice(self.sentences)
        return self.pattern.sub(lambda m: self.rng.choice(self.by_type[self.label_type[m.group(1)]]), text)

    def document(self, n_sentences: int) -> str:
        sents = [self.sentence() for _ in range(n_sentences)]
        paras = []
        while sents:
            k = self.rng.randint(2, 4)
            paras.append(" ".join(sents[:k]))
            sents = sents[k:]
        return "\n\n".join(paras)


def write_corpus(folder: Path, n: int, seed: int = 0, sentences: tuple[int, int] = (12, 30), prefix: str = "doc") -> tuple[int, int]:
    """Write ``n`` documents with front matter (title, published date) to ``folder``, named ``PREFIX00000.txt`` on.

    Returns
    -------
    (int, int)
        Documents and words (whitespace-separated tokens of the bodies).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rec = Recombiner(seed)
    start = date(2015, 1, 1)
    words = 0
    for i in range(n):
        body = rec.document(rec.rng.randint(*sentences))
        title = rec.sentence().rstrip(".").replace('"', "")[:90]
        published = start + timedelta(days=rec.rng.randrange(4000))
        (folder / f"{prefix}{i:05d}.txt").write_text(f"---\ntitle: {title}\npublished: {published.isoformat()}\n---\n{body}\n", encoding="utf-8")
        words += len(body.split())
    return n, words
