"""Events on text written for these tests (not from the seeds)."""

import datetime as dt

import pytest


def _events(doc):
    return [(e.kind, [a.label for a in e.actors], [t.label for t in e.targets], e.date) for e in doc._.ipkg_events]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Iranian President Masoud Pezeshkian visited Pakistan on April 22, 2024.", ("visit", ["Masoud Pezeshkian"], ["Pakistan"], "2024-04-22")),
        ("Shehbaz Sharif received a call from Masoud Pezeshkian on May 3, 2025.", ("call", ["Masoud Pezeshkian"], ["Shehbaz Sharif"], "2025-05-03")),
        ("In 1950, Turkey recognized Pakistan.", ("recognition", ["Turkey"], ["Pakistan"], "1950")),
        ("Pakistan strongly condemned Israel's attack on Iran.", ("condemn", ["Pakistan"], ["Israel"], None)),
        ("Asim Munir met with Ali Khamenei in Tehran in June 2025.", ("meeting", ["Asim Munir"], ["Ali Khamenei"], "2025-06")),
        ("Ishaq Dar thanked China for its support.", ("thank", ["Ishaq Dar"], ["China"], None)),
    ],
)
def test_event_matcher_frames(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_event_matcher_visit_to_capital_goes_to_state_with_place(annotate):
    doc = annotate("Abbas Araghchi paid an official visit to Islamabad in January 2024.")
    (ev,) = doc._.ipkg_events
    assert (ev.kind, ev.targets[0].label, ev.place.label, ev.date) == ("visit", "Pakistan", "Islamabad", "2024-01")


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan has never recognized Israel.",
        "If Pezeshkian visited Pakistan, trade would grow.",
        "Sharif could visit Tehran next year.",
        '"Iran condemned Israel for the attack on its consulate," the analyst wrote.',
    ],
)
def test_event_matcher_negation_irrealis_and_quotes_give_no_event(annotate, text):
    assert _events(annotate(text)) == []


def test_event_matcher_weekday_resolves_against_publication(annotate):
    doc = annotate("Ishaq Dar met Abbas Araghchi on Tuesday.", published=dt.date(2024, 1, 19))
    assert _events(doc) == [("meeting", ["Ishaq Dar"], ["Abbas Araghchi"], "2024-01-16")]


def test_event_matcher_pronoun_and_coordination(annotate):
    doc = annotate("Asif Ali Zardari hosted a dinner. He then condemned Israel and praised Iran.")
    got = _events(doc)
    assert ("condemn", ["Asif Ali Zardari"], ["Israel"], None) in got
    assert ("praise", ["Asif Ali Zardari"], ["Iran"], None) in got


def test_event_matcher_strike_casualties(annotate):
    doc = annotate("Iran carried out missile strikes on Pakistan on January 16, 2024, killing two children.")
    (ev,) = doc._.ipkg_events
    assert (ev.kind, ev.actors[0].label, ev.targets[0].label, ev.casualties) == ("strike", "Iran", "Pakistan", 2)


def test_event_matcher_addable_to_users_pipeline():
    import spacy

    import ipkg.nlp.components  # noqa: F401

    nlp = spacy.blank("en")
    for name in ("ipkg_cleaner", "ipkg_sentencizer", "ipkg_actor_linker", "ipkg_dates", "ipkg_events"):
        nlp.add_pipe(name)
    doc = nlp("Nothing happens here.")
    assert doc._.ipkg_events == []


@pytest.mark.parametrize(
    "text,expected",
    [
        # apposition between subject and verb; the pronoun of the main clause is that subject
        (
            "When Hamid Karzai, then Afghanistan's president, visited Islamabad on 3 May 2010, he met Yousaf Raza Gilani.",
            [("visit", ["Hamid Karzai"], ["Pakistan"], "2010-05-03"), ("meeting", ["Hamid Karzai"], ["Yousaf Raza Gillani"], "2010-05-03")],
        ),
        # a participle clause takes the subject of the main clause, and "him" the other person
        (
            "On 2 June 2024, Asim Munir received a call from Mohammad Bagheri, thanking him for his help.",
            [("thank", ["Mohammad Bagheri"], ["Asim Munir"], "2024-06-02")],
        ),
    ],
)
def test_event_matcher_clause_structure(annotate, text, expected):
    found = _events(annotate(text))
    for ev in expected:
        assert ev in found


