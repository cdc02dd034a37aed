"""Resolution kept between builds, so that adding, changing or removing a few documents redoes it
for what they touch instead of for the whole corpus.

:func:`ipkg.facts.resolve` names every unknown actor and labels every new one after its first
reference, and clusters each group of event mentions (same kind, same participants) by date. A
:class:`ResolutionState` keeps its working in an SQLite file beside the facts cache: per document
its facts key, the first reference it makes to each name and actor, and its mentions' groups; per
name and per actor the documents that refer to it; per group its mentions and its events. An
update then redoes the names, actors and groups that the changed documents refer to (before or
after the change), and the groups coupled to those ("A and B attacked C" and each attacker's own
group); denials, few, are redone across the corpus. It returns what must be written again: the
changed documents and every other document one of whose events changed, with their facts, and the
graphs of all others, which stay as they were.

Where the outcome would depend on more than that, the update declines and the caller resolves the
whole corpus: an unknown actor's IRI or an actor's label would change for documents that did not
change (a new first reference to a name that others use), one group would hold two events of one
IRI, or many documents changed. The result is then the same either way, which the tests check by
comparing the two on random changes.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import DocumentFacts
from .resolve import Cluster, Context, GroupKey, Item, Resolution, Resolved, ResolvedActor, ResolvedEvent, clusters, effective, moves, registrations, singles_of

__all__ = ["STATE_FILE", "ResolutionState", "Update", "state_fingerprint"]

STATE_FILE = "resolution.sqlite"
FORMAT = 1
MAX_CHANGED = 0.05
"""An update declines when more than this share of the documents changed (and more than 50):
resolving them all is then about as fast."""



_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = ("facts/resolve.py", "facts/state.py")


def state_fingerprint(facts: str) -> str:
    """A digest of the facts cache's fingerprint (:func:`ipkg.facts.cache.pipeline_fingerprint`,
    which covers the gazetteer and event kinds) and of the resolution code.

    Examples
    --------
    >>> state_fingerprint("a") == state_fingerprint("a") != state_fingerprint("b")
    True
    """
    from ..resources import update_with_files

    h = hashlib.sha256(f"ipkg-resolution-state {FORMAT} {facts}\0".encode())
    return update_with_files(h, _PACKAGE, [_PACKAGE / name for name in _CODE]).hexdigest()


class _Plain(pickle.Unpickler):
    """Builds plain data (tuples, lists, dicts, sets, strings, numbers) and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: the resolution state holds plain data only")


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=5)


def _load(blob: bytes) -> Any:
    return _Plain(io.BytesIO(blob)).load()


@dataclass
class Update:
    """What :meth:`ResolutionState.update` found: the resolution of the documents whose graphs must
    be written again, and the graphs of the others, kept as they were."""

    resolved: Resolved
    """Its ``documents`` are those to write; ``actors`` holds every actor of the corpus (each with the
    names those documents used), ``events`` every event one of them mentions."""
    kept: dict[str, str]
    """Document id -> the signature its graph was written under, for the documents not to write."""
    actors: int
    events: int
    events_by_kind: Counter[str]
    sentences: int


@dataclass
class _Doc:
    key: str
    sentences: int
    signature: str
    names: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    actors: dict[str, tuple[int, int, str, str]] = field(default_factory=dict)
    items: list[tuple[GroupKey, Item]] = field(default_factory=list)
    denials: list[tuple[int, int]] = field(default_factory=list)

    def row(self, doc_id: str) -> tuple[str, str, int, str, bytes]:
        return (doc_id, self.key, self.sentences, self.signature, _dump((self.names, self.actors, self.items, self.denials)))


def _firsts(d: DocumentFacts, ctx: Context, iri_of: Callable[[tuple[str, str] | None, str], str]) -> tuple[dict[str, tuple[int, int, str]], dict[str, tuple[int, int, str, str]], list[list[str]]]:
    """Per name and per actor, the first reference ``d`` makes to it: (phase, position, label[, type]);
    and the IRI of each reference, per phase."""
    names: dict[str, tuple[int, int, str]] = {}
    actors: dict[str, tuple[int, int, str, str]] = {}
    iris: list[list[str]] = []
    pos = 0
    for phase, refs in enumerate(registrations(d)):
        mine = []
        for ref, doc_id in refs:
            named = ctx.name_of(ref, doc_id)
            if named is not None and named[0] not in names:
                names[named[0]] = (phase, pos, named[1])
            iri = iri_of(named, ref.key)
            mine.append(iri)
            if iri not in actors:
                actors[iri] = (phase, pos, ref.label, ref.type)
            pos += 1
        iris.append(mine)
    return names, actors, iris


