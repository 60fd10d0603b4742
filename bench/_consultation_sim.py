"""Simulated consultation for bench/consultation_simulation.py (pure Python and numpy, no
database).

A population with latent opinions in opinion groups of unequal size votes on proposals that
arrive over time. Three orders serve the cards:

- ``product``: the plugin's own code. Candidate pools are read as ``services.next_cards`` reads
  them from the database (least exposed testing proposals; best upper bounds plus a random slice
  by shuffle key); the cards come from ``sequence.choose``; every vote moves the counters and
  ``scoring.derive`` refreshes pool, upper bound and ranking score, as ``services.cast_vote``
  does; votes on shared-link cards are weighed by ``scoring.ranking_counts``. The address-range
  cap is modelled too (see "Address-range cap" below).
- ``makeorg``: Make.org's published rules (docs/consultation.md), written here as a comparison mode
  only: new proposals first-in first-out until the minimum exposure, tested proposals by a
  normal sample of their top score, no bounded pools, no cap on shared links, votes outside
  sequences counted at half weight (an assumption: Make.org's weight is a per-consultation
  parameter).
- ``random``: twelve uniformly random proposals per sequence.

All three rank by a lower bound of the product's top score once a proposal has the minimum
exposure: the product at its own ``Thresholds.ranking_z``; Make.org's rules and random order at
the 95 % bound of the anchor, so that a change of the product's ranking leaves the
baselines as they were.

Sequence farming (attack "farm"): attacker sessions all joining from one address range, spread
over the consultation like the brigade (from 30 % of the timeline on; over days the per-address
join limit does not bind, and a /24 holds 256 addresses anyway). No shared link: each session
draws ordinary sequences through the order's own ``cards`` until one holds the target, at most
``Scenario.farm_draws`` (20) times. Each draw costs a proof of work (about half a second) and is
served like any other (the proposals' ``served`` counters move), and 20 draws cover a target that
one sequence in ten holds with 88 % chance: a patient script, not an unbounded one. Like the
brigade, a session casts 10 votes or so (at most 12, one sequence), agree on the target (first,
when the sequence holds it) and disagree on the other cards; a session that never met its target
votes disagree on the last sequence drawn, which still lands on the target's rivals.

Address-range cap (product only; Make.org's rules and random order have none): the ledger keeps,
per proposal, the counters of the votes the attacker range cast on sampled (not shared-link)
cards; ``integrity.range_weights``, given the range's share of the sampled votes on the other
proposals, gives the weight it keeps, and ``integrity.range_excess`` the weight
``scoring.ranking_counts`` takes off, following the votes between two computations as the
product's vote path does. Honest
participants each come from their own range: one vote at most per proposal and range, never the
rule's minimum of 10, so leaving them out changes nothing. The burst (one address) is that range
too. As the product's task every ``ADDRESS_RANGE_MINUTES`` (5), the excess is recomputed at fixed
steps of the timeline, every ``Scenario.range_refresh`` (1 %) of the participants, and the stored
excess ranks the proposal in between. In a consultation open three weeks, 1 % of the
participants arrive in about five hours: the simulated cap lags far more than the product's.
"""

import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from civic_consultation import integrity, scoring, sequence
from civic_consultation.app_settings import DEFAULTS

ORDERS = ("product", "makeorg", "random")
AGREE, DISAGREE, NEUTRAL = scoring.AGREE, scoring.DISAGREE, scoring.NEUTRAL


@dataclass(frozen=True)
class Scenario:
    name: str
    participants: int = 8300
    proposals: int = 580
    votes_per_participant: float = 10.2
    # Opinion groups (shares of the population) and the latent space they live in.
    groups: tuple = (0.4, 0.25, 0.17, 0.11, 0.07)
    dimensions: int = 2
    # Spread of the proposals' base appeal (logit scale), calibrated so that random order
    # reaches the recall@10 reported for it (about 0.58, docs/consultation.md).
    appeal_spread: float = 1.0
    # Share of proposals there at the opening; the others arrive over the first 80 %.
    opening_share: float = 0.3
    neutral_share: float = 0.15
    # Attacks: "brigade" (shared link of the target), "direct" (votes outside sequences),
    # "uniform" (sessions that always vote the same way), "burst" (one address, shared link),
    # "farm" (one address range drawing sequences until the target comes up).
    attack: str = ""
    attack_share: float = 0.0
    target_rank: int = 60
    # Sequences a farming session draws at most while looking for its target.
    farm_draws: int = 20
    # Defences of the product: the shared-link cap (always on in the product), the
    # address-range cap recomputed every ``range_refresh`` of the participants, and the
    # exclusion of flagged sessions by a moderator.
    range_cap: bool = True
    range_refresh: float = 0.01
    exclude_flagged: bool = False


