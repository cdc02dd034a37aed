"""The whole build: files -> Docs -> facts -> RDF -> TriG, explorer page and SHACL report."""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset
from spacy.language import Language

from .analysis.project import paused_gc
from .analysis.rowcache import preload_rows
from .errors import Errors, IpkgError, Warnings
from .facts import DocumentFacts, doc_to_facts, merge_parts, resolve
from .facts.cache import CACHE_DIR, FactsCache, pipeline_fingerprint
from .facts.resolve import Resolution
from .facts.state import ResolutionState, state_fingerprint
from .ingest.readers import MAX_BYTES, PART_CHARS, Problem, TextRecord, split_record
from .ingest.scan import INPUTS_MANIFEST, ScannedRecord, scan_records
from .kg.build import bind_namespaces, facts_to_nquads, namespaces, new_dataset
from .kg.chunks import GraphChunks, chunks_fingerprint
from .kg.io import drop_preloaded, save_quads, trig_prefixes
from .kg.quads import NQuads, quads_to_dataset
from .kg.shaclcache import SHACL_CACHE, cached_validate
from .nlp.pipeline import build_nlp, process
from .progress import Progress
from .resources import load_event_kinds, load_gazetteer
from .store import STORE_DIR, OxigraphStore, Store, update_store, write_store
from .store.oxigraph import Checkpoint, prepare_update, union_size
from .viz.explorer import PAGE_CACHE, preload_page, write_explorer

__all__ = ["BuildSummary", "build", "build_graph", "extract_facts", "push"]

PROJECTION_CACHE = "projection.rows"
"""The explorer's projection rows, kept in the cache folder (see :mod:`ipkg.analysis.rowcache`)."""
TRIG_INDEX = "trig.json"
"""Where each graph's block is in graph.trig, kept in the cache folder (see :func:`ipkg.kg.io.save_quads`)."""

PARALLEL_MIN_CHARS = 400_000
"""Less text than this is processed in one process: starting a second one would cost more than it saves."""
CHUNK_CHARS = 60_000
"""Records are handed to the NLP processes in chunks of about this many characters."""


@dataclass
class BuildSummary:
    """What a build produced."""

    documents: int = 0
    processed: int = 0
    from_cache: int | None = None
    sentences: int = 0
    actors: int = 0
    events: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    violations: int = 0
    graph_path: str = ""
    html_path: str = ""
    store_path: str = ""
    pushed_to: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many inputs could not be read (problems of level ``error``)."""
        return sum(p.level == "error" for p in self.problems)

    def render(self) -> str:
        lines = [
            f"documents   {self.documents}" + (f" ({self.processed} processed, {self.from_cache} from cache)" if self.from_cache is not None else ""),
            f"sentences   {self.sentences}",
            f"actors      {self.actors}",
            f"events      {self.events}",
        ]
        lines += [f"  {k:<18}{v}" for k, v in sorted(self.events_by_type.items())]
        lines += [f"triples     {self.triples}", f"SHACL violations {self.violations}"]
        if self.problems:
            warned = len(self.problems) - self.failed
            lines.append(f"inputs not read {self.failed}, warnings {warned} (listed on stderr)")
        lines += [f"wrote {p}" for p in (self.graph_path, self.store_path, self.html_path) if p]
        if self.pushed_to:
            lines.append(f"pushed to {self.pushed_to}")
        return "\n".join(lines)


_WORKER_NLP: Language | None = None


def _extract_chunk(records: list[TextRecord]) -> list[DocumentFacts]:
    assert _WORKER_NLP is not None
    return [doc_to_facts(doc, record) for record, doc in process(_WORKER_NLP, records)]


class PipelineAhead:
    """A forked process that builds the pipeline from the start of a build, then processes the few
    documents an update has to (:meth:`extract`), while this process goes on with the build's own
    work. Building the pipeline takes 0.6-0.7 s, which an update of a large build may spend reading
    its inputs and preparing its caches and store on the other core. :meth:`close` ends the process.

    Examples
    --------
    >>> from ipkg.ingest import TextRecord
    >>> ahead = PipelineAhead(None, None)
    >>> r = TextRecord("a", "a.txt", "Iran was the first country to recognize Pakistan in 1947.")
    >>> [f.events[0].kind for f in ahead.extract([r], lambda: None)]
    ['recognition']
    >>> ahead.close()
    """

    def __init__(self, config: str | Path | None, model: str | None) -> None:
        self._conn, child = multiprocessing.get_context("fork").Pipe()
        self._process = multiprocessing.get_context("fork").Process(target=_pipeline_ahead, args=(child, config, model), daemon=True)
        self._process.start()
        child.close()

    def extract(self, records: list[TextRecord], meanwhile: Callable[[], None]) -> list[DocumentFacts]:
        """The facts of ``records``, made in the other process while this one runs ``meanwhile()``;
        an error there is raised here."""
        try:
            self._conn.send(records)
        except BrokenPipeError:
            raise self._ended() from None
        meanwhile()
        try:
            ok, value = self._conn.recv()
        except EOFError:
            raise self._ended() from None
        if not ok:
            raise value
        return value

    def _ended(self) -> IpkgError:
        self._process.join()
        return IpkgError(Errors.E003.format(path="the pipeline's process", reason=f"it ended with exit code {self._process.exitcode}"))

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()


def _pipeline_ahead(conn: Any, config: str | Path | None, model: str | None) -> None:
    """:class:`PipelineAhead`'s process: build the pipeline, then process the records sent, once."""
    nlp: Language | None = None
    error: BaseException | None = None
    try:
        nlp = build_nlp(config, model)
    except Exception as exc:  # sent to the build, which raises it
        error = exc
    records = conn.recv()
    try:
        if error is not None:
            raise error
        assert nlp is not None
        answer: tuple[bool, Any] = (True, [doc_to_facts(doc, record) for record, doc in process(nlp, records)])
    except Exception as exc:
        answer = (False, exc)
    try:
        conn.send(answer)
    except Exception as exc:  # an error that cannot be pickled
        conn.send((False, IpkgError(str(exc))))


