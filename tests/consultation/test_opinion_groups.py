"""Opinion groups (Pol.is-style), the bridging ranking and results per identity level: the pure
algorithm on planted groups, the background task that stores a run, the API and the page."""

import json
from collections import Counter

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from civic_consultation import opinion, tasks
from civic_consultation.models import (
    Consultation,
    IdentityLevelCount,
    OpinionGroup,
    OpinionGroupRun,
    OpinionProposalScore,
    Participant,
    Vote,
)
from tests.consultation.factories import (
    ConsultationFactory,
    ParticipantFactory,
    ProposalFactory,
    consultation_page,
)

BASE = "/api/consultation"

# Planted population: three groups of unequal size, each agreeing mostly with its own ten
# proposals; proposal 30 pleases every group, proposal 31 only the biggest one (loved by it).
SIZES = (150, 60, 40)
PROPOSALS = 40
CONSENSUS, PARTISAN = 30, 31


def planted_votes(sizes=SIZES, votes_each=25, seed=7, first_participant=0):
    """(participants, proposals, values, planted group of each participant)."""
    rng = np.random.default_rng(seed)
    agree_probability = np.full((3, PROPOSALS), 0.5)
    for group in range(3):
        agree_probability[:, group * 10 : group * 10 + 10] = 0.1
        agree_probability[group, group * 10 : group * 10 + 10] = 0.9
    agree_probability[:, CONSENSUS] = 0.7
    agree_probability[:, PARTISAN] = 0.35
    agree_probability[0, PARTISAN] = 1.0
    planted = np.repeat(np.arange(3), sizes)
    participants, proposals, values = [], [], []
    for offset, group in enumerate(planted):
        seen = rng.choice(PROPOSALS, votes_each, replace=False)
        seen[:2] = (CONSENSUS, PARTISAN)  # everybody votes on the two compared proposals
        for proposal in np.unique(seen):
            roll = rng.random()
            participants.append(first_participant + offset)
            proposals.append(proposal)
            values.append(1 if roll < agree_probability[group, proposal] else -1)
    return np.array(participants), np.array(proposals), np.array(values), planted


# Pure algorithm -----------------------------------------------------------------------------


def labels_of(result):
    """{participant: group number} from the run's in-memory membership."""
    return dict(zip(result.placed_ids.tolist(), result.membership.tolist(), strict=True))


def purity(result, planted):
    """Share of participants in a found group whose planted group is that group's majority."""
    labels = labels_of(result)
    majority = 0
    for number in set(labels.values()):
        members = [planted[pid] for pid, label in labels.items() if label == number]
        majority += Counter(members).most_common(1)[0][1]
    return majority / len(labels)


def test_recovers_three_planted_groups_and_chooses_three():
    participants, proposals, values, planted = planted_votes()
    result = opinion.compute(participants, proposals, values)
    assert result.k == 3
    assert purity(result, planted) > 0.95
    assert result.silhouette == max(result.silhouette_by_k.values())
    assert sorted(group.size for group in result.groups) == pytest.approx(sorted(SIZES), abs=8)
    # Without a previous run, numbers follow the sizes: 1 is the biggest group.
    assert [group.number for group in result.groups] == [1, 2, 3]
    assert [group.size for group in result.groups] == sorted(
        (group.size for group in result.groups), reverse=True
    )
    # Each group agrees most with its planted group's ten proposals.
    for group, own in zip(result.groups, range(3), strict=True):
        rates = opinion.laplace_rate(group.agree, group.seen)
        assert rates[own * 10 : own * 10 + 10].mean() > 0.75
        assert {item.proposal_id for item in group.representatives} & set(
            range(own * 10, own * 10 + 10)
        )


