from ipkg.nlp.components.relation_rules import find_figures
from ipkg.resources import load_figure_words


def test_relation_rules_quote_after_and_before(annotate):
    doc = annotate('"We will never accept strikes on our soil," Khawaja Asif said. Ishaq Dar stated: "Our two nations share a long and proud history."')
    got = [(q.speaker.label, q.text[:20]) for q in doc._.ipkg_quotes]
    assert got == [("Khawaja Asif", "We will never accept"), ("Ishaq Dar", "Our two nations shar")]


def test_relation_rules_short_scare_quotes_are_not_quotes(annotate):
    doc = annotate('Ishaq Dar praised the "brotherly" ties.')
    assert doc._.ipkg_quotes == []


def test_relation_rules_figures():
    w = load_figure_words()
    got = [(f.label, f.value, f.unit) for f in find_figures("They aim to raise bilateral trade to $5 billion, and 3,000 trucks crossed.", w)]
    assert got == [("bilateral trade target", 5e9, "USD"), ("trucks", 3000.0, "count")]
