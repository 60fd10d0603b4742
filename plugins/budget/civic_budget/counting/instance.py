"""The election to count: projects with integer costs, a budget and grouped ballots.

Everything is validated here, once, so that the rules can trust their input. Identical ballots
are merged into weighted groups: the rules only ever see one entry per distinct ballot.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import repeat

from .errors import CountingInputError

APPROVAL = "approval"
CUMULATIVE = "cumulative"
ORDINAL = "ordinal"
BALLOT_TYPES = (APPROVAL, CUMULATIVE, ORDINAL)


@dataclass(frozen=True, slots=True)
class BallotGroup:
    """``weight`` voters who cast the same ballot.

    ``choices`` is sorted by project id; each entry is ``(project_id, points)``: approval
    ballots give every approved project one point, ordinal ballots give each ranked project
    its rank (1 for the first preference).
    """

    choices: tuple[tuple[str, int], ...]
    weight: int


def _is_int(value) -> bool:
    # bool is an int subclass, but True is not a cost.
    return isinstance(value, int) and not isinstance(value, bool)


class Election:
    """A validated participatory-budget election.

    ``projects`` maps project id (a string) to its cost (a positive integer, e.g. cents),
    ``budget`` is a positive integer in the same unit. ``ballots`` is an iterable of approval
    ballots (iterables of project ids), of mappings from project id to a positive number of
    points when ``ballot_type`` is ``"cumulative"``, or of sequences of project ids in order of
    preference when it is ``"ordinal"`` (each ranked project then counts one vote).
    ``weights``, if given, says how many voters cast each ballot (default: one each).
    """

    def __init__(
        self,
        projects: Mapping[str, int],
        budget: int,
        ballots: Iterable,
        *,
        ballot_type: str = APPROVAL,
        weights: Iterable[int] | None = None,
    ):
        if ballot_type not in BALLOT_TYPES:
            raise CountingInputError("ballot_type", f"must be one of {', '.join(BALLOT_TYPES)}")
        self.ballot_type = ballot_type
        self.budget = self._check_budget(budget)
        self.costs: dict[str, int] = self._check_projects(projects)
        self.project_ids: tuple[str, ...] = tuple(self.costs)
        self.groups: tuple[BallotGroup, ...] = self._group_ballots(ballots, weights)
        self.voter_count = sum(group.weight for group in self.groups)
        if self.voter_count == 0:
            raise CountingInputError("ballots", "there must be at least one ballot")
        self.votes: dict[str, int] = dict.fromkeys(self.project_ids, 0)
        ranked = ballot_type == ORDINAL
        for group in self.groups:
            for project_id, points in group.choices:
                self.votes[project_id] += group.weight if ranked else points * group.weight

    @staticmethod
    def _check_budget(budget) -> int:
        if not _is_int(budget):
            raise CountingInputError("budget", "must be an integer (e.g. an amount in cents)")
        if budget <= 0:
            raise CountingInputError("budget", "must be greater than zero")
        return budget

    @staticmethod
    def _check_projects(projects) -> dict[str, int]:
        if not isinstance(projects, Mapping):
            raise CountingInputError("projects", "must map project ids to costs")
        if not projects:
            raise CountingInputError("projects", "there must be at least one project")
        costs = {}
        for project_id, cost in projects.items():
            if not isinstance(project_id, str) or not project_id:
                raise CountingInputError(
                    f"projects[{project_id!r}]", "project ids must be non-empty strings"
                )
            if any(character < " " or character == "\x7f" for character in project_id):
                raise CountingInputError(
                    f"projects[{project_id!r}]", "project ids cannot contain control characters"
                )
            if not _is_int(cost):
                raise CountingInputError(
                    f"projects[{project_id!r}].cost", "must be an integer (e.g. cents)"
                )
            if cost <= 0:
                raise CountingInputError(
                    f"projects[{project_id!r}].cost", "must be greater than zero"
                )
            costs[project_id] = cost
        return costs

    def _group_ballots(self, ballots, weights) -> tuple[BallotGroup, ...]:
        if isinstance(ballots, str | bytes | Mapping):
            raise CountingInputError("ballots", "must be a list of ballots")
        pairs = zip(ballots, repeat(1)) if weights is None else zip(ballots, weights, strict=True)
        merged: dict[tuple[tuple[str, int], ...], int] = {}
        # One (project, points) tuple per distinct choice, shared by every ballot that has it:
        # millions of ballots would otherwise each hold their own copies.
        self._choices: dict[tuple[str, int], tuple[str, int]] = {}
        try:
            for index, (ballot, weight) in enumerate(pairs):
                if not _is_int(weight) or weight <= 0:
                    raise CountingInputError(f"weights[{index}]", "must be a positive integer")
                choices = self._check_ballot(index, ballot)
                merged[choices] = merged.get(choices, 0) + weight
        except ValueError as error:
            if isinstance(error, CountingInputError) or "zip()" not in str(error):
                raise
            raise CountingInputError("weights", "must have one weight per ballot") from None
        del self._choices
        # Sorted so that the grouping, and everything computed from it, ignores input order.
        return tuple(BallotGroup(choices, weight) for choices, weight in sorted(merged.items()))

    def _check_ballot(self, index: int, ballot) -> tuple[tuple[str, int], ...]:
        field = f"ballots[{index}]"
        if self.ballot_type == APPROVAL:
            if isinstance(ballot, str | bytes | Mapping) or not isinstance(ballot, Iterable):
                raise CountingInputError(field, "an approval ballot is a collection of project ids")
            items = [(project_id, 1) for project_id in ballot]
        elif self.ballot_type == ORDINAL:
            if isinstance(ballot, str | bytes | Mapping) or not isinstance(ballot, Iterable):
                raise CountingInputError(field, "an ordinal ballot is a sequence of project ids")
            items = [(project_id, rank) for rank, project_id in enumerate(ballot, start=1)]
        else:
            if not isinstance(ballot, Mapping):
                raise CountingInputError(field, "a cumulative ballot maps project ids to points")
            items = list(ballot.items())
        seen = set()
        for project_id, points in items:
            if project_id not in self.costs:
                raise CountingInputError(field, f"unknown project id {project_id!r}")
            if project_id in seen:
                raise CountingInputError(field, f"project {project_id!r} appears twice")
            seen.add(project_id)
            if not _is_int(points) or points <= 0:
                raise CountingInputError(
                    f"{field}[{project_id!r}]", "points must be a positive integer"
                )
        shared = self._choices
        return tuple(sorted(shared.setdefault(item, item) for item in items))

    def __repr__(self) -> str:
        return (
            f"Election({len(self.project_ids)} projects, budget={self.budget}, "
            f"{self.voter_count} voters in {len(self.groups)} groups, {self.ballot_type})"
        )