def test_bridging_ranks_what_every_group_likes_above_what_the_biggest_group_loves():
    participants, proposals, values, _planted = planted_votes()
    result = opinion.compute(participants, proposals, values)
    overall_agree = {
        proposal: (values[proposals == proposal] == 1).mean() for proposal in (CONSENSUS, PARTISAN)
    }
    # The majority view prefers the partisan proposal...
    assert overall_agree[PARTISAN] > overall_agree[CONSENSUS]
    bridging = dict(zip(result.proposal_ids.tolist(), result.bridging, strict=True))
    # ...the bridging view does not.
    assert bridging[CONSENSUS] > bridging[PARTISAN]
    ranked = sorted(
        (proposal for proposal, score in bridging.items() if not np.isnan(score)),
        key=lambda proposal: -bridging[proposal],
    )
    assert ranked[0] == CONSENSUS


def test_group_numbers_stay_with_their_opinions_when_votes_are_added():
    participants, proposals, values, planted = planted_votes()
    first = opinion.compute(participants, proposals, values)
    number_of_planted = {
        planted_group: Counter(
            label
            for participant, label in labels_of(first).items()
            if planted[participant] == planted_group
        ).most_common(1)[0][0]
        for planted_group in range(3)
    }
    # The smallest planted group grows into the biggest: numbered by size it would become 1.
    more = planted_votes(sizes=(0, 0, 220), seed=8, first_participant=len(planted))
    all_votes = [
        np.concatenate([a, b])
        for a, b in zip((participants, proposals, values), more[:3], strict=True)
    ]
    all_planted = np.concatenate([planted, more[3]])
    previous = [
        opinion.PreviousGroup(
            group.number, first.proposal_ids, group.agree, group.disagree, group.seen
        )
        for group in first.groups
    ]
    second = opinion.compute(*all_votes, previous=previous)
    fresh = opinion.compute(*all_votes)
    assert second.k == 3
    labels = labels_of(second)
    for planted_group, number in number_of_planted.items():
        members = [label for pid, label in labels.items() if all_planted[pid] == planted_group]
        assert Counter(members).most_common(1)[0][0] == number
    biggest = max(second.groups, key=lambda group: group.size)
    assert biggest.number == number_of_planted[2] != 1
    assert max(fresh.groups, key=lambda group: group.size).number == 1


def test_same_votes_give_the_same_groups():
    participants, proposals, values, _planted = planted_votes()
    first = opinion.compute(participants, proposals, values)
    again = opinion.compute(participants[::-1], proposals[::-1], values[::-1])
    assert [g.size for g in first.groups] == [g.size for g in again.groups]
    assert np.allclose([g.centroid for g in first.groups], [g.centroid for g in again.groups])


def test_participants_below_the_minimum_votes_are_left_out_and_too_few_give_no_groups():
    participants, proposals, values, planted = planted_votes(votes_each=4)
    assert opinion.compute(participants, proposals, values) is None
    few = opinion.compute(
        participants, proposals, values, parameters=opinion.Parameters(min_votes=3)
    )
    assert few is not None and few.participants == len(planted)
    assert opinion.compute([], [], []) is None


def test_voters_that_cannot_be_told_apart_form_no_groups():
    participants = np.repeat(np.arange(40), 6)
    proposals = np.tile(np.arange(6), 40)
    assert opinion.compute(participants, proposals, np.ones(240)) is None


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="same length"):
        opinion.compute([1, 2], [1], [1, 1])
    with pytest.raises(ValueError, match="agree"):
        opinion.compute([1], [1], [3])


# Background task and storage ---------------------------------------------------------------

LEVELS = (
    Participant.IdentityLevel.COOKIE,
    Participant.IdentityLevel.EMAIL,
    Participant.IdentityLevel.ACCOUNT,
)


def seed_consultation(sizes=(20, 15, 12), consultation=None):
    """A consultation whose participants (one identity level per planted group) cast trusted
    votes on 12 proposals: group g agrees with proposals 4g..4g+3 and the last one, disagrees
    with the rest."""
    consultation = consultation or ConsultationFactory()
    proposals = [ProposalFactory(consultation=consultation) for _ in range(13)]
    votes = []
    for group, size in enumerate(sizes):
        for _ in range(size):
            participant = ParticipantFactory(
                consultation=consultation, identity_level=LEVELS[group]
            )
            for index, proposal in enumerate(proposals):
                liked = index // 4 == group or index == 12
                value = "agree" if liked else "disagree"
                votes.append(
                    Vote(participant=participant, proposal=proposal, value=value, trusted=True)
                )
    Vote.objects.bulk_create(votes)
    return consultation, proposals


