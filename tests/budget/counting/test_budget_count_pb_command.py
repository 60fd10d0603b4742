"""The budget_count_pb management command (no database involved)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic_budget.management.commands.budget_count_pb import Command

PB = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
x;60;Library
y;40;Trees
z;30;Bench
VOTES
voter_id;vote
1;x
2;x
3;x,y
4;y,z
"""


@pytest.fixture
def pb_file(tmp_path):
    path = tmp_path / "election.pb"
    path.write_text(PB, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command(Command(), *map(str, args), stdout=out, stderr=StringIO(), skip_checks=True)
    return out.getvalue()


def test_greedy_prints_the_winners(pb_file):
    output = run(pb_file)
    assert "Library" in output and "Trees" in output and "Bench" not in output
    assert "spent 100 of 100" in output


def test_equal_shares_as_json(pb_file):
    data = json.loads(run(pb_file, "--rule", "equal-shares", "--completion", "add1", "--json"))
    assert data["winners"] == ["x", "y"]
    assert data["final_endowment"] == "30"


def test_unresolved_tie_is_announced(tmp_path):
    path = tmp_path / "tie.pb"
    path.write_text(PB.replace("z;30;Bench", "z;40;Bench").replace("4;y,z", "4;y,z\n5;z"))
    # y and z: 40 each, 2 votes each, 40 left after x: only one fits.
    assert "UNRESOLVED TIE" in run(path)
    assert "UNRESOLVED TIE" not in run(path, "--seed", "draw of 1 July")


def test_bad_file_is_a_command_error(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(PB.replace("x;60;Library", "x;-60;Library"))
    with pytest.raises(CommandError, match="line 7"):
        run(path)
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.pb")
