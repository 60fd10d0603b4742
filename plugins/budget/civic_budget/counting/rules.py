"""The rules a city can choose, :func:`count` and :func:`recount`."""

from dataclasses import asdict, dataclass
from typing import ClassVar

from .comparison import COMPARISONS, compare_with_greedy
from .completion import (
    ADD1_SEARCHES,
    COMPLETIONS,
    ENDOWMENTS,
    EXACT,
    JUMP,
    NO_COMPLETION,
    STEP,
    complete,
)
from .errors import CountingInputError
from .greedy import SKIP, VARIANTS, greedy_by_votes
from .hashing import election_hash
from .instance import ORDINAL, Election
from .mes import COST_UTILITIES, UTILITIES, EqualShares
from .numbers import to_text
from .result import BELOW_MIN_VOTES, COMPLETE, TIED, CountResult
from .ties import LOWER_COST_FIRST, TieOrder

# Bump when a change could alter any outcome or explanation; stored with every result.
ALGORITHM_VERSION = "civic-budget-counting/1"


def _check_choice(field: str, value, allowed) -> None:
    if value not in allowed:
        raise CountingInputError(field, f"must be one of {', '.join(map(str, allowed))}")


def _check_count(field: str, value, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise CountingInputError(field, f"must be an integer >= {minimum}")


@dataclass(frozen=True)
class GreedyRule:
    """Greedy by votes; ``variant`` is ``"skip"`` or ``"stop"``."""

    name: ClassVar[str] = "greedy"
    variant: str = SKIP
    min_votes: int = 1

    def __post_init__(self):
        _check_choice("rule.variant", self.variant, VARIANTS)
        _check_count("rule.min_votes", self.min_votes, 0)


@dataclass(frozen=True)
class EqualSharesRule:
    """Method of Equal Shares.

    ``endowment``: ``"exact"`` (budget / voters) or ``"integral"`` (rounded down to a whole
    unit); ``add1_search``: ``"jump"`` (straight to the next endowment that can change the
    outcome) or ``"step"`` (classic Add1: ``increment`` cost units per voter per run);
    ``min_votes`` applies to the
    greedy parts (utilitarian completion, comparison); ``comparison``: ``None``,
    ``"satisfaction"`` or ``"exclusion"``.
    """

    name: ClassVar[str] = "equal_shares"
    utilities: str = COST_UTILITIES
    completion: str = NO_COMPLETION
    endowment: str = EXACT
    add1_search: str = JUMP
    increment: int = 1
    comparison: str | None = None
    min_votes: int = 1

    def __post_init__(self):
        _check_choice("rule.utilities", self.utilities, UTILITIES)
        _check_choice("rule.completion", self.completion, COMPLETIONS)
        _check_choice("rule.endowment", self.endowment, ENDOWMENTS)
        _check_choice("rule.add1_search", self.add1_search, ADD1_SEARCHES)
        _check_count("rule.increment", self.increment, 1)
        _check_count("rule.min_votes", self.min_votes, 0)
        if self.comparison is not None:
            _check_choice("rule.comparison", self.comparison, COMPARISONS)


RULES = {rule.name: rule for rule in (GreedyRule, EqualSharesRule)}


def rule_parameters(rule) -> dict:
    return {"rule": rule.name, **asdict(rule)}


def rule_from_parameters(parameters: dict):
    parameters = dict(parameters)
    name = parameters.pop("rule", None)
    if name not in RULES:
        raise CountingInputError("rule", f"must be one of {', '.join(RULES)}")
    if name == EqualSharesRule.name:
        # Results stored before the jump search existed were counted by classic steps.
        parameters.setdefault("add1_search", STEP)
    try:
        return RULES[name](**parameters)
    except TypeError as error:
        raise CountingInputError("rule", str(error)) from None


def count(
    election: Election,
    rule,
    *,
    seed: str | None = None,
    lot_order=None,
    cost_order: str = LOWER_COST_FIRST,
    progress=None,
) -> CountResult:
    """Count ``election`` with ``rule`` (a :class:`GreedyRule` or :class:`EqualSharesRule`).

    ``seed`` or ``lot_order`` fix the draw by lot that breaks the last ties; ``cost_order``
    (``"ascending"`` or ``"descending"``) says whether ties favour the cheaper or the more
    expensive project. ``progress``, if
    given, is called as ``progress(stage, runs_done)`` during long searches (Add1).
    """
    if not isinstance(rule, GreedyRule | EqualSharesRule):
        raise CountingInputError("rule", "must be a GreedyRule or an EqualSharesRule")
    if isinstance(rule, EqualSharesRule) and election.ballot_type == ORDINAL:
        raise CountingInputError(
            "rule",
            "the Method of Equal Shares needs approval or cumulative ballots; count ordinal "
            "ballots with greedy (each ranked project counts one vote)",
        )
    ties = TieOrder(election, seed=seed, lot_order=lot_order, cost_order=cost_order)
    result = CountResult(
        algorithm_version=ALGORITHM_VERSION,
        rule=rule.name,
        parameters=rule_parameters(rule),
        status=COMPLETE,
        winners=[],
        spent=0,
        budget=election.budget,
        leftover=election.budget,
        tie_order=ties.to_dict(),
        input_hash=election_hash(election),
        voter_count=election.voter_count,
    )
    if isinstance(rule, GreedyRule):
        outcome = greedy_by_votes(election, ties, variant=rule.variant, min_votes=rule.min_votes)
        winners, rounds, tie = outcome.selected, outcome.rounds, outcome.tie
        reasons = outcome.reasons
    else:
        winners, rounds, tie, reasons = _equal_shares(election, ties, rule, result, progress)
    result.reasons = {pid: reasons[pid] for pid in election.project_ids if pid not in winners}
    result.winners = list(winners)
    result.rounds = list(rounds)
    result.spent = sum(election.costs[pid] for pid in winners)
    result.leftover = election.budget - result.spent
    if tie is not None:
        result.status = TIED
        result.unresolved_tie = tie.to_dict()
    return result


def _equal_shares(election, ties, rule: EqualSharesRule, result: CountResult, progress):
    mes = EqualShares(election, ties, rule.utilities)
    done = complete(
        mes,
        completion=rule.completion,
        endowment=rule.endowment,
        add1_search=rule.add1_search,
        increment=rule.increment,
        min_votes=rule.min_votes,
        progress=progress,
    )
    result.final_endowment = to_text(done.mes.endowment)
    result.endowment_iterations = done.iterations
    winners, rounds, tie = list(done.mes.selected), list(done.mes.rounds), done.mes.tie
    reasons = dict(done.mes.reasons)
    if done.fill is not None:
        winners += done.fill.selected
        rounds += done.fill.rounds
        tie = done.fill.tie
        # The fill is the last stage that looked at these projects, except those it never
        # considered for lack of votes: MES's reason is the more telling one for them.
        reasons.update(
            (pid, reason) for pid, reason in done.fill.reasons.items() if reason != BELOW_MIN_VOTES
        )
    if rule.comparison is None or tie is not None:
        return winners, rounds, tie, reasons
    greedy = greedy_by_votes(election, ties, variant=SKIP, min_votes=rule.min_votes)
    if greedy.tie is not None:
        # The comparison cannot be made until the draw settles greedy's tie.
        return winners, rounds, greedy.tie, reasons
    result.comparison = compare_with_greedy(election, winners, greedy.selected, rule.comparison)
    if result.comparison["outcome"] == "greedy":
        return greedy.selected, greedy.rounds, None, greedy.reasons
    return winners, rounds, None, reasons


@dataclass(frozen=True)
class RecountReport:
    matches: bool
    differences: tuple[str, ...]


def recount(stored: dict, election: Election) -> RecountReport:
    """Recompute a stored result (``CountResult.to_dict()``) on ``election`` and compare.

    The differences name the top-level fields that do not match; a different ``input_hash``
    means the ballots or projects are not the ones that were counted.
    """
    expected_hash = election_hash(election)
    if stored.get("input_hash") != expected_hash:
        return RecountReport(False, ("input_hash",))
    stored = _with_later_defaults(stored)
    rule = rule_from_parameters(stored["parameters"])
    tie_order = stored["tie_order"]
    draw = {"seed": tie_order["seed"]} if tie_order.get("seed") is not None else {}
    fresh = count(
        election,
        rule,
        lot_order=None if draw else tie_order.get("lot_order"),
        cost_order=tie_order["cost_order"],
        **draw,
    )
    fresh_dict = fresh.to_dict()
    keys = sorted(set(stored) | set(fresh_dict))
    differences = tuple(key for key in keys if stored.get(key) != fresh_dict.get(key))
    return RecountReport(not differences, differences)


def _with_later_defaults(stored: dict) -> dict:
    """``stored`` with the parameters added since it was counted, at the values it was counted
    with (classic Add1 steps, lower cost first), so that older results recount as they were."""
    parameters = rule_parameters(rule_from_parameters(stored["parameters"]))
    tie_order = dict(stored.get("tie_order") or {})
    tie_order.setdefault("cost_order", LOWER_COST_FIRST)
    return {**stored, "parameters": parameters, "tie_order": tie_order}
