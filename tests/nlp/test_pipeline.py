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


_TRICKY = (
    "Iran's envoy, Mr. Ali, said: \"don't\" -- U.S.-Pakistan ties (2024) are 'good'.[1]  See https://example.org/a?b=c "
    "or mail@example.com :) at 5 p.m. on Jan. 3rd; e.g. $5bn, 1,200km, Rs.500 and £3.5m.\n\n"
    "امروز به پاکستان سفر میکنم. Islamabad—Tehran: co-operation can't wait... N'Djamena's O'Brien isn't."
)


@pytest.mark.parametrize("order", ["text first", "words first"])
def test_pipeline_primed_tokenizer_gives_the_same_tokens(order):
    """Priming (each new word tokenized alone, so that spaCy caches it) changes no token, on
    the seeds and on text full of special cases, affixes and infixes, whichever comes first."""
    from conftest import SEEDS
    from ipkg.nlp.pipeline import _PRIMED, prime_tokenizer

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.is_file()] + [_TRICKY]
    if order == "words first":
        texts = [" ".join(sorted({w for t in texts for w in t.split()}))] + texts
    plain, primed = spacy.blank("en"), spacy.blank("en")
    for text in texts:
        prime_tokenizer(primed, text)
        expected = [(t.text, t.whitespace_) for t in plain.make_doc(text)]
        assert [(t.text, t.whitespace_) for t in primed.make_doc(text)] == expected
    assert _PRIMED[primed][0] is primed.tokenizer and "Iran's" in _PRIMED[primed][1]
    primed.tokenizer = spacy.blank("en").tokenizer  # a new tokenizer is primed afresh
    prime_tokenizer(primed, "Tehran")
    assert _PRIMED[primed][1] == {"Tehran"}
