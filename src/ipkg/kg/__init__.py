"""The RDF stage: facts -> graph, I/O and validation."""

from .build import facts_to_graph, new_dataset
from .io import load_graph, save_graph
from .namespace import IPKG, IPKGID
from .validate import validate

__all__ = ["IPKG", "IPKGID", "facts_to_graph", "new_dataset", "load_graph", "save_graph", "validate"]
