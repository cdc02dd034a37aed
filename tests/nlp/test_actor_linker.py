"""Actor mentions on text written for these tests (not from the seeds)."""

import pytest

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


ACTOR = "https://w3id.org/ipkg/id/actor/"


def _positions(doc):
    return [(p.person.label, p.office_label, p.org_label) for p in doc._.ipkg_positions]


def test_actor_linker_title_word_that_starts_a_known_name_stays_in_it(annotate):
    doc = annotate("Pakistani Foreign Minister Shah Mahmood Qureshi flew to Kabul.")
    people = [m for m in doc._.ipkg_mentions if m.type == "Person"]
    assert [p.key for p in people] == [ACTOR + "shah-mahmood-qureshi"]
    assert _positions(doc) == [(people[0].label, "Foreign Minister", "Pakistan")]


def test_actor_linker_weekday_and_office_nouns_are_no_speakers(annotate):
    doc = annotate("Markets fell sharply. Thursday said little, but the Prime Minister's Office said talks would go on.")
    assert [m for m in doc._.ipkg_mentions if m.type == "Person"] == []
    assert ("Prime Minister's Office (Pakistan)", "GovernmentBody") in _labels(doc)


def test_actor_linker_demonym_before_lowercase_ministry_names_that_ministry(annotate):
    doc = annotate("A Chinese foreign ministry spokeswoman, Li Wen, said China was concerned.")
    assert ("Ministry of Foreign Affairs (China)", "GovernmentBody") in _labels(doc)
    assert _positions(doc) == [("Li Wen", "Spokesperson", "Ministry of Foreign Affairs (China)")]


def test_actor_linker_office_short_form_resolved_by_capital_after_it(annotate):
    doc = annotate("The Foreign Office in Islamabad issued a short statement about the talks.")
    assert _labels(doc)[0] == ("Ministry of Foreign Affairs (Pakistan)", "GovernmentBody")


def test_actor_linker_office_short_form_left_alone_when_states_compete(annotate):
    doc = annotate("Iran and Pakistan traded accusations. The Foreign Ministry declined to comment.")
    assert [lab for lab, _ in _labels(doc)] == ["Iran", "Pakistan"]


def test_actor_linker_spokesperson_of_the_named_ministry(annotate):
    doc = annotate("Pakistan's Foreign Office issued a note. Foreign Office spokesperson Amna Rafiq answered questions.")
    assert _positions(doc) == [("Amna Rafiq", "Spokesperson", "Ministry of Foreign Affairs (Pakistan)")]


def test_actor_linker_its_spokesperson_takes_the_organisation_before_it(annotate):
    doc = annotate("Pakistan's Foreign Office rejected the claim, and its spokesman, Omar Javed, called it baseless.")
    assert _positions(doc) == [("Omar Javed", "Spokesperson", "Ministry of Foreign Affairs (Pakistan)")]


def test_actor_linker_chief_minister_takes_the_province_not_the_state(annotate):
    doc = annotate("The delegation later met Chief Minister Murad Ali Shah.")
    assert _positions(doc) == [("Murad Ali Shah", "Chief Minister", "Sindh")]


def test_actor_linker_titled_list_is_not_an_apposition(annotate):
    doc = annotate("He met Senate Chairman Yousuf Raza Gilani, Prime Minister Shehbaz Sharif and others.")
    assert ("Yousuf Raza Gilani", "Prime Minister", "Pakistan") not in _positions(doc)
    assert ("Shehbaz Sharif", "Prime Minister", "Pakistan") in _positions(doc)


def test_actor_linker_state_after_titled_name_is_the_office_org(annotate):
    doc = annotate("In 1960 President Kemal Arslan of Turkey opened the fair.")
    assert _positions(doc) == [("Kemal Arslan", "President", "Turkey")]


def test_actor_linker_unknown_name_with_office_apposition_is_a_person(annotate):
    doc = annotate("Reza Karimi, deputy governor of Sistan and Baluchestan, confirmed the toll.")
    assert ("Reza Karimi", "Person") in _labels(doc)
    assert _positions(doc) == [("Reza Karimi", "Deputy Governor", "Sistan and Baluchestan")]