@pytest.fixture
def small_groups(settings):
    settings.CIVIC_CONSULTATION_OPINION_GROUPS = {"MIN_PARTICIPANTS": 10, "MIN_GROUP_VOTES": 3}


@pytest.mark.django_db
def test_the_task_stores_a_run_with_groups_bridging_and_identity_levels(small_groups):
    consultation, proposals = seed_consultation()
    outsider = ParticipantFactory(consultation=consultation)
    # Votes that never count: untrusted, excluded by a moderator, on a shared link.
    for proposal, flags in zip(
        proposals,
        (
            {"trusted": False},
            {"trusted": True, "excluded": True},
            {"trusted": True, "shared": True},
        ),
        strict=False,
    ):
        Vote.objects.create(participant=outsider, proposal=proposal, value="agree", **flags)
    assert tasks.compute_opinion_groups(consultation.pk) == {consultation.pk: 47}
    run = OpinionGroupRun.objects.get(consultation=consultation)
    assert run.group_count == 3 and run.participants == 47 and run.votes == 47 * 13
    assert run.algorithm_version == opinion.ALGORITHM_VERSION
    assert sorted(OpinionGroup.objects.filter(run=run).values_list("size", flat=True)) == [
        12,
        15,
        20,
    ]
    best = OpinionProposalScore.objects.filter(run=run).order_by("-bridging").first()
    assert best.proposal == proposals[12]
    counts = IdentityLevelCount.objects.get(
        run=run, proposal=proposals[0], identity_level=Participant.IdentityLevel.COOKIE
    )
    assert (counts.agree, counts.disagree, counts.neutral) == (20, 0, 0)
    email = IdentityLevelCount.objects.get(
        run=run, proposal=proposals[0], identity_level=Participant.IdentityLevel.EMAIL
    )
    assert (email.agree, email.disagree) == (0, 15)


@pytest.mark.django_db
def test_the_task_reads_and_stores_in_a_bounded_number_of_queries(small_groups):
    small, _ = seed_consultation(sizes=(10, 10, 10))
    big, _ = seed_consultation(sizes=(40, 30, 20))
    query_counts = []
    for consultation in (small, big):
        with CaptureQueriesContext(connection) as queries:
            tasks.compute_opinion_groups(consultation.pk)
        query_counts.append(len(queries))
    assert query_counts[0] == query_counts[1] <= 20


@pytest.mark.django_db
def test_numbers_are_kept_between_runs_and_old_runs_are_pruned(small_groups, settings):
    consultation, proposals = seed_consultation()
    tasks.compute_opinion_groups(consultation.pk)
    first = {
        group.size: group.number
        for group in OpinionGroup.objects.filter(run__consultation=consultation)
    }
    # A new group-3 crowd (same opinions) makes that group the biggest.
    crowd = []
    for _ in range(30):
        participant = ParticipantFactory(consultation=consultation)
        crowd += [
            Vote(
                participant=participant,
                proposal=proposal,
                value="agree" if index // 4 == 2 or index == 12 else "disagree",
                trusted=True,
            )
            for index, proposal in enumerate(proposals)
        ]
    Vote.objects.bulk_create(crowd)
    for _ in range(4):
        tasks.compute_opinion_groups()
    latest = OpinionGroupRun.objects.filter(consultation=consultation).first()
    now = {group.size: group.number for group in latest.groups.all()}
    assert now == {20: first[20], 15: first[15], 42: first[12]}
    assert OpinionGroupRun.objects.filter(consultation=consultation).count() == 3


@pytest.mark.django_db
def test_too_few_participants_store_identity_levels_without_groups():
    consultation, _ = seed_consultation(sizes=(3, 2, 2))
    assert tasks.compute_opinion_groups(consultation.pk) == {consultation.pk: None}
    run = OpinionGroupRun.objects.get(consultation=consultation)
    assert run.group_count == 0 and not run.groups.exists()
    assert IdentityLevelCount.objects.filter(run=run).count() == 13 * 3


