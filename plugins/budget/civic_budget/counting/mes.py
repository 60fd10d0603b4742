"""The Method of Equal Shares (Peters, Pierczyński and Skowron, NeurIPS 2021) for a fixed endowment.

Every voter starts with the same endowment. In each round, for each project, ``rho`` is the
smallest price per unit of utility such that the project's supporters, each paying
``min(budget, rho * utility)``, cover its cost; the project with the smallest ``rho`` is bought
and its supporters pay. A project its supporters can no longer afford is dropped for good.

Why it is fast, and still exact:

* Voters are not handled one by one. Voters with the same budget form a *budget class*; a
  project's supporters reduce to ``{class: voters}``, counted either by one popcount per class
  (voters are bits of an integer; best while classes are few) or by a C-level
  :class:`collections.Counter` over the supporters. If nobody is short of the equal share,
  that is the price; otherwise the classes are sorted by budget and the price is found by
  bisection over prefix sums (the poorest pay all they have, the others an equal share).
* Budgets are integers in a common unit that is refined when a payment needs it (the
  :class:`Ledger`), so sums never pay for rational normalisation.
* Budgets only decrease, so a project's ``rho`` only grows from round to round. Projects are
  kept in a heap by the last ``rho`` computed; a round re-evaluates them in that order and
  stops as soon as the next stale value exceeds the best fresh one.
* ``rho`` values are exact rationals (:mod:`.numbers`), compared exactly: ties are real ties.
"""

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush
from itertools import accumulate, chain, repeat
from math import lcm
from operator import add, itemgetter, mul

from .instance import Election
from .numbers import Rational, to_text
from .result import NO_SUPPORTERS, UNAFFORDABLE, UNDECIDED, Payment, Round
from .ties import TieOrder, UnresolvedTie

COST_UTILITIES = "cost"
CARDINALITY_UTILITIES = "cardinality"
UTILITIES = (COST_UTILITIES, CARDINALITY_UTILITIES)
STAGE = "equal_shares"
# Popcount counting is chosen while (classes x words) < POPCOUNT_ADVANTAGE x supporters. A
# popcount costs about a tenth of counting one supporter per word, and skipping the Counter
# also spares keeping each group's class up to date; 40 was the best of 5 to 80 on the
# benchmark elections and on Warsaw and Wieliczka.
POPCOUNT_ADVANTAGE = 40
# The class bitsets cost (classes x words) machine words. Past this many (128 MB), a run
# drops them and counts with the Counter only: millions of voters split into hundreds of
# classes would otherwise take gigabytes. Both ways of counting give the same numbers.
MASK_WORDS_LIMIT = 1 << 24


@dataclass
class EqualSharesRun:
    endowment: object
    selected: list[str] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    spent: int = 0
    tie: UnresolvedTie | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    # What every voter had left at the end (the Add1 jump reads it).
    ledger: "Ledger | None" = field(default=None, repr=False)


