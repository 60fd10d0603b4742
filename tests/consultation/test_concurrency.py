"""Parallel duplicate votes on PostgreSQL: exactly one vote, exact counters."""

import threading

import pytest
from django.db import connection

from civic_consultation import services
from civic_consultation.models import Vote
from tests.consultation.factories import ConsultationFactory, ProposalFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def runner(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_duplicate_votes_leave_one_vote_and_exact_counters():
    consultation = ConsultationFactory()
    proposal = ProposalFactory(consultation=consultation)
    voter = services.join(consultation)
    card = next(c for c in services.next_cards(voter) if c.proposal_id == proposal.pk)
    values = ["agree", "disagree", "neutral"]

    errors = run_in_threads(
        12, lambda i: services.cast_vote(voter.pk, proposal.pk, values[i % 3], [], card.key)
    )
    assert errors == []
    vote = Vote.objects.get(participant=voter, proposal=proposal)
    proposal.refresh_from_db()
    counts = {value: getattr(proposal, value) for value in values}
    assert counts == {value: int(value == vote.value) for value in values}
    assert consultation.counters()["votes"] == 1


def test_parallel_votes_of_many_participants_are_all_counted():
    consultation = ConsultationFactory()
    proposal = ProposalFactory(consultation=consultation)
    voters = [services.join(consultation) for _ in range(10)]
    keys = [
        next(c.key for c in services.next_cards(v) if c.proposal_id == proposal.pk) for v in voters
    ]
    errors = run_in_threads(
        10, lambda i: services.cast_vote(voters[i].pk, proposal.pk, "agree", ["like_it"], keys[i])
    )
    assert errors == []
    proposal.refresh_from_db()
    assert (proposal.agree, proposal.like_it) == (10, 10)
    assert consultation.counters()["votes"] == 10 == Vote.objects.count()
