"""Stores: where the graph lives and answers SPARQL (rdflib in memory, Oxigraph, a SPARQL server).

All stores share :class:`Store`; :func:`open_store` picks one from a location.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Errors, IpkgError
from .base import Bindings, Store
from .memory import MemoryStore
from .oxigraph import STORE_DIR, OxigraphStore, update_store, write_store
from .remote import RemoteStore

__all__ = ["Bindings", "Store", "MemoryStore", "OxigraphStore", "RemoteStore", "STORE_DIR", "open_store", "update_store", "write_store"]


def open_store(location: str | Path, *, engine: str = "auto") -> Store:
    """The store at ``location``: a SPARQL endpoint URL, a build folder or a TriG file.

    Parameters
    ----------
    location : str or Path
        ``http(s)://...`` for a SPARQL server; a build folder (its Oxigraph store when it has one,
        else its ``graph.trig``); or a ``.trig`` file.
    engine : {"auto", "oxigraph", "memory"}
        For a folder or file: ``auto`` opens the folder's Oxigraph store read-only when present
        and otherwise loads the TriG into rdflib; ``oxigraph`` loads TriG into Oxigraph in memory
        when there is no store on disk; ``memory`` always uses rdflib.

    Raises
    ------
    IpkgError
        If there is no graph at ``location`` or ``engine`` is unknown.

    Examples
    --------
    >>> open_store("http://127.0.0.1:7878/sparql").kind
    'remote'
    """
    text = str(location)
    if text.startswith(("http://", "https://")):
        return RemoteStore(text)
    if engine not in ("auto", "oxigraph", "memory"):
        raise IpkgError(Errors.E015.format(store=engine))
    from ..kg.io import GRAPH_FILE, load_graph

    path = Path(location)
    folder = path if path.is_dir() else None
    if engine != "memory" and folder is not None and (folder / STORE_DIR / "CURRENT").is_file():
        return OxigraphStore(folder / STORE_DIR, read_only=True)
    if engine == "oxigraph":
        trig = folder / GRAPH_FILE if folder is not None else path
        if not trig.is_file():
            raise IpkgError(Errors.E006.format(path=trig))
        store = OxigraphStore()
        store.load_file(trig)
        return store
    return MemoryStore(load_graph(path))
