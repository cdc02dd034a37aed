import csv
import io

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from ipkg.analysis import dyad_series, focus_pair, load_dyads, series_for_dyads, series_to_csv
from ipkg.errors import IpkgError
from ipkg.kg.namespace import IPKG

IRAN, PAK = "https://w3id.org/ipkg/id/actor/iran", "https://w3id.org/ipkg/id/actor/pakistan"


def _points(s):
    return [(p.period, p.events, p.goldstein, p.event_iris) for p in s.points]


def test_series_yearly_rolls_officials_and_bodies_up_to_their_state(world, world_G):
    _, e = world
    s = dyad_series(world_G, "Iran", "Pakistan")
    assert (s.source, s.target, s.name) == (IRAN, PAK, "Iran → Pakistan")
    assert _points(s) == [("1947", 1, 6.0, (e["e_recog"],)), ("2024", 1, -10.0, (e["e_strike"],)), ("2025", 1, 1.9, (e["e_visit"],))]
    assert s.points[1].quads == {"Verbal Cooperation": 0, "Material Cooperation": 0, "Verbal Conflict": 0, "Material Conflict": 1}
    assert s.skipped == () and s.undated == ()


def test_series_other_direction_and_a_position_in_the_graph(world, world_G):
    _, e = world
    s = dyad_series(world_G, PAK, IRAN)
    assert _points(s) == [("2024", 1, -2.0, (e["e_condemn"],)), ("2025", 1, 3.4, (e["e_thank"],))]


def test_series_monthly_skips_year_only_events_and_says_so(world, world_G):
    _, e = world
    s = dyad_series(world_G, "Iran", "Pakistan", period="month")
    assert [p.period for p in s.points] == ["2024-01", "2025-08"]
    assert s.skipped == (e["e_recog"],) and s.events == 2
    assert "1947-01" not in {p.period for p in s.points}
    # day, month and year precision all land in the same year
    assert [p.period for p in dyad_series(world_G, "Pakistan", "Iran", period="month").points] == ["2024-01", "2025-08"]


def test_series_without_roll_up_counts_only_the_actors_themselves(world, world_G):
    _, e = world
    s = dyad_series(world_G, "Iran", "Pakistan", roll_up=False)
    assert _points(s) == [("1947", 1, 6.0, (e["e_recog"],))]
    assert dyad_series(world_G, "Pakistan", "Iran", roll_up=False).events == 1


def test_series_undated_events_are_listed_not_placed(world, world_G):
    _, e = world
    s = dyad_series(world_G, "Pakistan", "Israel")
    assert s.points == [] and s.undated == (e["e_undated"],)


def test_series_an_event_with_two_targets_counts_once_in_each_dyad(world, world_G):
    _, e = world
    assert _points(dyad_series(world_G, "Iran", "Israel")) == [("2025", 1, -2.0, (e["e_two"],))]
    us = dyad_series(world_G, "Iran", "United States", period="month")
    assert _points(us) == [("2025-06", 1, -2.0, (e["e_two"],))]


def test_series_points_trace_back_to_events_in_the_graph(world, world_G):
    ds, _ = world
    for s in series_for_dyads(world_G):
        for p in s.points:
            assert p.events == len(p.event_iris) == sum(p.quads.values())
            for iri in p.event_iris:
                assert (URIRef(iri), RDF.type, IPKG.Event) in ds


def test_series_for_the_default_dyads(world_G):
    names = [s.name for s in series_for_dyads(world_G)]
    # dyads.tsv order: the focal pair both ways, then Iran with each third party, then Pakistan;
    # dyads with no event (India, Saudi Arabia, Pakistan -> China...) are left out
    assert names == ["Iran → Pakistan", "Pakistan → Iran", "Iran → United States", "United States → Iran", "Iran → Israel", "Pakistan → Israel", "China → Pakistan"]
    assert len(series_for_dyads(world_G, keep_empty=True)) == len(load_dyads())


def test_series_rows_and_csv(world, world_G):
    _, e = world
    s = dyad_series(world_G, "Iran", "Pakistan")
    rows = s.to_rows()
    assert rows[1]["period"] == "2024" and rows[1]["Material Conflict"] == 1 and rows[1]["event_iris"] == e["e_strike"]
    parsed = list(csv.DictReader(io.StringIO(series_to_csv([s, dyad_series(world_G, "Pakistan", "Iran")]))))
    assert [(r["source_label"], r["period"], r["goldstein"]) for r in parsed] == [
        ("Iran", "1947", "6.0"),
        ("Iran", "2024", "-10.0"),
        ("Iran", "2025", "1.9"),
        ("Pakistan", "2024", "-2.0"),
        ("Pakistan", "2025", "3.4"),
    ]
    assert s.to_csv() == series_to_csv([s])


def test_series_bad_period_and_unknown_actor_are_coded_errors(world_G):
    with pytest.raises(IpkgError, match="Unknown period 'week'"):
        dyad_series(world_G, "Iran", "Pakistan", period="week")
    with pytest.raises(IpkgError, match="Unknown actor 'Atlantis'"):
        dyad_series(world_G, "Atlantis", "Pakistan")


def test_series_an_actor_in_no_event_gives_an_empty_series(world_G):
    s = dyad_series(world_G, "https://w3id.org/ipkg/id/actor/india", "Pakistan")
    assert s.source_label == "India" and s.points == [] and s.events == 0


def test_series_dyads_come_from_the_data_file(tmp_path):
    assert [iri.rsplit("/", 1)[1] for iri in focus_pair()] == ["iran", "pakistan"]
    p = tmp_path / "dyads.tsv"
    p.write_text("# mine\nrole\tactor\nfocus\thttps://x.org/a\nfocus\thttps://x.org/b\nthird\thttps://x.org/c\n", encoding="utf-8")
    a, b, c = "https://x.org/a", "https://x.org/b", "https://x.org/c"
    assert load_dyads(p) == [(a, b), (b, a), (a, c), (c, a), (b, c), (c, b)]
    p.write_text("role\tactor\nfocus\tIran\n", encoding="utf-8")
    with pytest.raises(IpkgError, match="Malformed dyads file"):
        load_dyads(p)


def test_series_from_the_real_pipeline_on_invented_sentences(tmp_path):
    from ipkg.analysis import graph_to_actor_network
    from ipkg.workflow import build_graph

    (tmp_path / "a.txt").write_text(
        "Iran was the first country to recognize Pakistan in 1947.\n\n"
        "On 3 March 2021, Pakistan condemned Israel.\n\n"
        "In May 2023, Iranian President Masoud Pezeshkian visited Pakistan.\n",
        encoding="utf-8",
    )
    G = graph_to_actor_network(build_graph([tmp_path])[0])
    yearly = {s.name: [(p.period, p.events) for p in s.points] for s in series_for_dyads(G)}
    assert yearly == {"Iran → Pakistan": [("1947", 1), ("2023", 1)], "Pakistan → Israel": [("2021", 1)]}
    monthly = {s.name: s for s in series_for_dyads(G, period="month")}
    assert [p.period for p in monthly["Iran → Pakistan"].points] == ["2023-05"]
    assert len(monthly["Iran → Pakistan"].skipped) == 1  # the recognition, dated 1947 only
    assert [p.period for p in monthly["Pakistan → Israel"].points] == ["2021-03"]
