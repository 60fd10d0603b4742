"""Choice of the next cards shown to a participant (pure: no Django).

A share of the cards goes to proposals still being tested (fewer trusted votes than
the minimum exposure), least exposed first, so that every accepted proposal gets tested; the rest
comes from Thompson sampling on each tested proposal's Beta posterior, among those whose place in
the published top list is still open. A sequence opened by a shared link starts with the shared
proposal and fills the rest from proposals settled below the top list. The caller hands over
bounded candidate pools (see ``services.next_cards``), never the whole consultation, so the cost
of a draw does not depend on the number of proposals.

Each chosen card carries the probability with which it was chosen: the chance to be in the
candidate pool times the chance to be picked from it, the latter estimated by repeating the draw.
"""

import math
from collections import Counter
from dataclasses import dataclass, replace

REASON_TESTING, REASON_SAMPLING, REASON_SHARED = "testing", "sampling", "shared"


@dataclass(frozen=True)
class Candidate:
    id: int
    author: object
    theme: object
    alpha: float = 1.0
    beta: float = 1.0
    # Probability that this candidate made it into the pool it was drawn from.
    pool_probability: float = 1.0


@dataclass(frozen=True)
class Chosen:
    id: int
    probability: float
    reason: str


@dataclass(frozen=True)
class Plan:
    size: int = 12
    testing_share: float = 0.5
    max_per_author: int = 1
    max_per_theme: int = 4
    draws: int = 32
    # Size of the published top list; the sampler spends its votes where membership of that
    # list is still uncertain (0: plain Thompson sampling over every candidate).
    focus_rank: int = 10
    focus_z: float = 1.96


class _Diversity:
    """Caps per author and per theme within one sequence."""

    def __init__(self, plan, chosen=()):
        self.plan = plan
        self.authors = Counter(candidate.author for candidate in chosen)
        self.themes = Counter(candidate.theme for candidate in chosen if candidate.theme)

    def allows(self, candidate):
        if self.authors[candidate.author] >= self.plan.max_per_author:
            return False
        return not (candidate.theme and self.themes[candidate.theme] >= self.plan.max_per_theme)

    def add(self, candidate):
        self.authors[candidate.author] += 1
        if candidate.theme:
            self.themes[candidate.theme] += 1


def _pick(ordered, count, diversity, taken):
    """The first ``count`` candidates of ``ordered`` that keep the sequence diverse; when the
    caps leave slots empty, fill them in order anyway (a short sequence helps nobody)."""
    picked = []
    for candidate in ordered:
        if len(picked) == count:
            return picked
        if candidate.id not in taken and diversity.allows(candidate):
            picked.append(candidate)
            taken.add(candidate.id)
            diversity.add(candidate)
    for candidate in ordered:
        if len(picked) == count:
            break
        if candidate.id not in taken:
            picked.append(candidate)
            taken.add(candidate.id)
            diversity.add(candidate)
    return picked


def _interval(candidate, z):
    total = candidate.alpha + candidate.beta
    mean = candidate.alpha / total
    margin = z * math.sqrt(mean * (1 - mean) / (total + 1))
    return mean - margin, mean, mean + margin


def _boundary(candidates, plan):
    """Midway between the posterior means ranked ``plan.focus_rank`` and the next one."""
    means = sorted((c.alpha / (c.alpha + c.beta) for c in candidates), reverse=True)
    return (means[plan.focus_rank - 1] + means[plan.focus_rank]) / 2


def undecided(candidates, plan):
    """The candidates whose place in the top ``plan.focus_rank`` is still open.

    A candidate whose interval lies wholly above or below the boundary (see ``_boundary``) is
    decided (as in LUCB top-k identification): more votes on it would not change the published
    list. When too few stay open to fill the sequence, every candidate is kept.
    """
    if not plan.focus_rank or len(candidates) <= plan.focus_rank:
        return candidates
    boundary = _boundary(candidates, plan)
    intervals = {c.id: _interval(c, plan.focus_z) for c in candidates}
    open_ = [c for c in candidates if intervals[c.id][0] <= boundary <= intervals[c.id][2]]
    return open_ if len(open_) >= plan.size else candidates


