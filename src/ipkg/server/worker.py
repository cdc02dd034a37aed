"""Query workers: separate processes that each open the store, so a query past its time can be killed.

A thread cannot be stopped while Oxigraph evaluates a query; a process can. The server keeps a
small pool of workers; a worker whose query runs out of time is killed and replaced.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__ = ["Reply", "WorkerPool"]


@dataclass
class Reply:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str) -> "Reply":
        return cls(status, "text/plain", (message.rstrip("\n") + "\n").encode("utf-8"))


def _open(location: str) -> Any:
    """The store a worker answers from: the build's store read-only, else its TriG in memory."""
    from ..store.oxigraph import STORE_DIR, OxigraphStore

    folder = Path(location)
    if (folder / STORE_DIR / "CURRENT").is_file():
        return OxigraphStore(folder / STORE_DIR, read_only=True)
    store = OxigraphStore()
    store.load_file(folder / "graph.trig" if folder.is_dir() else folder)
    return store


def _answer(store: Any, request: dict[str, Any], prefixes: dict[str, str]) -> Reply:
    import pyoxigraph as ox

    from .formats import BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, boolean_body, negotiate, solutions_body, triples_body

    try:
        answer = store.query(request["query"])
    except SyntaxError as exc:
        return Reply.text(400, f"SPARQL parse error: {exc}")
    limit = request["max_rows"]
    accept = request["accept"]
    try:
        if isinstance(answer, ox.QueryBoolean):
            media = negotiate(accept, BOOLEAN_TYPES)
            if media is None:
                return Reply.text(406, f"An ASK result cannot be given as {accept}; offered: {', '.join(BOOLEAN_TYPES)}")
            return Reply(200, media, boolean_body(bool(answer), media))
        if isinstance(answer, ox.QueryTriples):
            offered = list(GRAPH_TYPES)
            media = negotiate(accept, offered)
            if media is None:
                return Reply.text(406, f"A graph result cannot be given as {accept}; offered: {', '.join(offered)}")
            body, cut = triples_body(answer, media, limit, prefixes)
        else:
            media = negotiate(accept, SOLUTION_TYPES)
            if media is None:
                return Reply.text(406, f"SELECT results cannot be given as {accept}; offered: {', '.join(SOLUTION_TYPES)}")
            body, cut = solutions_body(answer, media, limit)
    except (OSError, ValueError, TypeError, RuntimeError, SyntaxError) as exc:
        return Reply.text(500, f"Query failed: {exc}")
    return Reply(200, media, body, {"X-SPARQL-MaxRows": str(limit)} if cut else {})


def _serve(conn: Connection, location: str, prefixes: dict[str, str]) -> None:
    """A worker's life: open the store, report its size, then answer requests until the pipe closes."""
    from ..store import pageindex

    try:
        opened = _open(location)
        store = opened.oxigraph
        graphs = sum(1 for g in store.named_graphs() if g != pageindex.GRAPH)
        conn.send(("ready", {"triples": opened.default_size(), "quads": len(opened), "graphs": graphs}))
    except Exception as exc:  # reported to the parent, which fails the start
        conn.send(("error", str(exc)))
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(store, request, prefixes))


class _Worker:
    def __init__(self, ctx: Any, location: str, prefixes: dict[str, str], start_timeout: float) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, location, prefixes), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise RuntimeError(f"a query worker did not open {location} within {start_timeout:.0f} s")
        kind, info = self.conn.recv()
        if kind != "ready":
            self.kill()
            raise RuntimeError(info)
        self.info: dict[str, int] = info

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes answering queries over the graph at ``location``.

    Parameters
    ----------
    location : str or Path
        A build folder (its Oxigraph store, else its graph.trig) or a TriG file.
    size : int
        Number of workers: queries answered at once.
    prefixes : dict
        Prefixes for Turtle and JSON-LD output.
    """

    def __init__(self, location: str | Path, size: int = 2, prefixes: dict[str, str] | None = None, start_timeout: float = 300.0) -> None:
        self._ctx = mp.get_context("spawn")
        self._location = str(location)
        self._prefixes = prefixes or {}
        self._start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        with ThreadPoolExecutor(size) as starting:
            workers = list(starting.map(lambda _: self._spawn(), range(size)))
        self.info = workers[0].info
        for worker in workers:
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._location, self._prefixes, self._start_timeout)

    def _replace(self) -> None:
        try:
            worker = self._spawn()
        except RuntimeError:
            return
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def run(self, query: str, accept: str | None, timeout: float, max_rows: int) -> Reply:
        """Answer ``query`` within ``timeout`` seconds, or kill its worker and answer 503."""
        worker = self._idle.get()
        try:
            worker.conn.send({"query": query, "accept": accept, "max_rows": max_rows})
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            worker.kill()
            threading.Thread(target=self._replace, daemon=True).start()
            return Reply.text(500, "The query worker died; it is being restarted.")
        worker.kill()
        threading.Thread(target=self._replace, daemon=True).start()
        return Reply.text(503, f"Query timed out after {timeout:g} s and was stopped.")

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
