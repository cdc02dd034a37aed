"""Any SPARQL 1.1 server: queries by the Protocol, loads by the Graph Store Protocol or by Update."""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from ..errors import Errors, IpkgError, QuerySyntaxError
from .base import Bindings, Store
from .text import with_values

__all__ = ["RemoteStore", "PreemptiveDigestAuthHandler"]

_LOOPBACK = ("127.", "localhost", "[::1]", "::1")


class PreemptiveDigestAuthHandler(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers the last challenge before sending, so a body goes once.

    Servers such as Virtuoso answer a request without credentials with 401 and close the
    connection unread; urllib's own handler then fails on bodies over about half a megabyte.
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenge: dict[str, str] | None = None

    def http_error_auth_reqed(self, auth_header, host, req, headers):  # type: ignore[no-untyped-def]
        for value in headers.get_all(auth_header, []):
            if value.lower().startswith("digest "):
                self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(value[7:]))
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge is not None and not req.has_header("Authorization"):
            auth = self.get_authorization(req, self._challenge)
            if auth:
                req.add_unredirected_header("Authorization", "Digest " + auth)
        return req

    https_request = http_request

_RESULTS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
}
_GRAPHS = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteStore(Store):
    """A SPARQL 1.1 server reached over HTTP.

    Parameters
    ----------
    endpoint : str
        The query endpoint (``http://host:port/sparql``).
    update_endpoint : str, optional
        Where SPARQL Update goes; default: ``endpoint``.
    graph_store : str, optional
        A Graph Store Protocol endpoint; when given, :meth:`load` PUTs each graph there
        (one request per graph) instead of sending ``INSERT DATA`` in chunks.
    user, password : str, optional
        Credentials for HTTP Basic or Digest authentication (whichever the server asks for).
    timeout : float
        Seconds to wait for one HTTP answer.
    chunk : int
        Triples per ``INSERT DATA`` request.

    Notes
    -----
    The bundled queries read the default graph as the union of the named graphs. Virtuoso does so
    for a query without ``FROM``; Fuseki needs ``tdb2:unionDefaultGraph true``; GraphDB and others
    have a similar setting.

    Examples
    --------
    >>> store = RemoteStore("http://127.0.0.1:8890/sparql", user="dba", password="dba")
    >>> store.update_endpoint
    'http://127.0.0.1:8890/sparql'
    """

    kind = "remote"

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 120.0,
        chunk: int = 2000,
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store = graph_store
        self.timeout = timeout
        self.chunk = chunk
        self._authenticated = user is None
        handlers: list[urllib.request.BaseHandler] = []
        if endpoint.split("://", 1)[-1].startswith(_LOOPBACK):
            handlers.append(urllib.request.ProxyHandler({}))
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoint, self.update_endpoint, graph_store or endpoint}:
                passwords.add_password(None, url, user, password or "")
            handlers += [PreemptiveDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def _authenticate(self) -> None:
        """Meet the server's challenge with a bodiless request, before the first request with a body."""
        self._authenticated = True
        ask = urllib.parse.urlencode({"query": "ASK {}"})
        self._send(f"{self.update_endpoint}?{ask}", None, {"Accept": "application/sparql-results+json"}, method="GET")

    def _send(self, url: str, data: bytes | None, headers: dict[str, str], method: str = "POST") -> tuple[str, bytes]:
        if not self._authenticated and data is not None:
            self._authenticate()
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            error = Errors.E013.format(url=url, status=exc.code, reason=body[:2000] or exc.reason)
            raise (QuerySyntaxError(error) if exc.code == 400 else IpkgError(error)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise IpkgError(Errors.E014.format(url=url, reason=getattr(exc, "reason", exc))) from None

    def update(self, text: str) -> None:
        """Send a SPARQL 1.1 Update request."""
        form = urllib.parse.urlencode({"update": text}).encode("utf-8")
        self._send(self.update_endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})

    def put_graph(self, name: URIRef, graph: Graph) -> None:
        """Replace one named graph through the Graph Store Protocol (HTTP PUT)."""
        if not self.graph_store:
            raise IpkgError(Errors.E013.format(url=self.endpoint, status="-", reason="no Graph Store endpoint configured"))
        url = f"{self.graph_store}?{urllib.parse.urlencode({'graph': str(name)})}"
        body = graph.serialize(format="nt11", encoding="utf-8")
        self._send(url, body, {"Content-Type": "application/n-triples"}, method="PUT")

    def load(self, ds: Dataset) -> None:
        for graph in ds.graphs():
            if graph.identifier == ds.default_graph.identifier or not len(graph):
                continue
            name = URIRef(graph.identifier)
            if self.graph_store:
                self.put_graph(name, graph)
                continue
            self.update(f"DROP SILENT GRAPH {name.n3()}")
            for lines in _chunks(graph, self.chunk):
                self.update(f"INSERT DATA {{ GRAPH {name.n3()} {{\n{lines}}} }}")

    def query(self, text: str, bindings: Bindings | None = None) -> Result:
        form = urllib.parse.urlencode({"query": with_values(text, bindings or {})}).encode("utf-8")
        ctype, body = self._send(self.endpoint, form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT})
        if ctype in _RESULTS:
            return Result.parse(io.BytesIO(body), format=_RESULTS[ctype])
        if ctype in _GRAPHS:
            res = Result("CONSTRUCT")
            res.graph = Graph().parse(data=body, format=_GRAPHS[ctype])
            return res
        raise IpkgError(Errors.E013.format(url=self.endpoint, status=200, reason=f"unexpected content type {ctype}"))

    def __len__(self) -> int:
        for row in self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
            return int(row[0])  # type: ignore[index, arg-type]
        return 0


def _chunks(graph: Graph, size: int) -> Iterator[str]:
    lines = graph.serialize(format="nt11").splitlines(keepends=True)
    for i in range(0, len(lines), size):
        yield "".join(lines[i : i + size])
