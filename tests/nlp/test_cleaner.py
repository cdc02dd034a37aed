from ipkg.nlp.components.cleaner import classify_lines


def _reasons(text):
    return {text[s:e]: r for s, e, r in classify_lines(text)}


BODY = "Iran and Pakistan agreed to expand trade across their shared border this year.\n"


def test_cleaner_link_spam_list():
    text = BODY + "- Choi Woo Shik Relationships\n- Nia Peeples Husband\n- Who Is Ashley Judd Married To\n" + BODY
    r = _reasons(text)
    assert r["- Nia Peeples Husband"] == "link-list"


def test_cleaner_toc_and_trailing_footer():
    text = "Table of Contents\n- A History\n- The Shock\nA History\n" + BODY + "Iran Wants To Negotiate | The Daily Caller\nIsrael targets Iran as Tehran unleashes\n"
    r = _reasons(text)
    assert r["- A History"] == "toc"
    assert r["Israel targets Iran as Tehran unleashes"] == "footer"
    assert BODY.strip() not in r


def test_cleaner_comment_form_citations_and_persian():
    text = "[12] " + BODY + "امروز به پاکستان کشور دوست و برادرمان در منطقه سفر میکنم.\n" + BODY + "Leave a Reply\n"
    r = _reasons(text)
    assert r["[12]"] == "citation"
    assert r["امروز به پاکستان کشور دوست و برادرمان در منطقه سفر میکنم."] == "lang:fa"
    assert r["Leave a Reply"] == "boilerplate"


def test_cleaner_component_marks_tokens(annotate):
    doc = annotate(BODY + "- Nia Peeples Husband\n- Al Horford Wife\n" + BODY)
    assert [s.label_ for s in doc.spans["ipkg_junk"]] == ["link-list", "link-list", "repeat"]
    assert not any(m.label == "Nia Peeples" for m in doc._.ipkg_mentions)


def test_citation_marks_do_not_hide_paragraphs_or_glue_sentences(annotate):
    text = (
        "Iran recognised Pakistan in 1947.[1] In 1950 Turkey recognised Pakistan.[2]\n\n"
        "Later the three states founded a regional organisation with its seat in Tehran.[3]\n\n"
        "See also: Foreign relations of Pakistan\n"
    )
    doc = annotate(text)
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[:2] == ["Iran recognised Pakistan in 1947.[1]", "In 1950 Turkey recognised Pakistan.[2]"]
    junk = {s.label_ for s in doc.spans["ipkg_junk"]}
    assert junk == {"citation", "boilerplate"} or junk == {"citation", "footer"}
    assert [(e.kind, e.date) for e in doc._.ipkg_events] == [("recognition", "1947"), ("recognition", "1950")]
