"""Results endpoint with 1,000,000 votes: latency and query count, beside the same endpoint on
10,000 votes and beside a recount of the votes (what counters spare every request).

    .venv/bin/python bench/consultation_results.py [--votes 1000000] [--proposals 1000]

Votes are created with bulk SQL (generate_series); the proposals' counters and score columns
are then filled from them once, as the vote service would have left them.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _consultation_setup as setup  # noqa: E402

DATABASE = "civic_consultation_bench_results"


def build(slug, proposals, votes):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from civic_consultation.models import Consultation, CounterShard, Theme

    consultation = Consultation.objects.create(
        title=slug,
        slug=slug,
        question="?",
        status="open",
        vote_target=100_000,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    for index in range(7):
        Theme.objects.create(consultation=consultation, name=f"Thème {index}", slug=f"t{index}")
    per_participant = 20
    participants = max(1, votes // per_participant)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO civic_consultation_participant
               (consultation_id, public_id, identity_level, profile_state, age_range, district,
                sequences, created_at, flag, excluded, address_range)
               SELECT %s, gen_random_uuid(), 'cookie', 'answered',
                      (ARRAY['18_24','25_34','35_49','50_64','65_plus'])[1 + i %% 5],
                      '6810' || (i %% 3), 1, now(), '', false, md5('range ' || i)
               FROM generate_series(1, %s) AS i""",
            [consultation.pk, participants + proposals],
        )
        cursor.execute(
            "SELECT min(id) FROM civic_consultation_participant WHERE consultation_id = %s",
            [consultation.pk],
        )
        first_participant = cursor.fetchone()[0]
        cursor.execute(
            """INSERT INTO civic_consultation_proposal
               (consultation_id, author_id, text, signature, theme_id, status, refusal_reason,
                moderator_note, created_at, served, untrusted_agree, untrusted_disagree,
                untrusted_neutral, shared_agree, shared_disagree, shared_neutral, pool,
                shuffle_key, agree_high, top_score, top_score_low, controversy_low,
                rejection_low, zone, agree, disagree, neutral, like_it, doable,
                platitude_agree, no_way, impossible, platitude_disagree, do_not_understand,
                no_opinion, do_not_care, range_excess)
               SELECT %s, %s + %s + i, 'Il faut agir ' || i, '',
                      (SELECT min(id) FROM civic_consultation_theme WHERE consultation_id = %s)
                        + i %% 7,
                      'accepted', '', '', now(), 0, 0, 0, 0, 0, 0, 0, 'testing', random(), 1, 0,
                      -1, 0, -1, 'limbo', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}'
               FROM generate_series(0, %s - 1) AS i""",
            [consultation.pk, first_participant, participants, consultation.pk, proposals],
        )
        cursor.execute(
            "SELECT min(id) FROM civic_consultation_proposal WHERE consultation_id = %s",
            [consultation.pk],
        )
        first_proposal = cursor.fetchone()[0]
        # Participant p votes on 20 distinct proposals; each proposal has its own appeal.
        cursor.execute(
            """INSERT INTO civic_consultation_vote
               (participant_id, proposal_id, value, qualifications, trusted, excluded, shared,
                address_range, created_at, updated_at)
               SELECT %s + p, %s + (p * 37 + k * 53) %% %s,
                      CASE WHEN random() < ((p * 37 + k * 53) %% %s)::float / %s * 0.8
                           THEN 'agree'
                           WHEN random() < 0.8 THEN 'disagree' ELSE 'neutral' END,
                      '[]'::jsonb, true, false, false, md5('range ' || p), now(), now()
               FROM generate_series(0, %s - 1) AS p, generate_series(0, %s - 1) AS k
               ON CONFLICT DO NOTHING""",
            [
                first_participant,
                first_proposal,
                proposals,
                proposals,
                proposals,
                participants,
                per_participant,
            ],
        )
    fill_counters(consultation)
    CounterShard.objects.create(
        consultation=consultation,
        shard=0,
        participants=participants,
        proposals=proposals,
        votes=consultation_votes(consultation),
    )
    return consultation


def consultation_votes(consultation):
    from civic_consultation.models import Vote

    return Vote.objects.filter(proposal__consultation=consultation).count()


def recount_query(consultation):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT proposal_id, count(*) FILTER (WHERE value = 'agree'),
                      count(*) FILTER (WHERE value = 'disagree'),
                      count(*) FILTER (WHERE value = 'neutral')
               FROM civic_consultation_vote v
               JOIN civic_consultation_proposal p ON p.id = v.proposal_id
               WHERE p.consultation_id = %s AND v.trusted GROUP BY proposal_id""",
            [consultation.pk],
        )
        return cursor.fetchall()


def fill_counters(consultation):
    """Counters and score columns from the votes, once (what the vote service maintains)."""
    from civic_consultation import scoring
    from civic_consultation.models import Proposal

    proposals = Proposal.objects.in_bulk(list(consultation.proposals.values_list("pk", flat=True)))
    thresholds = scoring.Thresholds()
    for proposal_id, agree, disagree, neutral in recount_query(consultation):
        proposal = proposals[proposal_id]
        proposal.agree, proposal.disagree, proposal.neutral = agree, disagree, neutral
        for name, column in scoring.derive(proposal.counts, thresholds).columns().items():
            setattr(proposal, name, column)
    Proposal.objects.bulk_update(
        proposals.values(),
        [
            "agree",
            "disagree",
            "neutral",
            "pool",
            "agree_high",
            "top_score",
            "top_score_low",
            "controversy_low",
            "rejection_low",
            "zone",
        ],
        batch_size=2000,
    )


def measure(client, consultation, repeats):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/consultation/consultations/{consultation.pk}/results/"
    timings = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(timings) * 1000, len(queries), response.json()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--small-votes", type=int, default=10_000)
    parser.add_argument("--proposals", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    setup.fresh_database(DATABASE)
    setup.setup_django(DATABASE)
    from django.db import connection
    from django.test import Client

    print(
        f"building {args.small_votes:,} and {args.votes:,} votes on {args.proposals:,}"
        " proposals each…"
    )
    small = build("bench-small", args.proposals, args.small_votes)
    large = build("bench-large", args.proposals, args.votes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    measure(client, small, 2)
    measure(client, large, 2)
    small_ms, small_queries, _ = measure(client, small, args.repeats)
    large_ms, large_queries, body = measure(client, large, args.repeats)
    started = time.perf_counter()
    recount_query(large)
    recount_ms = (time.perf_counter() - started) * 1000
    print(
        f"vote rows: {consultation_votes(large):,} (large), {consultation_votes(small):,} (small)"
    )
    print(
        f"results endpoint: {large_ms:.1f} ms and {large_queries} queries with the large "
        f"consultation; {small_ms:.1f} ms and {small_queries} queries with the small one"
    )
    print(
        f"ratio large / small: {large_ms / small_ms:.2f}; a recount of the large "
        f"consultation's votes alone takes {recount_ms:.0f} ms "
        f"({recount_ms / large_ms:.0f}x the endpoint)"
    )
    print(f"top idea: {body['top'][0]['text']} ({body['top'][0]['votes']} trusted votes)")
    connection.close()
    setup.drop_database(DATABASE)


if __name__ == "__main__":
    main()
