"""The tie order, fixed before counting.

When a rule has to choose between projects that are equally good for it, it prefers the
cheaper project (or, if the city so decides, the more expensive one: ``cost_order``), then
the one with more votes, then the one drawn first by lot. The draw is
either an explicit order of all projects or a seed from which the order is derived; either way
the resulting order is recorded in the result. Without a draw, two projects with the same cost
and the same number of votes cannot be separated: a rule that meets such a tie stops and says
so (see :class:`UnresolvedTie`) instead of picking one silently.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import CountingInputError
from .instance import Election

LOWER_COST_FIRST = "ascending"
HIGHER_COST_FIRST = "descending"
COST_ORDERS = (LOWER_COST_FIRST, HIGHER_COST_FIRST)


@dataclass(frozen=True)
class UnresolvedTie:
    """The rule needed to choose between ``projects`` and the tie order could not."""

    stage: str
    round: int
    projects: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"stage": self.stage, "round": self.round, "projects": list(self.projects)}


def draw_by_lot(project_ids: Iterable[str], seed: str) -> list[str]:
    """A reproducible random order of the projects, derived from ``seed``.

    The projects are sorted first so that the draw does not depend on their input order; the
    string seed is hashed by :class:`random.Random` the same way on every platform.
    """
    order = sorted(project_ids)
    random.Random(f"civic-budget-lot:{seed}").shuffle(order)
    return order


class TieOrder:
    """The order of preference between projects that a rule finds equally good."""

    def __init__(
        self,
        election: Election,
        *,
        seed: str | None = None,
        lot_order=None,
        cost_order: str = LOWER_COST_FIRST,
    ):
        if cost_order not in COST_ORDERS:
            raise CountingInputError("cost_order", f"must be one of {', '.join(COST_ORDERS)}")
        if seed is not None and lot_order is not None:
            raise CountingInputError("lot_order", "give either a seed or a lot order, not both")
        if seed is not None:
            if not isinstance(seed, str) or not seed:
                raise CountingInputError("seed", "must be a non-empty string")
            lot_order = draw_by_lot(election.project_ids, seed)
        elif lot_order is not None:
            lot_order = list(lot_order)
            if sorted(lot_order) != sorted(election.project_ids):
                raise CountingInputError(
                    "lot_order", "must list every project exactly once and nothing else"
                )
        self.seed = seed
        self.cost_order = cost_order
        cost_sign = 1 if cost_order == LOWER_COST_FIRST else -1
        self.lot_order: tuple[str, ...] | None = tuple(lot_order) if lot_order else None
        lot_rank = {pid: rank for rank, pid in enumerate(self.lot_order or ())}
        self._key = {
            pid: (cost_sign * election.costs[pid], -election.votes[pid], lot_rank.get(pid, 0))
            for pid in election.project_ids
        }
        self.order: tuple[str, ...] = tuple(sorted(election.project_ids, key=self._key.__getitem__))

    def key(self, project_id: str) -> tuple[int, int, int]:
        """Sort key: smaller means preferred."""
        return self._key[project_id]

    def choose(self, candidates: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
        """The preferred candidate, or ``None`` and the candidates the order cannot separate."""
        ranked = sorted(candidates, key=self._key.__getitem__)
        best = self._key[ranked[0]]
        tied = tuple(pid for pid in ranked if self._key[pid] == best)
        if len(tied) > 1:
            return None, tied
        return ranked[0], ()

    def to_dict(self) -> dict:
        return {
            "criteria": [
                "lower cost" if self.cost_order == LOWER_COST_FIRST else "higher cost",
                "more votes",
                "draw by lot",
            ],
            "cost_order": self.cost_order,
            "seed": self.seed,
            "lot_order": list(self.lot_order) if self.lot_order else None,
            "order": list(self.order),
        }