@dataclass
class Population:
    opinions: np.ndarray  # participants x dimensions
    group_of: np.ndarray
    appeal: np.ndarray  # proposals
    directions: np.ndarray  # proposals x dimensions
    arrival: np.ndarray  # index of the participant at whose arrival the proposal appears
    author: np.ndarray
    theme: np.ndarray
    support: np.ndarray  # true share of the population that agrees
    true_top: list
    target: int

    def agree_probability(self, person, proposal):
        logit = self.appeal[proposal] + float(self.opinions[person] @ self.directions[proposal])
        return 1 / (1 + math.exp(-logit))


def make_population(scenario, seed):
    rng = np.random.default_rng(seed)
    n, p, d = scenario.participants, scenario.proposals, scenario.dimensions
    shares = np.array(scenario.groups)
    centres = rng.normal(0, 1.2, size=(len(shares), d))
    group_of = rng.choice(len(shares), size=n, p=shares / shares.sum())
    opinions = centres[group_of] + rng.normal(0, 0.5, size=(n, d))
    appeal = rng.normal(-0.2, scenario.appeal_spread, size=p)
    directions = rng.normal(0, 0.6, size=(p, d))
    opening = int(p * scenario.opening_share)
    arrival = np.zeros(p, dtype=int)
    arrival[opening:] = np.sort(rng.integers(0, int(n * 0.8), size=p - opening))
    author = rng.integers(0, n, size=p)
    author = np.minimum(author, np.maximum(arrival, 0))
    theme = rng.integers(0, 7, size=p)
    # True support: expected agree share over the whole population (chunked: large scale).
    support = np.zeros(p)
    for start in range(0, n, 20000):
        logits = appeal + opinions[start : start + 20000] @ directions.T
        support += (1 / (1 + np.exp(-logits))).sum(axis=0)
    support = support / n * (1 - scenario.neutral_share)
    order = np.argsort(-support, kind="stable")
    # The target of attacks is the true rank-60 proposal among those there from the opening.
    early = [int(i) for i in order if arrival[i] == 0]
    target = early[min(scenario.target_rank, len(early)) - 1]
    return Population(
        opinions,
        group_of,
        appeal,
        directions,
        arrival,
        author,
        theme,
        support,
        [int(i) for i in order[:10]],
        target,
    )


# The one address range attackers share (honest participants each have their own).
ATTACKER_RANGE = "attacker range"


