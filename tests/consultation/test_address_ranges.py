"""The address-range cap: sessions from one network weigh at most their share of a proposal's
ranking votes; what is stored of a network is a keyed hash; a task applies the cap, the vote
path keeps it, and moderators find each cap in the audit log."""

import random

import pytest
from django.utils.html import escape

from civic_consultation import identity, integrity, scoring, services, tasks
from civic_consultation.models import Card, Event, Participant, Proposal
from tests.consultation.factories import ConsultationFactory, ProposalFactory

pytestmark = pytest.mark.django_db

BRIGADE_RANGE = "203.0.113.{}"


# The rule -----------------------------------------------------------------------------------


RULES = integrity.Rules(range_share=0.1, range_slack=2.0, range_min_votes=10)


def weights_of(proposal_votes, range_votes, other_shares):
    caps = {block: integrity.range_cap(share, RULES) for block, share in other_shares.items()}
    return integrity.range_weights(proposal_votes, range_votes, caps, RULES)


def test_a_range_over_its_cap_keeps_exactly_the_cap_and_its_agree_rate():
    weights = weights_of(100, {"brigade": 40}, {"brigade": 0.001})
    excess = integrity.range_excess({"brigade": {"agree": 40, "like_it": 20}}, weights)
    kept_agree = 40 - excess["agree"]
    assert kept_agree / (kept_agree + 60) == pytest.approx(0.1)
    # Spread evenly over its votes: its qualifications lose the same part as its votes.
    assert (20 - excess["like_it"]) / 20 == pytest.approx(kept_agree / 40)


def test_ranges_over_their_caps_on_one_proposal_are_weighed_together():
    votes = {"first": 30, "second": 30, "home": 5}
    weights = weights_of(100, votes, {"first": 0.0, "second": 0.0, "home": 0.0})
    assert set(weights) == {"first", "second"}
    weighted = {block: weights.get(block, 1.0) * count for block, count in votes.items()}
    total = 100 - 30 - 30 + weighted["first"] + weighted["second"]
    # Each capped range makes exactly its cap of the weighted total, not more.
    assert weighted["first"] / total == pytest.approx(0.1)
    assert weighted["second"] / total == pytest.approx(0.1)
    # Weighing the first down can push a second range over its cap: it is weighed too.
    cascade = weights_of(100, {"big": 50, "medium": 10}, {"big": 0.0, "medium": 0.0})
    assert set(cascade) == {"big", "medium"}


def test_the_ranges_that_keep_their_votes():
    # A network casting most of the consultation's other votes (one school) votes everywhere
    # alike.
    assert weights_of(100, {"school": 80}, {"school": 0.8}) == {}
    # Twice its share of the other votes is allowed on each proposal.
    assert weights_of(100, {"mobile": 29}, {"mobile": 0.15}) == {}
    # Fewer votes than the minimum: chance.
    assert weights_of(12, {"home": 9}, {"home": 0.0}) == {}
    # No other votes to weigh the ranges against.
    assert weights_of(40, {"only": 40}, {"only": 0.0}) == {}
    assert weights_of(40, {"one": 20, "two": 20}, {"one": 0.0, "two": 0.0}) == {}


def test_ranking_counts_take_the_excess_off_before_weighing_shared_link_votes():
    sampled = scoring.Counts(agree=60, disagree=40)
    counts = scoring.ranking_counts(sampled, scoring.Counts(), excess={"agree": 30})
    assert (counts.agree, counts.disagree) == (30, 40)
    never_negative = scoring.ranking_counts(sampled, scoring.Counts(), excess={"agree": 90})
    assert never_negative.agree == 0


def test_address_blocks():
    assert integrity.address_block("192.0.2.77") == "192.0.2.0/24"
    assert integrity.address_block("::ffff:192.0.2.77") == "192.0.2.0/24"
    assert integrity.address_block(" 2001:db8:1:2::5 ") == "2001:db8:1::/48"
    assert integrity.address_block("not an address") == ""
    assert integrity.address_block(None) == ""


# What a participant stores ------------------------------------------------------------------


