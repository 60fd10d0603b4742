"""The address-range cap's task (ranges.py) at 1,000,000 votes beside the same task at 100,000,
same run, PostgreSQL: time per vote, queries, and what it caps.

    .venv/bin/python bench/consultation_address_ranges.py [--votes 1000000] [--proposals 1000]

Each consultation is the results bench's (bench/consultation_results.py: 20 votes per
participant, each participant from their own address range), with a fifth of the participants
moved behind 40 shared mobile-operator ranges (they vote like everyone else and must keep their
weight), and a brigade of 300 sessions from one range agreeing with one proposal.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _consultation_setup as setup  # noqa: E402
import consultation_results  # noqa: E402

DATABASE = "civic_consultation_bench_ranges"
BRIGADE = 300
OPERATOR_RANGES = 40


def add_ranges_and_brigade(consultation, proposals):
    """Shared operator ranges for a fifth of the participants, and a brigade on one proposal;
    returns the brigade's target."""
    from django.db import connection

    from civic_consultation import counters, scoring, vote_store
    from civic_consultation.models import Participant, Proposal

    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE civic_consultation_participant
               SET address_range = 'operator-' || (id %% %s)
               WHERE consultation_id = %s AND id %% 5 = 0""",
            [OPERATOR_RANGES, consultation.pk],
        )
        # Each vote is counted under the range its voter cast it from.
        cursor.execute(
            """UPDATE civic_consultation_vote v SET address_range = p.address_range
               FROM civic_consultation_participant p
               WHERE p.id = v.participant_id AND p.consultation_id = %s""",
            [consultation.pk],
        )
    target = consultation.proposals.order_by("pk")[proposals // 2]
    brigade = Participant.objects.bulk_create(
        Participant(consultation=consultation, address_range="brigade") for _ in range(BRIGADE)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO civic_consultation_vote
               (participant_id, proposal_id, value, qualifications, trusted, excluded, shared,
                address_range, created_at, updated_at)
               SELECT id, %s, 'agree', '["like_it"]'::jsonb, true, false, false, 'brigade',
                      now(), now()
               FROM civic_consultation_participant WHERE id = ANY(%s)""",
            [target.pk, [member.pk for member in brigade]],
        )
    # The target's counters as the vote path would have left them.
    row = Proposal.objects.filter(pk=target.pk).values("pk", *counters.STORED_COUNTS).first()
    row["range_excess"] = {}
    delta = {scoring.AGREE: BRIGADE, "like_it": BRIGADE}
    vote_store.move_proposal(row, delta)
    return target


def time_refresh(consultation, repeats):
    """Median seconds of a run that changes nothing (the steady state every few minutes), and
    the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civic_consultation import ranges

    timings = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            ranges.refresh(consultation)
            timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--small-votes", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    setup.fresh_database(DATABASE)
    setup.setup_django(DATABASE)
    from django.db import connection

    from civic_consultation import ranges, scoring

    print(
        f"building {args.small_votes:,} and {args.votes:,} votes on {args.proposals:,}"
        f" proposals each, with a {BRIGADE}-session brigade from one range…"
    )
    results = {}
    for name, votes in (("small", args.small_votes), ("large", args.votes)):
        consultation = consultation_results.build(f"bench-{name}", args.proposals, votes)
        target = add_ranges_and_brigade(consultation, args.proposals)
        results[name] = (consultation, target, votes + BRIGADE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figures = {}
    for name, (consultation, target, votes) in results.items():
        capped = ranges.refresh(consultation)
        target.refresh_from_db()
        amounts = target.range_excess.get("amounts", {})
        weight_off = sum(amounts.get(value, 0) for value in scoring.VALUES)
        print(
            f"{name}: {votes:,} votes; proposals capped: {len(capped)} "
            f"(the brigade's target: {capped == [target.pk]}, {weight_off:.0f} of its "
            f"{target.trusted_votes} votes' weight taken off)"
        )
        seconds, queries = time_refresh(consultation, args.repeats)
        figures[name] = (seconds, queries, votes)
        print(f"  steady run: {seconds * 1000:.0f} ms, {queries} queries")
    (small_s, _q, small_votes), (large_s, _q2, large_votes) = figures["small"], figures["large"]
    ratio = (large_s / large_votes) / (small_s / small_votes)
    print(
        f"time per vote, large / small: {ratio:.2f} "
        f"({large_s * 1e6 / large_votes:.2f} vs {small_s * 1e6 / small_votes:.2f} µs per vote)"
    )
    connection.close()
    setup.drop_database(DATABASE)


if __name__ == "__main__":
    main()
