"""The pure sequence: testing share, Thompson sampling, diversity, probabilities."""

import random
from collections import Counter

from civic_consultation import sequence
from civic_consultation.sequence import Candidate, Plan


def candidates(count, start=0, authors=None, **kwargs):
    return [
        Candidate(start + i, author=(authors or {}).get(i, start + i), theme=i % 5, **kwargs)
        for i in range(count)
    ]


def test_half_of_the_cards_go_to_proposals_being_tested():
    chosen = sequence.choose(candidates(30), candidates(30, start=100), random.Random(1))
    reasons = Counter(card.reason for card in chosen)
    assert len(chosen) == 12
    assert reasons == {sequence.REASON_TESTING: 6, sequence.REASON_SAMPLING: 6}
    assert len({card.id for card in chosen}) == 12


def test_testing_cards_come_from_the_least_exposed():
    testing = candidates(100)
    chosen = sequence.choose(testing, [], random.Random(2), Plan(size=6))
    assert all(card.id < 12 for card in chosen)


def test_one_pool_fills_in_when_the_other_runs_short():
    chosen = sequence.choose(candidates(2), candidates(40, start=100), random.Random(3))
    assert len(chosen) == 12
    assert sum(card.reason == sequence.REASON_TESTING for card in chosen) == 2


def test_thompson_sampling_prefers_proposals_with_strong_support():
    strong = [Candidate(i, i, None, alpha=90, beta=10) for i in range(6)]
    weak = [Candidate(100 + i, 100 + i, None, alpha=10, beta=90) for i in range(30)]
    chosen = sequence.choose([], strong + weak, random.Random(4), Plan(size=6, focus_rank=0))
    assert {card.id for card in chosen} == set(range(6))
    assert all(card.probability > 0.9 for card in chosen)


def test_one_card_per_author_when_possible():
    authors = {i: "same" for i in range(20)}
    pool = candidates(20, authors=authors) + candidates(10, start=50)
    chosen = sequence.choose(pool, [], random.Random(5), Plan(size=8, testing_share=1.0))
    by_author = Counter("same" if card.id < 20 else card.id for card in chosen)
    assert by_author["same"] == 1


def test_probabilities_are_probabilities():
    chosen = sequence.choose(candidates(40), candidates(200, start=100), random.Random(6))
    assert all(0 < card.probability <= 1 for card in chosen)


def test_votes_go_where_the_top_list_is_still_undecided():
    # Surely in the top 3, surely out of it, and four close to its boundary.
    sure_in = [Candidate(i, i, None, alpha=900, beta=100) for i in range(3)]
    sure_out = [Candidate(10 + i, 10 + i, None, alpha=200, beta=800) for i in range(20)]
    close = [Candidate(50 + i, 50 + i, None, alpha=40 + i, beta=10) for i in range(4)]
    plan = Plan(size=2, testing_share=0.0, focus_rank=3)
    assert {c.id for c in sequence.undecided(sure_in + sure_out + close, plan)} == {50, 51, 52, 53}
    chosen = sequence.choose([], sure_in + sure_out + close, random.Random(7), plan)
    assert {card.id for card in chosen} <= {50, 51, 52, 53}


def test_focus_keeps_every_candidate_when_too_few_are_undecided():
    clear = [Candidate(i, i, None, alpha=100 * (i + 1), beta=100) for i in range(8)]
    plan = Plan(size=6, focus_rank=3)
    assert sequence.undecided(clear, plan) == clear


def test_a_shared_card_comes_first_and_the_sampler_fills_the_rest():
    shared = Candidate(999, "sharer", 1)
    chosen = sequence.choose(
        candidates(30), candidates(30, start=100), random.Random(8), shared=shared
    )
    assert chosen[0] == sequence.Chosen(999, 1.0, sequence.REASON_SHARED)
    assert len(chosen) == 12
    assert [card.id for card in chosen].count(999) == 1
    assert all(card.reason != sequence.REASON_SHARED for card in chosen[1:])


def test_a_shared_link_sequence_keeps_away_from_the_contested_top():
    # A brigade voting against every other card of its sequence must not reach the rivals of
    # its target: the rest of the sequence comes from proposals settled below the top list.
    sure_in = [Candidate(i, i, None, alpha=900, beta=100) for i in range(3)]
    close = [Candidate(50 + i, 50 + i, None, alpha=40 + i, beta=10) for i in range(6)]
    sure_out = [Candidate(100 + i, 100 + i, None, alpha=200, beta=800) for i in range(20)]
    plan = Plan(size=8, testing_share=0.0, focus_rank=3)
    shared = Candidate(999, "sharer", None)
    for seed in range(5):
        chosen = sequence.choose([], sure_in + close + sure_out, random.Random(seed), plan, shared)
        assert chosen[0].id == 999
        assert len(chosen) == 8
        assert all(card.id >= 100 for card in chosen[1:])


def test_a_shared_link_sequence_is_filled_when_nothing_is_settled_yet():
    close = [Candidate(i, i, None, alpha=40 + i, beta=10) for i in range(12)]
    chosen = sequence.choose(
        [], close, random.Random(9), Plan(size=6, focus_rank=3), Candidate(999, "sharer", None)
    )
    assert len(chosen) == 6


def test_a_shared_link_sequence_spreads_over_the_settled_proposals():
    # Drawn uniformly, not by posterior: a brigade's votes against the other cards do not pile
    # up on the settled proposals nearest the top list, the target's closest rivals.
    sure_in = [Candidate(i, i, None, alpha=900, beta=100) for i in range(3)]
    settled = [Candidate(100 + i, 100 + i, None, alpha=100 + 10 * i, beta=800) for i in range(20)]
    plan = Plan(size=6, testing_share=0.0, focus_rank=3)
    shared = Candidate(999, "sharer", None)
    seen = Counter()
    for seed in range(60):
        chosen = sequence.choose([], sure_in + settled, random.Random(seed), plan, shared)
        seen.update(card.id for card in chosen[1:])
    weakest = sum(seen[100 + i] for i in range(10))
    assert 0.35 < weakest / seen.total() < 0.65
