"""Completing the Method of Equal Shares.

MES with the plain endowment (budget / number of voters) often leaves money unspent. The
completions in use (see Peters, Pierczyński and Skowron 2021; Faliszewski et al. 2023 on the
Wieliczka and Świecie elections):

* ``utilitarian``: fill the leftover greedily by votes.
* ``add1``: rerun MES with more endowment per voter, again and again, and keep the last
  outcome that fits the real budget; stop early as soon as an outcome is exhaustive (no
  supported project could still be added).
* ``add1_no_exhaustive_stop``: the same, without the early stop: only an outcome that
  overspends the budget ends the search (the variant used in Wieliczka 2023).
* ``add1_utilitarian``: ``add1``, then the utilitarian fill.

How the endowment grows (``add1_search``):

* ``step``: classic Add1, ``increment`` currency units per voter per run. The number of runs
  depends on the unit: a process counted in cents needs a hundred times more runs than the
  same process in euros.
* ``jump``: after each run, the endowment jumps straight to the next value at which the run's
  outcome can change, in the spirit of the Add-Opt completion (Kraiczy and Elkind 2024): for
  each project not bought, the smallest equal increase of every voter's leftover that would let
  its supporters afford it; the smallest of these is added, exactly (rationals). The number of
  runs no longer depends on the currency unit.
"""

from dataclasses import dataclass

from .greedy import SKIP, GreedyOutcome, greedy_by_votes
from .mes import EqualShares, EqualSharesRun, is_exhaustive
from .numbers import Rational

NO_COMPLETION = "none"
UTILITARIAN = "utilitarian"
ADD1 = "add1"
ADD1_NO_EXHAUSTIVE_STOP = "add1_no_exhaustive_stop"
ADD1_UTILITARIAN = "add1_utilitarian"
COMPLETIONS = (NO_COMPLETION, UTILITARIAN, ADD1, ADD1_NO_EXHAUSTIVE_STOP, ADD1_UTILITARIAN)

STEP = "step"
JUMP = "jump"
ADD1_SEARCHES = (JUMP, STEP)

EXACT = "exact"
INTEGRAL = "integral"
ENDOWMENTS = (EXACT, INTEGRAL)


@dataclass
class CompletedOutcome:
    mes: EqualSharesRun
    fill: GreedyOutcome | None
    iterations: int


def starting_endowment(budget: int, voters: int, mode: str):
    """``budget / voters`` exactly, or rounded down to a whole unit."""
    if mode == INTEGRAL:
        return Rational(budget // voters)
    return Rational(budget, voters)


def _add1(mes: EqualShares, start, search: str, increment: int, exhaustive_stop: bool, progress):
    budget = mes.election.budget
    endowment = start
    kept = None
    iterations = 0
    while True:
        iterations += 1
        run = mes.run(endowment, explain=False)
        if progress:
            progress("add1", iterations)
        if run.spent > budget:
            break
        kept = run
        if run.tie is not None:
            break
        if exhaustive_stop and is_exhaustive(mes, run.selected, run.spent):
            break
        if len(run.selected) == len(mes.available):
            break  # everything supported is bought: more endowment changes nothing
        if search == JUMP:
            endowment += mes.affordability_gap(run)
        else:
            endowment += increment
    # The search runs without explanations; explain the outcome that was kept.
    return mes.run(kept.endowment), iterations


def complete(
    mes: EqualShares,
    *,
    completion: str,
    endowment: str,
    add1_search: str,
    increment: int,
    min_votes: int,
    progress=None,
) -> CompletedOutcome:
    """MES from the starting endowment, then the chosen completion."""
    election = mes.election
    start = starting_endowment(election.budget, election.voter_count, endowment)
    if completion in (ADD1, ADD1_NO_EXHAUSTIVE_STOP, ADD1_UTILITARIAN):
        stop = completion != ADD1_NO_EXHAUSTIVE_STOP
        run, iterations = _add1(mes, start, add1_search, increment, stop, progress)
    else:
        run, iterations = mes.run(start), 1
    fill = None
    if completion in (UTILITARIAN, ADD1_UTILITARIAN) and run.tie is None:
        fill = greedy_by_votes(
            election,
            mes.ties,
            variant=SKIP,
            min_votes=min_votes,
            already_selected=tuple(run.selected),
            stage="utilitarian",
        )
    return CompletedOutcome(mes=run, fill=fill, iterations=iterations)