def test_a_participant_stores_a_keyed_hash_of_their_range_never_the_address():
    consultation, other = ConsultationFactory(), ConsultationFactory()
    first = services.join(consultation, address="198.51.100.7")
    neighbour = services.join(consultation, address="198.51.100.200")
    elsewhere = services.join(consultation, address="192.0.2.7")
    no_address = services.join(consultation)
    same_range_other_consultation = services.join(other, address="198.51.100.7")

    assert first.address_range == neighbour.address_range != elsewhere.address_range
    assert identity.is_address_range_key(first.address_range)
    assert no_address.address_range == ""
    assert same_range_other_consultation.address_range != first.address_range
    assert first.address_range == identity.address_range_key(consultation.pk, "198.51.100.9")


# The cap in the product -----------------------------------------------------------------------


def vote_on_served_cards(participant, choose):
    """Draw a sequence and vote ``choose(proposal_id)`` on each card (None: skip it)."""
    for card in services.next_cards(participant):
        value = choose(card.proposal_id)
        if value is not None:
            services.cast_vote(participant.pk, card.proposal_id, value, (), card.key)


@pytest.fixture
def brigaded():
    """Fifty residents from fifty networks vote on four proposals; twelve sessions from one
    /24 agree with the target only."""
    consultation = ConsultationFactory()
    proposals = ProposalFactory.create_batch(4, consultation=consultation)
    target = proposals[0]
    rng = random.Random(5)
    for index in range(50):
        resident = services.join(consultation, address=f"10.{index}.0.1")
        vote_on_served_cards(resident, lambda _pk: rng.choice(("agree", "disagree")))
    for index in range(12):
        session = services.join(consultation, address=BRIGADE_RANGE.format(index + 1))
        vote_on_served_cards(session, lambda pk: "agree" if pk == target.pk else None)
    return consultation, target


def ranking_of(proposal):
    proposal.refresh_from_db()
    counts = scoring.ranking_counts(
        scoring.Counts.from_object(proposal),
        proposal.shared_counts,
        excess=proposal.range_excess.get("amounts"),
    )
    return counts, proposal.top_score_low


def test_the_task_caps_the_brigades_range_on_its_target_only(brigaded):
    consultation, target = brigaded
    _counts, before = ranking_of(target)

    changed = tasks.cap_address_ranges(consultation.pk)[consultation.pk]

    assert changed == [target.pk]
    counts, after = ranking_of(target)
    assert after < before
    assert after == pytest.approx(scoring.derive(counts).top_score_low)
    # The brigade now weighs its cap of the target's ranking votes: 10 %, as it cast no vote on
    # the other proposals (its votes on the target do not raise its own allowance).
    brigade_weight = 12 - target.range_excess["amounts"]["agree"]
    assert brigade_weight / counts.total == pytest.approx(0.1)
    assert list(target.range_excess["weights"]) == [
        identity.address_range_key(consultation.pk, BRIGADE_RANGE.format(1))
    ]
    assert (
        not Proposal.objects.filter(consultation=consultation)
        .exclude(pk=target.pk)
        .exclude(range_excess={})
    )


def test_the_cap_is_logged_for_moderators_and_a_second_run_changes_nothing(brigaded):
    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    assert tasks.cap_address_ranges(consultation.pk) == {consultation.pk: []}
    events = Event.objects.filter(consultation=consultation, kind="range_capped")
    assert [(event.proposal_id, event.visibility) for event in events] == [
        (target.pk, Event.Visibility.INTERNAL)
    ]


def test_votes_after_the_run_keep_the_cap(brigaded):
    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    resident = services.join(consultation, address="172.16.9.1")
    vote_on_served_cards(resident, lambda _pk: "disagree")

    counts, stored = ranking_of(target)
    assert target.range_excess
    assert stored == pytest.approx(scoring.derive(counts).top_score_low)


def test_the_cap_is_lifted_when_a_moderator_excludes_the_brigade(brigaded):
    from tests.consultation.factories import moderator

    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    brigade_range = identity.address_range_key(consultation.pk, BRIGADE_RANGE.format(1))
    for session in Participant.objects.filter(address_range=brigade_range):
        services.exclude_votes(moderator(), session, "Brigade from one network")

    assert tasks.cap_address_ranges(consultation.pk) == {consultation.pk: [target.pk]}
    target.refresh_from_db()
    assert target.range_excess == {}
    assert Event.objects.filter(kind="range_cap_lifted", proposal=target).count() == 1