def test_actor_linker_hyphenated_surname_resolves_to_full_mention(annotate):
    doc = annotate("Hossein Amir-Abdollahian arrived on Monday. Amir-Abdollahian said the talks were useful.")
    assert {m.key for m in doc._.ipkg_mentions if m.type == "Person"} == {ACTOR + "hossein-amir-abdollahian"}


def test_actor_linker_counterpart_holds_the_same_office(annotate):
    doc = annotate("Pakistani Interior Minister Mohsin Naqvi met his Iranian counterpart Ali Rostami in Quetta.")
    assert ("Ali Rostami", "Interior Minister", "Iran") in _positions(doc)


def test_actor_linker_non_prefixed_name_is_no_mention(annotate):
    doc = annotate("Turkey remains a non-NATO partner of the region, officials said.")
    assert "North Atlantic Treaty Organization" not in [m.label for m in doc._.ipkg_mentions]


def test_actor_linker_name_after_determiner_is_no_speaker(annotate):
    doc = annotate("Diplomats from several Gulf states said they were worried. Many Nordic states said nothing.")
    assert [m for m in doc._.ipkg_mentions if m.type == "Person"] == []


def test_actor_linker_state_inside_an_event_name_is_no_mention(annotate):
    doc = annotate("Veterans of the Iran–Iraq War marched. The Treaty of Kabul was never ratified by Afghanistan.")
    assert [m.label for m in doc._.ipkg_mentions] == ["Afghanistan"]


def test_actor_linker_army_name_gives_way_to_army_chief_office(annotate):
    doc = annotate("Pakistani army chief Asim Munir flew to Kabul. Later the Pakistani army said the border was calm.")
    assert _positions(doc) == [("Asim Munir", "Chief of Army Staff", "Pakistan")]
    assert ("Pakistan Army", "MilitaryOrganization") in _labels(doc)


def test_actor_linker_rank_word_at_the_end_of_a_name_is_a_surname(annotate):
    doc = annotate("The delegation met Chief Minister Syed Kamal Hussain Shah in Hyderabad.")
    assert [m.label for m in doc._.ipkg_mentions if m.type == "Person"] == ["Syed Kamal Hussain Shah"]


def test_actor_linker_name_cut_by_a_glued_citation_mark_is_dropped(annotate):
    text = (
        "In 2020 the delegation met Prime Minister Omar Farooq Tarar.[4] Talks followed in the capital.\n"
        "A later round of talks in Tehran was held without any agreement on the border question."
    )
    doc = annotate(text)
    assert "Omar Farooq" not in [m.label for m in doc._.ipkg_mentions]


def test_actor_linker_gulf_alone_is_the_persian_gulf_but_not_inside_a_longer_name(annotate):
    doc = annotate("Tankers crossed the Gulf on Monday. Pirates remain active in the Gulf of Aden.")
    assert [m.surface for m in doc._.ipkg_mentions if m.label == "Persian Gulf"] == ["Gulf"]


def test_actor_linker_short_form_inside_an_office_title_is_no_mention(annotate):
    doc = annotate("General Mohammad Bagheri, Chief of Staff of the Armed Forces, landed in Islamabad.")
    assert [m.label for m in doc._.ipkg_mentions] == ["Mohammad Bagheri", "Islamabad"]


def test_actor_linker_chief_of_staff_is_its_own_office(annotate):
    doc = annotate("Nasir Qadri, chief of staff to the president, said the visit was useful.")
    assert _positions(doc) == [("Nasir Qadri", "Chief of Staff", None)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Iran summoned Pakistan's ambassador in Tehran, Asif Durrani, on Thursday.", ("Asif Durrani", "Ambassador", "Pakistan")),
        ("Iran's Foreign Ministry summoned the envoy. Bahram Ghasemi, the ministry's spokesman, accused Pakistan.", ("Bahram Ghasemi", "Spokesperson", "Ministry of Foreign Affairs (Iran)")),
        ("Bahram Ghasemi, a spokesman for Iran's Foreign Ministry, accused Pakistan.", ("Bahram Ghasemi", "Spokesperson", "Ministry of Foreign Affairs (Iran)")),
    ],
)
def test_offices_in_a_city_and_of_the_institution_named_before(annotate, text, expected):
    doc = annotate(text)
    assert expected in [(p.person.label, p.office_label, p.org_label) for p in doc._.ipkg_positions]