def test_participle_after_an_object_is_not_its_subject(annotate):
    doc = annotate("Turkey criticised the Israeli raid, expressing solidarity with Iran.")
    assert all(a.label != "Israel" for e in doc._.ipkg_events for a in e.actors)


def test_undated_event_takes_the_month_of_the_narrative(annotate):
    text = (
        "Recep Tayyip Erdogan visited Pakistan on March 4, 2023.\n"
        "During his visit, Erdogan thanked Pakistan for its hospitality.\n"
    )
    found = _events(annotate(text))
    assert ("thank", ["Recep Tayyip Erdoğan"], ["Pakistan"], "2023-03") in found


@pytest.mark.parametrize(
    "text,published,expected",
    [
        # "a day after <event>": the day before the main clause's date
        (
            "Turkey on Friday closed its consulate, a day after an Iraqi drone strike in Syria.",
            "2023-06-03",
            ("strike", ["Iraq"], ["Syria"], "2023-06-01"),
        ),
        # a subordinate clause's subject, coordinated target states
        (
            "The raid came a day after Israel fired rockets at what it called camps in Lebanon and Syria on 4 May 2021.",
            None,
            ("strike", ["Israel"], ["Lebanon", "Syria"], "2021-05-04"),
        ),
        # a pronoun right after a speech verb is the speaker
        (
            "India said on 9 March 2022 it had launched a missile strike on Pakistan by accident.",
            None,
            ("strike", ["India"], ["Pakistan"], "2022-03-09"),
        ),
        # "two days later": counted from the sentence's date
        (
            "Shehbaz Sharif visited Turkey on 1 June 2023 and two days later flew to Qatar.",
            None,
            ("visit", ["Shehbaz Sharif"], ["Qatar"], "2023-06-03"),
        ),
    ],
)
def test_event_dates_and_arguments_across_clauses(annotate, text, published, expected):
    pub = dt.date.fromisoformat(published) if published else None
    assert expected in _events(annotate(text, published=pub))


def test_date_without_year_takes_the_year_of_its_paragraph(annotate):
    doc = annotate("In 2016 Nawaz Sharif flew to Riyadh on January 18.\n", published=dt.date(2023, 3, 1))
    assert [d.iso for d in doc._.ipkg_dates] == ["2016", "2016-01-18"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Turkey condemned Russia's March 3 attack on Ukraine.", ("strike", ["Russia"], ["Ukraine"], None)),
        ("The punitive strikes by India, aimed at camps within Pakistani territory, raised tensions.", ("strike", ["India"], ["Pakistan"], None)),
        ("After U.S. airstrikes on Iraqi bases on 2 January 2020, Iran protested.", ("strike", ["United States"], ["Iraq"], "2020-01-02")),
    ],
)
def test_nominal_strikes(annotate, text, expected):
    found = [e[:3] for e in _events(annotate(text))]
    assert expected[:3] in found


def test_adjectival_date_dates_its_noun(annotate):
    doc = annotate("Turkey condemned Russia's March 3 attack on Ukraine.", published=dt.date(2022, 3, 10))
    strike = next(e for e in doc._.ipkg_events if e.kind in ("strike", "attack"))
    assert strike.date == "2022-03-03"


