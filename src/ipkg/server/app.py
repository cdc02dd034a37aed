"""``ipkg serve``: the SPARQL 1.1 Protocol over a built graph, read-only, with the explorer and a query page."""

from __future__ import annotations

import json
import signal
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from ..errors import Errors, IpkgError
from ..kg.io import GRAPH_FILE
from ..store.oxigraph import STORE_DIR
from ..store.text import mentions_keyword
from .formats import FORMAT_PARAM
from .worker import Reply, WorkerPool

__all__ = ["ServeConfig", "SparqlServer", "make_server", "serve"]

_STATIC = Path(__file__).with_name("static")
_FORM = "application/x-www-form-urlencoded"


@dataclass
class ServeConfig:
    """How ``ipkg serve`` answers.

    Attributes
    ----------
    timeout : float
        Seconds a query may run before it is stopped (HTTP 503).
    max_rows : int
        Most result rows (or triples) one answer holds; a cut answer carries ``X-SPARQL-MaxRows``.
    workers : int
        Queries answered at once, each in its own process.
    allow_service : bool
        Let queries use federated ``SERVICE`` calls, which reach other servers.
    max_body : int
        Largest request body accepted, in bytes.
    """

    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    allow_service: bool = False
    max_body: int = 1_000_000


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server answering SPARQL over one build folder through a :class:`WorkerPool`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], graph: Path, config: ServeConfig, pool: WorkerPool) -> None:
        super().__init__(address, _Handler)
        self.graph = graph
        self.config = config
        self.pool = pool

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(graph: str | Path = "out", host: str = "127.0.0.1", port: int = 7878, config: ServeConfig | None = None) -> SparqlServer:
    """A ready, not yet running, SPARQL server over the build folder ``graph``.

    Run it with ``serve_forever()`` (in a thread from a notebook) and stop it with ``shutdown()``
    then ``server_close()``.

    Raises
    ------
    IpkgError
        If ``graph`` holds neither an Oxigraph store nor a graph.trig, or the store cannot be opened.

    Examples
    --------
    >>> import threading, urllib.request, json
    >>> from ipkg.kg import new_dataset, save_graph
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = save_graph(new_dataset(), folder)
    >>> server = make_server(folder, port=0, config=ServeConfig(workers=1))
    >>> threading.Thread(target=server.serve_forever, daemon=True).start()
    >>> json.load(urllib.request.urlopen(server.url + "health"))["status"]
    'ok'
    >>> server.shutdown(); server.server_close()
    """
    folder = Path(graph)
    if not ((folder / STORE_DIR / "CURRENT").is_file() or (folder / GRAPH_FILE).is_file() or (folder.is_file() and folder.suffix == ".trig")):
        raise IpkgError(Errors.E006.format(path=folder))
    config = config or ServeConfig()
    from ..kg.build import new_dataset

    prefixes = {p: str(ns) for p, ns in new_dataset().namespaces() if p}
    try:
        pool = WorkerPool(folder, config.workers, prefixes)
    except RuntimeError as exc:
        raise IpkgError(Errors.E003.format(path=folder, reason=exc)) from None
    try:
        return SparqlServer((host, port), folder, config, pool)
    except OSError as exc:
        pool.close()
        raise IpkgError(Errors.E016.format(host=host, port=port, reason=exc)) from None


