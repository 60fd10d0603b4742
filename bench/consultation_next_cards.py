"""Next-cards endpoint latency at 100,000 accepted proposals against 1,000, same run.

    .venv/bin/python bench/consultation_next_cards.py [--large 100000] [--small 1000]

Both consultations live in one PostgreSQL database; requests alternate between them and the
medians are compared (target: large / small <= 1.5). The sampler reads bounded candidate pools
through indexes, so its cost should not follow the number of proposals.
"""

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _consultation_setup as setup  # noqa: E402

DATABASE = "civic_consultation_bench_cards"


def build(slug, size, rng):
    """A consultation with ``size`` accepted proposals, 5 % still being tested."""
    from datetime import timedelta

    from django.utils import timezone

    from civic_consultation import scoring
    from civic_consultation.models import Consultation, Participant, Proposal, Theme

    consultation = Consultation.objects.create(
        title=slug,
        slug=slug,
        question="?",
        status="open",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    authors = Participant.objects.bulk_create(
        (Participant(consultation=consultation) for _ in range(max(1, size // 5))),
        batch_size=5000,
    )
    themes = [
        Theme.objects.create(consultation=consultation, name=f"Thème {i}", slug=f"t{i}")
        for i in range(7)
    ]
    thresholds = scoring.Thresholds()

    def proposal(index):
        testing = rng.random() < 0.05
        votes = rng.randrange(0, 25) if testing else rng.randrange(25, 400)
        appeal = rng.random()
        agree = int(votes * appeal * 0.8)
        disagree = int((votes - agree) * 0.8)
        counts = scoring.Counts(agree=agree, disagree=disagree, neutral=votes - agree - disagree)
        derived = scoring.derive(counts, thresholds)
        return Proposal(
            consultation=consultation,
            author=authors[index % len(authors)],
            theme=themes[index % 7],
            text=f"Il faut agir {index}",
            status="accepted",
            agree=counts.agree,
            disagree=counts.disagree,
            neutral=counts.neutral,
            served=votes,
            **derived.columns(),
        )

    batch = 5000
    for start in range(0, size, batch):
        Proposal.objects.bulk_create(proposal(i) for i in range(start, min(size, start + batch)))
    return consultation


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    setup.fresh_database(DATABASE)
    setup.setup_django(DATABASE)
    from django.db import connection
    from django.test import Client

    from civic_consultation import challenge, identity, services

    rng = random.Random(7)
    print(f"building {args.small:,} and {args.large:,} accepted proposals…")
    small = build("bench-small", args.small, rng)
    large = build("bench-large", args.large, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()

    def solved_challenge(consultation):
        """The proof of work a browser sends to draw a sequence, solved before timing."""
        issued = challenge.issue(consultation.pk, "sequence")
        nonce = next(
            nonce
            for nonce in itertools.count()
            if challenge.meets_difficulty(issued.salt, nonce, issued.difficulty)
        )
        return f"{issued.token}.{nonce}"

    def timed_request(consultation):
        participant = services.join(consultation)
        headers = {
            "HTTP_X_PARTICIPANT_TOKEN": identity.make_token(participant),
            challenge.HEADER: solved_challenge(consultation),
        }
        url = f"/api/consultation/consultations/{consultation.pk}/cards/"
        started = time.perf_counter()
        response = client.post(url, **headers)
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content
        assert len(response.json()["cards"]) == 12
        return elapsed

    for _ in range(5):  # warm caches and connections
        timed_request(small)
        timed_request(large)
    latencies = {"small": [], "large": []}
    for _ in range(args.requests):
        latencies["small"].append(timed_request(small))
        latencies["large"].append(timed_request(large))
    small_median = statistics.median(latencies["small"]) * 1000
    large_median = statistics.median(latencies["large"]) * 1000
    print(
        f"next cards, median of {args.requests} requests: {args.small:,} proposals "
        f"{small_median:.1f} ms, {args.large:,} proposals {large_median:.1f} ms"
    )
    print(f"ratio large / small: {large_median / small_median:.2f} (target <= 1.5)")
    connection.close()
    setup.drop_database(DATABASE)


if __name__ == "__main__":
    main()
