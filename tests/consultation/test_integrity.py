"""Integrity: uniform and too fast sessions are flagged; a moderator excludes their votes from
the ranking and includes them again, counters staying exact, everything kept and logged."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civic_consultation import integrity, scoring, services
from civic_consultation.models import Event, Proposal, SegmentCounter, Vote
from civic_consultation.services import ConsultationError
from tests.consultation.factories import (
    ConsultationFactory,
    ProposalFactory,
    UserFactory,
    moderator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(12, consultation=consultation)
    return consultation


def at_reading_pace(votes):
    """Run ``votes`` (callables) five seconds apart, as a person reading each proposal would,
    in the hour before now (so that the votes are in the past when the test goes on)."""
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False) as clock:
        for vote in votes:
            clock.shift(5)
            vote()


def vote_through_cards(participant, values):
    """Vote ``values`` in order on the participant's served cards, at a reading pace."""
    cards = services.next_cards(participant)
    at_reading_pace(
        lambda card=card, value=value: services.cast_vote(
            participant.pk, card.proposal_id, value, (), card.key
        )
        for card, value in zip(cards, values, strict=False)
    )
    return cards[: len(values)]


def ranking_columns(consultation):
    return {
        row["pk"]: row
        for row in Proposal.objects.filter(consultation=consultation).values(
            "pk", "top_score_low", "pool", *scoring.COUNT_NAMES
        )
    }


def recounted(consultation):
    """Counters recomputed from the votes that count: trusted and not excluded."""
    totals = {pk: dict.fromkeys(scoring.COUNT_NAMES, 0) for pk in ranking_columns(consultation)}
    for vote in Vote.objects.filter(proposal__consultation=consultation, trusted=True):
        if not vote.excluded:
            for name in (vote.value, *vote.qualifications):
                totals[vote.proposal_id][name] += 1
    return totals


def stored_counts(consultation):
    return {
        pk: {name: row[name] for name in scoring.COUNT_NAMES}
        for pk, row in ranking_columns(consultation).items()
    }


def test_the_uniform_rule():
    rules = integrity.Rules(uniform_min_votes=8, uniform_share=0.9)
    assert integrity.uniform_value(["agree"] * 7, rules) is None
    assert integrity.uniform_value(["agree"] * 9 + ["disagree"], rules) == "agree"
    assert integrity.uniform_value(["agree"] * 8 + ["disagree"] * 2, rules) is None


def test_a_session_that_always_agrees_is_flagged_and_a_varied_one_is_not(consultation):
    bot, person = services.join(consultation), services.join(consultation)
    vote_through_cards(bot, ["agree"] * 10)
    vote_through_cards(person, ["agree", "disagree", "neutral"] * 3 + ["agree"])
    bot.refresh_from_db()
    person.refresh_from_db()
    assert bot.flag == integrity.FLAG_UNIFORM and bot.flagged_at
    assert person.flag == "" and person.flagged_at is None
    # A flag alone changes no count.
    assert stored_counts(consultation) == recounted(consultation)
    assert sum(row["agree"] for row in stored_counts(consultation).values()) >= 10


def test_votes_outside_the_sequence_do_not_flag(consultation):
    participant = services.join(consultation)
    at_reading_pace(
        lambda proposal=proposal: services.cast_vote(participant.pk, proposal.pk, "agree", (), "")
        for proposal in consultation.proposals.all()[:10]
    )
    participant.refresh_from_db()
    assert participant.flag == ""


def test_a_session_voting_faster_than_a_person_reads_is_flagged(consultation):
    script, person = services.join(consultation), services.join(consultation)
    proposals = list(consultation.proposals.all()[:10])
    values = ["agree", "disagree", "neutral"] * 3 + ["agree"]
    # Ten votes at once, even varied and outside the sequence: a burst.
    for proposal, value in zip(proposals, values, strict=True):
        services.cast_vote(script.pk, proposal.pk, value, (), "")
    at_reading_pace(
        lambda proposal=proposal, value=value: services.cast_vote(
            person.pk, proposal.pk, value, (), ""
        )
        for proposal, value in zip(proposals, values, strict=True)
    )
    script.refresh_from_db()
    person.refresh_from_db()
    assert script.flag == integrity.FLAG_BURST and script.flagged_at
    assert person.flag == ""
    # The flag only points a moderator at the session: every vote is stored and counted.
    assert Vote.objects.filter(participant=script).count() == 10
    assert stored_counts(consultation) == recounted(consultation)