def _firsts_of(refs: list[list[tuple[Any, str]]], named: list[list[tuple[str, str] | None]], iris: list[list[str]]) -> tuple[dict[str, tuple[int, int, str]], dict[str, tuple[int, int, str, str]]]:
    """:func:`_firsts` of a document already resolved (its references, their names and IRIs)."""
    names: dict[str, tuple[int, int, str]] = {}
    actors: dict[str, tuple[int, int, str, str]] = {}
    pos = 0
    for phase, (phase_refs, phase_named, phase_iris) in enumerate(zip(refs, named, iris)):
        for (ref, _), n, iri in zip(phase_refs, phase_named, phase_iris):
            if n is not None and n[0] not in names:
                names[n[0]] = (phase, pos, n[1])
            if iri not in actors:
                actors[iri] = (phase, pos, ref.label, ref.type)
            pos += 1
    return names, actors


def _denials(d: DocumentFacts) -> list[tuple[int, int]]:
    return [(i, ev.denies) for i, ev in enumerate(d.events) if ev.denies is not None]


class ResolutionState:
    """The resolution of the last build, kept in ``folder``/``resolution.sqlite``.

    Parameters
    ----------
    folder : str or Path
        A build's cache folder.
    fingerprint : str
        What resolution depends on besides the facts (code, gazetteer, event kinds): a state kept
        under another is not used.

    Examples
    --------
    >>> import tempfile
    >>> from ipkg.facts import resolve
    >>> from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence
    >>> iran = ActorRef("https://w3id.org/ipkg/id/actor/iran", "Iran", "State", "Iran")
    >>> pak = ActorRef("https://w3id.org/ipkg/id/actor/pakistan", "Pakistan", "State", "Pakistan")
    >>> def doc(d, date):
    ...     return DocumentFacts(d, d, actors=[iran, pak], events=[EventFact("recognition", (iran,), (pak,), Evidence(d, "s", 0, 1), date=date)])
    >>> folder = tempfile.mkdtemp()
    >>> docs = [doc("a", "1947"), doc("b", "1947")]
    >>> working = []
    >>> r = resolve(docs, working=working)
    >>> ResolutionState(folder, "f").write(docs, working[0], r, {"a": "ka", "b": "kb"}, {"a": "sa", "b": "sb"})
    >>> state = ResolutionState(folder, "f")
    >>> u = state.update({"a": "ka", "b": "kb", "c": "kc"}, {"c": doc("c", "1948")}.get)
    >>> [d.doc_id for d in u.resolved.documents], u.kept, u.events
    (['c'], {'a': 'sa', 'b': 'sb'}, 2)
    >>> state.commit({"c": "sc"})
    """

    def __init__(self, folder: str | Path, fingerprint: str) -> None:
        self.path = Path(folder) / STATE_FILE
        self.fingerprint = fingerprint
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, list[tuple[Any, ...]]]] = []
        self._meta: dict[str, Any] = {}

    # -- a whole build ---------------------------------------------------------------------

    def write(self, docs: list[DocumentFacts], work: Resolution, resolved: Resolved, keys: Mapping[str, str], signatures: Mapping[str, str], context: Context | None = None) -> None:
        """Keep the resolution of a whole corpus (``docs``, their facts ``keys`` and their graphs'
        ``signatures``), written to a new file that then takes the old one's place. A failure to
        write leaves no state: the next build resolves the whole corpus again."""
        ctx = context or Context()
        name_iri = {n: ctx.actor_iri(n, label) for n, label in work.names.items()}
        doc_rows = []
        names: dict[str, tuple[str, tuple[int, int, str], int]] = {}  # name -> first document, its reference, documents
        actors: dict[str, tuple[str, tuple[int, int, str, str], int]] = {}
        seqs: dict[GroupKey, list[int]] = {}
        for d, items, refs, named, iris in zip(docs, work.items, work.refs, work.named, work.iris):
            mine_names, mine_actors = _firsts_of(refs, named, iris)
            for n, first in mine_names.items():
                head = names.get(n)
                names[n] = (d.doc_id, first, 1) if head is None else (*head[:2], head[2] + 1) if head[1][0] <= first[0] else (d.doc_id, first, head[2] + 1)
            for a, afirst in mine_actors.items():
                ahead = actors.get(a)
                actors[a] = (d.doc_id, afirst, 1) if ahead is None else (*ahead[:2], ahead[2] + 1) if ahead[1][0] <= afirst[0] else (d.doc_id, afirst, ahead[2] + 1)
            for seq, (key, _) in enumerate(items):
                seqs.setdefault(key, []).append(seq)
            doc_rows.append(_Doc(keys.get(d.doc_id, ""), d.sentences, signatures.get(d.doc_id, ""), mine_names, mine_actors, items, _denials(d)).row(d.doc_id))
        multis: dict[GroupKey, list[GroupKey]] = {}
        for key in work.base:
            for single in singles_of(key):
                multis.setdefault(single, []).append(key)
        meta = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "kinds": dict(Counter(c[1] for cs in work.clusters.values() for c in cs)),
            "denies": {(repr(k), i): iri for (k, i), iri in work.denies.items()},
            "denying": [d.doc_id for d in docs if any(ev.denies is not None for ev in d.events)],
        }
        self.close()
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.unlink(missing_ok=True)
            db = sqlite3.connect(tmp)
            try:
                db.execute("PRAGMA journal_mode=OFF")  # a new file, put in place only once complete
                db.execute("PRAGMA synchronous=OFF")
                self._schema(db)
                db.executemany("INSERT INTO doc VALUES (?,?,?,?)", (r[:4] for r in doc_rows))
                db.executemany("INSERT INTO docv VALUES (?,?)", ((r[0], r[4]) for r in doc_rows))
                db.executemany("INSERT INTO name VALUES (?,?,?,?,?,?,?)", ((n, name_iri[n], d, *r, count) for n, (d, r, count) in names.items()))
                db.executemany("INSERT INTO actor VALUES (?,?,?,?,?,?,?,?,?,?)", ((a, *_head(resolved.actors[a]), d, *r, count) for a, (d, r, count) in actors.items()))
                db.executemany("INSERT INTO grp VALUES (?,?)", ((repr(k), _dump((v, seqs[k]))) for k, v in work.base.items()))
                db.executemany("INSERT INTO cl VALUES (?,?)", ((repr(k), _dump(v)) for k, v in work.clusters.items()))
                db.executemany("INSERT INTO multi VALUES (?,?)", ((repr(k), _dump(v)) for k, v in multis.items()))
                db.executemany("INSERT INTO meta VALUES (?,?)", ((k, _dump(v)) for k, v in meta.items()))
                db.commit()
            finally:
                db.close()
            for log in ("-wal", "-shm"):  # the old file's write-ahead log must not be applied to the new one
                self.path.with_name(self.path.name + log).unlink(missing_ok=True)
            os.replace(tmp, self.path)
        except (OSError, sqlite3.Error):
            tmp.unlink(missing_ok=True)
            self.path.unlink(missing_ok=True)

    @staticmethod
    def _schema(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE doc (k TEXT PRIMARY KEY, key TEXT, sentences INTEGER, signature TEXT)")
        db.execute("CREATE TABLE docv (k TEXT PRIMARY KEY, v BLOB)")
        # a name's and an actor's earliest reference (document, phase, position, label[, type]) and how many documents refer to it
        db.execute("CREATE TABLE name (k TEXT PRIMARY KEY, iri TEXT, first TEXT, phase INTEGER, idx INTEGER, label TEXT, n INTEGER)")
        db.execute("CREATE TABLE actor (k TEXT PRIMARY KEY, label TEXT, type TEXT, wikidata TEXT, first TEXT, phase INTEGER, idx INTEGER, flabel TEXT, ftype TEXT, n INTEGER)")
        for table in ("meta", "grp", "cl", "multi"):
            db.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v BLOB)")

    # -- an update ------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        if not self.path.is_file():
            return None
        try:
            db = sqlite3.connect(self.path, check_same_thread=False)  # updated here, committed by a build's thread
            db.execute("PRAGMA journal_mode=WAL")  # a commit is a write to the log, synced only at checkpoints
            db.execute("PRAGMA synchronous=NORMAL")
            meta = {k: _load(v) for k, v in db.execute("SELECT k, v FROM meta")}
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        if meta.get("format") != FORMAT or meta.get("fingerprint") != self.fingerprint:
            db.close()
            return None
        self._db, self._meta = db, meta
        return db

    def _get(self, table: str, key: str) -> Any:
        row = self._db.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()  # type: ignore[union-attr]
        return None if row is None else _load(row[0])

    def keys(self) -> dict[str, str]:
        """Document id -> facts key, of every document the state holds (none if it cannot be used)."""
        try:
            if self._open() is None:
                return {}
            return dict(self._db.execute("SELECT k, key FROM doc"))  # type: ignore[union-attr]
        except sqlite3.Error:
            return {}

    def update(self, current: Mapping[str, str], load: Callable[[str], DocumentFacts | None], context: Context | None = None) -> Update | None:
        """Redo the resolution for the documents whose facts key changed.

        Parameters
        ----------
        current : mapping of str to str
            Every document of the corpus, in its order: id -> facts key.
        load : callable
            The facts of a document, by id (None if they cannot be had).

        Returns
        -------
        Update or None
            None where the update declines (see the module's description), the state is missing,
            damaged or kept under another fingerprint: the caller then resolves the whole corpus and
            :meth:`write` s it.
        """
        try:
            if self._open() is None:
                return None
            return self._update(current, load, context or Context())
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None

    def _doc_blob(self, doc_id: str) -> tuple[Any, ...]:
        row = self._db.execute("SELECT v FROM docv WHERE k = ?", (doc_id,)).fetchone()  # type: ignore[union-attr]
        if row is None:
            raise KeyError(doc_id)
        return _load(row[0])  # type: ignore[no-any-return]

    def _update(self, current: Mapping[str, str], load: Callable[[str], DocumentFacts | None], ctx: Context) -> Update | None:
        db = self._db
        assert db is not None
        old = {k: (key, sentences, signature) for k, key, sentences, signature in db.execute("SELECT k, key, sentences, signature FROM doc")}
        changed = [d for d, key in current.items() if old.get(d, (None,))[0] != key]
        gone = [d for d in old if d not in current or old[d][0] != current[d]]
        if len(changed) + len(gone) > max(50, MAX_CHANGED * len(current)):
            return None
        rank = {d: i for i, d in enumerate(current)}
        before = {d: _Doc(*old[d], *self._doc_blob(d)) for d in gone}
        fresh: dict[str, DocumentFacts] = {}
        for d in changed:
            f = load(d)
            if f is None:
                return None
            fresh[d] = f

        # names: an IRI must not move for documents that did not change
        new_names = {d: _firsts(f, ctx, lambda named, key: key)[0] for d, f in fresh.items()}
        name_rows: dict[str, tuple[Any, ...] | None] = {}  # name -> its row, or None: gone
        for n in {n for doc in before.values() for n in doc.names} | {n for ns in new_names.values() for n in ns}:
            head = db.execute("SELECT iri, first, phase, idx, label, n FROM name WHERE k = ?", (n,)).fetchone()
            found = _earliest(head[1:] if head else None, [d for d, doc in before.items() if n in doc.names], {d: ns[n] for d, ns in new_names.items() if n in ns}, rank)
            if found is None:
                return None
            if not found:
                name_rows[n] = None
                continue
            (first, reg, count), others = found
            iri = ctx.actor_iri(n, reg[2])
            if head is not None and iri != head[0] and others:
                return None
            name_rows[n] = (iri, first, *reg, count)
        name_iri = {n: row[0] for n, row in name_rows.items() if row is not None}

        def iri_of(named: tuple[str, str] | None, key: str) -> str:
            if named is None:
                return key
            if named[0] not in name_iri:
                name_iri[named[0]] = db.execute("SELECT iri FROM name WHERE k = ?", (named[0],)).fetchone()[0]
            return name_iri[named[0]]

        after: dict[str, _Doc] = {}
        iris: dict[str, list[list[str]]] = {}
        for d, f in fresh.items():
            names, actors_, iris[d] = _firsts(f, ctx, iri_of)
            after[d] = _Doc(current[d], f.sentences, "", names, actors_, ctx.document_items(f, iris[d]), _denials(f))

        # actors: a label must not change for documents that did not change
        actor_rows: dict[str, tuple[Any, ...] | None] = {}  # actor -> its row, or None: gone
        for a in {a for doc in before.values() for a in doc.actors} | {a for doc in after.values() for a in doc.actors}:
            row = db.execute("SELECT label, type, wikidata, first, phase, idx, flabel, ftype, n FROM actor WHERE k = ?", (a,)).fetchone()
            found = _earliest(row[3:] if row else None, [d for d, doc in before.items() if a in doc.actors], {d: doc.actors[a] for d, doc in after.items() if a in doc.actors}, rank)
            if found is None:
                return None
            if not found:
                actor_rows[a] = None
                continue
            (first, reg, count), others = found
            head = _head(ctx.actor(a, reg[2], reg[3]))
            if row is not None and head != tuple(row[:3]) and others:
                return None
            actor_rows[a] = (*head, first, *reg, count)

        # groups: their own mentions, and those coupled to them through "A and B attacked C"
        base = _Groups(self)
        multis = _Multis(self)
        touched = {k for doc in (*before.values(), *after.values()) for k, _ in doc.items}
        for key in touched:
            kept = [(i, s) for i, s in zip(base[key], base.seqs(key)) if i[0] not in before]
            kept += [(item, seq) for doc in after.values() for seq, (k, item) in enumerate(doc.items) if k == key]
            kept.sort(key=lambda p: (rank[p[0][0]], p[1]))
            base.set(key, [i for i, _ in kept], [s for _, s in kept])
            for single in singles_of(key):
                have = multis[single]
                if base[key] and key not in have:
                    multis.set(single, [*have, key])
                elif not base[key] and key in have:
                    multis.set(single, [m for m in have if m != key])
        affected = set(touched)
        for key in touched:
            if len(key) == 3 and len(key[1]) == 1:
                affected.update(multis[key])
        for key in list(affected):
            affected.update(singles_of(key))

        def first_of(key: GroupKey) -> tuple[int, int]:
            items = base[key]
            return (rank[items[0][0]], base.seqs(key)[0]) if items else (len(rank), 0)

        old_clusters = {k: self._get("cl", repr(k)) or [] for k in affected}
        new_clusters: dict[GroupKey, list[Cluster]] = {}
        for key in affected:
            mentions = effective(key, base, sorted(multis[key], key=first_of)) if base[key] else []
            new_clusters[key] = clusters(key, mentions, ctx.kinds) if mentions else []
            if len({c[0] for c in new_clusters[key]}) < len(new_clusters[key]):
                return None
        grouped: dict[GroupKey, list[Cluster]] = dict(new_clusters)

        def clusters_of(key: GroupKey) -> list[Cluster]:
            if key not in grouped:
                grouped[key] = self._get("cl", repr(key)) or []
            return grouped[key]

        doc_items: dict[str, list[tuple[GroupKey, Item]]] = {d: doc.items for d, doc in after.items()}

        def homes(d: str, index: int) -> list[GroupKey]:
            if d not in doc_items:
                doc_items[d] = self._doc_blob(d)[2]
            out: list[GroupKey] = []
            for key, item in doc_items[d]:
                if item[1] == index:
                    out += singles_of(key) if not item[3] and moves(key, base) else [key]
            return out

        def last(d: str, index: int) -> tuple[GroupKey, int] | None:
            best: tuple[GroupKey, int] | None = None
            for key in homes(d, index):
                for i, c in enumerate(clusters_of(key)):
                    if (d, index) in c[8] and (best is None or (first_of(key), i) > (first_of(best[0]), best[1])):
                        best = (key, i)
            return best

        # denials, few: redone across the corpus
        denying = [d for d in self._meta.get("denying", ()) if d in current and d not in before] + [d for d, doc in after.items() if doc.denials]
        denying.sort(key=rank.__getitem__)
        denies: dict[tuple[str, int], str] = {}
        for d in denying:
            for index, claim in after[d].denials if d in after else self._doc_blob(d)[3]:
                here, there = last(d, index), last(d, claim)
                if here is not None and there is not None:
                    denies[repr(here[0]), here[1]] = clusters_of(there[0])[there[1]][0]
        old_denies: dict[tuple[str, int], str] = self._meta.get("denies", {})

        # documents to write again: the changed ones, and those an event of which changed
        redo: set[str] = set(after)
        tokens: dict[tuple[str, int], list[set[tuple[Any, ...]]]] = {}
        for key in affected:
            for side, cs, table in ((0, old_clusters[key], old_denies), (1, new_clusters[key], denies)):
                for i, c in enumerate(cs):
                    token = (c[0], c[1], tuple(c[2]), tuple(c[3]), *c[4:8], table.get((repr(key), i)))
                    for m in c[8]:
                        tokens.setdefault(m, [set(), set()])[side].add(token)
        redo.update(m[0] for m, (was, now) in tokens.items() if was != now)
        for k, i in set(old_denies) | set(denies):
            if old_denies.get((k, i)) != denies.get((k, i)) and _key(k) not in affected:
                redo.update(m[0] for m in clusters_of(_key(k))[i][8])
        redo &= set(current)

        docs: dict[str, DocumentFacts] = {}
        for d in sorted(redo, key=rank.__getitem__):
            f = fresh.get(d) or load(d)
            if f is None:
                return None
            docs[d] = f
        actors: dict[str, ResolvedActor] = {}
        for a, label, type_, wikidata in db.execute("SELECT k, label, type, wikidata FROM actor"):
            actors[a] = ResolvedActor(a, label, type_, wikidata)
        for a, row in actor_rows.items():
            if row is None:
                actors.pop(a, None)
            else:
                actors[a] = ResolvedActor(a, *row[:3])
        actor_docs: dict[str, set[str]] = {}
        positions, quotes, figures = [], [], []
        events: dict[tuple[GroupKey, int], ResolvedEvent] = {}
        for d, f in docs.items():
            if d not in iris:
                iris[d] = _firsts(f, ctx, iri_of)[2]
            for phase, refs in enumerate(registrations(f)):
                for (ref, doc_id), iri in zip(refs, iris[d][phase]):
                    actors[iri].aliases.setdefault(doc_id, set()).add(ref.surface)
                    actor_docs.setdefault(iri, set()).add(doc_id)
            positions += list(zip(iris[d][2], f.positions))
            quotes += list(zip(iris[d][4], f.quotes))
            figures += f.figures
            for index in range(len(f.events)):
                for key in homes(d, index):
                    for i, c in enumerate(clusters_of(key)):
                        if (key, i) not in events and (d, index) in c[8]:
                            mentions = [docs[m].events[j] for m, j in c[8] if m in docs]
                            events[key, i] = ResolvedEvent(*c[:8], mentions, denies.get((repr(key), i)))
        resolved = Resolved(list(docs.values()), actors, sorted(events.values(), key=lambda e: e.iri), positions, quotes, figures, actor_docs)

        kinds: Counter[str] = Counter(self._meta.get("kinds", {}))
        for key in affected:
            kinds.subtract(c[1] for c in old_clusters[key])
            kinds.update(c[1] for c in new_clusters[key])
        kinds = +kinds
        self._pending = [
            ("DELETE FROM doc WHERE k = ?", [(d,) for d in before]),
            ("DELETE FROM docv WHERE k = ?", [(d,) for d in before]),
            ("INSERT INTO doc VALUES (?,?,?,?)", [doc.row(d)[:4] for d, doc in after.items()]),
            ("INSERT INTO docv VALUES (?,?)", [(d, doc.row(d)[4]) for d, doc in after.items()]),
            ("DELETE FROM name WHERE k = ?", [(n,) for n, row in name_rows.items() if row is None]),
            ("INSERT OR REPLACE INTO name VALUES (?,?,?,?,?,?,?)", [(n, *row) for n, row in name_rows.items() if row is not None]),
            ("DELETE FROM actor WHERE k = ?", [(a,) for a, row in actor_rows.items() if row is None]),
            ("INSERT OR REPLACE INTO actor VALUES (?,?,?,?,?,?,?,?,?,?)", [(a, *row) for a, row in actor_rows.items() if row is not None]),
            ("DELETE FROM grp WHERE k = ?", [(repr(k),) for k in base.dirty if not base[k]]),
            ("INSERT OR REPLACE INTO grp VALUES (?,?)", [(repr(k), _dump((base[k], base.seqs(k)))) for k in base.dirty if base[k]]),
            ("DELETE FROM cl WHERE k = ?", [(repr(k),) for k, v in new_clusters.items() if not v]),
            ("INSERT OR REPLACE INTO cl VALUES (?,?)", [(repr(k), _dump(v)) for k, v in new_clusters.items() if v]),
            ("DELETE FROM multi WHERE k = ?", [(repr(k),) for k in multis.dirty if not multis[k]]),
            ("INSERT OR REPLACE INTO multi VALUES (?,?)", [(repr(k), _dump(multis[k])) for k in multis.dirty if multis[k]]),
            ("INSERT OR REPLACE INTO meta VALUES (?,?)", [("kinds", _dump(dict(kinds))), ("denies", _dump(denies)), ("denying", _dump(denying))]),
        ]
        sentences = sum(old[d][1] for d in current if d not in after) + sum(doc.sentences for doc in after.values())
        return Update(resolved, {d: old[d][2] for d in current if d not in redo}, len(actors), sum(kinds.values()), kinds, sentences)

    def commit(self, signatures: Mapping[str, str]) -> None:
        """Write what :meth:`update` found, with the ``signatures`` of the graphs written again."""
        db = self._db
        if db is None:
            return
        with db:
            for sql, rows in self._pending:
                if rows:
                    db.executemany(sql, rows)
            db.executemany("UPDATE doc SET signature = ? WHERE k = ?", [(s, d) for d, s in signatures.items()])
        self._pending = []

    def close(self) -> None:
        """Close the file (without writing what an update found and :meth:`commit` did not)."""
        if self._db is not None:
            self._db.close()
            self._db = None