class EqualShares:
    """Method of Equal Shares on one election, ready to run with any endowment.

    Building it groups supporters per project once; :meth:`run` can then be called many times
    (the Add1 completion does).
    """

    def __init__(self, election: Election, ties: TieOrder, utilities: str = COST_UTILITIES):
        self.election = election
        self.ties = ties
        self.utilities = utilities
        self.group_count = len(election.groups)
        # (project, points) -> the groups that gave those points. Ballot choices are already
        # (project, points) tuples: they serve as keys as they are.
        supporters: defaultdict[tuple[str, int], list[int]] = defaultdict(list)
        for index, group in enumerate(election.groups):
            # supporters[choice].append(index) for each choice, looped in C.
            deque(
                map(list.append, map(supporters.__getitem__, group.choices), repeat(index)),
                maxlen=0,
            )
        weights = [group.weight for group in election.groups]
        # Every voter also has a bit: group i owns bits offsets[i] .. offsets[i] + weight - 1.
        offsets = [0, *accumulate(weights)]
        self.words = (offsets[-1] + 63) // 64
        self.everyone = (1 << offsets[-1]) - 1
        # Per project, one set of supporters per distinct utility.
        self.buckets: dict[str, list[Supporters]] = {pid: [] for pid in election.project_ids}
        for (pid, points), groups in sorted(supporters.items()):
            bucket = Supporters(points * self._unit(pid), groups, weights, offsets)
            self.buckets[pid].append(bucket)
        self.total_utility = {
            pid: sum(bucket.utility * len(bucket.voters) for bucket in buckets)
            for pid, buckets in self.buckets.items()
        }
        # Projects nobody supports cannot be paid for by anyone: MES never considers them.
        self.available = tuple(pid for pid in election.project_ids if self.total_utility[pid])

    def _unit(self, pid: str) -> int:
        """Utility of one point (one approval) for the project."""
        return self.election.costs[pid] if self.utilities == COST_UTILITIES else 1

    def _class_counts(self, bucket: "Supporters", ledger: "Ledger") -> dict[int, int]:
        """``{class: voters}`` of the bucket's supporters under the current budgets."""
        # Few classes (early rounds, small elections): one popcount per class beats a pass
        # over every supporter.
        masks = ledger.masks
        if masks is not None and len(masks) * self.words < POPCOUNT_ADVANTAGE * len(bucket.voters):
            weights = {}
            mask = bucket.mask
            for klass, members in masks.items():
                if number := (members & mask).bit_count():
                    weights[klass] = number
            return weights
        return Counter(map(ledger.classes().__getitem__, bucket.voters))

    def _evaluate(self, pid: str, ledger: "Ledger"):
        """``(rho, counts)`` for the project under the current budgets, or ``None`` if its
        supporters can no longer afford it; ``counts`` lists ``(utility, {class: voters})``."""
        counts = [
            (bucket.utility, self._class_counts(bucket, ledger)) for bucket in self.buckets[pid]
        ]
        cost = self.election.costs[pid] * ledger.scale
        if len(counts) == 1:
            rho = self._price_same_utility(cost, *counts[0], ledger.values)
        else:
            rho = self._price_mixed_utilities(cost, counts, ledger.values)
        return None if rho is None else (rho / ledger.scale, counts)

    @staticmethod
    def _price_same_utility(cost, utility, weights, values):
        """rho (in ledger units) such that every supporter pays min(budget, rho * utility).

        Sorted by budget, classes 0..j-1 pay all they have and the others an equal share,
        where j is the first class that can afford the share the classes from j on would
        need: ``paid_before[j] + budget[j] * voters_from[j] >= cost``. The left side never
        decreases with j, so j is found by bisection over prefix sums computed in C.
        """
        budgets = list(map(values.__getitem__, weights))
        counts = list(weights.values())
        if sum(map(mul, budgets, counts)) < cost:
            return None
        voters = sum(counts)
        if min(budgets) * voters >= cost:  # the usual case: nobody is short of the share
            return Rational(cost, voters * utility)
        pairs = sorted(zip(budgets, counts, strict=True))
        budgets = list(map(itemgetter(0), pairs))
        counts = list(map(itemgetter(1), pairs))
        paid_before = [0, *accumulate(map(mul, budgets, counts))]
        voters_before = [0, *accumulate(counts)]
        low, high = 0, len(budgets) - 1
        while low < high:
            middle = (low + high) // 2
            if paid_before[middle] + budgets[middle] * (voters - voters_before[middle]) >= cost:
                high = middle
            else:
                low = middle + 1
        return Rational(cost - paid_before[low], (voters - voters_before[low]) * utility)

    @staticmethod
    def _price_mixed_utilities(cost, counts, values):
        # The same walk from the poorest, ordered by budget / utility (cumulative ballots
        # with different points on the project).
        pairs = sorted(
            (Rational(values[klass], utility), values[klass], utility, weight)
            for utility, weights in counts
            for klass, weight in weights.items()
        )
        utility_left = sum(utility * weight for _, _, utility, weight in pairs)
        paid = 0
        for ratio, budget, utility, weight in pairs:
            needed = cost - paid
            if needed <= ratio * utility_left:
                return Rational(needed, utility_left)
            paid += budget * weight
            utility_left -= utility * weight
        return None

    def run(self, endowment, *, explain: bool = True) -> EqualSharesRun:
        """Run MES with ``endowment`` per voter. ``explain`` records payments per round."""
        costs = self.election.costs
        votes = self.election.votes
        ties = self.ties
        outcome = EqualSharesRun(endowment=endowment)
        outcome.reasons = {
            pid: NO_SUPPORTERS for pid in self.election.project_ids if not self.total_utility[pid]
        }
        ledger = Ledger(Rational(endowment), self.group_count, self.everyone)
        # c / total utility is a lower bound of rho (reached while nobody is short of money),
        # which is all the lazy evaluation needs to start.
        heap = [
            (Rational(costs[pid], self.total_utility[pid]), ties.key(pid), pid)
            for pid in self.available
        ]
        heapify(heap)
        while heap:
            best = None
            evaluated = []
            while heap and (best is None or heap[0][0] <= best):
                _, key, pid = heappop(heap)
                fresh = self._evaluate(pid, ledger)
                if fresh is None:
                    outcome.reasons[pid] = UNAFFORDABLE
                    continue
                evaluated.append((fresh[0], key, pid, fresh[1]))
                if best is None or fresh[0] < best:
                    best = fresh[0]
            if best is None:
                break
            tied = [entry for entry in evaluated if entry[0] == best]
            winner = tied[0]
            if len(tied) > 1:
                chosen, unresolved = ties.choose([entry[2] for entry in tied])
                if chosen is None:
                    outcome.tie = UnresolvedTie(STAGE, len(outcome.selected) + 1, unresolved)
                    undecided = [entry[2] for entry in evaluated] + [entry[2] for entry in heap]
                    outcome.reasons.update(dict.fromkeys(undecided, UNDECIDED))
                    outcome.ledger = ledger
                    return outcome
                winner = next(entry for entry in tied if entry[2] == chosen)
            for entry in evaluated:
                if entry is not winner:
                    heappush(heap, entry[:3])
            rho, _, pid, counts = winner
            payments = self._pay(pid, rho, counts, ledger, explain)
            outcome.selected.append(pid)
            outcome.spent += costs[pid]
            if explain:
                outcome.rounds.append(
                    Round(
                        number=len(outcome.selected),
                        stage=STAGE,
                        project=pid,
                        cost=costs[pid],
                        votes=votes[pid],
                        effective_votes=to_text(costs[pid] / (rho * self._unit(pid))),
                        spent_after=outcome.spent,
                        rho=to_text(rho),
                        payments=payments,
                    )
                )
        outcome.ledger = ledger
        return outcome

    def affordability_gap(self, run: EqualSharesRun):
        """The smallest amount that, added to what every voter with money left had at the end
        of ``run``, would let the supporters of some project not bought afford it (always > 0:
        MES stops only when no project is affordable)."""
        ledger = run.ledger
        values = ledger.values
        chosen = set(run.selected)
        gaps = []
        for pid in self.available:
            if pid in chosen:
                continue
            money = voters = with_money = 0
            for bucket in self.buckets[pid]:
                for klass, number in self._class_counts(bucket, ledger).items():
                    money += values[klass] * number
                    voters += number
                    if values[klass]:
                        with_money += number
            # A supporter left with nothing paid all they had for an earlier project: more
            # endowment goes there first. Only those with money left are counted on to grow.
            shortfall = self.election.costs[pid] * ledger.scale - money
            gaps.append(Rational(shortfall, with_money or voters))
        return min(gaps) / ledger.scale

    def _pay(self, pid, rho, counts, ledger: "Ledger", explain):
        """Charge the supporters of the bought project and move them to their new classes.

        Returns the payments grouped by amount when ``explain`` is set."""
        shares = [rho * utility for utility, _ in counts]
        ledger.express_exactly(shares)
        paid: Counter = Counter()
        if ledger.masks is not None and len(ledger.masks) * self.words > MASK_WORDS_LIMIT:
            ledger.masks = None
        masks = ledger.masks
        for share, (_, weights), bucket in zip(shares, counts, self.buckets[pid], strict=True):
            share = int(share * ledger.scale)
            move = {}
            for klass, weight in weights.items():
                budget = ledger.values[klass]
                amount, left = (budget, 0) if budget <= share else (share, budget - share)
                move[klass] = ledger.class_of(left)
                if explain and amount:
                    paid[(amount, left == 0)] += weight
            if masks is not None:
                _move_bits(masks, move, bucket.mask)
            ledger.pending.append((bucket.groups, move))
        return tuple(
            Payment(
                amount=to_text(Rational(amount, ledger.scale)), voters=weight, whole_budget=whole
            )
            for (amount, whole), weight in sorted(paid.items(), reverse=True)
        )