class Ledger:
    """Counters of every proposal as the product stores them: votes on cards the sampler chose,
    votes on shared-link cards, votes outside sequences; with ``range_rules``, the attacker
    range's votes on sampled cards and the excess weight last computed from them."""

    def __init__(self, size, thresholds, weights=None, range_rules=None):
        self.thresholds = thresholds
        # None: the product's rule; else fixed weights of shared-link and outside votes.
        self.weights = weights
        self.range_rules = range_rules
        self.range_votes = {}  # proposal -> Counter of the attacker range's sampled votes
        # proposal -> {range: weight} as last computed; the weight taken off follows the votes
        # in between, as the product's vote path keeps it (integrity.move_excess).
        self.range_weights = {}
        self.sampled = [scoring.Counts() for _ in range(size)]
        self.shared = [scoring.Counts() for _ in range(size)]
        self.untrusted = [scoring.Counts() for _ in range(size)]
        self.served = np.zeros(size, dtype=int)
        self.pool = [scoring.POOL_TESTING] * size
        self.testing = np.ones(size, dtype=bool)
        self.sampling = np.zeros(size, dtype=bool)
        # What the sequences read, refreshed with each vote like the proposal's columns.
        self.posterior = [(1, 1)] * size
        self.top = np.zeros(size)
        self.top_sd = np.ones(size)
        self.agree_high = np.ones(size)
        self.rank_low = np.full(size, -1.0)
        self.ever_retired = np.zeros(size, dtype=bool)

    def counts(self, proposal):
        sampled, shared = self.sampled[proposal], self.shared[proposal]
        if self.weights is None:
            return scoring.ranking_counts(
                sampled, shared, self.thresholds, excess=self.excess(proposal)
            )
        shared_weight, outside_weight = self.weights
        untrusted = self.untrusted[proposal]
        return sampled.plus(
            {
                n: shared_weight * getattr(shared, n) + outside_weight * getattr(untrusted, n)
                for n in scoring.VALUES
            }
        )

    def votes(self):
        return np.array([s.total + h.total for s, h in zip(self.sampled, self.shared, strict=True)])

    def add(self, proposal, value, kind, sign=1, block=None):
        store = getattr(self, kind)
        store[proposal] = store[proposal].plus({value: sign})
        if self.range_rules and block == ATTACKER_RANGE and kind == "sampled":
            self.range_votes.setdefault(proposal, Counter())[value] += sign
        self.derive(proposal)

    def excess(self, proposal):
        weights = self.range_weights.get(proposal)
        if not weights:
            return None
        return integrity.range_excess({ATTACKER_RANGE: self.range_votes[proposal]}, weights)

    def cap_ranges(self):
        """What the product's task does: store each proposal's range weights
        (``integrity.range_weights``, the range's allowance from its share of the votes on the
        other proposals), and rank again those whose weights moved; returns the latter."""
        changed = []
        if not self.range_rules or not self.range_votes:
            return changed
        counted = sum(counts.total for counts in self.sampled)
        range_total = sum(sum(votes.values()) for votes in self.range_votes.values())
        for proposal, votes in self.range_votes.items():
            on_proposal = sum(votes.values())
            proposal_votes = self.sampled[proposal].total
            other_votes = counted - proposal_votes
            other_share = (range_total - on_proposal) / other_votes if other_votes else 0.0
            caps = {ATTACKER_RANGE: integrity.range_cap(other_share, self.range_rules)}
            weights = integrity.range_weights(
                proposal_votes, {ATTACKER_RANGE: on_proposal}, caps, self.range_rules
            )
            if weights != self.range_weights.get(proposal, {}):
                self.range_weights[proposal] = weights
                self.derive(proposal)
                changed.append(proposal)
        return changed

    def derive(self, proposal):
        """Refresh the proposal's derived values from its counters, as a vote does."""
        counts = self.counts(proposal)
        derived = scoring.derive(counts, self.thresholds)
        self.posterior[proposal] = scoring.beta_posterior(counts)
        self.top[proposal] = derived.top_score
        self.top_sd[proposal] = (
            derived.top_score - derived.top_score_low
        ) / self.thresholds.ranking_z
        self.pool[proposal] = derived.pool
        self.testing[proposal] = derived.pool == scoring.POOL_TESTING
        self.sampling[proposal] = derived.pool == scoring.POOL_SAMPLING
        self.agree_high[proposal] = derived.agree_high
        self.rank_low[proposal] = derived.top_score_low
        if derived.pool == scoring.POOL_RETIRED:
            self.ever_retired[proposal] = True