def test_two_brigades_are_each_capped_on_their_own_target_only():
    consultation = ConsultationFactory()
    first, second, *_others = ProposalFactory.create_batch(4, consultation=consultation)
    rng = random.Random(7)
    for index in range(50):
        resident = services.join(consultation, address=f"10.{index}.0.1")
        vote_on_served_cards(resident, lambda _pk: rng.choice(("agree", "disagree")))
    for index in range(12):
        session = services.join(consultation, address=f"203.0.113.{index + 1}")
        vote_on_served_cards(session, lambda pk: "agree" if pk == first.pk else None)
    for index in range(12):
        # Five of the second brigade also disagree with the first target: too few to be over
        # the cap there, so they keep their weight on it.
        session = services.join(consultation, address=f"198.51.100.{index + 1}")
        vote_on_served_cards(
            session,
            lambda pk, index=index: (
                "agree"
                if pk == second.pk
                else ("disagree" if pk == first.pk and index < 5 else None)
            ),
        )

    assert tasks.cap_address_ranges(consultation.pk) == {consultation.pk: [first.pk, second.pk]}
    first.refresh_from_db()
    second.refresh_from_db()
    assert set(first.range_excess["amounts"]) == set(second.range_excess["amounts"]) == {"agree"}
    weights = integrity.range_weights(first.trusted_votes, {"brigade": 12}, {"brigade": 0.1})
    expected = integrity.range_excess({"brigade": {"agree": 12}}, weights)
    assert first.range_excess["amounts"] == pytest.approx(expected)


def brigade_sessions(consultation):
    key = identity.address_range_key(consultation.pk, BRIGADE_RANGE.format(1))
    return list(Participant.objects.filter(consultation=consultation, address_range=key))


def recomputed_amounts(target):
    """The amounts a new computation under the proposal's lock gives, same weights."""
    target.refresh_from_db()
    kept = target.range_excess["amounts"]
    services.set_range_weights(target.pk, target.range_excess["weights"])
    target.refresh_from_db()
    return kept, target.range_excess["amounts"]


def test_votes_changed_between_runs_move_the_excess_exactly(brigaded):
    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    # The brigade turns against its target right after a run, hoping to count in full.
    for session in brigade_sessions(consultation):
        cards, _voted = services.current_sequence(session)
        card = next(card for card in cards if card.proposal_id == target.pk)
        services.cast_vote(session.pk, target.pk, "disagree", ["no_way"], card.key)

    kept, recomputed = recomputed_amounts(target)
    assert kept == pytest.approx(recomputed)
    assert "agree" not in kept and kept["disagree"] > 0 and kept["no_way"] > 0
    counts, stored = ranking_of(target)
    assert stored == pytest.approx(scoring.derive(counts).top_score_low)


def target_key(session, target):
    return Card.objects.filter(participant=session, proposal=target).first().key


def test_drawing_again_from_elsewhere_does_not_take_past_votes_out_of_their_range(brigaded):
    consultation, target = brigaded
    # Each session of the brigade draws once more from its own network after voting: its
    # votes stay counted under the range they were cast from.
    for index, session in enumerate(brigade_sessions(consultation)):
        services.next_cards(session, address=f"198.51.{index}.1")
    assert tasks.cap_address_ranges(consultation.pk) == {consultation.pk: [target.pk]}


def test_a_vote_changed_from_another_range_moves_each_contribution_under_its_own(brigaded):
    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    sessions = brigade_sessions(consultation)
    for session in sessions:
        services.next_cards(session, address="192.0.2.77")
        services.cast_vote(session.pk, target.pk, "disagree", [], target_key(session, target))
        services.next_cards(session, address=BRIGADE_RANGE.format(1))

    kept, recomputed = recomputed_amounts(target)
    assert kept == pytest.approx(recomputed)
    counts, stored = ranking_of(target)
    assert stored == pytest.approx(scoring.derive(counts).top_score_low)


