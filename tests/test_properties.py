"""Property tests: any text, any bytes, never a crash; the graph always round-trips and conforms."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from ipkg.facts import doc_to_facts, merge_parts, resolve
from ipkg.ingest import InputError, TextRecord, record_from_bytes, split_record
from ipkg.kg import new_dataset
from ipkg.kg.build import facts_to_graph
from ipkg.kg.validate import validate
from ipkg.nlp import process

#: Any Unicode text without surrogates (which no file can hold), control characters included.
CHARS = st.characters(blacklist_categories=("Cs",))
NOISE = st.text(CHARS, max_size=300)
#: Sentences the pipeline turns into facts, so that the noise lands in facts, quotes and evidence.
SENTENCES = st.sampled_from(
    [
        "Iran was the first country to recognize Pakistan in 1947.",
        "Pakistani Prime Minister Shehbaz Sharif telephoned Iranian President Masoud Pezeshkian.",
        'Iranian President Masoud Pezeshkian said: "We reject ',
        "Pakistan condemned the attack by Jaish al-Adl on",
        "\n---\ntitle: x\n---\n",
        "<p>",
        " 2024-01-16 ",
    ]
)
TEXT = st.lists(st.one_of(NOISE, SENTENCES), max_size=8).map("".join).filter(lambda t: len(t) <= 2000)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _record(data: bytes, name: str) -> TextRecord | None:
    try:
        return record_from_bytes(data, name, problems=[])
    except InputError:
        return None


def _graph(nlp, records: list[TextRecord]):
    parts = [p for r in records for p in split_record(r, 500)]
    by_doc: dict[str, list] = {}
    for record, doc in process(nlp, parts):
        by_doc.setdefault(record.doc_id, []).append(doc_to_facts(doc, record))
    return facts_to_graph(resolve([merge_parts(f) for f in by_doc.values()]))


def _round_trips(ds) -> bool:
    back = new_dataset()
    back.parse(data=ds.serialize(format="trig"), format="trig")
    names = {g.identifier for g in ds.graphs() if len(g)}
    if names != {g.identifier for g in back.graphs() if len(g)}:
        return False
    return all(isomorphic(Graph(store=ds.store, identifier=n), Graph(store=back.store, identifier=n)) for n in names)


@FAST
@given(text=TEXT)
@example(text="$0")  # a whole-number figure: its decimal's lexical form must survive rdflib's TriG
def test_properties_any_text_builds_a_graph_that_round_trips(nlp, text):
    records = [TextRecord("direct", "direct.txt", text)]
    for name in ("file.txt", "page.html"):
        rec = _record(text.encode("utf-8"), name)
        if rec is not None:
            records.append(TextRecord(name.replace(".", "-"), rec.path, rec.text, rec.offset, rec.title, rec.url, rec.kind, rec.published, rec.meta))
    ds = _graph(nlp, records)
    assert _round_trips(ds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXT)
def test_properties_any_text_gives_a_graph_that_conforms(nlp, text):
    ds = _graph(nlp, [TextRecord("d", "d.txt", text, title=text[:50], url=text[-50:])])
    assert validate(ds).violations == 0


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_properties_any_bytes_are_read_or_refused(data, name):
    rec = _record(data, name)
    if rec is not None:
        assert isinstance(rec.text, str)
