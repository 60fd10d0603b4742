"""Scores of a proposal from its vote counters (pure: no Django).

Inspired by Make.org's public scorer: smoothed rates, a top score, a controversy score, a
rejection score, confidence intervals and zones. Every function takes plain counters, so the
database only stores counters maintained incrementally and a few derived columns
(:func:`derive`) refreshed in the transaction of each vote.
"""

import math
from dataclasses import dataclass, fields

AGREE, DISAGREE, NEUTRAL = "agree", "disagree", "neutral"
VALUES = (AGREE, DISAGREE, NEUTRAL)

# Qualification codes per vote value: why a participant agrees or disagrees.
QUALIFICATIONS = {
    AGREE: ("like_it", "doable", "platitude_agree"),
    DISAGREE: ("no_way", "impossible", "platitude_disagree"),
    NEUTRAL: ("do_not_understand", "no_opinion", "do_not_care"),
}
ALL_QUALIFICATIONS = tuple(code for codes in QUALIFICATIONS.values() for code in codes)

ZONE_CONSENSUS, ZONE_CONTROVERSY, ZONE_REJECTION, ZONE_LIMBO = (
    "consensus",
    "controversy",
    "rejection",
    "limbo",
)
ZONES = (ZONE_CONSENSUS, ZONE_CONTROVERSY, ZONE_REJECTION, ZONE_LIMBO)

POOL_TESTING, POOL_SAMPLING, POOL_RETIRED = "testing", "sampling", "retired"


@dataclass(frozen=True)
class Counts:
    """Trusted votes of one proposal: values and qualifications."""

    agree: int = 0
    disagree: int = 0
    neutral: int = 0
    like_it: int = 0
    doable: int = 0
    platitude_agree: int = 0
    no_way: int = 0
    impossible: int = 0
    platitude_disagree: int = 0
    do_not_understand: int = 0
    no_opinion: int = 0
    do_not_care: int = 0

    @property
    def total(self):
        return self.agree + self.disagree + self.neutral

    @classmethod
    def from_object(cls, source):
        return cls(**{field.name: getattr(source, field.name) for field in fields(cls)})

    def plus(self, delta):
        return Counts(**{name: getattr(self, name) + delta.get(name, 0) for name in COUNT_NAMES})


COUNT_NAMES = tuple(field.name for field in fields(Counts))


@dataclass(frozen=True)
class Thresholds:
    min_exposure: int = 25
    z: float = 1.96
    # The ranking orders by the top score minus this many standard errors (the stored
    # ``top_score_low``): enough to keep a proposal lucky on its first votes below the
    # well-measured ones, less than the 95 % bound, which buried true top proposals that had
    # fewer votes (bench/consultation_simulation.py: recall@10 0.905 -> 0.92 over 20 seeds).
    ranking_z: float = 1.0
    # Zones compare lower confidence bounds against these rates.
    consensus_agree: float = 0.6
    rejection_disagree: float = 0.5
    controversy_each: float = 0.25
    # After the minimum exposure, a proposal whose agree rate surely stays below this value
    # leaves the sampling pool (it stays in the results).
    retire_below: float = 0.2
    # Votes cast on cards opened by shared links weigh at most this share of a proposal's
    # ranking votes: a brigade sharing one link cannot outvote the sampled participants.
    shared_link_share: float = 0.1


def smoothed_rate(count, total, prior=1 / 3, weight=1.0):
    """Rate pulled towards ``prior`` by ``weight`` pseudo-votes, defined for zero votes."""
    return (count + prior * weight) / (total + weight)


def agresti_coull(count, total, z=1.96):
    """Agresti-Coull interval of a proportion, clamped to [0, 1]."""
    adjusted_total = total + z * z
    centre = (count + z * z / 2) / adjusted_total
    margin = z * math.sqrt(centre * (1 - centre) / adjusted_total)
    return max(0.0, centre - margin), min(1.0, centre + margin)


def _combined(counts, positive, negative, z):
    """A sum of smoothed rates and its normal-approximation interval."""
    total = counts.total
    score = 0.0
    variance = 0.0
    for sign, names in ((1, positive), (-1, negative)):
        for name in names:
            rate = smoothed_rate(getattr(counts, name), total, prior=0.5 if name in VALUES else 0.1)
            score += sign * rate
            variance += rate * (1 - rate) / (total + 1)
    margin = z * math.sqrt(variance)
    return score, score - margin, score + margin


def top_score(counts, z=1.96):
    """agree + coup de coeur + réaliste - surtout pas - infaisable - banalités, with interval."""
    return _combined(
        counts,
        positive=("agree", "like_it", "doable"),
        negative=("no_way", "impossible", "platitude_agree", "platitude_disagree"),
        z=z,
    )


