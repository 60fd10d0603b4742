"""Importing what cities publish: decimals, choose-1, ordinal ballots, duplicates, encodings,
large files read as a stream, and never a traceback on a malformed file."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_budget import pabulib
from civic_budget.counting import (
    ORDINAL,
    CountingInputError,
    EqualSharesRule,
    GreedyRule,
    count,
)
from civic_budget.counting.hashing import election_hash
from civic_budget.pabulib import PabulibError

FILE = """META
key;value
description;Gmina Świecie – budżet
budget;{budget}
vote_type;{vote_type}
PROJECTS
project_id;cost;name
1;{cost};Ławki
2;400;Zieleń
3;250;Plac zabaw
VOTES
voter_id;vote
a;{vote_a}
b;2
c;2,3
"""


def pb_text(budget="1000", vote_type="approval", cost="300", vote_a="1,2"):
    return FILE.format(budget=budget, vote_type=vote_type, cost=cost, vote_a=vote_a)


def test_decimal_budget_and_costs_are_scaled_exactly():
    imported = pabulib.import_pb(pabulib.parse(pb_text(budget="1000.25", cost="300.5")))
    assert imported.scale == 100
    election = imported.election
    assert election.budget == 100_025
    assert election.costs == {"1": 30_050, "2": 40_000, "3": 25_000}
    # Trailing zeros need no scale.
    assert pabulib.import_pb(pabulib.parse(pb_text(budget="1000.00"))).scale == 1


def test_choose_one_ballots_are_approval_of_one_project():
    text = pb_text(vote_type="choose-1", vote_a="1")
    election = pabulib.to_election(pabulib.parse(text.replace("c;2,3", "c;3")))
    assert election.ballot_type == "approval"
    assert election.votes == {"1": 1, "2": 1, "3": 1}
    with pytest.raises(PabulibError, match="line 15, vote: a choose-1 ballot names one project"):
        pabulib.to_election(pabulib.parse(text))


def test_a_project_twice_in_a_ballot_is_counted_once_with_a_warning():
    imported = pabulib.import_pb(pabulib.parse(pb_text(vote_a="1,2,1")))
    assert imported.election.votes == {"1": 1, "2": 3, "3": 1}
    assert imported.warnings == ["line 13: project(s) 1 listed twice: counted once"]
    assert imported.warning_count == 1


def test_cumulative_points_of_a_project_listed_twice_are_added_up():
    text = pb_text(vote_type="cumulative").replace("voter_id;vote\n", "voter_id;vote;points\n")
    text = text.replace("a;1,2\n", "a;1,2,1;2,1,3\n").replace("b;2\n", "b;2;1\n")
    text = text.replace("c;2,3\n", "c;2,3;1,1\n")
    imported = pabulib.import_pb(pabulib.parse(text))
    assert imported.election.votes == {"1": 5, "2": 3, "3": 1}
    assert imported.warning_count == 1


def test_ordinal_ballots_are_kept_in_order_counted_by_greedy_refused_by_equal_shares():
    election = pabulib.to_election(pabulib.parse(pb_text(vote_type="ordinal", vote_a="2,1")))
    assert election.ballot_type == ORDINAL
    assert election.votes == {"1": 1, "2": 3, "3": 1}
    reversed_ranking = pabulib.to_election(
        pabulib.parse(pb_text(vote_type="ordinal", vote_a="1,2"))
    )
    assert election_hash(reversed_ranking) != election_hash(election)  # the order is kept
    assert count(election, GreedyRule()).winners == ["2", "3", "1"]
    with pytest.raises(CountingInputError, match="ordinal ballots with greedy"):
        count(election, EqualSharesRule())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250", "utf-16", "utf-16-le"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "file.pb"
    path.write_bytes(pb_text().encode(encoding))
    pb = pabulib.read(path)
    assert pb.meta["description"] == "Gmina Świecie – budżet"
    assert pb.projects[0]["name"] == "Ławki"
    streamed = pabulib.read_election(path)
    assert election_hash(streamed.election) == election_hash(pabulib.to_election(pb))
    assert streamed.meta["description"] == "Gmina Świecie – budżet"


def test_undecodable_file_names_the_encodings(tmp_path):
    path = tmp_path / "file.pb"
    # 0x98 is undefined in cp1250 and invalid in UTF-8.
    path.write_bytes(pb_text().encode("utf-8").replace(b"\xc5\x81", b"\x98"))
    with pytest.raises(PabulibError, match="not text in UTF-8, UTF-16, cp1250"):
        pabulib.read(path)
    with pytest.raises(PabulibError, match="not text in UTF-8, UTF-16, cp1250"):
        pabulib.read_election(path)


def test_streaming_merges_identical_ballots_and_reports_progress(tmp_path):
    votes = "".join(f"{n};{(n % 3) + 1}\n" for n in range(250_000))
    text = pb_text().split("VOTES\n")[0] + "VOTES\nvoter_id;vote\n" + votes
    path = tmp_path / "big.pb"
    path.write_text(text, encoding="utf-8")
    seen = []
    imported = pabulib.read_election(path, progress=lambda done, size: seen.append((done, size)))
    assert imported.election.voter_count == 250_000
    assert len(imported.election.groups) == 3
    assert len(seen) == 2 and all(0 < done <= size for done, size in seen)
    assert election_hash(imported.election) == election_hash(
        pabulib.to_election(pabulib.read(path))
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("b;2\n", "a;2\n", "line 14, voter_id: 'a' appears twice"),
        ("c;2,3\n", "c;2,9\n", "line 15, vote: unknown project id '9'"),
        ("3;250;Plac", "3;2e5;Plac", "line 10, cost: '2e5' is not an amount"),
    ],
)
def test_streaming_errors_name_the_line(tmp_path, old, new, message):
    path = tmp_path / "file.pb"
    path.write_text(pb_text().replace(old, new), encoding="utf-8")
    with pytest.raises(PabulibError, match=message):
        pabulib.read_election(path)


CELLS = st.sampled_from(
    [
        "",
        "1",
        "2",
        "3",
        "1,2",
        "1,1",
        "x",
        "-5",
        "1e999",
        "Infinity",
        "sNaN",
        "NaN",
        "0",
        "1.5",
        "99999999999999999999999999999999",
        '"',
        '";"',
        "approval",
        "cumulative",
        "ordinal",
        "choose-1",
        "budget",
        "vote_type",
        "META",
        "PROJECTS",
        "VOTES",
        "key",
        "value",
        "project_id",
        "cost",
        "voter_id",
        "vote",
        "points",
        "\ufeff",
        "ł",
        "\x00",
    ]
)
LINES = st.lists(CELLS, min_size=1, max_size=4).map(";".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.integers(0, 20), LINES), max_size=4),
    vote_type=st.sampled_from(["approval", "cumulative", "ordinal", "choose-1", "x"]),
)
def test_fuzzed_files_give_an_election_or_one_line_error(tmp_path_factory, edits, vote_type):
    lines = pb_text(vote_type=vote_type).split("\n")
    for index, line in edits:
        lines[index % len(lines)] = line
    text = "\n".join(lines)
    for attempt in (
        lambda: pabulib.to_election(pabulib.parse(text)),
        lambda: pabulib.read_election(_written(tmp_path_factory, text)),
    ):
        try:
            attempt()
        except PabulibError as error:
            assert "\n" not in str(error)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzzed_bytes_never_raise_anything_but_a_pabulib_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "file.pb"
    path.write_bytes(b"META\nkey;value\nbudget;10\n" + data)
    for attempt in (pabulib.read, pabulib.read_election):
        try:
            attempt(path)
        except PabulibError:
            pass


def _written(factory, text):
    path = factory.mktemp("text") / "file.pb"
    path.write_text(text, encoding="utf-8", newline="")
    return path
