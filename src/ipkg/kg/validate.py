"""SHACL validation of a build against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset, Graph

from ..resources import ontology_dir
from .quads import union_graph

__all__ = ["ValidationResult", "validate"]


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: int
    report: str


def validate(ds: Dataset | Sequence[ox.Quad]) -> ValidationResult:
    """Validate the union of all graphs of ``ds`` (an rdflib dataset or Oxigraph quads).

    Examples
    --------
    >>> from ipkg.kg.build import facts_to_graph
    >>> from ipkg.facts import resolve
    >>> validate(facts_to_graph(resolve([]))).conforms
    True
    """
    import pyshacl
    from rdflib.namespace import SH

    if isinstance(ds, Dataset):
        data = Graph()
        for t in ds.triples((None, None, None)):
            data.add(t)
    else:
        data = union_graph(ds)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    count = sum(1 for _ in results.subjects(predicate=SH.resultSeverity))
    return ValidationResult(bool(conforms), count, str(text))