class Order:
    name = ""

    def __init__(self, population, scenario, seed):
        self.population = population
        self.rng = random.Random(seed)
        self.thresholds = scoring.Thresholds(min_exposure=DEFAULTS["MIN_EXPOSURE"])
        if self.ranking_z is not None:
            self.thresholds = replace(self.thresholds, ranking_z=self.ranking_z)
        range_rules = integrity.Rules() if self.caps_ranges and scenario.range_cap else None
        self.ledger = Ledger(len(population.appeal), self.thresholds, self.weights, range_rules)
        self.plan = sequence.Plan(
            size=DEFAULTS["SEQUENCE_SIZE"],
            testing_share=DEFAULTS["TESTING_SHARE"],
            max_per_author=DEFAULTS["MAX_PER_AUTHOR"],
            max_per_theme=DEFAULTS["MAX_PER_THEME"],
            # The replays only estimate the cards' probabilities, not needed here: the first
            # draw, which picks the cards, is the same.
            draws=1,
        )
        self.shuffle_key = np.array([self.rng.random() for _ in population.appeal])
        self.by_key = np.argsort(self.shuffle_key)
        self.numpy_rng = np.random.default_rng(seed)
        # Sampling candidates by proposal, rebuilt when a vote moves the posterior.
        self.cached = {}

    weights = None
    # Standard errors below the top score a baseline ranks by; None: the product's own.
    ranking_z = None
    # Whether the order weighs down over-represented address ranges (the product only).
    caps_ranges = False

    def available(self, now, excluded):
        mask = self.population.arrival <= now
        if excluded:
            mask[list(excluded)] = False
        return mask

    def candidate(self, proposal, with_posterior=False):
        population = self.population
        if with_posterior and proposal in self.cached:
            return self.cached[proposal]
        if not with_posterior:
            return sequence.Candidate(
                proposal, int(population.author[proposal]), int(population.theme[proposal])
            )
        alpha, beta = self.ledger.posterior[proposal]
        self.cached[proposal] = sequence.Candidate(
            proposal,
            int(population.author[proposal]),
            int(population.theme[proposal]),
            alpha,
            beta,
        )
        return self.cached[proposal]

    def ranking(self):
        ledger = self.ledger
        ranked = [i for i, pool in enumerate(ledger.pool) if pool != scoring.POOL_TESTING]
        ranked.sort(key=lambda i: (-ledger.rank_low[i], i))
        return ranked

    def vote(self, proposal, value, kind, block=None):
        self.ledger.add(proposal, value, kind, block=block)
        self.cached.pop(proposal, None)

    def cap_ranges(self):
        for proposal in self.ledger.cap_ranges():
            self.cached.pop(proposal, None)


class ProductOrder(Order):
    name = "product"
    caps_ranges = True

    def cards(self, now, excluded, shared=None):
        ledger = self.ledger
        open_now = self.available(now, excluded)
        testing_mask = open_now & ledger.testing
        testing_ids = np.flatnonzero(testing_mask)
        wanted = self.plan.size * 2
        if len(testing_ids) > wanted:
            order = np.lexsort((testing_ids, ledger.served[testing_ids]))[:wanted]
            testing_ids = testing_ids[order]
        else:
            testing_ids = testing_ids[np.lexsort((testing_ids, ledger.served[testing_ids]))]
        sampling_mask = ledger.sampling & (self.population.arrival <= now)
        best_count = DEFAULTS["CANDIDATE_POOL_BEST"]
        sampling_ids = np.flatnonzero(sampling_mask)
        if len(sampling_ids) > best_count:
            top = np.argpartition(-ledger.agree_high[sampling_ids], best_count - 1)[:best_count]
            best = set(sampling_ids[top].tolist())
        else:
            best = set(sampling_ids.tolist())
        keyed = self.by_key[sampling_mask[self.by_key]]
        start = np.searchsorted(self.shuffle_key[keyed], self.rng.random())
        size = DEFAULTS["CANDIDATE_POOL_RANDOM"]
        window = np.concatenate([keyed[start:], keyed[:start]])[:size]
        pool = (best | set(window.tolist())) - set(excluded)
        chosen = sequence.choose(
            [self.candidate(int(i)) for i in testing_ids],
            [self.candidate(i, with_posterior=True) for i in sorted(pool)],
            self.rng,
            self.plan,
            shared=self.candidate(shared) if shared is not None else None,
        )
        for card in chosen:
            ledger.served[card.id] += 1
        return [
            (card.id, "shared" if card.reason == sequence.REASON_SHARED else "sampled")
            for card in chosen
        ]