def _chunks(records: list[TextRecord], size: int) -> Iterator[list[TextRecord]]:
    chunk: list[TextRecord] = []
    chars = 0
    for r in records:
        chunk.append(r)
        chars += len(r.text)
        if chars >= size:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def default_jobs(records: list[TextRecord]) -> int:
    """How many processes :func:`extract_facts` uses by default: one for little text, else one per core, at most two.

    Examples
    --------
    >>> default_jobs([])
    1
    """
    if sum(len(r.text) for r in records) < PARALLEL_MIN_CHARS or not hasattr(os, "fork"):
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def extract_facts(nlp: Language, records: list[TextRecord], *, jobs: int | None = None, chunk_chars: int = CHUNK_CHARS) -> Iterator[DocumentFacts]:
    """Run the pipeline over ``records`` and yield the facts of each, in order.

    With ``jobs`` > 1 the records go in chunks to that many forked processes, each with a copy
    of ``nlp``; only their facts come back. The facts are the same either way.

    Parameters
    ----------
    nlp : spacy.language.Language
        A pipeline built by :func:`ipkg.nlp.build_nlp`.
    records : list of TextRecord
        Texts (or parts of texts) to process.
    jobs : int, optional
        Number of processes; :func:`default_jobs` by default. Forking is needed: where the
        platform has none, one process is used.
    chunk_chars : int
        Records go to the processes in chunks of about this many characters.

    Examples
    --------
    >>> from ipkg.ingest import TextRecord
    >>> from ipkg.nlp import build_nlp
    >>> r = TextRecord("a", "a.txt", "Iran was the first country to recognize Pakistan in 1947.")
    >>> [f.events[0].kind for f in extract_facts(build_nlp(), [r], jobs=1)]
    ['recognition']
    """
    global _WORKER_NLP
    jobs = default_jobs(records) if jobs is None else jobs
    chunks = list(_chunks(records, chunk_chars))
    if jobs <= 1 or len(chunks) < 2 or not hasattr(os, "fork"):
        for record, doc in process(nlp, records):
            yield doc_to_facts(doc, record)
        return
    _WORKER_NLP = nlp
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(chunks))) as pool:
            for facts in pool.imap(_extract_chunk, chunks):
                yield from facts
    finally:
        _WORKER_NLP = None


