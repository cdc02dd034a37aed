import pytest

from ipkg.nlp.components.relation_rules import find_figures
from ipkg.resources import load_figure_words


def test_relation_rules_quote_after_and_before(annotate):
    doc = annotate('"We will never accept strikes on our soil," Khawaja Asif said. Ishaq Dar stated: "Our two nations share a long and proud history."')
    got = [(q.speaker.label, q.text[:20]) for q in doc._.ipkg_quotes]
    assert got == [("Khawaja Asif", "We will never accept"), ("Ishaq Dar", "Our two nations shar")]


def test_relation_rules_short_scare_quotes_are_not_quotes(annotate):
    doc = annotate('Ishaq Dar praised the "brotherly" ties.')
    assert doc._.ipkg_quotes == []


def _figures(text: str) -> list[tuple[str, float, str]]:
    return [(f.label, f.value, f.unit) for f in find_figures(text, load_figure_words())]


def test_relation_rules_figures():
    got = _figures("They aim to raise bilateral trade to $5 billion, and 3,000 trucks crossed.")
    assert got == [("bilateral trade target", 5e9, "USD"), ("trucks", 3000.0, "count")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gunmen killed seven labourers and injured two Afghan students near the mine.", [("labourers killed", 7.0, "person"), ("students injured", 2.0, "person")]),
        ("Eleven fishermen, including three boys and two women, were kidnapped at sea.", [("fishermen abducted", 11.0, "person"), ("boys abducted", 3.0, "person"), ("women abducted", 2.0, "person")]),
        ("The raiders stopped 12 travellers and 9 pilgrims on the highway and killed them.", [("pilgrims killed", 9.0, "person")]),
        ("Six soldiers were wounded in the ambush.", [("soldiers injured", 6.0, "person")]),
        ("The province sent 300 troops to the frontier.", [("troops", 300.0, "personnel")]),
    ],
)
def test_relation_rules_people_counted_with_their_fate(text, expected):
    assert _figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The two students presented their findings to three professors.",
        "In 1998 its fighters killed nobody.",
        "In 2021, militants killed nobody in the town.",
        "The delegation met four members of the committee.",
    ],
)
def test_relation_rules_people_without_fate_or_years_are_not_figures(text):
    assert _figures(text) == []


def test_relation_rules_population_needs_no_fate():
    assert _figures("The country of 85 million people imports most of its wheat.") == [("people", 85e6, "person")]


def test_relation_rules_daily_penalty_and_lifted_target():
    assert _figures("The buyer must pay a penalty of $2 million per day for late delivery.") == [("penalty", 2e6, "USD/day")]
    assert _figures("Ministers set a goal of lifting annual trade to $3 billion.") == [("trade target", 3e9, "USD")]


def test_relation_rules_memorandums_and_member_states_are_counts():
    assert _figures("The ministers signed nine memorandums of understanding.") == [("memorandums of understanding", 9.0, "count")]
    assert _figures("The bloc now has 14 member states.") == [("member states", 14.0, "count")]


def test_relation_rules_figures_repeated_in_a_document_are_one(annotate):
    doc = annotate("A bomb killed three children in the market. Police said the bomb killed three children and no adults.")
    assert [(f.label, f.value, f.date) for f in doc._.ipkg_figures] == [("children killed", 3.0, None)]


def test_relation_rules_each_amount_takes_its_nearest_keyword():
    got = _figures("The lender will finance $300 million of the road, which will cost $900 million, and offers a $40 million credit line.")
    assert got == [("financing", 3e8, "USD"), ("cost", 9e8, "USD"), ("credit line", 4e7, "USD")]


def test_relation_rules_target_noun_against_actual():
    got = _figures("Trade stood at $1.2 billion last year, well short of the target of $4 billion.")
    assert got == [("trade", 1.2e9, "USD"), ("trade target", 4e9, "USD")]


def test_relation_rules_hedged_clause_gives_no_figure():
    assert _figures("Eight soldiers were reportedly killed in the raid.") == []
    got = _figures("The firm has reportedly left the market, where 5,000 tons of rice were sold last year.")
    assert got == [("tons of rice", 5000.0, "ton")]


def test_relation_rules_of_phrase_labels_goods_not_determiners():
    assert _figures("About 60 percent of the wheat and 2,000 tons of the rice came by road.") == [("percent", 60.0, "percent"), ("tons", 2000.0, "ton")]
    assert _figures("They shipped 800 tons of cement.") == [("tons of cement", 800.0, "ton")]


def test_quote_by_the_iranian_president_named_before(annotate):
    text = (
        "Iranian President Ebrahim Raisi met Prime Minister Shehbaz Sharif on 15 September 2022.\n"
        '"Sanctions have failed to break the will of our nation and our people," the Iranian president told the summit.\n'
    )
    doc = annotate(text)
    assert [(q.speaker.label, q.text[:8]) for q in doc._.ipkg_quotes] == [("Ebrahim Raisi", "Sanction")]


def test_a_bare_minister_is_not_guessed(annotate):
    text = (
        "Prime Minister Imran Khan received Mohammad Javad Zarif on 24 May 2019.\n"
        '"A fence is not a wall between brothers at all," the Pakistani minister told reporters.\n'
    )
    doc = annotate(text)
    assert all(q.speaker.label != "Imran Khan" for q in doc._.ipkg_quotes)
