"""The ``ipkg serve`` command itself: its readiness line, defaults, signals and errors."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest

from .conftest import LISTENING, server_env, start_server


def test_announces_a_free_loopback_port(server):
    """--port 0 picks a free port, the host defaults to 127.0.0.1, and the line says so."""
    m = LISTENING.fullmatch(server.stdout_lines[0])
    assert m and int(m.group(2)) > 0 and server.url == f"http://127.0.0.1:{m.group(2)}/"
    assert server.proc.poll() is None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stops_on_signal_after_one_line(seed_build, server_logs, sig):
    """SIGINT and SIGTERM stop the server promptly; it printed exactly one line to stdout."""
    srv = start_server(seed_build[1], server_logs)
    try:
        assert httpx.get(srv.url + "health", timeout=10, trust_env=False).status_code == 200
    finally:
        code = srv.stop(sig, timeout=10)
    assert code is not None, "still running 10 s after the signal"
    assert len(srv.stdout_lines) == 1 and LISTENING.fullmatch(srv.stdout_lines[0])


def test_missing_graph_folder_is_exit_2(tmp_path):
    """A graph folder that does not exist: exit code 2 and a one-line error, no traceback."""
    r = subprocess.run([sys.executable, "-m", "ipkg", "serve", "--graph", str(tmp_path / "missing"), "--port", "0"],
                       capture_output=True, text=True, timeout=60, env=server_env())
    assert r.returncode == 2 and r.stderr.startswith("error:") and "Traceback" not in r.stderr
    assert "listening" not in r.stdout
