"""Moderation: locks, decisions with reasons, bulk actions, ideas, scope."""

import pytest

from civic_consultation import services
from civic_consultation.models import Event, Proposal
from civic_consultation.services import ConsultationError
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    UserFactory,
    moderator,
)

pytestmark = pytest.mark.django_db
Status = Proposal.Status


def pending(consultation, **kwargs):
    return ProposalFactory(consultation=consultation, status=Status.PENDING, **kwargs)


def test_accepting_publishes_and_counts_the_proposal(consultation):
    lea = moderator()
    proposal = pending(consultation)
    services.lock(lea, proposal)
    accepted = services.accept(lea, proposal)
    assert accepted.status == Status.ACCEPTED and accepted.locked_by is None
    assert consultation.counters()["proposals"] == 1
    event = Event.objects.get(proposal=proposal, kind="accepted")
    assert (event.actor, event.from_state, event.visibility) == (lea, "pending", "public")


def test_a_locked_proposal_cannot_be_decided_by_another_moderator(consultation):
    lea, max_ = moderator("lea"), moderator("max")
    proposal = pending(consultation)
    services.lock(lea, proposal)
    with pytest.raises(ConsultationError) as error:
        services.accept(max_, proposal)
    assert error.value.code == "locked"
    assert services.next_in_queue(max_, consultation) is None
    services.release(lea, proposal)
    assert services.next_in_queue(max_, consultation) == proposal


def test_the_queue_hands_out_the_oldest_unlocked_proposal(consultation):
    lea, max_ = moderator("lea"), moderator("max")
    first, second = pending(consultation), pending(consultation)
    assert services.next_in_queue(lea, consultation) == first
    assert services.next_in_queue(max_, consultation) == second


def test_refusal_needs_a_reason_from_the_list(consultation):
    lea = moderator()
    proposal = pending(consultation)
    with pytest.raises(ConsultationError):
        services.refuse(lea, proposal, "i do not like it")
    refused = services.refuse(lea, proposal, "off_topic", "sur le stationnement")
    assert (refused.status, refused.refusal_reason) == (Status.REFUSED, "off_topic")
    assert Event.objects.get(proposal=proposal, kind="refused").visibility == "members"


def test_postponed_proposals_can_be_decided_later_but_not_refused_twice(consultation):
    lea = moderator()
    proposal = pending(consultation)
    services.postpone(lea, proposal, "à revoir")
    services.accept(lea, proposal)
    with pytest.raises(ConsultationError) as error:
        services.refuse(lea, proposal, "unclear")
    assert error.value.code == "invalid_state"


def test_only_moderators_moderate(consultation):
    resident = UserFactory()
    proposal = pending(consultation)
    with pytest.raises(ConsultationError) as error:
        services.accept(resident, proposal)
    assert error.value.code == "forbidden"
    assert Proposal.objects.get(pk=proposal.pk).status == Status.PENDING


def test_object_permission_scopes_a_moderator_to_one_consultation(consultation):
    from guardian.shortcuts import assign_perm

    scoped = UserFactory()
    assign_perm("civic_consultation.moderate_consultation", scoped, consultation)
    services.accept(scoped, pending(consultation))
    with pytest.raises(ConsultationError):
        services.accept(scoped, pending(ConsultationFactory()))


def test_bulk_actions_report_what_could_not_be_done(consultation):
    lea, max_ = moderator("lea"), moderator("max")
    proposals = [pending(consultation) for _ in range(3)]
    services.lock(max_, proposals[2])
    done, failed = services.bulk_moderate(lea, proposals, "refuse", "duplicate")
    assert len(done) == 2 and [p for p, _ in failed] == [proposals[2]]
    assert Proposal.objects.filter(status=Status.REFUSED).count() == 2


def test_duplicates_are_grouped_into_one_idea(consultation):
    lea = moderator()
    original = ProposalFactory(consultation=consultation)
    copy = pending(consultation)
    refused = services.mark_duplicate(lea, copy, original)
    original.refresh_from_db()
    assert refused.status == Status.REFUSED and refused.duplicate_of == original
    assert refused.idea == original.idea is not None
    idea = services.group_into_idea(lea, [original, pending(consultation)], name="Soins")
    assert idea.proposals.count() == 2


def test_the_timeline_is_append_only_but_goes_with_its_consultation(consultation):
    from civic_core.records import AppendOnlyError

    proposal = services.accept(moderator(), pending(consultation))
    event = Event.objects.get(proposal=proposal, kind="accepted")
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    consultation.delete()
    assert not Event.objects.exists()