def settled_below(candidates, plan):
    """The candidates surely outside the top ``plan.focus_rank``: interval below the boundary."""
    if not plan.focus_rank or len(candidates) <= plan.focus_rank:
        return []
    boundary = _boundary(candidates, plan)
    return [c for c in candidates if _interval(c, plan.focus_z)[2] < boundary]


def _thompson_order(candidates, rng):
    draws = [(rng.betavariate(c.alpha, c.beta), c) for c in candidates]
    draws.sort(key=lambda pair: pair[0], reverse=True)
    return [candidate for _theta, candidate in draws]


def _focused_order(candidates, plan, rng):
    """Thompson sampling among the candidates whose place in the top list is open."""
    return _thompson_order(undecided(candidates, plan), rng)


def _uniform_order(candidates, _plan, rng):
    return rng.sample(candidates, len(candidates))


def choose(testing, sampling, rng, plan=Plan(), shared=None):
    """Choose up to ``plan.size`` cards.

    ``testing``: candidates still being tested, least exposed first. ``sampling``: tested
    candidates with their Beta posterior. ``rng``: a ``random.Random``. ``shared``: the
    candidate of a shared link the participant arrived by; it comes first (the sampler did not
    choose it, so its votes are counted apart and capped, see ``scoring.ranking_counts``).
    """
    if shared is not None:
        testing = [c for c in testing if c.id != shared.id]
        sampling = [c for c in sampling if c.id != shared.id]
        plan = replace(plan, size=plan.size - 1)
        # Whoever arrives by a link is not a random draw of the population: a brigade sharing
        # its target's link votes against every other card to push its rivals down. The rest
        # of such a sequence comes uniformly from proposals already settled outside the top
        # list: those votes cannot move the published ranking, and they spread thinly instead
        # of landing on the target's nearest rivals (new proposals are still tested).
        sampling = settled_below(sampling, plan) or sampling
        order = _uniform_order
    else:
        order = _focused_order
    wanted_testing = min(len(testing), math.ceil(plan.size * plan.testing_share))
    wanted_sampling = min(len(sampling), plan.size - wanted_testing)
    # When one pool runs short, the other fills the sequence.
    wanted_testing = min(len(testing), plan.size - wanted_sampling)

    # Testing cards: a uniform draw among the least exposed (twice the number needed), then
    # the next least exposed when diversity rules out some of those.
    window = list(testing[: wanted_testing * 2])
    rng.shuffle(window)
    opening = [shared] if shared is not None else []
    taken = {c.id for c in opening}
    diversity = _Diversity(plan, opening)
    testing_cards = _pick(
        window + list(testing[wanted_testing * 2 :]), wanted_testing, diversity, taken
    )
    chosen = [
        Chosen(
            c.id, c.pool_probability * min(1.0, len(testing_cards) / len(window)), REASON_TESTING
        )
        for c in testing_cards
    ]

    if wanted_sampling:
        sampled = _pick(order(sampling, plan, rng), wanted_sampling, diversity, taken)
        hits = Counter(candidate.id for candidate in sampled)
        for _ in range(plan.draws - 1):
            replay = _pick(
                order(sampling, plan, rng),
                wanted_sampling,
                _Diversity(plan, opening + testing_cards),
                {c.id for c in opening + testing_cards},
            )
            hits.update(candidate.id for candidate in replay)
        chosen.extend(
            Chosen(c.id, c.pool_probability * hits[c.id] / plan.draws, REASON_SAMPLING)
            for c in sampled
        )
    rng.shuffle(chosen)
    if shared is not None:
        chosen.insert(0, Chosen(shared.id, 1.0, REASON_SHARED))
    return chosen
