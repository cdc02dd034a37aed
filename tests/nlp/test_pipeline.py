import pytest
import spacy

from ipkg.errors import IpkgError
from ipkg.nlp import build_nlp


def test_pipeline_default_is_blank_and_offline(nlp):
    assert nlp.pipe_names[0] == "ipkg_cleaner"
    assert not any(n in nlp.pipe_names for n in ("tagger", "parser", "ner"))


def test_pipeline_missing_model_is_a_clear_error():
    with pytest.raises(IpkgError, match="not installed"):
        build_nlp(model="en_core_web_nonexistent")


def test_pipeline_builds_on_a_configured_pipeline(tmp_path):
    """A statistical pipeline on disk (a path works like an installed package name)."""
    base = spacy.blank("en")
    base.add_pipe("sentencizer")
    base.to_disk(tmp_path / "model")
    nlp = build_nlp(model=str(tmp_path / "model"))
    assert "sentencizer" in nlp.pipe_names and "ipkg_events" in nlp.pipe_names
    doc = nlp("Masoud Pezeshkian visited Pakistan in August 2025.")
    assert [e.kind for e in doc._.ipkg_events] == ["visit"]


def test_pipeline_factories_registered():
    from spacy.language import Language

    import ipkg.nlp.components  # noqa: F401

    for name in ("ipkg_cleaner", "ipkg_sentencizer", "ipkg_actor_linker", "ipkg_dates", "ipkg_events", "ipkg_relations"):
        assert Language.has_factory(name)
