"""Scores from counters: rates, intervals, zones, ranking."""

import pytest

from civic_consultation import scoring
from civic_consultation.scoring import Counts, Thresholds


def test_agresti_coull_interval_contains_the_rate_and_shrinks_with_votes():
    low_small, high_small = scoring.agresti_coull(6, 10)
    low_big, high_big = scoring.agresti_coull(600, 1000)
    assert low_small < 0.6 < high_small
    assert low_big < 0.6 < high_big
    assert high_big - low_big < (high_small - low_small) / 5


def test_smoothed_rate_is_defined_without_votes_and_tends_to_the_raw_rate():
    assert scoring.smoothed_rate(0, 0) == pytest.approx(1 / 3)
    assert scoring.smoothed_rate(900, 1000) == pytest.approx(0.9, abs=1e-3)


def test_top_score_rewards_qualified_support_and_punishes_platitudes():
    plain = Counts(agree=60, disagree=30, neutral=10)
    loved = Counts(agree=60, disagree=30, neutral=10, like_it=30, doable=20)
    platitude = Counts(agree=60, disagree=30, neutral=10, platitude_agree=40)
    assert (
        scoring.top_score(loved)[0] > scoring.top_score(plain)[0] > scoring.top_score(platitude)[0]
    )


def test_lower_bound_ranks_a_sure_winner_above_a_lucky_newcomer():
    lucky = Counts(agree=3)
    sure = Counts(agree=80, disagree=20)
    assert scoring.top_score(lucky)[0] > scoring.top_score(sure)[0] - 0.5
    assert scoring.top_score(sure)[1] > scoring.top_score(lucky)[1]


def test_ranking_bound_is_the_top_score_minus_ranking_z_standard_errors():
    counts = Counts(agree=70, disagree=20, neutral=10)
    score, one_error_low, _ = scoring.top_score(counts, z=1.0)
    derived = scoring.derive(counts, Thresholds(ranking_z=1.0))
    assert derived.top_score == pytest.approx(score)
    assert derived.top_score_low == pytest.approx(one_error_low)
    assert scoring.derive(counts, Thresholds(ranking_z=1.96)).top_score_low < one_error_low


def rank_score(agree, total, thresholds=None):
    counts = Counts(agree=agree, disagree=total - agree)
    return scoring.derive(counts, thresholds or Thresholds()).top_score_low


def test_default_ranking_keeps_a_few_lucky_votes_below_but_not_a_well_measured_lead():
    well_measured = rank_score(2250, 3000)  # 0.75 over 3,000 votes
    # 0.78 over 300 votes: ahead, though the 95 % bound would put it behind.
    assert rank_score(234, 300) > well_measured
    strict = Thresholds(ranking_z=1.96)
    assert rank_score(234, 300, strict) < rank_score(2250, 3000, strict)
    # 0.80 over the 25 votes of the testing phase: not enough to pass it yet.
    assert rank_score(20, 25) < well_measured


def test_controversy_is_high_when_opinions_split():
    split = Counts(agree=50, disagree=50, like_it=20, no_way=20)
    consensual = Counts(agree=95, disagree=5)
    assert scoring.controversy(split)[0] > scoring.controversy(consensual)[0]


@pytest.mark.parametrize(
    "counts, zone",
    [
        (Counts(agree=10), scoring.ZONE_LIMBO),  # below the minimum exposure
        (Counts(agree=90, disagree=5, neutral=5), scoring.ZONE_CONSENSUS),
        (Counts(agree=5, disagree=90, neutral=5), scoring.ZONE_REJECTION),
        (Counts(agree=50, disagree=48, neutral=2), scoring.ZONE_CONTROVERSY),
        (Counts(agree=30, disagree=20, neutral=50), scoring.ZONE_LIMBO),
    ],
)
def test_zones(counts, zone):
    assert scoring.zone(counts, Thresholds(min_exposure=25)) == zone


def test_pool_follows_the_minimum_exposure_and_retires_hopeless_proposals():
    thresholds = Thresholds(min_exposure=25)
    assert scoring.sampling_pool(Counts(disagree=24), thresholds) == scoring.POOL_TESTING
    assert scoring.sampling_pool(Counts(agree=20, disagree=10), thresholds) == (
        scoring.POOL_SAMPLING
    )
    assert scoring.sampling_pool(Counts(disagree=100), thresholds) == scoring.POOL_RETIRED


def test_counts_plus_moves_only_named_counters():
    moved = Counts(agree=2, like_it=1).plus({"agree": -1, "disagree": 1, "like_it": -1})
    assert moved == Counts(agree=1, disagree=1)


def test_shared_link_votes_weigh_at_most_their_share_of_the_ranking():
    thresholds = Thresholds(shared_link_share=0.1)
    sampled = Counts(agree=50, disagree=40, neutral=10)
    brigade = Counts(agree=300)
    counted = scoring.ranking_counts(sampled, brigade, thresholds)
    shared_part = counted.total - sampled.total
    assert shared_part == pytest.approx(0.1 * counted.total)
    assert counted.agree == pytest.approx(50 + shared_part)


def test_a_few_shared_link_votes_count_in_full():
    sampled = Counts(agree=500, disagree=400, neutral=100)
    shared = Counts(agree=5, disagree=5)
    assert scoring.ranking_counts(sampled, shared) == sampled.plus({"agree": 5, "disagree": 5})
    assert scoring.ranking_counts(sampled, Counts()) is sampled