def _read_inputs(
    paths: Iterable[str | Path],
    problems: list[Problem],
    *,
    config: str | Path | None,
    model: str | None,
    max_bytes: int,
    part_chars: int,
    cache: str | Path | None,
    rebuild: bool,
) -> list[ScannedRecord]:
    """The documents under ``paths`` with their cache keys (see :func:`ipkg.ingest.scan.scan_records`),
    each file opened only if its stat changed since the last build with this ``cache``; then a
    warning for each text processed in parts.
    """
    paths = list(paths)
    fingerprint = None
    if cache is not None:
        try:
            fingerprint = pipeline_fingerprint(config, model, part_chars)
        except IpkgError:
            scan_records(paths, problems, max_bytes=max_bytes)  # the input's problems are reported before the pipeline's
            raise
    records = scan_records(
        paths, problems, max_bytes=max_bytes, part_chars=part_chars, fingerprint=fingerprint,
        manifest=Path(cache) / INPUTS_MANIFEST if cache is not None else None, rebuild=rebuild,
    )
    for r in records:
        if r.parts > 1:
            problems.append(Problem(r.path, Warnings.W005.format(length=r.length, line=r.line, parts=r.parts, size=part_chars), "warning"))
    return records


def _build(
    paths: Iterable[str | Path],
    *,
    config: str | Path | None = None,
    model: str | None = None,
    progress: bool = False,
    nlp: Language | None = None,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
    part_chars: int = PART_CHARS,
    cache: str | Path | None = None,
    rebuild: bool = False,
    jobs: int | None = None,
    chunks: GraphChunks | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[NQuads, BuildSummary, Callable[[], None] | None]:
    """What :func:`build_graph` and :func:`build` share: the graph as N-Quads text (see
    :class:`ipkg.kg.quads.NQuads`), which takes a fraction of the time and memory of an rdflib
    dataset. The summary's ``triples`` is left to the caller, and so is keeping the resolution for
    the next build: the third value does it (None when there is nothing to keep), and the caller
    may run it beside other work (it leaves Python's lock while SQLite writes). ``meanwhile``: work
    of the caller's that a forked process building the pipeline leaves time for (see
    :class:`PipelineAhead`); given, the process is started at once, and used if few documents changed."""
    problems = [] if problems is None else problems
    # an update: the pipeline is built in another process from the start, in case a document changed
    ahead = PipelineAhead(config, model) if meanwhile is not None and nlp is None and hasattr(os, "fork") else None
    try:
        records = _read_inputs(paths, problems, config=config, model=model, max_bytes=max_bytes, part_chars=part_chars, cache=cache, rebuild=rebuild)
        store = FactsCache(cache) if cache is not None else None
        keys = {r.doc_id: r.key for r in records} if store is not None else {}
        state = ResolutionState(cache, state_fingerprint(pipeline_fingerprint(config, model, part_chars))) if cache is not None and chunks is not None else None
        known = state.keys() if state is not None and not rebuild else {}
        cached: dict[str, DocumentFacts] = {}
        parts: list[TextRecord] = []
        for record in records:
            if known.get(record.doc_id) == keys.get(record.doc_id):
                continue  # unchanged since the last build: its facts are read only if resolution needs them
            hit = store.get(keys[record.doc_id]) if store is not None and not rebuild else None
            if hit is not None and hit.doc_id == record.doc_id:
                cached[record.doc_id] = hit
            else:
                parts.extend(_parts(record, part_chars, keys if store is not None else None))
        done = _extract(parts, nlp, config, model, store, keys, progress, jobs, meanwhile, ahead)
    finally:
        if ahead is not None:
            ahead.close()

    def load(doc_id: str) -> DocumentFacts | None:
        hit = done.get(doc_id) or cached.get(doc_id)
        if hit is None and store is not None:
            hit = store.get(keys[doc_id])
            hit = cached[doc_id] = hit if hit is not None and hit.doc_id == doc_id else None
        return hit

    kinds = load_event_kinds()
    update = state.update({r.doc_id: keys[r.doc_id] for r in records}, load) if state is not None and known else None
    signatures: dict[str, str] = {}
    if update is not None:
        try:
            quads = facts_to_nquads(update.resolved, chunks=chunks, keys=keys, kept=update.kept, signatures=signatures)
        except KeyError:  # a graph kept is not in the chunks (they were lost or damaged): everything is written
            update = None
    persist: Callable[[], None] | None = None
    if update is not None:
        persist = functools.partial(state.commit, signatures)  # type: ignore[union-attr]
        summary = BuildSummary(
            documents=len(records),
            processed=len(done),
            from_cache=len(records) - len(done),
            sentences=update.sentences,
            actors=update.actors,
            events=update.events,
            events_by_type=dict(Counter({f"{k} ({kinds[k].cameo})": n for k, n in update.events_by_kind.items()})),
            problems=problems,
        )
    else:
        missing = [r for r in records if load(r.doc_id) is None]  # unchanged, but their facts could not be read
        if missing:
            done.update(_extract([p for r in missing for p in _parts(r, part_chars, keys if store is not None else None)], nlp, config, model, store, keys, progress, jobs))
        docs = [load(r.doc_id) for r in records]
        working: list[Resolution] = []
        resolved = resolve(docs, working=working)  # type: ignore[arg-type]
        signatures.clear()
        quads = facts_to_nquads(resolved, chunks=chunks, keys=keys, signatures=signatures)
        if state is not None:
            persist = functools.partial(state.write, docs, working[0], resolved, keys, signatures)  # type: ignore[arg-type]
        summary = BuildSummary(
            documents=len(docs),
            processed=len(done),
            from_cache=len(docs) - len(done) if store is not None else None,
            sentences=sum(d.sentences for d in docs),  # type: ignore[union-attr]
            actors=len(resolved.actors),
            events=len(resolved.events),
            events_by_type=dict(Counter(f"{e.kind} ({kinds[e.kind].cameo})" for e in resolved.events)),
            problems=problems,
        )
    if store is not None:
        if update is not None:  # the entries the last build used, less those still used (no listing of 10^4 entries)
            store.discard(set(known.values()) - set(keys.values()))
        else:
            store.prune(keep=set(keys.values()))
    return quads, summary, _closing(state, persist) if state is not None else None


def _parts(record: ScannedRecord, part_chars: int, keys: dict[str, str] | None) -> list[TextRecord]:
    """``record`` read (if the scan did not) and cut in parts; its key in ``keys`` is that of what was
    read (it differs if the file no longer reads as its stat promised)."""
    parts = split_record(record.load(), part_chars)
    if keys is not None:
        keys[record.doc_id] = record.key
    return parts


def _extract(
    parts: list[TextRecord],
    nlp: Language | None,
    config: str | Path | None,
    model: str | None,
    store: FactsCache | None,
    keys: Mapping[str, str],
    progress: bool,
    jobs: int | None,
    meanwhile: Callable[[], None] | None = None,
    ahead: PipelineAhead | None = None,
) -> dict[str, DocumentFacts]:
    """The facts of the documents ``parts`` make up (by id), each kept in ``store`` as it is done.

    With ``ahead`` and ``meanwhile`` and little text (less than :data:`PARALLEL_MIN_CHARS`), the
    text goes to ``ahead``'s process while this one runs ``meanwhile()``."""
    found: Iterable[DocumentFacts] = ()
    if parts and ahead is not None and meanwhile is not None and (jobs is None or jobs <= 1) and default_jobs(parts) == 1:
        found = ahead.extract(parts, meanwhile)
    elif parts:
        if nlp is None:
            nlp = build_nlp(config, model)
        found = extract_facts(nlp, parts, jobs=jobs)
    expected = Counter(part.doc_id for part in parts)
    pending: dict[str, list[DocumentFacts]] = {}
    done: dict[str, DocumentFacts] = {}
    bar = Progress(len(parts), sys.stderr) if progress and parts else None
    for i, facts in enumerate(found, start=1):
        pending.setdefault(facts.doc_id, []).append(facts)
        if len(pending[facts.doc_id]) == expected[facts.doc_id]:
            doc = done[facts.doc_id] = merge_parts(pending.pop(facts.doc_id))
            if store is not None:
                store.put(keys[doc.doc_id], doc)  # at once: an interrupted build keeps what it did
        if bar is not None:
            bar.update(i, facts.doc_id)
    if bar is not None:
        bar.close()
    return done


def _closing(state: ResolutionState, persist: Callable[[], None] | None) -> Callable[[], None]:
    """``persist()``, then the state closed (whatever happened)."""

    def run() -> None:
        try:
            if persist is not None:
                persist()
        finally:
            state.close()

    return run


@paused_gc()  # no cycles to collect (checked on the NLP pass), and at 10^4 documents 6 s saved
def build_graph(
    paths: Iterable[str | Path],
    *,
    config: str | Path | None = None,
    model: str | None = None,
    progress: bool = False,
    nlp: Language | None = None,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
    part_chars: int = PART_CHARS,
    cache: str | Path | None = None,
    rebuild: bool = False,
    jobs: int | None = None,
) -> tuple[Dataset, BuildSummary]:
    """Build the knowledge graph of the documents under ``paths`` in memory, as an rdflib dataset.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders.
    config, model
        See :func:`ipkg.nlp.build_nlp`; ignored when ``nlp`` is given.
    nlp : spacy.language.Language, optional
        A pipeline already built by :func:`ipkg.nlp.build_nlp`.
    problems : list of Problem, optional
        Receives the problems as they are found (so a caller still has them if the build then
        fails); ``summary.problems`` is this list.
    max_bytes : int
        Files larger than this are refused.
    part_chars : int
        Longer texts are processed in parts of at most this many characters.
    cache : str or Path, optional
        A folder of per-document facts (see :class:`ipkg.facts.cache.FactsCache`): documents
        whose text, metadata and pipeline are unchanged are taken from it instead of being
        processed; the facts of the others are added to it, and entries no document used are
        deleted. Resolution and RDF are redone for all documents. With ``nlp`` given, the
        caller vouches that it was built from ``config`` and ``model``.
    rebuild : bool
        Process every document even if the cache holds it (and refresh the cache).
    jobs : int, optional
        Processes for the NLP pass (see :func:`extract_facts`); by default both cores of a
        two-core machine once there is enough text to pay for starting them.

    Raises
    ------
    IpkgError
        If no document could be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Iran was the first country to recognize Pakistan in 1947.")
    >>> _ = (folder / "b.txt").write_bytes(bytes(range(256)))
    >>> ds, summary = build_graph([folder])
    >>> summary.documents, summary.events, summary.failed
    (1, 1, 1)
    >>> summary.problems[0].reason
    'binary file (NUL bytes), not text'
    >>> len(ds) == summary.triples
    True
    """
    quads, summary, _ = _build(
        paths, config=config, model=model, progress=progress, nlp=nlp, problems=problems, max_bytes=max_bytes,
        part_chars=part_chars, cache=cache, rebuild=rebuild, jobs=jobs,
    )
    ds = quads_to_dataset(quads, bind_namespaces(new_dataset()))
    summary.triples = len(ds)
    return ds, summary


@paused_gc()
def build(
    paths: Iterable[str | Path],
    out: str | Path = "out",
    *,
    config: str | Path | None = None,
    model: str | None = None,
    progress: bool = False,
    embedded: bool = True,
    remote: Store | None = None,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
    cache: bool = True,
    rebuild: bool = False,
    jobs: int | None = None,
) -> BuildSummary:
    """Build, write ``out/graph.trig``, the Oxigraph store ``out/oxigraph`` and ``out/graph.html``, and validate with SHACL.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders of .txt/.md documents.
    out : str or Path
        Output folder.
    config, model
        See :func:`ipkg.nlp.build_nlp`.
    embedded : bool
        Write the Oxigraph store (``ipkg query`` and ``ipkg serve`` use it when present).
    remote : Store, optional
        Also load the graph into this store, e.g. a :class:`~ipkg.store.RemoteStore`.
    problems : list of Problem, optional
        Receives every input that was skipped or read with a change (also in
        ``summary.problems``).
    max_bytes : int
        Files larger than this are refused.
    cache : bool
        Keep the facts of each document in ``out/cache`` and take unchanged documents from
        there instead of processing them again (see :func:`build_graph`). The output is the
        same bytes either way.
    rebuild : bool
        Process every document even if ``out/cache`` holds it, refresh the cache, and write the
        store, the graphs' RDF and graph.trig whole (otherwise only the named graphs that changed
        are rewritten, see :func:`ipkg.store.update_store`, :mod:`ipkg.kg.chunks` and
        :func:`ipkg.kg.io.save_quads`).
    jobs : int, optional
        Processes for the NLP pass (see :func:`extract_facts`).

    Returns
    -------
    BuildSummary
    """
    out = Path(out)
    folder = out / STORE_DIR
    ns = namespaces()
    chunks = GraphChunks(out / CACHE_DIR, chunks_fingerprint(ns), reuse=not rebuild) if cache else None
    prepared: list[Checkpoint] = []
    try:
        quads, summary, persist = _build(
            paths,
            config=config,
            model=model,
            progress=progress,
            problems=problems,
            max_bytes=max_bytes,
            cache=out / CACHE_DIR if cache else None,
            rebuild=rebuild,
            jobs=jobs,
            chunks=chunks,
            # an update of a build: its store copied and opened while another process builds the pipeline
            meanwhile=functools.partial(_prepare, folder, out / CACHE_DIR, prepared) if cache and embedded and not rebuild and folder.is_symlink() else None,
        )
    except BaseException:
        drop_preloaded()
        for checkpoint in prepared:
            checkpoint.discard()
        raise
    if rebuild:
        (out / CACHE_DIR / TRIG_INDEX).unlink(missing_ok=True)  # graph.trig written whole, its blocks not taken on trust
    prefixes = Concurrent(trig_prefixes, ns, quads.iris)  # once, for graph.trig and the chunks
    write_trig = functools.partial(Concurrent, lambda: save_quads(quads, out, ns, out / CACHE_DIR / TRIG_INDEX if cache else None, prefixes.result()))
    # beside Oxigraph's loader, which leaves Python's lock; after a patch, which is mostly the disk's
    # work (at 10^4 documents graph.trig, 84 MB copied and flushed, had the patch wait 0.2 s)
    trig = write_trig() if not prepared else None
    kept = Concurrent(lambda: chunks.save(dict(prefixes.result()))) if chunks is not None else None
    resolution = Concurrent(persist) if persist is not None else None
    try:
        if embedded:
            if rebuild:
                write_store([quads], folder)
            else:
                update_store(quads, folder, prepared[0] if prepared else None)
            summary.store_path = str(folder)
            view = OxigraphStore(folder, read_only=True)
        else:
            view = OxigraphStore()
            view.load_quads(quads)
        if trig is None:
            trig = write_trig()
        # SHACL reads the store while graph.trig is finished, and beside the explorer: Oxigraph answers side by side
        shacl = Concurrent(cached_validate, view, out / CACHE_DIR / SHACL_CACHE if cache and embedded else None)
        if remote is not None:
            remote.load(quads_to_dataset(quads, new_dataset()))
            summary.pushed_to = getattr(remote, "endpoint", remote.kind)
        counted = union_size(folder, key=quads.digests_key) if embedded and not rebuild else None
        summary.triples = counted if counted is not None else view.default_size()
        # the page is made while SHACL runs and graph.trig is written
        cached = cache and embedded
        summary.html_path = str(
            write_explorer(view, out / "graph.html", rows=out / CACHE_DIR / PROJECTION_CACHE if cached else None, cache=out / CACHE_DIR / PAGE_CACHE if cached else None)
        )
    finally:
        drop_preloaded()  # what the page did not take
        try:
            if trig is None:  # the store failed
                trig = write_trig()
            summary.graph_path = str(trig.result())  # waited for whatever happened: no file left half-written
        finally:
            if kept is not None:
                kept.result()
            if resolution is not None:
                resolution.result()
    summary.violations = shacl.result().violations
    view.close()
    return summary


def _prepare(folder: Path, cache: Path, prepared: list[Checkpoint]) -> None:
    """What a build can do before it has its facts: read the gazetteer, which resolution needs (the
    pipeline read it in this process when it was built here), decode the explorer's caches in
    ``cache`` (:func:`ipkg.kg.io.preload`) and copy the store to patch (see
    :func:`ipkg.store.oxigraph.prepare_update`)."""
    load_gazetteer()
    load_event_kinds()
    preload_rows(cache / PROJECTION_CACHE)
    preload_page(cache / PAGE_CACHE)
    checkpoint = prepare_update(folder)
    if checkpoint is not None:
        prepared.append(checkpoint)


class Concurrent:
    """``fn(*args)`` run in a thread while the caller goes on; :meth:`result` waits for it.

    Worth it where ``fn`` spends its time outside Python's lock, as Oxigraph does.

    Examples
    --------
    >>> Concurrent(sum, [1, 2, 3]).result()
    6
    """

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._outcome: tuple[bool, Any] = (False, None)
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._outcome = (True, fn(*args))
        except BaseException as exc:  # raised by result() in the caller's thread
            self._outcome = (False, exc)

    def result(self) -> Any:
        """The value ``fn`` returned (or the exception it raised, raised here)."""
        self._thread.join()
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def push(graph: str | Path | Dataset, store: Store) -> int:
    """Load a built graph (a build folder, a TriG file or a dataset) into ``store``.

    Returns
    -------
    int
        The number of triples sent.

    Examples
    --------
    >>> from ipkg.kg import new_dataset
    >>> from ipkg.store import OxigraphStore
    >>> push(new_dataset(), OxigraphStore())
    0
    """
    from .kg.io import load_graph

    ds = graph if isinstance(graph, Dataset) else load_graph(graph)
    store.load(ds)
    return len(ds)
