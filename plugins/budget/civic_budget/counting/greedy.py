"""Greedy by votes: fund the most voted projects first while the money lasts.

Two variants are in use in cities: *skip* passes over a project that no longer fits and goes on
with cheaper ones further down the list; *stop* ends the count at the first project that does
not fit. Projects with fewer than ``min_votes`` votes are never funded. The same procedure,
in the skip variant, fills the leftover budget of the Method of Equal Shares ("utilitarian
completion") and gives the outcome that the comparison step weighs MES against.
"""

from dataclasses import dataclass, field
from itertools import groupby

from .instance import Election
from .result import AFTER_STOP, BELOW_MIN_VOTES, DID_NOT_FIT, UNDECIDED, Round
from .ties import TieOrder, UnresolvedTie

SKIP = "skip"
STOP = "stop"
VARIANTS = (SKIP, STOP)


@dataclass
class GreedyOutcome:
    selected: list[str] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    spent: int = 0
    tie: UnresolvedTie | None = None
    reasons: dict[str, str] = field(default_factory=dict)


def greedy_by_votes(
    election: Election,
    ties: TieOrder,
    *,
    variant: str = SKIP,
    min_votes: int = 1,
    already_selected: tuple[str, ...] = (),
    stage: str = "greedy",
) -> GreedyOutcome:
    """Select projects in decreasing order of votes within ``election.budget``.

    ``already_selected`` projects (chosen by an earlier stage) are paid for first and not
    considered again.
    """
    votes = election.votes
    spent = sum(election.costs[pid] for pid in already_selected)
    outcome = GreedyOutcome(spent=spent)
    taken = set(already_selected)
    candidates = [
        pid for pid in election.project_ids if pid not in taken and votes[pid] >= min_votes
    ]

    def rank(pid):
        return (-votes[pid], ties.key(pid))

    candidates.sort(key=rank)
    outcome.reasons = {
        pid: BELOW_MIN_VOTES
        for pid in election.project_ids
        if pid not in taken and votes[pid] < min_votes
    }
    # Projects with the same votes and the same tie key are interchangeable: funding all of
    # them needs no choice, funding only some of them would be a silent pick.
    for _, same in groupby(candidates, key=rank):
        same = sorted(same)
        cost = election.costs[same[0]]
        remaining = election.budget - outcome.spent
        if cost * len(same) <= remaining:
            for pid in same:
                outcome.spent += cost
                outcome.selected.append(pid)
                outcome.rounds.append(
                    Round(
                        number=len(already_selected) + len(outcome.selected),
                        stage=stage,
                        project=pid,
                        cost=cost,
                        votes=votes[pid],
                        effective_votes=str(votes[pid]),
                        spent_after=outcome.spent,
                    )
                )
            continue
        if cost <= remaining:
            outcome.tie = UnresolvedTie(
                stage=stage,
                round=len(already_selected) + len(outcome.selected) + 1,
                projects=tuple(same),
            )
            _mark_rest(outcome, candidates, UNDECIDED)
            return outcome
        outcome.reasons.update(dict.fromkeys(same, DID_NOT_FIT))
        if variant == STOP:
            _mark_rest(outcome, candidates, AFTER_STOP)
            return outcome
    return outcome


def _mark_rest(outcome: GreedyOutcome, candidates: list[str], reason: str) -> None:
    """Give ``reason`` to the candidates the count did not reach."""
    for pid in candidates:
        if pid not in outcome.reasons and pid not in outcome.selected:
            outcome.reasons[pid] = reason
