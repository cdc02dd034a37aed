import pytest

from ipkg.kg import IPKG
from ipkg.kg.codegen import render_namespace


def test_namespace_generated_file_is_current():
    from pathlib import Path

    import ipkg.kg.namespace as ns

    assert Path(ns.__file__).read_text(encoding="utf-8") == render_namespace()


def test_namespace_is_closed():
    assert str(IPKG.Event) == "https://w3id.org/ipkg/ontology#Event"
    with pytest.raises(AttributeError):
        IPKG.Evnet  # noqa: B018
