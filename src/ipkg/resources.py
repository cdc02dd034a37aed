"""Locate and load the domain data under ``ontology/``: gazetteer, offices, event types, lexicons.

Everything the extractor knows about the world is read from these files; the code holds no facts.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from .errors import Errors, IpkgError

__all__ = [
    "ontology_dir",
    "update_with_files",
    "Gazetteer",
    "GazetteerEntry",
    "OfficeEntry",
    "EventKindEntry",
    "Trigger",
    "load_gazetteer",
    "load_event_kinds",
    "load_triggers",
    "load_nominals",
    "load_boilerplate",
    "load_speech_verbs",
    "load_figure_words",
    "read_turtle",
]

IPKG_NS = "https://w3id.org/ipkg/ontology#"
ACTOR_TYPES = (
    "Person",
    "State",
    "GovernmentBody",
    "MilitaryOrganization",
    "IntelligenceAgency",
    "ArmedGroup",
    "InternationalOrganization",
    "MediaOrganization",
    "Place",
    "Project",
    "Organization",
)



def update_with_files(h: hashlib._Hash, root: Path, paths: Iterable[Path]) -> hashlib._Hash:
    """Add to ``h`` the name (relative to ``root``) and SHA-256 of each file of ``paths``, in name
    order (folders and ``__pycache__`` passed over): the part of a cache's fingerprint that says
    which code or data made it. Returns ``h``.

    Examples
    --------
    >>> here = Path(__file__).parent
    >>> a = update_with_files(hashlib.sha256(), here, [here / "resources.py"]).hexdigest()
    >>> a == update_with_files(hashlib.sha256(), here, [here / "resources.py", here]).hexdigest()
    True
    """
    for p in sorted(paths):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h

def ontology_dir() -> Path:
    """Return the folder that holds ``ipkg.ttl`` and the gazetteer.

    ``IPKG_ONTOLOGY`` overrides the default, which is the ``ontology/`` folder of the source tree.

    Raises
    ------
    IpkgError
        If the folder does not exist.
    """
    env = os.environ.get("IPKG_ONTOLOGY")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "ontology"
    if not (path / "ipkg.ttl").is_file():
        raise IpkgError(Errors.E001.format(path=path))
    return path


def _ipkg(name: str) -> URIRef:
    return URIRef(IPKG_NS + name)


@dataclass(frozen=True)
class GazetteerEntry:
    """One actor of the gazetteer."""

    iri: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    anaphoric: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital_of: str | None = None
    part_of: str | None = None
    nationality: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class OfficeEntry:
    """A kind of office (``is_rank`` False) or a rank/honorific (``is_rank`` True)."""

    iri: str
    label: str
    forms: tuple[str, ...]
    is_rank: bool


@dataclass
class Gazetteer:
    """Actors and offices, indexed for the NLP components."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    offices: dict[str, OfficeEntry] = field(default_factory=dict)

    def by_label(self) -> dict[str, str]:
        """Map every full label (preferred or alternative) to its actor IRI."""
        out: dict[str, str] = {}
        for e in self.entries.values():
            for form in (e.label, *e.aliases):
                out.setdefault(form, e.iri)
        return out

    def demonyms(self) -> dict[str, str]:
        """Map a demonym ("Iranian") to its state IRI."""
        return {d: e.iri for e in self.entries.values() for d in e.demonyms}

    def anaphoric(self) -> dict[str, list[str]]:
        """Map a short form ("Sharif", "Senate") to the actors it may refer to."""
        out: dict[str, list[str]] = {}
        for e in self.entries.values():
            for form in e.anaphoric:
                out.setdefault(form, []).append(e.iri)
        return out


def read_turtle(*paths: Path) -> Graph:
    """The triples of the Turtle files ``paths`` (those that exist) in one rdflib graph, parsed by Oxigraph (a tenth of rdflib's time).

    Raises
    ------
    IpkgError
        If a file is not valid Turtle.

    Examples
    --------
    >>> len(read_turtle(ontology_dir() / "events.ttl")) > 0
    True
    """
    import pyoxigraph as ox

    from .kg.quads import _Memo, ox_to_rdflib

    conv = _Memo(ox_to_rdflib).__getitem__
    g = Graph()
    for path in paths:
        if not path.is_file():
            continue
        try:
            triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, OSError) as exc:
            raise IpkgError(Errors.E003.format(path=path, reason=exc)) from None
        g.addN((conv(t.subject), conv(t.predicate), conv(t.object), g) for t in triples)
    return g


def _labels(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal)))


def load_gazetteer(folder: str | None = None) -> Gazetteer:
    """Load ``actors.ttl`` and ``offices.ttl``.

    Parameters
    ----------
    folder : str, optional
        The ontology folder; defaults to :func:`ontology_dir`.

    Returns
    -------
    Gazetteer

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> gaz.by_label()["Pakistan"]
    'https://w3id.org/ipkg/id/actor/pakistan'
    """
    return _gazetteer(str((Path(folder) if folder else ontology_dir()).resolve()))