def _earliest(head: tuple[Any, ...] | None, gone: list[str], added: Mapping[str, tuple[Any, ...]], rank: Mapping[str, int]) -> tuple[tuple[str, tuple[Any, ...], int], bool] | tuple[()] | None:
    """A name's or actor's earliest reference after a change: ((document, reference, documents),
    whether documents that did not change refer to it). ``head`` is the last build's (document,
    phase, position, label[, type], documents); ``gone``, the documents whose references are
    removed; ``added``, the new ones'. ``()`` if none is left; None if the earliest cannot be told
    without reading every document's reference (the earliest one is gone and others are left)."""
    count = (head[-1] if head else 0) - len(gone) + len(added)
    if count <= 0:
        return ()
    others = count > len(added)
    cands = dict(added)
    if head is not None and head[0] not in gone:
        cands[head[0]] = tuple(head[1:-1])
    elif others:
        return None
    first = min(cands, key=lambda d: (cands[d][0], rank[d], cands[d][1]))
    return (first, cands[first], count), others


def _head(actor: ResolvedActor) -> tuple[str, str, str | None]:
    return (actor.label, actor.type, actor.wikidata)


def _key(text: str) -> GroupKey:
    import ast

    value = ast.literal_eval(text)
    if not isinstance(value, tuple):
        raise ValueError(f"not a group key: {text[:80]!r}")
    return value


