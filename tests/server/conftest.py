"""``ipkg serve`` as a user runs it: a real server process on a free loopback port, real HTTP clients.

Two servers share the session's seeds build: ``server`` with the default limits, and ``limited``
with ``--timeout 1 --max-rows 5`` for the timeout and row-limit tests.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LISTENING = re.compile(r"ipkg serve: listening on (http://127\.0\.0\.1:(\d+)/)\n?")
START_TIMEOUT = 60
SPARQL_JSON = "application/sparql-results+json"


# Queries shared by the test modules.
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ipkg: <https://w3id.org/ipkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
# IRIs, language-tagged literals, integers and unbound values in one answer.
SELECT = PREFIXES + """SELECT DISTINCT ?actor ?label ?n ?wd WHERE {
  ?actor skos:prefLabel ?label . BIND(STRLEN(STR(?label)) AS ?n)
  OPTIONAL { ?actor skos:exactMatch ?wd }
}"""
CONSTRUCT = PREFIXES + "CONSTRUCT { ?a skos:prefLabel ?l ; rdf:type ?c } WHERE { ?a skos:prefLabel ?l ; rdf:type ?c }"
IRAN = "https://w3id.org/ipkg/id/actor/iran"
ASK_TRUE = PREFIXES + f'ASK {{ <{IRAN}> skos:prefLabel "Iran"@en }}'
ASK_FALSE = PREFIXES + f'ASK {{ <{IRAN}> skos:prefLabel "Atlantis"@en }}'
NEW = "<urn:ipkg-test:s> <urn:ipkg-test:p> <urn:ipkg-test:o>"  # a triple no test may manage to add


@dataclass
class Server:
    """A running ``ipkg serve``: its process, base URL (ending in ``/``) and captured output."""

    proc: subprocess.Popen
    url: str
    stderr_path: Path
    stdout_lines: list[str] = field(default_factory=list)

    @property
    def sparql(self) -> str:
        return self.url + "sparql"

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int | None:
        """Send ``sig``; kill if it has not exited within ``timeout`` s. The exit code, or None if killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                return None
        return self.proc.returncode


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env.pop("PYTHONUNBUFFERED", None)  # the readiness line must be flushed by the server itself
    return env


def start_server(graph_dir: Path, log_dir: Path, *args: str) -> Server:
    """Launch ``ipkg serve --graph graph_dir --port 0 *args`` and wait for its readiness line."""
    stderr_path = log_dir / f"serve-{os.getpid()}-{len(list(log_dir.iterdir()))}.stderr"
    err = stderr_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipkg", "serve", "--graph", str(graph_dir), "--port", "0", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True, env=server_env(),
    )
    err.close()
    server = Server(proc, "", stderr_path)
    got_line = threading.Event()

    def pump() -> None:  # keep draining stdout so the server never blocks on a full pipe
        for line in proc.stdout:  # type: ignore[union-attr]
            server.stdout_lines.append(line)
            got_line.set()
        got_line.set()

    threading.Thread(target=pump, daemon=True).start()
    got_line.wait(START_TIMEOUT)
    first = server.stdout_lines[0] if server.stdout_lines else ""
    m = LISTENING.fullmatch(first)
    if not m or int(m.group(2)) == 0:
        code = server.stop(signal.SIGKILL)
        pytest.fail(f"ipkg serve printed no readiness line (waited up to {START_TIMEOUT} s; "
                    f"exit {code}, stdout {first!r}); stderr:\n{server.stderr()}")
    server.url = m.group(1)
    return server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, report whether each server the test used is still running, and its stderr."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        for name in ("server", "limited"):
            srv = getattr(item, "funcargs", {}).get(name)
            if isinstance(srv, Server):
                state = "running" if srv.proc.poll() is None else f"exited with {srv.proc.returncode}"
                rep.sections.append((f"ipkg serve ({name}, {state}) stderr", srv.stderr()[-4000:]))


@pytest.fixture(scope="session", autouse=True)
def _no_proxy():
    """Loopback only: no client may route the test requests through a proxy from the environment."""
    with pytest.MonkeyPatch.context() as mp:
        for var in ("NO_PROXY", "no_proxy"):
            mp.setenv(var, "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve-logs")


@pytest.fixture(scope="session")
def server(seed_build, server_logs):
    """``ipkg serve`` on the seeds build with the default limits."""
    srv = start_server(seed_build[1], server_logs)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def limited(seed_build, server_logs):
    """``ipkg serve --timeout 1 --max-rows 5`` on the seeds build."""
    srv = start_server(seed_build[1], server_logs, "--timeout", "1", "--max-rows", "5")
    yield srv
    srv.stop()


def _client(srv: Server) -> httpx.Client:
    return httpx.Client(base_url=srv.url, timeout=30, trust_env=False)


@pytest.fixture(scope="session")
def http(server):
    """An httpx client on ``server``; paths are relative (``client.get("sparql", ...)``)."""
    with _client(server) as c:
        yield c


@pytest.fixture(scope="session")
def http_limited(limited):
    with _client(limited) as c:
        yield c


@pytest.fixture(scope="session")
def api_rows(seed_graph):
    """Rows of each bundled query from ipkg's Python API, computed once."""
    from ipkg.query.sparql import run_query

    cache: dict[str, list[dict[str, str]]] = {}

    def _rows(name: str) -> list[dict[str, str]]:
        if name not in cache:
            cache[name] = run_query(seed_graph, name).rows
        return cache[name]

    return _rows
