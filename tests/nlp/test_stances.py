"""Stances (statements) on text written for these tests (not from the seeds or dev texts)."""

import pytest


def _events(doc):
    return [(e.kind, [a.label for a in e.actors], [t.label for t in e.targets]) for e in doc._.ipkg_events]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Recep Tayyip Erdogan telephoned Ilham Aliyev to convey sympathy, condemn the Russian shelling as illegal, and reaffirm support.",
            ("condemn", ["Recep Tayyip Erdoğan"], ["Russia"]),
        ),
        ("Speaking in Ankara, Hakan Fidan defended the raid and claimed that only members of Hezbollah had been killed.", ("claim", ["Hakan Fidan"], ["Hezbollah"])),
        ("Turkey said its targets were armed groups hiding near the frontier, notably Hezbollah.", ("claim", ["Turkey"], ["Hezbollah"])),
        ('Erdogan reaffirmed Turkey\'s "firm" and "brotherly solidarity" with the Azerbaijani people.', ("support", ["Recep Tayyip Erdoğan"], ["Azerbaijan"])),
        ("The Senate of Pakistan passed a resolution aimed at extending support to Azerbaijan.", ("support", ["Senate of Pakistan"], ["Azerbaijan"])),
        ("The 2019 bombing, which Ankara blamed on Moscow, killed nine people.", ("accuse", ["Turkey"], ["Russia"])),
        ('Narendra Modi reaffirmed India\'s commitment to building "close and friendly" relations with Japan.', ("pledge", ["Narendra Modi"], ["Japan"])),
    ],
)
def test_stance_arguments_beyond_the_plain_frame(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_both_leaders_are_the_parties_of_the_last_meeting(annotate):
    doc = annotate("Recep Tayyip Erdogan met Ilham Aliyev in Baku on May 3, 2024. Both leaders condemned Russia's campaign in Ukraine.")
    got = _events(doc)
    assert ("condemn", ["Recep Tayyip Erdoğan", "Ilham Aliyev"], ["Russia"]) in got or {
        ("condemn", ("Recep Tayyip Erdoğan",), ("Russia",)),
        ("condemn", ("Ilham Aliyev",), ("Russia",)),
    } <= {(k, tuple(a), tuple(t)) for k, a, t in got}


def test_condemning_the_attack_is_about_its_attacker(annotate):
    doc = annotate("Russia carried out a missile strike on Ukraine on Monday.\n\nTurkey condemned the attack as a violation of international law.")
    condemn = [e for e in doc._.ipkg_events if e.kind == "condemn"]
    assert [[t.label for t in e.targets] for e in condemn] == [["Russia"]]


def test_condemning_an_attack_by_someone_named_is_not_rerouted(annotate):
    doc = annotate("Russia carried out a missile strike on Ukraine on Monday. Turkey condemned the attack by Azerbaijan.")
    assert not [e for e in doc._.ipkg_events if e.kind == "condemn" and "Russia" in [t.label for t in e.targets]]


def test_denial_answers_the_allegation_told_before(annotate):
    doc = annotate("Ankara stated its targets were armed groups, notably Hezbollah. Iraq, for its part, firmly denied these allegations.")
    assert ("deny", ["Iraq"], ["Turkey"]) in _events(doc)
    doc = annotate("Turkey accused Russia of arming the rebels. Moscow admitted that it had sent advisers but denied any link to the fighting.")
    assert ("deny", ["Russia"], ["Turkey"]) in _events(doc)


@pytest.mark.parametrize(
    "text",
    [
        "Amid the crisis, Turkey has consistently condemned Russian aggression, expressing strong solidarity with Ukraine.",
        "This careful position allows Turkey to stand in solidarity with Azerbaijan without joining the war.",
        "Turkey may visit Azerbaijan and condemn Russia.",
    ],
)
def test_habitual_or_unrealised_coordinated_stances_are_not_statements(annotate, text):
    assert not [e for e in annotate(text)._.ipkg_events if e.kind in ("support", "condemn")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ('Hakan Fidan described Azerbaijan\'s conduct during the talks as a "success" for the region.', ("praise", ["Hakan Fidan"], ["Azerbaijan"])),
        ("Ilham Aliyev wrote that he was heading to Ankara, stressing that Azerbaijanis “will never forget Turkey’s support” in the war.", ("thank", ["Ilham Aliyev"], ["Turkey"])),
        ("Recep Tayyip Erdogan telephoned Ilham Aliyev to convey sympathy and reiterate Turkey's solidarity.", ("support", ["Recep Tayyip Erdoğan"], ["Azerbaijan"])),
    ],
)
def test_stances_whose_addressee_is_not_after_the_verb(annotate, text, expected):
    assert expected in _events(annotate(text))


def test_solidarity_without_object_or_call_is_not_a_statement(annotate):
    doc = annotate("Recep Tayyip Erdogan reiterated Turkey's solidarity, saying Russia must stop.")
    assert not [e for e in doc._.ipkg_events if e.kind == "support"]


def test_undated_stance_takes_the_month_of_the_last_dated_meeting(annotate):
    filler = "".join(f"Paragraph {w} tells of flags, posters and crowds along the main road.\n" for w in "one two three four five six seven".split())
    doc = annotate(f"Recep Tayyip Erdogan met Ilham Aliyev in Baku on May 3, 2024.\n{filler}Later, Hakan Fidan praised Azerbaijan's courage during the long talks in the city.\n")
    (praise,) = [e for e in doc._.ipkg_events if e.kind == "praise"]
    assert praise.date == "2024-05"