def test_exclusion_and_inclusion_keep_counters_exact_and_are_logged(consultation):
    actor = moderator()
    bot = services.join(consultation)
    services.answer_profile(bot, age_range="25_34")
    honest = services.join(consultation)
    vote_through_cards(honest, ["agree", "disagree", "neutral", "agree"])
    vote_through_cards(bot, ["disagree"] * 10)
    before = ranking_columns(consultation)

    services.exclude_votes(actor, bot, "Ten identical votes in a minute")
    assert stored_counts(consultation) == recounted(consultation)
    assert Vote.objects.filter(participant=bot).count() == 10  # never deleted
    assert Vote.objects.filter(participant=bot, excluded=True).count() == 10
    assert sum(row["disagree"] for row in stored_counts(consultation).values()) == 1
    assert not SegmentCounter.objects.filter(disagree__gt=0).exists()

    # While excluded, a new vote of the session is stored but does not count either.
    card = services.next_cards(bot)[0]
    services.cast_vote(bot.pk, card.proposal_id, "disagree", (), card.key)
    assert stored_counts(consultation) == recounted(consultation)

    services.include_votes(actor, bot, "Checked: a real resident")
    assert stored_counts(consultation) == recounted(consultation)
    after = ranking_columns(consultation)
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {card.proposal_id}  # only the vote cast meanwhile moved anything
    assert SegmentCounter.objects.filter(disagree__gt=0).exists()
    kinds = list(
        Event.objects.filter(consultation=consultation, kind__startswith="votes_").values_list(
            "kind", "actor", "visibility"
        )
    )
    assert kinds == [
        ("votes_excluded", actor.pk, Event.Visibility.INTERNAL),
        ("votes_included", actor.pk, Event.Visibility.INTERNAL),
    ]


def test_exclusion_needs_a_moderator_a_reason_and_a_change(consultation):
    bot = services.join(consultation)
    vote_through_cards(bot, ["agree"] * 3)
    counts = stored_counts(consultation)
    with pytest.raises(ConsultationError) as error:
        services.exclude_votes(UserFactory(), bot, "spam")
    assert error.value.code == "forbidden"
    with pytest.raises(ConsultationError) as error:
        services.exclude_votes(moderator(), bot, "  ")
    assert "reason" in error.value.fields
    with pytest.raises(ConsultationError) as error:
        services.include_votes(moderator(), bot, "never excluded")
    assert error.value.code == "conflict"
    assert stored_counts(consultation) == counts
    assert not Event.objects.filter(kind__startswith="votes_").exists()


def test_evidence_of_a_session(consultation):
    bot = services.join(consultation)
    cards = vote_through_cards(bot, ["agree"] * 9)
    services.cast_vote(
        bot.pk,
        next(
            p.pk for p in consultation.proposals.all() if p.pk not in {c.proposal_id for c in cards}
        ),
        "disagree",
        (),
        "",
    )
    evidence = services.session_evidence(consultation.participants.filter(pk=bot.pk)).get()
    assert evidence.total == 10 and evidence.trusted == 9
    assert (evidence.agree, evidence.disagree, evidence.neutral) == (9, 1, 0)
    assert evidence.first <= evidence.last


def test_moderator_view_of_flagged_sessions(client, consultation, django_assert_max_num_queries):
    bots = [services.join(consultation) for _ in range(3)]
    for bot in bots:
        vote_through_cards(bot, ["disagree"] * 9)
    url = f"/admin/consultation-moderation/{consultation.pk}/flagged/"
    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403)
    client.force_login(moderator())
    with django_assert_max_num_queries(32):
        page = client.get(url)
    body = page.content.decode()
    assert all(str(bot.public_id) in body for bot in bots)
    assert "0 / 9 / 0" in body
    response = client.post(url, {"participant": bots[0].pk, "action": "exclude", "reason": "bot"})
    assert response.status_code == 302
    bots[0].refresh_from_db()
    assert bots[0].excluded
    assert "bot" in client.get(url).content.decode()
    client.post(url, {"participant": bots[0].pk, "action": "include", "reason": ""})
    bots[0].refresh_from_db()
    assert bots[0].excluded  # no reason, no change
    client.post(url, {"participant": bots[0].pk, "action": "include", "reason": "a person"})
    bots[0].refresh_from_db()
    assert not bots[0].excluded
    assert stored_counts(consultation) == recounted(consultation)
