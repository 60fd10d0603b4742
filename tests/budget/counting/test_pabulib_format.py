"""Reading, writing and anonymising pabulib ``.pb`` files."""

import pytest

from civic_budget import pabulib
from civic_budget.counting import CUMULATIVE, GreedyRule, count
from civic_budget.pabulib import PabulibError

APPROVAL_FILE = """META
key;value
description;"Test ""quoted""; city"
budget;100
vote_type;approval
PROJECTS
project_id;cost;votes;name;selected
1;30;2;First;1
2;70;2;Second, with comma;1
VOTES
voter_id;vote;age;sex;voting_method
a;1;34;F;paper
b;2;71;M;internet
c;1,2;18;F;internet
"""

CUMULATIVE_FILE = """META
key;value
budget;100
vote_type;cumulative
PROJECTS
project_id;cost
x;60
y;50
VOTES
voter_id;vote;points
1;x,y;3,1
2;y;4
"""


def test_parse_keeps_everything_in_file_order():
    pb = pabulib.parse(APPROVAL_FILE)
    assert pb.meta["description"] == 'Test "quoted"; city'
    assert list(pb.meta) == ["description", "budget", "vote_type"]
    assert pb.project_columns == ["project_id", "cost", "votes", "name", "selected"]
    assert pb.vote_columns == ["voter_id", "vote", "age", "sex", "voting_method"]
    assert pb.votes[0] == {
        "voter_id": "a",
        "vote": "1",
        "age": "34",
        "sex": "F",
        "voting_method": "paper",
    }
    assert pb.selected_projects() == ["1", "2"]


def test_write_round_trips():
    pb = pabulib.parse(APPROVAL_FILE)
    written = pabulib.write(pb)
    assert pabulib.parse(written) == pb
    assert pabulib.write(pabulib.parse(written)) == written


def test_values_with_separators_are_quoted():
    pb = pabulib.parse(APPROVAL_FILE)
    pb.projects[0]["name"] = 'Park; "green" zone'
    again = pabulib.parse(pabulib.write(pb))
    assert again.projects[0]["name"] == 'Park; "green" zone'


def test_approval_election():
    election = pabulib.to_election(pabulib.parse(APPROVAL_FILE))
    assert election.costs == {"1": 30, "2": 70}
    assert election.budget == 100
    assert election.votes == {"1": 2, "2": 2}
    assert count(election, GreedyRule()).winners == ["1", "2"]


def test_cumulative_election():
    election = pabulib.to_election(pabulib.parse(CUMULATIVE_FILE))
    assert election.ballot_type == CUMULATIVE
    assert election.votes == {"x": 3, "y": 5}


def test_save_and_read(tmp_path):
    path = tmp_path / "file.pb"
    pabulib.save(pabulib.parse(APPROVAL_FILE), path)
    assert pabulib.read(path) == pabulib.parse(APPROVAL_FILE)


def test_anonymised_export():
    pb = pabulib.parse(APPROVAL_FILE)
    public = pabulib.anonymised(pb, keep=("voting_method", "age"))
    assert public.vote_columns == ["voter_id", "vote", "voting_method", "age"]
    # Renumbered, sorted by ballot (not in voting order), sex dropped, age bucketed.
    assert public.votes == [
        {"voter_id": "1", "vote": "1", "voting_method": "paper", "age": "30-39"},
        {"voter_id": "2", "vote": "1,2", "voting_method": "internet", "age": "10-19"},
        {"voter_id": "3", "vote": "2", "voting_method": "internet", "age": "70-79"},
    ]
    assert pabulib.to_election(public).groups == pabulib.to_election(pb).groups
    assert pabulib.parse(pabulib.write(public)) == public
    assert pabulib.anonymised(pb).vote_columns == ["voter_id", "vote", "voting_method"]


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("PROJECTS\nproject_id;cost\n", 1, "section"),
        (replace_line(APPROVAL_FILE, "key;value", "key;value;extra"), 2, "META header"),
        (
            replace_line(APPROVAL_FILE, "project_id;cost;votes", "id;cost;votes"),
            7,
            "PROJECTS header",
        ),
        (replace_line(APPROVAL_FILE, "1;30;2;First;1", "1;30;2;First"), 8, "projects"),
        (replace_line(APPROVAL_FILE, "2;70;2", "1;70;2"), 9, "project_id"),
        (replace_line(APPROVAL_FILE, "b;2;71", "a;2;71"), 13, "voter_id"),
        (APPROVAL_FILE.split("VOTES")[0], None, "section"),
    ],
)
def test_malformed_structure_names_line_and_field(text, line, field):
    with pytest.raises(PabulibError) as error:
        pabulib.parse(text)
    assert (error.value.line, error.value.field) == (line, field)


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("1;30;2;First;1", "1;30.5.1;2;First;1", 8, "cost"),
        ("1;30;2;First;1", "1;Infinity;2;First;1", 8, "cost"),
        ("1;30;2;First;1", "1;sNaN;2;First;1", 8, "cost"),
        ("1;30;2;First;1", "1;1e999999999;2;First;1", 8, "cost"),
        ("budget;100", "budget;100.5e3", 4, "budget"),
        ("1;30;2;First;1", "1;abc;2;First;1", 8, "cost"),
        ("1;30;2;First;1", "1;-30;2;First;1", 8, "cost"),
        ("1;30;2;First;1", "1;0;2;First;1", 8, "projects['1'].cost"),
        ("budget;100", "budget;0", 4, "budget"),
        ("c;1,2;18", "c;1,7;18", 14, "vote"),
        ("vote_type;approval", "vote_type;borda", 5, "vote_type"),
        ("vote_type;approval", "vote_type;choose-1", 14, "vote"),
    ],
)
def test_bad_values_name_line_and_field(old, new, line, field):
    pb = pabulib.parse(replace_line(APPROVAL_FILE, old, new))
    with pytest.raises(PabulibError) as error:
        pabulib.to_election(pb)
    assert (error.value.line, error.value.field) == (line, field)
    assert f"line {line}" in str(error.value)


def test_cumulative_points_must_match_votes():
    pb = pabulib.parse(replace_line(CUMULATIVE_FILE, "1;x,y;3,1", "1;x,y;3"))
    with pytest.raises(PabulibError) as error:
        pabulib.to_election(pb)
    assert (error.value.line, error.value.field) == (11, "points")


def test_windows_line_endings_and_byte_order_mark():
    text = "\ufeff" + APPROVAL_FILE.replace("\n", "\r\n")
    assert pabulib.parse(text) == pabulib.parse(APPROVAL_FILE)


def test_empty_ballot_counts_as_a_voter():
    pb = pabulib.parse(APPROVAL_FILE.replace("c;1,2;18;F;internet", "c;;18;F;internet"))
    election = pabulib.to_election(pb)
    assert election.voter_count == 3
    assert election.votes == {"1": 1, "2": 1}
