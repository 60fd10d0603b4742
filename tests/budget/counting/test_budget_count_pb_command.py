"""The budget_count_pb management command (no database involved)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic_budget.management.commands.budget_count_pb import Command, Progress

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


def run_with_stderr(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(Command(), *map(str, args), stdout=out, stderr=err, skip_checks=True)
    return out.getvalue(), err.getvalue()


def test_decimals_duplicates_and_tie_order(tmp_path):
    path = tmp_path / "city.pb"
    text = PB.replace("budget;100", "budget;100.50").replace("4;y,z", "4;y,z,y")
    path.write_text(text, encoding="cp1250")
    out, err = run_with_stderr(path, "--tie-cost-order", "descending")
    assert "amounts in 1/10 of the file's unit" in out
    assert "spent 1,000 of 1,005" in out
    assert "warning: line 15: project(s) y listed twice: counted once" in err


def test_progress_only_when_asked_or_on_a_terminal(tmp_path):
    path = tmp_path / "big.pb"
    path.write_text(PB + "".join(f"{n};x\n" for n in range(5, 50_000)), encoding="utf-8")
    assert run_with_stderr(path)[1] == ""  # StringIO is not a terminal: nothing
    stream = StringIO()
    progress = Progress(stream, enabled=True)
    progress.started -= 2  # progress shows once a count has lasted a second
    progress.reading(50, 200)
    progress.close()
    assert stream.getvalue().startswith("\rreading 25%:") and stream.getvalue().endswith("\n")
    silent = StringIO()
    Progress(silent, enabled=False).reading(50, 200)
    assert silent.getvalue() == ""
