"""Quotations and their speakers, on made-up sentences through the real pipeline."""

import pytest


def _quotes(annotate, text: str) -> list[tuple[str, str]]:
    return [(q.speaker.label, q.text[:24]) for q in annotate(text)._.ipkg_quotes]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'Ishaq Dar met the press in Lahore. "Our borders must be guarded by both our nations," he said.',
            [("Ishaq Dar", "Our borders must be guar")],
        ),
        (
            'Abbas Araghchi spoke to reporters after the meeting. "The gas line will be finished in good time," he told them.',
            [("Abbas Araghchi", "The gas line will be fin")],
        ),
        (
            "Pakistan's Foreign Office summoned the envoy. \"Such incursions cannot be tolerated under any circumstances,\" the ministry said in a statement.",
            [("Ministry of Foreign Affairs (Pakistan)", "Such incursions cannot b")],
        ),
        (
            '"Several militant hideouts were destroyed in the night raid," Inter-Services Public Relations in Rawalpindi said.',
            [("Inter-Services Public Relations", "Several militant hideout")],
        ),
        (
            '"We have no quarrel with the people of Afghanistan," said Khawaja Asif.',
            [("Khawaja Asif", "We have no quarrel with ")],
        ),
    ],
)
def test_quote_speaker_after_the_quotation(annotate, text, expected):
    assert _quotes(annotate, text) == expected


def test_quote_participle_takes_the_subject_of_the_clause_not_the_object(annotate):
    text = 'Abbas Araghchi wrote that he would soon travel to Pakistan, stressing that Tehran "will stand by its neighbours in every hour of need".'
    assert _quotes(annotate, text) == [("Abbas Araghchi", "will stand by its neighb")]


def test_quote_participle_without_an_earlier_verb(annotate):
    text = 'Defence Minister Khawaja Asif summed up the mood, stating that Pakistan "cannot allow this dispute to grow into a wider war".'
    assert _quotes(annotate, text) == [("Khawaja Asif", "cannot allow this disput")]


def test_quote_reported_speaker_beats_according_to(annotate):
    text = "According to Pakistan's Foreign Office, Ishaq Dar told Abbas Araghchi that Pakistan would cooperate \"in every field of mutual interest and benefit\"."
    assert _quotes(annotate, text) == [("Ishaq Dar", "in every field of mutual")]


def test_quote_according_to_a_statement_from_an_office(annotate):
    text = 'According to a statement from Shehbaz Sharif\'s office, both sides "agreed to open two more crossing points on the border".'
    assert _quotes(annotate, text) == [("Shehbaz Sharif", "agreed to open two more ")]


def test_quote_issued_statement_names_its_author(annotate):
    text = "Pakistan's Foreign Office rejected the claim. The Foreign Office statement stressed that Pakistan \"remains committed to peaceful relations with all neighbours\"."
    assert _quotes(annotate, text) == [("Ministry of Foreign Affairs (Pakistan)", "remains committed to pea")]


def test_quote_running_over_paragraphs_is_one_quote(annotate):
    text = 'Ishaq Dar said at the summit:\n"Our region has suffered from too many wars.\n"We now want trade routes and open borders for all our people."\nThe summit ended on Friday.'
    got = annotate(text)._.ipkg_quotes
    assert [q.speaker.label for q in got] == ["Ishaq Dar"]
    assert got[0].text.startswith("Our region has suffered") and got[0].text.endswith("for all our people.")


def test_quote_left_open_ends_with_its_paragraph(annotate):
    text = 'Khawaja Asif said: "The army is ready to defend every inch of the country.\nThe talks will resume in March, officials said.'
    got = annotate(text)._.ipkg_quotes
    assert [(q.speaker.label, q.text) for q in got] == [("Khawaja Asif", "The army is ready to defend every inch of the country.")]


def test_quote_nested_single_quote_has_its_own_speaker(annotate):
    text = "Ishaq Dar told the meeting: \"Tehran Times reported it plainly. 'The two economies must be joined by rail and road,' Abbas Araghchi wrote in a column.\""
    got = {(q.speaker.label, q.text[:22]) for q in annotate(text)._.ipkg_quotes}
    assert got == {("Ishaq Dar", "Tehran Times reported "), ("Abbas Araghchi", "The two economies must")}


def test_quote_repeated_is_one_row_and_the_office_beats_the_state(annotate):
    text = (
        'Pakistan rejected the charge, asserting that the raid was a "clear breach of the ceasefire terms".\n'
        "Pakistan's Foreign Office condemned the raid, calling it a \"clear breach of the ceasefire terms\"."
    )
    assert _quotes(annotate, text) == [("Ministry of Foreign Affairs (Pakistan)", "clear breach of the ceas")]


def test_quote_possessive_speech_refers_to_the_last_person(annotate):
    text = "Ali Khamenei addressed clerics in Qom on Friday.\nMuch of his speech dealt with the economy: \"Sanctions have made our industries stronger than before."
    assert _quotes(annotate, text) == [("Ali Khamenei", "Sanctions have made our ")]


@pytest.mark.parametrize(
    "text",
    [
        'The poster read "Long live the friendship of our peoples" in three languages.',
        'Officials described the talks as "useful" and "very constructive".',
    ],
)
def test_quote_without_a_speaker_is_not_a_quote(annotate, text):
    assert annotate(text)._.ipkg_quotes == []