def _move_bits(masks: dict, move: dict, supporters: int) -> None:
    """Move the supporters' bits of each class to its new class."""
    # A class can be both left and joined (two budgets meeting at the same amount): take
    # every moving set out before putting any back.
    moving = {klass: masks[klass] & supporters for klass in move}
    for klass, bits in moving.items():
        if staying := masks[klass] ^ bits:
            masks[klass] = staying
        else:
            del masks[klass]
    for klass, bits in moving.items():
        masks[move[klass]] = masks.get(move[klass], 0) | bits


class Supporters:
    """The ballot groups that give a project the same utility.

    ``voters`` repeats each group as many times as it has voters, so that counting voters per
    budget class is one C-level Counter over it; ``groups`` lists each group once; ``mask``
    has the supporters' bits, for counting per class by popcount (built on first use: many
    projects are never evaluated that way).
    """

    __slots__ = ("utility", "voters", "groups", "_weights", "_offsets", "_mask")

    def __init__(self, utility: int, groups: list[int], weights: list[int], offsets: list[int]):
        self.utility = utility
        self.groups = groups
        self._weights = list(map(weights.__getitem__, groups))
        self._offsets = offsets
        self._mask = None
        if max(self._weights) == 1:
            self.voters = groups
        else:
            self.voters = list(chain.from_iterable(map(repeat, groups, self._weights)))

    @property
    def mask(self) -> int:
        if self._mask is None:
            starts = list(map(self._offsets.__getitem__, self.groups))
            ends = map(add, starts, self._weights)
            bits = chain.from_iterable(map(range, starts, ends))
            self._mask = _bitmask(bits, self._offsets[-1])
        return self._mask