def test_reported_strike_is_not_an_event(annotate):
    doc = annotate("The report of an Israeli strike near Iran's nuclear site was not confirmed.")
    assert not [e for e in doc._.ipkg_events if e.kind in ("strike", "attack")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Recep Tayyip Erdogan reiterated that Turkey stands with Azerbaijan.", ("support", ["Recep Tayyip Erdoğan"], ["Azerbaijan"], None)),
        ("Afghanistan accused Pakistan's ISI of backing militants.", ("accuse", ["Afghanistan"], ["Inter-Services Intelligence"], None)),
        ("Narendra Modi reaffirmed India's commitment to closer ties with Japan.", ("pledge", ["Narendra Modi"], ["Japan"], None)),
        ("Turkey, for its part, strongly condemned Israel.", ("condemn", ["Turkey"], ["Israel"], None)),
    ],
)
def test_stances(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_adverbs_in_coordination_do_not_borrow_the_previous_subject(annotate):
    doc = annotate("Israel struck Syria, yet Turkey openly and firmly expressed its support for Syria.")
    assert ("support", ["Turkey"], ["Syria"], None) in _events(doc)


def test_a_repeated_sentence_is_one_statement(annotate):
    s = "Throughout the crisis, Turkey aligned firmly with Azerbaijan, expressing solidarity with Baku."
    doc = annotate(f"{s} Then it grew.\nMore text follows here about other things entirely. {s}\n")
    supports = [e for e in doc._.ipkg_events if e.kind == "support"]
    assert supports and all(doc[e.start].sent.start == 0 for e in supports)


def test_dateline_dates_the_report_not_the_event(annotate):
    doc = annotate("Washington, February 6: Turkey's open support for Azerbaijan worries its allies.\n", published=dt.date(2024, 2, 6))
    assert [(e.kind, e.date) for e in doc._.ipkg_events] == [("support", None)]
    doc = annotate("Erdogan visited Pakistan on May 2-3, 2024 — his first trip abroad.\n")
    assert [(e.kind, e.date) for e in doc._.ipkg_events] == [("visit", "2024-05-02")]


def test_a_date_after_on_before_a_dash_is_the_sentence_own(annotate):
    """ "On June 13, 2025 — the day the war began — ..." opens with a date, not a dateline."""
    doc = annotate("On March 4, 2023 — the day the talks failed — Turkey condemned Armenia.\n")
    assert [(e.kind, e.date) for e in doc._.ipkg_events] == [("condemn", "2023-03-04")]


def test_habitual_stance_is_not_a_statement(annotate):
    doc = annotate("Turkey has consistently condemned attacks on Azerbaijan.")
    assert not doc._.ipkg_events


def test_narrative_month_counts_an_adjectival_date(annotate):
    doc = annotate("The June 2025 war was short. Throughout the hostilities, Turkey aligned firmly with Azerbaijan.\n")
    assert ("support", ["Turkey"], ["Azerbaijan"], "2025-06") in _events(doc)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Narendra Modi met Yousaf Raza Gilani on 2 May 2010, and army chief Ashfaq Parvez Kayani called on him the same evening.", ("meeting", ["Ashfaq Parvez Kayani"], ["Narendra Modi"], "2010-05-02")),
        ("Turkey called on Iran to withdraw its ships.", ("appeal", ["Turkey"], ["Iran"], None)),
        (
            "It followed a telephone call on 3 June 2022 between Jaishankar's Saudi counterpart Faisal bin Farhan and his Turkish counterpart, Mevlut Cavusoglu.",
            ("call", ["Faisal bin Farhan"], ["Mevlüt Çavuşoğlu"], "2022-06-03"),
        ),
        ("Shehbaz Sharif visited Turkey on 2 May 2022 and met Recep Tayyip Erdogan. The two leaders met again in 2023.", ("meeting", ["Shehbaz Sharif"], ["Recep Tayyip Erdoğan"], "2023")),
    ],
)
def test_meetings_across_phrasing(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_during_a_meeting_takes_the_sentence_subject(annotate):
    doc = annotate("On 4 March 2024, Recep Tayyip Erdogan praised Qatar during a meeting on Monday with Sheikh Tamim bin Hamad Al Thani.", published=dt.date(2024, 3, 6))
    assert ("meeting", ["Recep Tayyip Erdoğan"], ["Tamim bin Hamad Al Thani"]) in [e[:3] for e in _events(doc)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # talks in the host's capital by a foreigner are that foreigner's visit
        ("On 3 May 2016, Recep Tayyip Erdogan and Nawaz Sharif held talks in Islamabad.", ("visit", ["Recep Tayyip Erdoğan"], ["Pakistan"], "2016-05-03")),
        # "during a visit to X, A and B signed": the visitor, not the host
        ("On 4 May 2016, during a visit to Tehran, Nawaz Sharif and Hassan Rouhani signed an energy agreement.", ("visit", ["Nawaz Sharif"], ["Iran"], "2016-05-04")),
        # "X of Y made history as the first ... to undertake a visit"
        ("Zhou Enlai of China made history as the first head of any government to undertake an official state visit to Pakistan in April 1956.", ("visit", ["Zhou Enlai"], ["Pakistan"], "1956-04")),
    ],
)
def test_visits_across_phrasing(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_a_resident_ambassador_meeting_in_the_capital_is_no_visit(annotate):
    doc = annotate("In a meeting with Iranian Ambassador Reza Amiri Moghadam on 3 May 2024 in Islamabad, Khawaja Asif praised Iran.")
    assert not [e for e in doc._.ipkg_events if e.kind == "visit"]


def test_an_ongoing_visit_is_dated_to_the_month(annotate):
    doc = annotate("Dar met Ali Larijani, who is on an official visit to Islamabad, on 25 November 2025.")
    assert ("visit", ["Ali Larijani"], ["Pakistan"], "2025-11") in _events(doc)


def test_a_list_of_leaders_met_pairwise(annotate):
    doc = annotate("On 2 May 1985, President Zia-ul-Haq of Pakistan, Ali Khamenei of Iran and President Kenan Evren of Turkey met in Tehran.")
    pairs = {frozenset((e.actors[0].label, t.label)) for e in doc._.ipkg_events if e.kind == "meeting" for t in e.targets}
    assert len(pairs) == 3 and all(len(p) == 2 for p in pairs)


def test_they_is_the_group_that_acted_last(annotate):
    text = "Nawaz Sharif and Raheel Sharif flew to Riyadh on 18 January 2016. In Riyadh they met Mohammed bin Salman."
    found = _events(annotate(text))
    assert ("meeting", ["Nawaz Sharif", "Raheel Sharif"], ["Mohammed bin Salman"], "2016-01-18") in found


def test_after_talks_with_takes_the_speaker(annotate):
    text = "Both sides will cooperate, President Hassan Rouhani said on 22 April 2019 after talks with Prime Minister Imran Khan in Tehran."
    assert ("talks", ["Hassan Rouhani"], ["Imran Khan"], "2019-04-22") in _events(annotate(text))


def test_his_visit_and_a_since_clause(annotate):
    text = "Imran Khan, on his first official visit to Iran since taking office last August, arrived in Mashhad on Sunday."
    found = _events(annotate(text, published=dt.date(2019, 4, 22)))
    assert ("visit", ["Imran Khan"], ["Iran"], "2019-04-21") in found


def test_visit_legs_on_consecutive_days_are_one_visit():
    from ipkg.facts import resolve
    from ipkg.facts.model import ActorRef, DocumentFacts, EventFact, Evidence

    base = "https://w3id.org/ipkg/id/actor/"
    a, b = ActorRef(base + "a", "A", "Person", "A"), ActorRef(base + "b", "B", "State", "B")
    legs = [EventFact("visit", (a,), (b,), Evidence("d", "s", 0, 1), date=d) for d in ("2024-04-22", "2024-04-23", "2024-06-01")]
    r = resolve([DocumentFacts("d", "d", events=legs)])
    assert sorted(e.date for e in r.events) == ["2024-04-22", "2024-06-01"]


def test_claim_of_responsibility_names_the_attacker(annotate):
    text = "In March, a roadside bombing near Quetta killed 12 members of the Frontier Corps. The Balochistan Liberation Army claimed the attack."
    found = _events(annotate(text, published=dt.date(2022, 5, 1)))
    assert ("strike", ["Balochistan Liberation Army"], ["Frontier Corps"], "2022-03") in found


def test_relative_claim_of_an_attack(annotate):
    text = "Oil prices rose after the 2 May 2021 drone attack on Saudi oil facilities, which Yemen's Houthis claimed."
    assert ("strike", ["Houthis"], ["Saudi Arabia"], "2021-05-02") in _events(annotate(text))


def test_a_bare_claim_is_not_responsibility(annotate):
    text = "A bombing near Quetta killed 12 members of the Frontier Corps. Pakistan claimed victory in the match."
    assert not [e for e in annotate(text)._.ipkg_events if e.kind == "strike"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Imran Khan spoke by telephone on 4 May 2020 with Hassan Rouhani.", ("call", ["Imran Khan"], ["Hassan Rouhani"], "2020-05-04")),
        ("Hassan Rouhani was received at the airport in Lahore on 4 May 2020 by Prime Minister Imran Khan.", ("meeting", ["Imran Khan"], ["Hassan Rouhani"], "2020-05-04")),
        ("Rouhani was welcomed by Prime Minister Imran Khan, who later held separate talks with Hassan Rouhani on 4 May 2020.", ("talks", ["Imran Khan"], ["Hassan Rouhani"], "2020-05-04")),
    ],
)
def test_meetings_with_dates_inside_and_relative_subjects(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_the_two_presidents_are_the_last_two_persons(annotate):
    text = "Arif Alvi met Ebrahim Raisi on 3 May 2023. Later, Arif Alvi thanked Iran. The two presidents pledged to support Afghanistan."
    found = _events(annotate(text))
    assert any(e[0] == "pledge" and set(e[1]) == {"Arif Alvi", "Ebrahim Raisi"} for e in found)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Israeli aircraft struck military sites in several Iranian provinces on 26 October 2024.", ("strike", ["Israel"], ["Iran"], "2024-10-26")),
        (
            "Jaish al-Adl, which grew out of the Jundallah group, is active in the border region. In May 2015 its fighters killed eight Iranian border guards near Saravan.",
            ("strike", ["Jaish al-Adl"], ["Iran"], "2015-05"),
        ),
    ],
)
def test_strikes_by_forces_and_fighters(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_casualties_are_not_a_year(annotate):
    doc = annotate("In May 2015 Jaish al-Adl fighters killed eight Iranian border guards near Saravan.")
    (ev,) = [e for e in doc._.ipkg_events if e.kind == "strike"]
    assert ev.casualties == 8


def test_a_pattern_of_attacks_is_not_one_strike(annotate):
    doc = annotate("Jaish al-Adl has carried out several attacks on Iranian forces along the frontier.")
    assert not doc._.ipkg_events


def test_a_killing_needs_an_armed_actor(annotate):
    assert not annotate("Nawaz Sharif killed the bill in parliament on 2 May 2016.")._.ipkg_events


def test_including_names_the_members_of_a_group(annotate):
    doc = annotate("Ebrahim Raisi held talks with top Pakistani leaders, including Prime Minister Shehbaz Sharif, on 22 April 2024.")
    assert ("talks", ["Ebrahim Raisi"], ["Shehbaz Sharif"], "2024-04-22") in _events(doc)


def test_alongside_joins_the_first_party(annotate):
    doc = annotate("The meeting between Pakistan's army chief Asim Munir and Ebrahim Raisi, alongside Prime Minister Shehbaz Sharif, eased tensions.")
    (ev,) = [e for e in doc._.ipkg_events if e.kind == "meeting"]
    assert [a.label for a in ev.actors] == ["Asim Munir", "Shehbaz Sharif"] and [t.label for t in ev.targets] == ["Ebrahim Raisi"]


def test_agreements_are_between_states(annotate):
    text = (
        "On 21 July 1964, President Ayub Khan of Pakistan, Shah Mohammad Reza Pahlavi of Iran and President Cemal Gürsel of Turkey "
        "met in Istanbul and founded the Regional Cooperation for Development. The three countries signed the Treaty of Izmir in 1977."
    )
    found = [(e[0], sorted(e[1] + e[2]), e[3]) for e in _events(annotate(text)) if e[0] == "agreement"]
    assert found == [("agreement", ["Iran", "Pakistan", "Turkey"], "1964-07-21"), ("agreement", ["Iran", "Pakistan", "Turkey"], "1977")]


def test_gerund_subject_and_a_condemned_attack_across_junk(annotate):
    text = (
        "The crisis began with Iran's admission of carrying out a missile and drone attack on western Pakistan in January 2024.\n"
        "- Nia Peeples Husband\n- Al Horford Wife\n"
        "Officials in Islamabad said two children were killed and three others were injured in the attack.\n"
        "The Pakistani Ministry of Foreign Affairs condemned the attack, calling it a grave violation of its airspace.\n"
    )
    found = _events(annotate(text))
    assert ("strike", ["Iran"], ["Pakistan"], "2024-01") in found
    assert ("condemn", ["Ministry of Foreign Affairs (Pakistan)"], ["Iran"], "2024-01") in found


def test_second_destination_the_next_day(annotate):
    text = "Nawaz Sharif and Raheel Sharif flew to Riyadh on 18 January 2016 and to Tehran the next day. In Tehran they met Hassan Rouhani."
    found = _events(annotate(text))
    assert ("visit", ["Nawaz Sharif", "Raheel Sharif"], ["Iran"], "2016-01-19") in found
    assert ("meeting", ["Nawaz Sharif", "Raheel Sharif"], ["Hassan Rouhani"], "2016-01-19") in found


def test_the_iranian_president_is_the_president_named_before(annotate):
    text = "Iranian President Ebrahim Raisi spoke by telephone on 1 September 2022 with Prime Minister Shehbaz Sharif. Sharif thanked the Iranian president for the aid."
    assert ("thank", ["Shehbaz Sharif"], ["Ebrahim Raisi"], "2022-09-01") in _events(annotate(text))


def test_he_is_the_previous_sentence_subject(annotate):
    text = "Hassan Rouhani held talks on 4 May 2016 with his counterpart Nawaz Sharif. He later called on Raheel Sharif in Rawalpindi."
    assert ("meeting", ["Hassan Rouhani"], ["Raheel Sharif"]) in [e[:3] for e in _events(annotate(text))]


def test_a_since_clause_does_not_date_the_trip(annotate):
    doc = annotate("It was Hassan Rouhani's first trip to Pakistan since sanctions were lifted in January.", published=dt.date(2016, 3, 27))
    assert [e.date for e in doc._.ipkg_events if e.kind == "visit"] == [None]


def test_passive_killing_then_claim_of_responsibility(annotate):
    text = (
        "Twelve Iranian border guards were killed on 3 May 2019 when militants opened fire on their patrol near Saravan. "
        "Jaish al-Adl, a Sunni militant group, claimed responsibility for the ambush."
    )
    doc = annotate(text)
    strikes = [e for e in doc._.ipkg_events if e.kind == "strike"]
    assert strikes and all([a.label for a in e.actors] == ["Jaish al-Adl"] and e.targets[0].label == "Iran" and e.casualties == 12 for e in strikes)


def test_pledge_is_about_the_other_state(annotate):
    text = "Nawaz Sharif telephoned Hassan Rouhani on 27 April 2017 and pledged that Pakistan would not allow any group to act against Iran."
    assert ("pledge", ["Nawaz Sharif"], ["Iran"], "2017-04-27") in _events(annotate(text))


def test_told_the_briefing_that_makes_the_spokesman_the_speaker(annotate):
    text = "Its spokesman, Nafees Zakaria, told his weekly briefing on 27 April 2017 that Pakistan rejected Iran's suggestion."
    assert [(e.kind, [a.label for a in e.actors]) for e in annotate(text)._.ipkg_events if e.kind == "deny"] == [("deny", ["Nafees Zakaria"])]


def test_same_day_and_next_day_count_from_the_last_day(annotate):
    text = (
        "The United States killed a general in Baghdad on 3 January 2020. Mike Pompeo telephoned the army chief, General Qamar Javed Bajwa, the same day. "
        "Shah Mahmood Qureshi flew to Tehran on January 12. He went on to Riyadh the next day."
    )
    found = _events(annotate(text, published=dt.date(2020, 1, 20)))
    assert ("call", ["Mike Pompeo"], ["Qamar Javed Bajwa"], "2020-01-03") in found
    assert any(e[0] == "visit" and e[2] == ["Saudi Arabia"] and e[3] == "2020-01-13" for e in found)


def test_a_trip_wrapped_up_began_its_length_earlier(annotate):
    doc = annotate("Mohammad Javad Zarif wrapped up a two-day trip to Pakistan on Friday.", published=dt.date(2019, 5, 25))
    assert ("visit", ["Mohammad Javad Zarif"], ["Pakistan"], "2019-05-23") in _events(doc)


def test_talks_in_a_named_city_with(annotate):
    doc = annotate("In May 1949 Liaquat Ali Khan paid a state visit to Iran and held talks in Tehran with Mohammad Reza Pahlavi.")
    assert ("talks", ["Liaquat Ali Khan"], ["Mohammad Reza Pahlavi"], "1949-05") in _events(doc)


def test_arrival_under_a_dateline_is_a_visit_to_its_city(annotate):
    text = "ISLAMABAD — Mahmoud Ahmadinejad arrived on Thursday and was welcomed at the airport by Prime Minister Yousaf Raza Gillani.\n"
    found = _events(annotate(text, published=dt.date(2012, 2, 17)))
    assert ("visit", ["Mahmoud Ahmadinejad"], ["Pakistan"], "2012-02-16") in found
    assert ("meeting", ["Yousaf Raza Gillani"], ["Mahmoud Ahmadinejad"], "2012-02-16") in found


def test_condemning_the_attack_names_its_author(annotate):
    text = "Israeli aircraft struck military sites in Iran on 26 October 2024. Pakistan condemned the attack as a violation of Iran's sovereignty."
    assert ("condemn", ["Pakistan"], ["Israel"], "2024-10-26") in _events(annotate(text))


def test_passive_signing_names_the_signatories_states_not_the_broker(annotate):
    text = "The agreement, brokered by China, was signed by Ali Shamkhani of Iran and Mohammed bin Salman on 10 March 2023."
    found = [(e[0], sorted(e[1] + e[2]), e[3]) for e in _events(annotate(text)) if e[0] == "agreement"]
    assert found == [("agreement", ["Iran", "Saudi Arabia"], "2023-03-10")]


def test_the_same_day_reaches_back_to_the_last_day_told(annotate):
    text = "When a US drone struck a convoy near Baghdad on January 3, the region held its breath.\n\nMike Pompeo telephoned the army chief, General Qamar Javed Bajwa, the same day.\n"
    found = _events(annotate(text, published=dt.date(2020, 1, 20)))
    assert ("call", ["Mike Pompeo"], ["Qamar Javed Bajwa"], "2020-01-03") in found


def test_a_date_in_the_coordinated_clause_belongs_to_it(annotate):
    text = "Hamid Karzai flew into the capital on Thursday evening and held separate talks with Yousaf Raza Gilani on Friday morning."
    found = _events(annotate(text, published=dt.date(2012, 2, 18)))
    assert ("talks", ["Hamid Karzai"], ["Yousaf Raza Gillani"], "2012-02-17") in found
