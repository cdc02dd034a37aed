"""The ``virtuoso`` fixture: one private Virtuoso server for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .virtuoso import INSTALL_HINT, VirtuosoError, VirtuosoServer, find_virtuoso, start_virtuoso


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[VirtuosoServer]:
    """A running Virtuoso on 127.0.0.1 (fresh database); stopped at the end of the session.

    Fails (never skips) when ``virtuoso-t`` is missing, so that a missing piece shows.
    """
    if find_virtuoso() is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    try:
        server = start_virtuoso()
    except VirtuosoError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