@lru_cache(maxsize=8)
def _gazetteer(folder: str) -> Gazetteer:
    base = Path(folder)
    g = read_turtle(base / "actors.ttl", base / "offices.ttl")
    gaz = Gazetteer()
    types = {_ipkg(t): t for t in ACTOR_TYPES}
    for s, o in g.subject_objects(RDF.type):
        if isinstance(o, URIRef) and o in types and isinstance(s, URIRef):
            label = g.value(s, SKOS.prefLabel)
            if label is None:
                continue
            wd = g.value(s, SKOS.exactMatch)

            def _obj(p: str, s: URIRef = s) -> str | None:
                v = g.value(s, _ipkg(p))
                return str(v) if v is not None else None

            gaz.entries[str(s)] = GazetteerEntry(
                iri=str(s),
                label=str(label),
                type=types[o],
                aliases=_labels(g, s, SKOS.altLabel),
                anaphoric=_labels(g, s, _ipkg("anaphoricLabel")),
                demonyms=_labels(g, s, _ipkg("demonym")),
                capital_of=_obj("capitalOf"),
                part_of=_obj("partOf"),
                nationality=_obj("nationality"),
                wikidata=str(wd) if wd is not None else None,
            )
        elif o in (_ipkg("Office"), _ipkg("Rank")) and isinstance(s, URIRef):
            label = g.value(s, SKOS.prefLabel)
            if label is None:
                continue
            forms = (str(label), *_labels(g, s, SKOS.altLabel))
            gaz.offices[str(s)] = OfficeEntry(str(s), str(label), forms, o == _ipkg("Rank"))
    return gaz


@dataclass(frozen=True)
class EventKindEntry:
    """An event kind with its CAMEO type, quad class and Goldstein score."""

    iri: str
    label: str
    category: str
    cameo_iri: str
    cameo: str
    goldstein: float
    quad_class: str


def load_event_kinds(folder: str | None = None) -> dict[str, EventKindEntry]:
    """Load ``events.ttl`` keyed by kind slug (``visit``, ``condemn``...).

    Examples
    --------
    >>> kinds = load_event_kinds()
    >>> kinds["visit"].cameo, kinds["visit"].category
    ('042', 'visit')
    """
    return _event_kinds(str((Path(folder) if folder else ontology_dir()).resolve()))


@lru_cache(maxsize=8)
def _event_kinds(folder: str) -> dict[str, EventKindEntry]:
    base = Path(folder)
    g = read_turtle(base / "events.ttl")
    out: dict[str, EventKindEntry] = {}
    for s in g.subjects(RDF.type, _ipkg("EventKind")):
        cameo = g.value(s, _ipkg("cameo"))
        slug = str(s).rsplit("/", 1)[-1]
        out[slug] = EventKindEntry(
            iri=str(s),
            label=str(g.value(s, SKOS.prefLabel)),
            category=str(g.value(s, _ipkg("category"))),
            cameo_iri=str(cameo),
            cameo=str(g.value(cameo, SKOS.notation)),
            goldstein=float(g.value(cameo, _ipkg("goldstein"))),  # type: ignore[arg-type]
            quad_class=str(g.value(cameo, _ipkg("quadClass"))),
        )
    return out


@dataclass(frozen=True)
class Trigger:
    """One line of the trigger lexicon."""

    kind: str
    frame: str
    pattern: str


FRAMES = ("svo", "reverse", "nominal", "pair", "claim")


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=8)
def load_triggers(folder: str | None = None) -> tuple[Trigger, ...]:
    """Load ``triggers.tsv``, checking kinds and frames.

    Raises
    ------
    IpkgError
        On an unknown kind or frame.
    """
    base = Path(folder) if folder else ontology_dir()
    kinds = load_event_kinds(str(base))
    out = []
    for i, row in enumerate(_read_tsv(base / "triggers.tsv"), start=1):
        if row["kind"] not in kinds or row["frame"] not in FRAMES or not row["pattern"]:
            raise IpkgError(Errors.E011.format(line=i, path=base / "triggers.tsv", reason=row))
        out.append(Trigger(row["kind"], row["frame"], row["pattern"].strip()))
    return tuple(out)


@lru_cache(maxsize=8)
def load_nominals(folder: str | None = None) -> dict[str, str]:
    """Load ``lexicon/nominals.tsv``: noun -> ``role`` or ``act``."""
    base = Path(folder) if folder else ontology_dir()
    return {r["word"]: r["class"] for r in _read_tsv(base / "lexicon" / "nominals.tsv")}


@lru_cache(maxsize=8)
def load_boilerplate(folder: str | None = None) -> tuple[re.Pattern[str], ...]:
    """Load ``lexicon/boilerplate.tsv`` as compiled whole-line regexes."""
    base = Path(folder) if folder else ontology_dir()
    out = []
    for r in _read_tsv(base / "lexicon" / "boilerplate.tsv"):
        body = r["pattern"] if r["kind"] == "line" else re.escape(r["pattern"]) + ".*"
        out.append(re.compile(r"\s*(?:" + body + r")\s*", re.IGNORECASE))
    return tuple(out)


@lru_cache(maxsize=8)
def load_speech_verbs(folder: str | None = None) -> frozenset[str]:
    """Load ``lexicon/speech.tsv``: verbs that introduce reported speech."""
    base = Path(folder) if folder else ontology_dir()
    return frozenset(r["word"] for r in _read_tsv(base / "lexicon" / "speech.tsv"))


@lru_cache(maxsize=8)
def load_figure_words(folder: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """Load ``lexicon/figures.tsv`` as ``(word, class, value)`` rows, in file order."""
    base = Path(folder) if folder else ontology_dir()
    return tuple((r["word"], r["class"], r["value"]) for r in _read_tsv(base / "lexicon" / "figures.tsv"))
