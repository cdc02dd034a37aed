"""Actor mentions on text written for these tests (not from the seeds)."""

PK = "https://w3id.org/ipkg/id/actor/pakistan"
IR = "https://w3id.org/ipkg/id/actor/iran"


def _labels(doc):
    return [(m.label, m.type) for m in doc._.ipkg_mentions]


def test_actor_linker_titled_person_gives_position(annotate):
    doc = annotate("Pakistani Prime Minister Shehbaz Sharif arrived in Tehran on Monday.")
    assert ("Shehbaz Sharif", "Person") in _labels(doc)
    (pos,) = doc._.ipkg_positions
    assert (pos.person.label, pos.office_label, pos.org) == ("Shehbaz Sharif", "Prime Minister", PK)


def test_actor_linker_unknown_titled_person_is_new_actor(annotate):
    doc = annotate("Iran's Ambassador to Oman, Kamran Farzadi, met traders.")
    people = [m for m in doc._.ipkg_mentions if m.type == "Person"]
    assert [p.label for p in people] == ["Kamran Farzadi"]
    assert people[0].key.startswith("new:Person:")
    assert doc._.ipkg_positions[0].org == IR


def test_actor_linker_surname_resolves_to_earlier_full_mention(annotate):
    doc = annotate("Asif Ali Zardari spoke first. Later, Zardari praised Iran.")
    zs = [m for m in doc._.ipkg_mentions if m.surface == "Zardari"]
    assert zs and zs[0].label == "Asif Ali Zardari"


def test_actor_linker_namesakes_stay_apart(annotate):
    doc = annotate("Bilawal Bhutto Zardari met Khawaja Asif. Asif said the talks went well.")
    asif = [m for m in doc._.ipkg_mentions if m.surface == "Asif"]
    assert asif and asif[0].label == "Khawaja Asif"
    assert "Asif Ali Zardari" not in [m.label for m in doc._.ipkg_mentions]


def test_actor_linker_capital_as_government_or_place(annotate):
    doc = annotate("Tehran said the strike was justified. Crowds filled the streets of Islamabad.")
    by_surface = {m.surface: (m.label, m.type) for m in doc._.ipkg_mentions}
    assert by_surface["Tehran"] == ("Iran", "State")
    assert by_surface["Islamabad"] == ("Islamabad", "Place")


def test_actor_linker_demonym_with_role_noun_is_the_state(annotate):
    doc = annotate("Iranian officials welcomed the decision.")
    assert _labels(doc) == [("Iran", "State")]


def test_actor_linker_rank_alone_is_not_an_office(annotate):
    doc = annotate("Field Marshal Asim Munir inspected the troops.")
    assert ("Asim Munir", "Person") in _labels(doc)
    assert doc._.ipkg_positions == []


def test_actor_linker_unknown_speaker(annotate):
    doc = annotate('The border is calm, as Farah Naqvi noted in an interview.')
    assert ("Farah Naqvi", "Person") in _labels(doc)


def test_actor_linker_no_person_from_capitalised_phrase(annotate):
    doc = annotate("Pakistan holds Major Non-NATO Ally status.")
    assert [m for m in doc._.ipkg_mentions if m.type == "Person"] == []


def test_actor_linker_currency_prefix_is_not_a_state(annotate):
    doc = annotate("Bilateral trade stands at around US$ 2.8 billion.")
    assert [m.label for m in doc._.ipkg_mentions] == []
