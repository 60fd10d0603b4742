"""What a vote moves: the counters it contributes to, and the ranking columns they give.

A proposal keeps counters of its trusted votes (values and qualifications), of shared-link and
untrusted votes, and the derived columns that ranking and sampling read (``scoring.derive``);
segment counters and the consultation's sharded live counters move with them. The statements
that move them are in ``vote_store``.
"""

from civic_consultation import integrity, scoring
from civic_consultation.adapter import get_adapter

# The counters a vote moves and ranking reads: sampled-card counts and shared-link ones.
STORED_COUNTS = (*scoring.COUNT_NAMES, *scoring.SHARED_NAMES)

# Every counter a vote can move (``contributions``): those plus the untrusted ones.
MOVED_COUNTS = (*STORED_COUNTS, *(f"untrusted_{value}" for value in scoring.VALUES))

# The counters of a segment: trusted votes on sampled cards only.
SEGMENT_COUNTS = scoring.COUNT_NAMES


def contributions(value, qualifications, trusted=True, excluded=False, shared=False):
    """The counter increments one vote stands for (none while a moderator excludes it)."""
    if excluded:
        return {}
    if not trusted:
        return {f"untrusted_{value}": 1}
    if shared:
        return {f"shared_{value}": 1}
    return {value: 1, **dict.fromkeys(qualifications, 1)}


def ranking_columns(proposal, delta, range_moves=(), store_excess=False):
    """The ranking columns of a locked proposal row (a dict of its ``STORED_COUNTS`` and
    ``range_excess``) once its counters move by ``delta``, and the address-range cap to store
    (None when it stays as stored).

    ``range_moves``: (address range, counters moved) for each vote contribution ``delta`` is
    made of; one from a range the cap weighs down moves the cap's amounts too
    (``integrity.move_excess``). ``store_excess``: store ``proposal["range_excess"]`` as it
    is (a new computation of the cap)."""
    moved = {name: proposal[name] + delta.get(name, 0) for name in STORED_COUNTS}
    stored = excess = proposal["range_excess"]
    for address_range, contribution in range_moves:
        excess = integrity.move_excess(excess, address_range, contribution)
    thresholds = get_adapter().thresholds(None)
    counts = scoring.ranking_counts(
        scoring.Counts(**{name: moved[name] for name in scoring.COUNT_NAMES}),
        scoring.shared_counts(moved),
        thresholds,
        excess=excess.get("amounts"),
    )
    derived = scoring.derive(counts, thresholds).columns()
    return derived, (excess if store_excess or excess is not stored else None)