def test_quote_speaker_of_the_previous_paragraph_carries_only_to_a_paragraph_opening_quote(annotate):
    text = (
        '"No outside power will decide the terms of our friendship," said Shehbaz Sharif.\n'
        '"The corridor will carry goods from the sea to the mountains."\n'
        'Observers were wary. "Whether any of this is built remains to be seen," said one observer.'
    )
    assert _quotes(annotate, text) == [("Shehbaz Sharif", "No outside power will de"), ("Shehbaz Sharif", "The corridor will carry ")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'The United Nations, for its part, urged "every side to respect the law of nations and hold back".',
            [("United Nations", "every side to respect th")],
        ),
        (
            'At a rally in Quetta, Khawaja Asif warned India: "Any adventure on our border will be answered at once."',
            [("Khawaja Asif", "Any adventure on our bor")],
        ),
        (
            '"Our units will answer every provocation on the frontier," the IRGC said, according to Tasnim.',
            [("Islamic Revolutionary Guard Corps", "Our units will answer ev")],
        ),
        (
            "Pakistan's Foreign Office said the envoy had been summoned. \"Tehran must act against the groups sheltering on its soil,\" it said.",
            [("Ministry of Foreign Affairs (Pakistan)", "Tehran must act against ")],
        ),
    ],
)
def test_quote_parenthesis_colon_article_and_it(annotate, text, expected):
    assert _quotes(annotate, text) == expected


def test_quote_in_the_next_sentence_continues_the_speaker(annotate):
    text = 'Ishaq Dar met Abbas Araghchi. "It went well," Dar said. "Both ministers agreed to keep every channel of contact open."'
    assert _quotes(annotate, text) == [("Ishaq Dar", "Both ministers agreed to")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Pakistan's Foreign Office spokesperson Mumtaz Zahra Baloch briefed reporters. \"Our soil will not be used against any neighbour,\" the spokesperson said.",
            [("Mumtaz Zahra Baloch", "Our soil will not be use")],
        ),
        (
            "Asif Ali Zardari received the envoy. Zardari's office said the talks \"covered trade, energy and the safety of pilgrims\".",
            [("Asif Ali Zardari", "covered trade, energy an")],
        ),
    ],
)
def test_quote_spokesperson_and_office(annotate, text, expected):
    assert _quotes(annotate, text) == expected


def test_quote_after_titled_is_a_name_not_a_quote(annotate):
    text = 'Opening a seminar titled "Ports, Pipelines and Peace in the New Region," Ishaq Dar said the two ports were "partners rather than rivals in every sense".'
    assert _quotes(annotate, text) == [("Ishaq Dar", "partners rather than riv")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'Ishaq Dar received Abbas Araghchi in Islamabad. "We went through every part of our relationship," he said.',
            [("Ishaq Dar", "We went through every pa")],
        ),
        (
            '"Peace is the only option for our region," Ishaq Dar, who chaired the session, said.',
            [("Ishaq Dar", "Peace is the only option")],
        ),
    ],
)
def test_quote_he_is_the_subject_and_relative_clauses_are_skipped(annotate, text, expected):
    assert _quotes(annotate, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            '"The border crossings will reopen for trade within a week," according to Ishaq Dar.',
            [("Ishaq Dar", "The border crossings wil")],
        ),
        (
            "Pakistan's Foreign Office statement said the envoy \"will not return until the matter is settled\".",
            [("Ministry of Foreign Affairs (Pakistan)", "will not return until th")],
        ),
    ],
)
def test_quote_trailing_according_to_and_a_named_statement(annotate, text, expected):
    assert _quotes(annotate, text) == expected


def test_quote_reply_verbs_are_speech(annotate):
    text = 'Masoud Pezeshkian invited Shehbaz Sharif to Tehran. "I accept with pleasure and will come in the spring," Sharif replied.'
    assert _quotes(annotate, text) == [("Shehbaz Sharif", "I accept with pleasure a")]


def test_quote_part_repeated_by_the_same_speaker_is_one_row(annotate):
    text = (
        'Ishaq Dar said: "Our two countries will build the rail link together and finish it within three years."\n'
        'Later he repeated that the two countries "will build the rail link together", Dar told reporters.'
    )
    got = annotate(text)._.ipkg_quotes
    assert [(q.speaker.label, q.text[:20]) for q in got] == [("Ishaq Dar", "Our two countries wi")]


def test_quote_never_closed_ends_with_its_first_sentence(annotate):
    text = 'Khawaja Asif said: "The army is ready to defend every inch of the country. Meanwhile the budget was passed by parliament on Friday.\nTalks resume in March.'
    assert [q.text for q in annotate(text)._.ipkg_quotes] == ["The army is ready to defend every inch of the country."]


def test_quote_intro_line_and_possessive_speech_across_a_blank_line(annotate):
    text = (
        'Ishaq Dar told the conference:\n\n"Our region has paid too high a price for the wars of others."\n\n'
        'Ali Khamenei spoke in Qom.\n\nThe thrust of his speech concerned patience: "Patience has always served the nation better than haste."'
    )
    assert _quotes(annotate, text) == [("Ishaq Dar", "Our region has paid too "), ("Ali Khamenei", "Patience has always serv")]