def serve(graph: str | Path = "out", host: str = "127.0.0.1", port: int = 7878, config: ServeConfig | None = None, announce: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM).

    Parameters
    ----------
    graph : str or Path
        A build folder written by ``ipkg build``.
    host, port
        Where to listen; loopback by default. Port 0 picks a free port.
    config : ServeConfig, optional
        Timeout, row limit, workers, SERVICE.
    announce : callable, optional
        Called with the server's URL once it accepts requests.
    """
    server = make_server(graph, host, port, config)

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if announce is not None:
            announce(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "ipkg"

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # --- responses

    def _send(self, reply: Reply, head: bool = False) -> None:
        media = reply.media + ("; charset=utf-8" if reply.media.startswith("text/") or "json" in reply.media or "xml" in reply.media else "")
        self.send_response(reply.status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)

    def _routes(self) -> dict[str, Callable[[dict[str, list[str]]], Reply]]:
        return {"/": self._explorer, "/query": self._query_page, "/queries": self._queries, "/health": self._health, "/sparql": self._sparql_get}

    # --- methods

    def do_GET(self, head: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        route = self._routes().get(url.path)
        if route is None:
            self._send(Reply.text(404, f"No such page: {url.path}. Try /sparql, /query, /health or /."), head)
            return
        self._send(route(urllib.parse.parse_qs(url.query, keep_blank_values=True)), head)

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            status = 405 if url.path in self._routes() else 404
            self._send(Reply(status, "text/plain", b"POST goes to /sparql.\n", {"Allow": "GET, HEAD"} if status == 405 else {}))
            return
        self._send(self._sparql_post(urllib.parse.parse_qs(url.query, keep_blank_values=True)))

    def do_OPTIONS(self) -> None:
        reply = Reply(204, "text/plain", b"", {"Allow": "GET, HEAD, POST, OPTIONS", "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, Accept"})
        self._send(reply)

    def _not_allowed(self) -> None:
        self._send(Reply(405, "text/plain", b"This endpoint is read-only: GET, HEAD and POST only.\n", {"Allow": "GET, HEAD, POST, OPTIONS"}))

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    # --- pages

    def _explorer(self, params: dict[str, list[str]]) -> Reply:
        page = self.server.graph / "graph.html"
        if page.is_file():
            return Reply(200, "text/html", page.read_bytes())
        return Reply(200, "text/html", b'<!doctype html><meta charset="utf-8"><title>ipkg</title><p><a href="/query">Query the graph</a></p>\n')

    def _query_page(self, params: dict[str, list[str]]) -> Reply:
        from ..query.sparql import list_queries

        page = (_STATIC / "query.html").read_text(encoding="utf-8")
        options = "".join(f'<option value="{name}">{name}: {_html(question)}</option>' for name, question in list_queries().items())
        return Reply(200, "text/html", page.replace("<!--QUERIES-->", options).encode("utf-8"))

    def _queries(self, params: dict[str, list[str]]) -> Reply:
        from ..query.sparql import list_queries, load_query

        data = [{"name": name, "question": question, "sparql": load_query(name)[1]} for name, question in list_queries().items()]
        return Reply(200, "application/json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def _health(self, params: dict[str, list[str]]) -> Reply:
        cfg = self.server.config
        info = {"status": "ok", "store": "oxigraph", **self.server.pool.info, "timeout": cfg.timeout, "max_rows": cfg.max_rows, "service": cfg.allow_service}
        return Reply(200, "application/json", json.dumps(info).encode("utf-8"))

    # --- the protocol

    def _sparql_get(self, params: dict[str, list[str]]) -> Reply:
        if "update" in params:
            return Reply.text(403, "This endpoint is read-only: SPARQL Update is refused.")
        return self._run(params)

    def _sparql_post(self, params: dict[str, list[str]]) -> Reply:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.config.max_body:
            self.close_connection = True
            return Reply.text(413, f"Request body over {self.server.config.max_body} bytes.")
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        media = (self.headers.get_content_type() if self.headers.get("Content-Type") else "").lower()
        if media == "application/sparql-update":
            return Reply.text(403, "This endpoint is read-only: SPARQL Update is refused.")
        if media == _FORM:
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return Reply.text(403, "This endpoint is read-only: SPARQL Update is refused.")
            return self._run({**params, **form})
        if media == "application/sparql-query":
            return self._run({**params, "query": [body]})
        return Reply.text(415, f"Unsupported Content-Type '{media}': send application/sparql-query or {_FORM}.")

    def _run(self, params: dict[str, list[str]]) -> Reply:
        query = (params.get("query") or [""])[0]
        if not query.strip():
            return Reply.text(400, "Missing the 'query' parameter.")
        cfg = self.server.config
        if not cfg.allow_service and mentions_keyword(query, "SERVICE"):
            return Reply.text(403, "Federated SERVICE calls are off on this endpoint (start it with --allow-service).")
        accept = self.headers.get("Accept")
        fmt = (params.get("format") or params.get("output") or [""])[0].lower()
        if fmt:
            if fmt not in FORMAT_PARAM:
                return Reply.text(400, f"Unknown format '{fmt}'; choose one of: {', '.join(FORMAT_PARAM)}.")
            accept = FORMAT_PARAM[fmt]
        return self.server.pool.run(query, accept, cfg.timeout, cfg.max_rows)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