def test_an_exclusion_between_runs_moves_the_excess_exactly(brigaded):
    from tests.consultation.factories import moderator

    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    first, *_others = brigade_sessions(consultation)
    services.exclude_votes(moderator(), first, "Brigade from one network")

    kept, recomputed = recomputed_amounts(target)
    assert kept == pytest.approx(recomputed)


def test_drawing_a_sequence_records_the_range_it_is_drawn_from():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(3, consultation=consultation)
    # A farm joins from anywhere, then does the costly drawing from one network.
    session = services.join(consultation, address="192.0.2.10")
    services.next_cards(session, address="203.0.113.50")
    session.refresh_from_db()
    assert session.address_range == identity.address_range_key(consultation.pk, "203.0.113.1")
    services.next_cards(session, address="not an address")
    session.refresh_from_db()
    assert session.address_range == identity.address_range_key(consultation.pk, "203.0.113.1")


def test_a_consultation_closed_within_the_day_gets_a_last_run(brigaded):
    from datetime import timedelta

    from django.utils import timezone

    consultation, target = brigaded
    consultation.status = "closed"
    consultation.closes_at = timezone.now() - timedelta(hours=2)
    consultation.save()
    assert tasks.cap_address_ranges().get(consultation.pk) == [target.pk]
    consultation.closes_at = timezone.now() - timedelta(days=3)
    consultation.save()
    assert consultation.pk not in tasks.cap_address_ranges()


def test_one_network_casting_the_whole_consultation_is_not_capped():
    consultation = ConsultationFactory()
    ProposalFactory.create_batch(3, consultation=consultation)
    for index in range(30):
        pupil = services.join(consultation, address=f"192.0.2.{index + 1}")
        vote_on_served_cards(pupil, lambda _pk: "agree")
    assert tasks.cap_address_ranges(consultation.pk) == {consultation.pk: []}


def test_the_task_reads_a_bounded_number_of_queries(brigaded, django_assert_num_queries):
    consultation, _target = brigaded
    # Six reads (the consultation, crowded pairs, their ranges' votes, their proposals'
    # totals, the consultation's votes, the stored caps), then per changed proposal:
    # savepoint, lock, the ranges' votes, counters and cap, event, release.
    with django_assert_num_queries(6 + 6):
        tasks.cap_address_ranges(consultation.pk)


def test_the_schedule_is_upserted_after_migrate():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=tasks.RANGE_SCHEDULE_NAME)
    assert schedule.func == tasks.RANGE_SCHEDULE_FUNC
    tasks.ensure_schedules()
    assert Schedule.objects.filter(name=tasks.RANGE_SCHEDULE_NAME).count() == 1


def test_moderators_see_capped_proposals_and_the_sessions_of_a_range(
    client, brigaded, django_assert_max_num_queries
):
    from tests.consultation.factories import UserFactory, moderator

    consultation, target = brigaded
    tasks.cap_address_ranges(consultation.pk)
    url = f"/admin/consultation-moderation/{consultation.pk}/flagged/"
    brigade_range = identity.address_range_key(consultation.pk, BRIGADE_RANGE.format(1))
    client.force_login(UserFactory())
    assert client.get(url, {"range": brigade_range}).status_code in (302, 403)

    client.force_login(moderator())
    page = client.get(url).content.decode()
    assert target.text in page
    assert escape(Event.objects.get(kind="range_capped").message) in page  # the audit log

    with django_assert_max_num_queries(32):
        page = client.get(url, {"range": brigade_range}).content.decode()
    for garbage in ("\x00", "x" * 500, brigade_range.upper()):
        response = client.get(url, {"range": garbage, "p": "nope"})
        assert response.status_code == 200
    for garbage in ("abc", "1e5", "9" * 40, "²"):
        response = client.post(url, {"participant": garbage, "reason": "r"})
        assert response.status_code == 404
    brigade = Participant.objects.filter(address_range=brigade_range)
    assert all(str(session.public_id) in page for session in brigade)
    assert f'?range={brigade_range}">12</a>' in page
    resident = Participant.objects.exclude(address_range=brigade_range).exclude(address_range="")[0]
    assert str(resident.public_id) not in page