class _Groups(Mapping[GroupKey, list[Item]]):
    """Groups' own mentions, read from the state as they are asked for; those set are ``dirty``."""

    def __init__(self, state: ResolutionState) -> None:
        self._state = state
        self._items: dict[GroupKey, list[Item]] = {}
        self._seqs: dict[GroupKey, list[int]] = {}
        self.dirty: set[GroupKey] = set()

    def _fetch(self, key: GroupKey) -> None:
        if key not in self._items:
            row = self._state._get("grp", repr(key))
            self._items[key], self._seqs[key] = row if row is not None else ([], [])

    def __getitem__(self, key: GroupKey) -> list[Item]:
        self._fetch(key)
        return self._items[key]

    def get(self, key: GroupKey, default: Any = None) -> Any:  # type: ignore[override]
        items = self[key]
        return items if items else default

    def seqs(self, key: GroupKey) -> list[int]:
        self._fetch(key)
        return self._seqs[key]

    def set(self, key: GroupKey, items: list[Item], seqs: list[int]) -> None:
        self._items[key], self._seqs[key] = items, seqs
        self.dirty.add(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class _Multis:
    """Single attacker's group -> the groups it is a single of, read from the state as asked for."""

    def __init__(self, state: ResolutionState) -> None:
        self._state = state
        self._rows: dict[GroupKey, list[GroupKey]] = {}
        self.dirty: set[GroupKey] = set()

    def __getitem__(self, key: GroupKey) -> list[GroupKey]:
        if key not in self._rows:
            self._rows[key] = list(self._state._get("multi", repr(key)) or [])
        return self._rows[key]

    def set(self, key: GroupKey, value: list[GroupKey]) -> None:
        self._rows[key] = value
        self.dirty.add(key)