class MakeOrgOrder(Order):
    """Make.org's rules (see the module docstring), for comparison only."""

    name = "makeorg"
    weights = (1.0, 0.5)
    ranking_z = 1.96

    def cards(self, now, excluded, shared=None):
        ledger, population = self.ledger, self.population
        size = self.plan.size - (shared is not None)
        open_now = self.available(now, excluded)
        if shared is not None:
            open_now[shared] = False
        votes = ledger.votes()
        new_ids = np.flatnonzero(open_now & (votes < self.thresholds.min_exposure))
        tested_ids = np.flatnonzero(open_now & (votes >= self.thresholds.min_exposure))
        wanted_new = min(len(new_ids), max(math.ceil(size * 0.5), size - len(tested_ids)))
        # First in, first out, one proposal per author.
        chosen, authors = [], set()
        for i in new_ids[np.argsort(population.arrival[new_ids], kind="stable")]:
            if len(chosen) == wanted_new:
                break
            if population.author[i] not in authors:
                chosen.append(int(i))
                authors.add(population.author[i])
        # Make.org's bandit: a normal sample of each tested proposal's top score.
        samples = self.numpy_rng.normal(ledger.top[tested_ids], ledger.top_sd[tested_ids])
        for i in tested_ids[np.argsort(-samples)].tolist():
            if len(chosen) == size:
                break
            if population.author[i] not in authors:
                chosen.append(i)
                authors.add(population.author[i])
        self.rng.shuffle(chosen)
        cards = [(i, "sampled") for i in chosen]
        if shared is not None:
            cards.insert(0, (shared, "shared"))
        for i, _kind in cards:
            ledger.served[i] += 1
        return cards


class RandomOrder(Order):
    name = "random"
    weights = (1.0, 0.0)
    ranking_z = 1.96

    def cards(self, now, excluded, shared=None):
        ids = np.flatnonzero(self.available(now, excluded))
        chosen = [int(i) for i in self.rng.sample(list(ids), min(len(ids), self.plan.size))]
        if shared is not None:
            chosen = [shared] + [i for i in chosen if i != shared][: self.plan.size - 1]
        return [(i, "shared" if i == shared else "sampled") for i in chosen]


ORDER_CLASSES = {cls.name: cls for cls in (ProductOrder, MakeOrgOrder, RandomOrder)}


@dataclass
class Session:
    """One participant's visit: who, when, how many votes, how they vote."""

    person: int
    now: int
    votes: int
    behaviour: str = "honest"  # honest | brigade | uniform
    shared: object = None
    # Sequences drawn, at most, until one holds the attack's target (1: take what comes).
    draws: int = 1
    drawn: int = 0
    block: object = None  # the attacker range, or None for a range of one's own
    direct: bool = False
    uniform_value: str = AGREE
    flagged: bool = False
    cast: list = field(default_factory=list)


def honest_value(population, person, proposal, neutral_share, rng):
    draw = rng.random()
    if draw < neutral_share:
        return NEUTRAL
    agree = population.agree_probability(person, proposal)
    return AGREE if rng.random() < agree else DISAGREE


def attack_sessions(scenario, population, rng):
    """The attackers' sessions, placed in the consultation's timeline."""
    n = scenario.participants
    count = round(n * scenario.attack_share / (1 - scenario.attack_share))
    if not scenario.attack or not count:
        return []
    if scenario.attack == "burst":
        # One address, within minutes, late in the consultation.
        start = int(n * 0.6)
        times = [start] * count
    else:
        times = sorted(rng.randrange(int(n * 0.3), n) for _ in range(count))
    sessions = []
    for index, now in enumerate(times):
        person = n + index
        votes = max(1, min(12, round(rng.gauss(10, 2))))
        if scenario.attack in ("brigade", "burst"):
            block = ATTACKER_RANGE if scenario.attack == "burst" else None
            sessions.append(
                Session(person, now, votes, "brigade", shared=population.target, block=block)
            )
        elif scenario.attack == "farm":
            sessions.append(
                Session(
                    person, now, votes, "brigade", draws=scenario.farm_draws, block=ATTACKER_RANGE
                )
            )
        elif scenario.attack == "direct":
            sessions.append(Session(person, now, 1, "brigade", direct=True))
        elif scenario.attack == "uniform":
            value = AGREE if index % 2 else DISAGREE
            sessions.append(Session(person, now, votes, "uniform", uniform_value=value))
    return sessions


