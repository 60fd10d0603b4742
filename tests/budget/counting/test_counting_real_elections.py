"""Official results of real elections, as published in pabulib (``selected`` column).

The files come from the ``pabumeasures==0.2.2`` sdist on PyPI, fetched into the git-ignored
``.cache/pabulib/`` (see ``support.py``).
"""

import json

import pytest

from civic_budget import pabulib
from civic_budget.counting import EqualSharesRule, GreedyRule, count, recount

from .support import pabulib_file

WARSAW_2024_DISTRICTS = [
    "poland_warszawa_2024_bemowo.pb",
    "poland_warszawa_2024_mokotow.pb",
    "poland_warszawa_2024_praga-poludnie.pb",
    "poland_warszawa_2024_ursynow.pb",
]
WIELICZKA_2023 = "poland_wieliczka_2023_green-budget.pb"
# Not counted here: its official result also excludes mutually exclusive projects (META comment).
WARSAW_2024_CITY = "poland_warszawa_2024_.pb"


@pytest.mark.parametrize("name", WARSAW_2024_DISTRICTS)
def test_warsaw_2024_districts_by_greedy(name):
    pb = pabulib.read(pabulib_file(name))
    assert pb.meta["rule"] == "greedy"
    result = count(pabulib.to_election(pb), GreedyRule(variant="skip"))
    assert result.is_complete
    assert sorted(result.winners) == sorted(pb.selected_projects())


@pytest.mark.parametrize("endowment", ["exact", "integral"])
def test_wieliczka_2023_by_equal_shares_add1_without_exhaustive_stop(endowment):
    pb = pabulib.read(pabulib_file(WIELICZKA_2023))
    assert pb.meta["rule"] == "equalshares/add1"
    election = pabulib.to_election(pb)
    rule = EqualSharesRule(
        completion="add1_no_exhaustive_stop", endowment=endowment, add1_search="step"
    )
    result = count(election, rule)
    assert result.is_complete
    assert len(result.winners) == 30
    assert result.spent == 995_079
    assert sorted(result.winners) == sorted(pb.selected_projects())
    # Stored as JSON and recomputed: same result.
    assert recount(json.loads(json.dumps(result.to_dict())), election).matches


def test_wieliczka_2023_exhaustive_stop_is_a_different_rule():
    # With the exhaustive stop, Add1 stops earlier (31 projects, 984,579 zł): the official
    # result is only reproduced without it.
    election = pabulib.to_election(pabulib.read(pabulib_file(WIELICZKA_2023)))
    result = count(election, EqualSharesRule(completion="add1", add1_search="step"))
    assert (len(result.winners), result.spent) == (31, 984_579)


@pytest.mark.parametrize("name", [*WARSAW_2024_DISTRICTS, WIELICZKA_2023, WARSAW_2024_CITY])
def test_real_files_round_trip(name):
    path = pabulib_file(name)
    text = path.read_text(encoding="utf-8")
    pb = pabulib.parse(text)
    written = pabulib.write(pb)
    assert pabulib.parse(written) == pb
    # Byte for byte, up to the final newline that some files lack.
    assert written.rstrip("\n") == text.rstrip("\n")
