"""What a count returns, in a form that can be stored as JSON and recomputed later."""

from dataclasses import asdict, dataclass, field

COMPLETE = "complete"
TIED = "unresolved_tie"

# Why a project was not funded (``CountResult.reasons``).
BELOW_MIN_VOTES = "below_min_votes"
DID_NOT_FIT = "did_not_fit"  # its turn came when the money left was less than its cost
AFTER_STOP = "after_stop"  # greedy, stop variant: the count ended before its turn
NO_SUPPORTERS = "no_supporters"
UNAFFORDABLE = "unaffordable"  # MES: its supporters had too little money left
UNDECIDED = "undecided"  # the count stopped at an unresolved tie


@dataclass(frozen=True)
class Payment:
    """In one round, ``voters`` voters paid ``amount`` each; ``whole_budget``: it was all
    they had left (those voters could not pay the full equal share)."""

    amount: str
    voters: int
    whole_budget: bool


@dataclass(frozen=True)
class Round:
    """One selected project and why.

    ``stage`` is ``"greedy"``, ``"equal_shares"`` or ``"utilitarian"`` (the completion).
    For equal shares, ``rho`` is the price per unit of utility (exact, as text) and
    ``effective_votes`` the number of voters who would pay the same share for the project to
    be bought (its cost divided by the largest individual payment); for greedy rounds
    ``effective_votes`` is simply the votes.
    """

    number: int
    stage: str
    project: str
    cost: int
    votes: int
    effective_votes: str
    spent_after: int
    rho: str | None = None
    payments: tuple[Payment, ...] = ()


@dataclass
class CountResult:
    algorithm_version: str
    rule: str
    parameters: dict
    status: str
    winners: list[str]
    spent: int
    budget: int
    leftover: int
    tie_order: dict
    input_hash: str
    voter_count: int
    final_endowment: str | None = None
    endowment_iterations: int | None = None
    unresolved_tie: dict | None = None
    comparison: dict | None = None
    rounds: list[Round] = field(default_factory=list)
    # Why each project that is not a winner was not funded (the reasons above).
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETE

    def to_dict(self) -> dict:
        """Plain JSON-serialisable data (lists, dicts, strings and integers)."""
        data = asdict(self)
        for round_ in data["rounds"]:
            round_["payments"] = list(round_["payments"])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "CountResult":
        data = dict(data)
        data["rounds"] = [
            Round(**{**r, "payments": tuple(Payment(**p) for p in r["payments"])})
            for r in data.get("rounds", [])
        ]
        return cls(**data)
