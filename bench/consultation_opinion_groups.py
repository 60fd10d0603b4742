"""Opinion groups: time and quality of opinion.py on synthetic vote matrices.

A planted population (three opinion groups of unequal size, 60/25/15 %, each agreeing mostly
with its own third of the proposals) casts a fixed number of votes each on random proposals.
For each scale it prints the time of one computation, the number of groups chosen, the
silhouette and the purity of the groups found (share of participants whose group is mostly made
of their planted group). Pure numpy, no database: run with
`.venv/bin/python bench/consultation_opinion_groups.py [--large]`.

With `--task`, it also times the whole background task at Mulhouse scale on PostgreSQL (a fresh
database cloned from the migrated template, see _consultation_setup.py): streaming read of the
votes, computation, one transaction storing the run; then the read of the latest run that the
results page and the API do, with its query count.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins" / "consultation"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from civic_consultation import opinion  # noqa: E402

DATABASE = "civic_consultation_bench_opinion"

SHARES = (0.6, 0.25, 0.15)
SCALES = (
    ("Mulhouse", 8_300, 580, 10),
    ("Mulhouse, 30 votes each", 8_300, 580, 30),
    ("100k participants", 100_000, 5_000, 10),
)
LARGE = ("1M participants", 1_000_000, 20_000, 10)


def population(participants, proposals, votes_each, seed):
    rng = np.random.default_rng(seed)
    planted = rng.choice(len(SHARES), participants, p=SHARES)
    agree_probability = np.full((len(SHARES), proposals), 0.2)
    for group in range(len(SHARES)):
        agree_probability[group, group :: len(SHARES)] = 0.8
    voters = np.repeat(np.arange(participants), votes_each)
    # Random proposals (a repeat within one participant's votes is rare and harmless here).
    voted = rng.integers(0, proposals, voters.size)
    agrees = rng.random(voters.size) < agree_probability[planted[voters], voted]
    return voters, voted, np.where(agrees, 1, -1), planted


def purity(result, planted):
    labels = result.membership
    members = planted[result.placed_ids]
    return sum(
        Counter(members[labels == number]).most_common(1)[0][1] for number in np.unique(labels)
    ) / len(labels)


def time_task(seed):
    """Store the Mulhouse-scale population's votes, then time the task and the read."""
    import _consultation_setup as setup

    setup.fresh_database(DATABASE)
    setup.setup_django(DATABASE)
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from civic_consultation import results, tasks
    from civic_consultation.models import Consultation, Participant, Proposal, Vote

    name, participants, proposals, votes_each = SCALES[0]
    voters, voted, values, _planted = population(participants, proposals, votes_each, seed)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            title="Bench", slug="bench-opinion", question="?", status="open"
        )
        author = Participant.objects.create(consultation=consultation)
        stored_proposals = Proposal.objects.bulk_create(
            Proposal(
                consultation=consultation, author=author, text=f"Il faut {index}", status="accepted"
            )
            for index in range(proposals)
        )
        levels = Participant.IdentityLevel.values
        stored_participants = Participant.objects.bulk_create(
            Participant(consultation=consultation, identity_level=levels[index % len(levels)])
            for index in range(participants)
        )
        # One vote per participant and proposal: the first draw of a pair wins.
        pairs = {}
        for voter, proposal, value in zip(
            voters.tolist(), voted.tolist(), values.tolist(), strict=True
        ):
            pairs.setdefault((voter, proposal), value)
        Vote.objects.bulk_create(
            (
                Vote(
                    participant=stored_participants[voter],
                    proposal=stored_proposals[proposal],
                    value="agree" if value == 1 else "disagree",
                    trusted=True,
                )
                for (voter, proposal), value in pairs.items()
            ),
            batch_size=5_000,
        )
    for label in ("first run", "second run (matched to the first)"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run = tasks.compute_for(consultation)
            seconds = time.perf_counter() - started
        print(
            f"task, {name}, {len(pairs):,} votes, {label}: {seconds:.2f} s, "
            f"{len(queries)} queries, {run.group_count} groups"
        )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        results.opinion_groups(consultation)
        milliseconds = 1000 * (time.perf_counter() - started)
    print(
        f"latest run read for the page and the API: {milliseconds:.0f} ms, {len(queries)} queries"
    )
    connection.close()
    setup.drop_database(DATABASE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 1M participants × 20k")
    parser.add_argument("--task", action="store_true", help="also time the task on PostgreSQL")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    # The ratio column: time per vote against the first scale's, same run (1.00 = linear).
    print(
        "| scale | participants × proposals | votes | seconds | time per vote, ratio to the first"
        " | groups | silhouette | purity |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    first_per_vote = None
    for name, participants, proposals, votes_each in SCALES + ((LARGE,) if arguments.large else ()):
        voters, voted, values, planted = population(
            participants, proposals, votes_each, arguments.seed
        )
        started = time.perf_counter()
        result = opinion.compute(voters, voted, values)
        seconds = time.perf_counter() - started
        per_vote = seconds / values.size
        first_per_vote = first_per_vote or per_vote
        print(
            f"| {name} | {participants:,} × {proposals:,} | {values.size:,} | {seconds:.2f} "
            f"| {per_vote / first_per_vote:.2f} "
            f"| {result.k} | {result.silhouette:.3f} | {purity(result, planted):.3f} |"
        )
    if arguments.task:
        time_task(arguments.seed)


if __name__ == "__main__":
    main()