def _bitmask(positions, size: int) -> int:
    """The integer with the given bits set, built in C: one byte per bit, turned into a
    string of binary digits (most significant first) and parsed."""
    flags = bytearray(size)
    deque(map(flags.__setitem__, positions, repeat(1)), maxlen=0)
    flags.reverse()
    return int(flags.translate(_BINARY_DIGITS) or b"0", 2)


_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


class Ledger:
    """What every voter has left during one run, grouped in budget classes.

    Amounts are integers in units of ``1 / scale``: rational sums with unlike denominators
    would cost a gcd at every addition, integer sums cost nothing. When a payment is not a
    whole number of units, the unit is refined (``scale`` multiplied) for everyone.
    """

    def __init__(self, endowment, groups: int, everyone: int):
        self.scale = int(endowment.denominator)
        self.values = [int(endowment.numerator)]  # amount of each class, in units
        self.index = {self.values[0]: 0}  # amount -> class: equal amounts share a class
        self.cls = [0] * groups  # class of each ballot group, once ``pending`` is applied
        # Moves not yet applied to ``cls``: runs that only count by popcount never need it.
        self.pending: list[tuple[list[int], dict[int, int]]] = []
        # class -> bits of its voters, for the classes in use; None once dropped (too many).
        self.masks: dict[int, int] | None = {0: everyone}

    def express_exactly(self, amounts) -> None:
        """Refine the unit so that each of ``amounts`` (real money) is a whole number of units."""
        factor = lcm(*(int((amount * self.scale).denominator) for amount in amounts))
        if factor > 1:
            self.scale *= factor
            self.values = [value * factor for value in self.values]
            self.index = {value: klass for klass, value in enumerate(self.values)}

    def classes(self) -> list[int]:
        """The class of each ballot group."""
        cls = self.cls
        for groups, move in self.pending:
            # cls[i] = move[cls[i]] for each group, looped in C: deque(maxlen=0) only drains.
            deque(
                map(cls.__setitem__, groups, map(move.__getitem__, map(cls.__getitem__, groups))),
                maxlen=0,
            )
        self.pending.clear()
        return cls

    def class_of(self, amount: int) -> int:
        klass = self.index.get(amount)
        if klass is None:
            klass = self.index[amount] = len(self.values)
            self.values.append(amount)
        return klass


def is_exhaustive(mes: EqualShares, selected: list[str], spent: int) -> bool:
    """True if no project with supporters could still be added within the budget."""
    left = mes.election.budget - spent
    chosen = set(selected)
    return all(mes.election.costs[pid] > left for pid in mes.available if pid not in chosen)