def controversy(counts, z=1.96):
    """min(agree, disagree) + min(coup de coeur, surtout pas), as smoothed rates."""
    total = counts.total
    agree = smoothed_rate(counts.agree, total)
    disagree = smoothed_rate(counts.disagree, total)
    like_it = smoothed_rate(counts.like_it, total, prior=0.1)
    no_way = smoothed_rate(counts.no_way, total, prior=0.1)
    score = min(agree, disagree) + min(like_it, no_way)
    margin = z * math.sqrt(
        (min(agree, disagree) * (1 - min(agree, disagree)) + min(like_it, no_way)) / (total + 1)
    )
    return score, score - margin, score + margin


def rejection(counts, z=1.96):
    """disagree + surtout pas + infaisable - agree, with interval."""
    return _combined(
        counts, positive=("disagree", "no_way", "impossible"), negative=("agree",), z=z
    )


def zone(counts, thresholds=Thresholds()):
    total = counts.total
    if total < thresholds.min_exposure:
        return ZONE_LIMBO
    agree_low, _ = agresti_coull(counts.agree, total, thresholds.z)
    disagree_low, _ = agresti_coull(counts.disagree, total, thresholds.z)
    if agree_low >= thresholds.consensus_agree:
        return ZONE_CONSENSUS
    if disagree_low >= thresholds.rejection_disagree:
        return ZONE_REJECTION
    if agree_low >= thresholds.controversy_each and disagree_low >= thresholds.controversy_each:
        return ZONE_CONTROVERSY
    return ZONE_LIMBO


def ranking_counts(sampled, shared, thresholds=Thresholds(), excess=None):
    """The counts that rank a proposal: votes on cards the sampler chose, less the ``excess``
    weight of over-represented address ranges (a mapping name -> amount, see
    ``integrity.range_excess``), plus votes on cards opened by shared links, weighted down so
    that the latter make at most ``thresholds.shared_link_share`` of the total (fractional
    counts)."""
    if excess:
        sampled = Counts(
            **{name: max(0.0, getattr(sampled, name) - excess.get(name, 0)) for name in COUNT_NAMES}
        )
    if not shared.total:
        return sampled
    cap = thresholds.shared_link_share
    weight = min(1.0, cap / (1 - cap) * sampled.total / shared.total)
    return Counts(
        **{name: getattr(sampled, name) + weight * getattr(shared, name) for name in COUNT_NAMES}
    )


SHARED_NAMES = {f"shared_{value}": value for value in VALUES}


def shared_counts(row):
    """The shared-link counts stored in a row's ``shared_<value>`` columns."""
    return Counts(**{value: row[name] for name, value in SHARED_NAMES.items()})


def beta_posterior(counts):
    """Beta(alpha, beta) of the agree rate, uniform prior; neutral votes count as no support."""
    return 1 + counts.agree, 1 + counts.disagree + counts.neutral


def sampling_pool(counts, thresholds=Thresholds()):
    total = counts.total
    if total < thresholds.min_exposure:
        return POOL_TESTING
    _, agree_high = agresti_coull(counts.agree, total, thresholds.z)
    return POOL_RETIRED if agree_high < thresholds.retire_below else POOL_SAMPLING


@dataclass(frozen=True)
class Derived:
    """The columns a proposal stores for indexed ranking and sampling."""

    top_score: float
    top_score_low: float
    controversy_low: float
    rejection_low: float
    zone: str
    pool: str
    agree_high: float

    def columns(self):
        """The values as the proposal's column names."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def derive(counts, thresholds=Thresholds()):
    top, top_low, _ = top_score(counts, thresholds.ranking_z)
    _, controversy_low, _ = controversy(counts, thresholds.z)
    _, rejection_low, _ = rejection(counts, thresholds.z)
    _, agree_high = agresti_coull(counts.agree, counts.total, thresholds.z)
    return Derived(
        top_score=top,
        top_score_low=top_low,
        controversy_low=controversy_low,
        rejection_low=rejection_low,
        zone=zone(counts, thresholds),
        pool=sampling_pool(counts, thresholds),
        agree_high=agree_high,
    )


def summary(counts, thresholds=Thresholds()):
    """Everything a results page shows about one proposal."""
    total = counts.total
    top, top_low, top_high = top_score(counts, thresholds.z)
    controversy_score, _, _ = controversy(counts, thresholds.z)
    return {
        "votes": total,
        "rates": {name: round(smoothed_rate(getattr(counts, name), total), 4) for name in VALUES},
        "shares": {
            name: round(getattr(counts, name) / total, 4) if total else 0.0 for name in VALUES
        },
        "agree_interval": [round(bound, 4) for bound in agresti_coull(counts.agree, total)],
        "top_score": round(top, 4),
        "top_score_interval": [round(top_low, 4), round(top_high, 4)],
        "controversy": round(controversy_score, 4),
        "zone": zone(counts, thresholds),
        "enough_votes": total >= thresholds.min_exposure,
    }