def run(scenario, order_name, seed):
    """Simulate one consultation; returns the measures of it."""
    population = make_population(scenario, seed)
    rng = random.Random(seed * 7919 + 1)
    order = ORDER_CLASSES[order_name](population, scenario, seed)
    mean = scenario.votes_per_participant - 1
    honest = [
        Session(person, person, 1 + _poisson(rng, mean)) for person in range(scenario.participants)
    ]
    attackers = attack_sessions(scenario, population, rng)
    if scenario.attack == "burst" and order_name == "product":
        # The product's limit on new sessions per address: the burst arrives within one
        # window, so only the first ``limit`` sessions are created.
        limit, _seconds = DEFAULTS["RATE_LIMITS"]["join_address"]
        attackers = attackers[:limit]
    sessions = sorted(honest + attackers, key=lambda s: s.now)
    own = {}
    for proposal, author in enumerate(population.author):
        own.setdefault(int(author), set()).add(proposal)
    refresh_every = max(1, round(scenario.participants * scenario.range_refresh))
    refreshed = 0
    for session in sessions:
        if session.now // refresh_every != refreshed:
            refreshed = session.now // refresh_every
            order.cap_ranges()
        if session.direct:
            order.vote(population.target, AGREE, "untrusted")
            continue
        excluded = set(own.get(session.person, ()))
        shared = session.shared
        while len(session.cast) < session.votes:
            if session.draws > 1 and population.target not in excluded:
                cards = _farm(order, session, excluded, population.target)
            else:
                cards = order.cards(session.now, excluded, shared=shared)
            shared = None
            if not cards:
                break
            for proposal, kind in cards[: session.votes - len(session.cast)]:
                if session.behaviour == "brigade":
                    value = AGREE if proposal == population.target else DISAGREE
                elif session.behaviour == "uniform":
                    value = session.uniform_value
                else:
                    value = honest_value(
                        population, session.person, proposal, scenario.neutral_share, rng
                    )
                order.vote(proposal, value, kind, block=session.block)
                session.cast.append((proposal, value, kind))
                excluded.add(proposal)
    if scenario.exclude_flagged and order_name == "product":
        _exclude_flagged(order, sessions)
    return measure(population, order, scenario) | _farm_measures(sessions, population, order)


def _farm(order, session, excluded, target):
    """Sequences drawn until one holds the target, at most ``session.draws``: that sequence
    with the target first (the script votes on it before anything else), or the last one."""
    for _draw in range(session.draws):
        cards = order.cards(session.now, excluded)
        session.drawn += 1
        hits = [card for card in cards if card[0] == target]
        if hits:
            break
    return hits + [card for card in cards if card[0] != target]


def _farm_measures(sessions, population, order):
    """How the farm fared: share of its sessions that met the target, sequences drawn per
    session, and the agree weight the range cap takes off the target at the end."""
    farming = [s for s in sessions if s.draws > 1]
    if not farming:
        return {}
    met = sum(any(p == population.target for p, _v, _k in s.cast) for s in farming)
    return {
        "farm_met": met / len(farming),
        "farm_draws": statistics.mean(s.drawn for s in farming),
        "target_excess": (order.ledger.excess(population.target) or {}).get(AGREE, 0.0),
    }


def _exclude_flagged(order, sessions):
    """A moderator excludes the flagged sessions' votes from the ranking (they stay stored)."""
    for session in sessions:
        if integrity.uniform_value([value for _p, value, _k in session.cast]):
            session.flagged = True
            for proposal, value, kind in session.cast:
                order.ledger.add(proposal, value, kind, sign=-1, block=session.block)


def _poisson(rng, mean):
    # Knuth's method: small means only.
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def gini(values):
    values = np.sort(np.asarray(values, dtype=float))
    if not values.sum():
        return 0.0
    n = len(values)
    return float((2 * np.arange(1, n + 1) - n - 1) @ values / (n * values.sum()))


def measure(population, order, scenario):
    ranking = order.ranking()
    top = ranking[:10]
    ledger = order.ledger
    trusted = ledger.votes()
    truth = population.true_top
    dropped = sum(
        1 for i in truth if ledger.ever_retired[i] or ledger.pool[i] == scoring.POOL_TESTING
    )
    target_rank = ranking.index(population.target) + 1 if population.target in ranking else None
    return {
        "recall": len(set(top) & set(truth)) / 10,
        "dropped": dropped,
        "gini": gini(trusted),
        "min_votes": int(trusted.min()),
        "target_rank": target_rank,
    }


def scale(scenario, participants):
    """The same consultation with fewer simulated participants and proportionally fewer
    proposals, keeping the votes per proposal."""
    ratio = participants / scenario.participants
    return replace(
        scenario, participants=participants, proposals=max(10, round(scenario.proposals * ratio))
    )