@pytest.mark.django_db
def test_closed_consultations_are_skipped_by_the_schedule(small_groups):
    closed, _ = seed_consultation(consultation=ConsultationFactory(status="closed"))
    assert tasks.compute_opinion_groups() == {}
    assert tasks.compute_opinion_groups(closed.pk) == {closed.pk: 47}


@pytest.mark.django_db
def test_the_schedule_is_upserted_after_migrate():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=tasks.SCHEDULE_NAME)
    assert schedule.func == tasks.SCHEDULE_FUNC
    assert schedule.minutes == tasks.opinion_settings()["REFRESH_MINUTES"]
    tasks.ensure_schedules()
    assert Schedule.objects.filter(name=tasks.SCHEDULE_NAME).count() == 1


# API and page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_shows_groups_bridging_and_levels_and_nobody_s_votes(small_groups):
    consultation, proposals = seed_consultation()
    url = f"{BASE}/consultations/{consultation.pk}/opinion-groups/"
    before = APIClient().get(url)
    assert before.status_code == 200
    assert before.json()["computed_at"] is None and before.json()["groups"] == []
    tasks.compute_opinion_groups(consultation.pk)
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(url)
    assert response.status_code == 200
    assert len(queries) <= 10
    body = response.json()
    assert [group["letter"] for group in body["groups"]] == ["A", "B", "C"]
    assert [group["size"] for group in body["groups"]] == [20, 15, 12]
    assert body["bridging"][0]["id"] == proposals[12].pk
    assert {item["group"] for item in body["bridging"][0]["agree_share_by_group"]} == {
        "A",
        "B",
        "C",
    }
    # Group A sets itself apart by agreeing with its four proposals, the others rank after.
    representative = body["groups"][0]["representative"][:4]
    assert {row["id"] for row in representative} == {p.pk for p in proposals[:4]}
    assert {row["direction"] for row in representative} == {"agree"}
    assert {level["value"] for level in body["identity_levels"]} == set(LEVELS)
    text = json.dumps(body)
    for participant in Participant.objects.filter(consultation=consultation):
        assert str(participant.public_id) not in text
    assert "participant_id" not in text
    results = APIClient().get(f"{BASE}/consultations/{consultation.pk}/results/").json()
    assert results["opinion"]["groups"] == body["groups"]


@pytest.mark.django_db
def test_the_api_refuses_unknown_and_draft_consultations():
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    client = APIClient()
    assert client.get(f"{BASE}/consultations/{draft.pk}/opinion-groups/").status_code == 404
    assert client.get(f"{BASE}/consultations/99999/opinion-groups/").status_code == 404
    huge = f"{BASE}/consultations/{10**30}/opinion-groups/"
    assert client.get(huge).status_code == 404


@pytest.mark.django_db
def test_the_results_page_shows_groups_beside_the_majority_ranking(client, small_groups):
    consultation, proposals = seed_consultation()
    page = consultation_page(consultation)
    html = client.get(page.url + "resultats/").content.decode()
    assert 'id="bridging-title"' in html and "<h3" not in section(html, "groups-title")
    tasks.compute_opinion_groups(consultation.pk)
    html = client.get(page.url + "resultats/").content.decode()
    assert html.index('id="top-title"') < html.index('id="bridging-title"')
    groups = section(html, "groups-title")
    assert groups.count("<h3") == 3 and "20 " in groups and "12 " in groups
    # The line saying when and from how many participants the groups were computed.
    assert "47" in section(html, "bridging-title")
    assert proposals[12].text in section(html, "bridging-title")
    # The e-mail level (planted group B) supports proposals 4 to 7 and the shared one.
    levels = section(html, "identity-title")
    assert levels.count("<h3") == 3 and proposals[4].text in levels
    for participant in Participant.objects.filter(consultation=consultation):
        assert str(participant.public_id) not in html


def section(html, title_id):
    """The HTML of the <section> labelled by the heading ``title_id``."""
    start = html.index(f'aria-labelledby="{title_id}"')
    return html[start : html.index("</section>", start)]
