"""The anchored matcher finds what spaCy's Matcher finds with the trigger patterns."""

import random

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from ipkg.nlp.components.anchored import AnchoredMatcher, split_first_token
from ipkg.nlp.components.event_matcher import compile_pattern
from ipkg.resources import load_triggers


def _by_span(matches):
    out = {}
    for key, start, end in matches:
        out.setdefault((start, end), []).append(key)
    return out


def test_anchored_matcher_equals_plain_matcher_on_random_text(nlp):
    patterns = [compile_pattern(t.pattern) for t in load_triggers()]
    plain = Matcher(nlp.vocab)
    for key, pattern in enumerate(patterns):
        plain.add(str(key), [pattern])
    anchored = AnchoredMatcher(nlp.vocab, patterns, extension="ipkg_in_date")
    words = sorted({w for p in patterns for spec in p for w in spec.get("LOWER", {}).get("IN", [])})
    words += ["Tehran", "Pakistan's", "officially", "very", "-", '"', ",", ".", "on", "Friday", "the", "X"]
    rng = random.Random(7)
    if not Token.has_extension("ipkg_in_date"):
        Token.set_extension("ipkg_in_date", default=False)
    found = 0
    for _ in range(300):
        doc = Doc(nlp.vocab, words=[rng.choice(words) for _ in range(rng.randint(1, 40))])
        in_date = [rng.random() < 0.15 for _ in doc]
        for tok, flag in zip(doc, in_date):
            tok._.ipkg_in_date = flag
        expected = _by_span((int(nlp.vocab.strings[k]), s, e) for k, s, e in plain(doc))
        assert _by_span(anchored(doc, in_date)) == expected
        found += len(expected)
    assert found > 100


def test_split_first_token_keeps_other_patterns():
    pattern = [{"IS_TITLE": True}, {"LOWER": "met"}]
    assert split_first_token(pattern) == [pattern]
