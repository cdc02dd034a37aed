"""A private, throw-away Virtuoso server on loopback for tests.

:func:`start_virtuoso` writes its own ``virtuoso.ini`` in a fresh temporary directory (database,
transaction log and error log live there too), picks two free ports on 127.0.0.1 (the SQL port
and the HTTP port, both bound to 127.0.0.1 explicitly), runs ``virtuoso-t +foreground
+configfile INI`` as a child process and waits until the anonymous SPARQL endpoint answers.
The Debian package's system service (``/etc/init.d/virtuoso-opensource-7``, port 8890) is
neither needed nor touched.

Endpoints (Virtuoso 7.2.5, as shipped by Debian bookworm's ``virtuoso-opensource``):

* ``sparql``: ``http://127.0.0.1:PORT/sparql``, anonymous, read only (``query=`` by GET or POST).
* ``update``: ``http://127.0.0.1:PORT/sparql-auth``, HTTP **digest** auth as ``dba``/``dba``;
  accepts SPARQL 1.1 Update as ``POST`` with ``Content-Type: application/sparql-update`` or a
  form field ``update=`` (answers 200). The anonymous ``/sparql`` refuses updates (500,
  ``SR186: No permission to execute procedure DB.DBA.SPARQL_INSERT_DICT_CONTENT``).
* ``graph_store``: ``http://127.0.0.1:PORT/sparql-graph-crud-auth``, the SPARQL 1.1 Graph
  Store HTTP Protocol, same digest auth; the graph goes in the query parameter ``graph``
  (Virtuoso also takes ``graph-uri``). The anonymous ``/sparql-graph-crud`` answers 403 to writes.

The instance is private to the test session and listens on loopback only, so the default
``dba`` password is kept (``+pwddba`` does not change it on a fresh database in 7.2.5).

Only the standard library is used, so the helper works without any project dependency.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ipkg.store.remote import PreemptiveDigestAuthHandler

__all__ = ["INSTALL_HINT", "VirtuosoServer", "VirtuosoError", "find_virtuoso", "start_virtuoso"]

INSTALL_HINT = (
    "virtuoso-t (Virtuoso Open Source 7.2.5) is not installed. On Debian/Ubuntu, as root:\n"
    "  printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d\n"
    "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends"
    " virtuoso-opensource\n"
    "  rm -f /usr/sbin/policy-rc.d\n"
    "(the policy-rc.d file only stops the package from starting its own system service; "
    ".ci/run does all of this)."
)

_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {d}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0
MaintenancePage      = atomic.html

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


class VirtuosoError(RuntimeError):
    """Virtuoso could not be started."""


@dataclass
class VirtuosoServer:
    """A running private Virtuoso; see the module docstring for what each URL accepts."""

    sparql: str
    update: str
    graph_store: str
    user: str
    password: str
    base: str
    sql_port: int
    http_port: int
    directory: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener with digest auth for ``update`` and ``graph_store``; never a proxy.

        It fetches a challenge once (a bodiless GET) and then authenticates every request up
        front: Virtuoso answers an unauthenticated request with 401 and closes the connection
        without reading the body, so plain urllib digest auth breaks (``BrokenPipeError``,
        ``ConnectionResetError``) on bodies above about half a megabyte.
        """
        pw = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        pw.add_password(None, self.base + "/", self.user, self.password)
        op = urllib.request.build_opener(urllib.request.ProxyHandler({}), PreemptiveDigestAuthHandler(pw))
        q = urllib.parse.urlencode({"query": "ASK {}"})
        with op.open(f"{self.update}?{q}", timeout=30) as r:
            r.read()
        return op

    def graph_url(self, graph: str) -> str:
        """The Graph Store Protocol URL of one named graph."""
        return self.graph_store + "?" + urllib.parse.urlencode({"graph": graph})

    def log(self) -> str:
        """The server's console output so far (errors, startup messages)."""
        p = self.directory / "console.log"
        return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""

    def stop(self, timeout: float = 30.0) -> None:
        """Terminate, wait up to ``timeout`` seconds, then kill; remove the directory."""
        _stop(self.process, timeout)
        shutil.rmtree(self.directory, ignore_errors=True)


def find_virtuoso() -> str | None:
    """Path of ``virtuoso-t`` (``$VIRTUOSO_T`` wins), or None."""
    env = os.environ.get("VIRTUOSO_T")
    if env:
        return env if os.access(env, os.X_OK) else None
    return shutil.which("virtuoso-t")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes], timeout: float) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def _answers(url: str) -> bool:
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with no_proxy.open(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=5) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_virtuoso(timeout: float = 120.0, attempts: int = 3) -> VirtuosoServer:
    """Start a private Virtuoso and return once ``/sparql`` answers (within ``timeout`` s).

    A port picked free can be taken before Virtuoso binds it; then the start is retried with
    new ports, up to ``attempts`` times.

    Raises
    ------
    VirtuosoError
        If ``virtuoso-t`` is missing, exits early, or does not answer in time.
    """
    exe = find_virtuoso()
    if exe is None:
        raise VirtuosoError(INSTALL_HINT)
    last = ""
    for _ in range(attempts):
        d = Path(tempfile.mkdtemp(prefix="ipkg-virtuoso-"))
        (d / "vsp").mkdir()
        sql_port, http_port = _free_port(), _free_port()
        while http_port == sql_port:
            http_port = _free_port()
        ini = d / "virtuoso.ini"
        ini.write_text(_INI.format(d=d, sql_port=sql_port, http_port=http_port), encoding="utf-8")
        base = f"http://127.0.0.1:{http_port}"
        with open(d / "console.log", "wb") as console:
            proc = subprocess.Popen(
                [exe, "+foreground", "+configfile", str(ini)],
                cwd=d,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, not Virtuoso
            )
        server = VirtuosoServer(
            sparql=base + "/sparql",
            update=base + "/sparql-auth",
            graph_store=base + "/sparql-graph-crud-auth",
            user="dba",
            password="dba",
            base=base,
            sql_port=sql_port,
            http_port=http_port,
            directory=d,
            process=proc,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if _answers(server.sparql):
                return server
            time.sleep(0.5)
        running = proc.poll() is None
        last = server.log()[-3000:]
        server.stop()
        if running:  # alive but silent: retrying would only wait again
            raise VirtuosoError(f"Virtuoso did not answer at {server.sparql} within {timeout:.0f} s:\n{last}")
    raise VirtuosoError(f"Virtuoso exited during startup ({attempts} attempts); last output:\n{last}")
