"""Retention and personal data (issue 14): the purge after the results and the RGPD provider
change no count, no hash and no winner."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from django_q.models import Schedule

from civic_budget import results, retention, tasks, voting
from civic_budget.models import (
    Ballot,
    IdentityContest,
    PaperBallotEntry,
    Project,
    VoterRegistration,
    Zone,
    ZoneResult,
)
from civic_core import privacy
from tests.budget import factories

pytestmark = pytest.mark.django_db

PICKS = [
    [("Nord", 50), ("Nord", 40)],
    [("Nord", 50), ("Nord", 40)],
    [("Nord", 50)],
    [("Nord", 30), ("Toute la ville", 100)],
    [("Nord", 40), ("Toute la ville", 100)],
]


def published_results(process):
    return sorted(
        (result.zone_id, result.input_hash, result.ballots_hash, tuple(result.winners))
        for result in ZoneResult.objects.filter(process=process)
    )


def recounted(process):
    """Counting the stored ballots again, as ``results.count_process`` did: the ballots' hash
    and each zone's input hash and winners."""
    ballots = results.frozen_ballots(process)
    districts = set(process.zones.filter(kind=Zone.DISTRICT).values_list("pk", flat=True))
    counted = []
    for stored in ZoneResult.objects.filter(process=process).select_related("zone"):
        zone = stored.zone
        on_ballot = Project.objects.filter(
            zone=zone, status__in=(Project.SELECTED, Project.NOT_SELECTED)
        ).order_by("pk")
        voters = districts if zone.kind == Zone.CITYWIDE else {zone.pk}
        election = results.election_for(zone, ballots, list(on_ballot), voters)
        count = results.counting.count(
            election, results.RULES[process.counting_rule], seed=process.tie_break_seed or None
        )
        counted.append((zone.pk, count.input_hash, tuple(count.winners)))
    return results.ballots_hash(ballots), sorted(counted)


@pytest.fixture
def counted(city):
    """Five online voters and a contest, counted; the results were published long ago."""
    process, zones, projects = city
    voters = []
    for number, picks in enumerate(PICKS):
        user = factories.UserFactory(username=f"kept{number}")
        voting.submit_online_ballot(
            user,
            process,
            factories.declaration(zones["north"], first_name=f"Kept{number}"),
            {projects[pick].pk: 1 for pick in picks},
        )
        voters.append(user)
    place = factories.PollingPlaceFactory(process=process)
    agent = factories.polling_agent(place, "agent-p")
    voting.enter_paper_ballot(
        agent,
        place,
        factories.declaration(zones["north"], first_name="Waiting"),
        {projects[("Nord", 30)].pk: 1},
    )
    IdentityContest.objects.create(
        process=process, registration=VoterRegistration.objects.first(), claimant=voters[1]
    )
    process.vote_close = timezone.now()
    process.save()
    process = results.count_process(process)
    process.results_published = timezone.now() - timedelta(days=91)
    process.vote_close = process.results_published - timedelta(days=1)
    process.implementation_start = timezone.now() + timedelta(days=1)
    process.save()
    process.refresh_from_db()
    return process, voters


def test_identities_are_purged_after_the_retention_and_the_results_stay(counted):
    process, _voters = counted
    stored = published_results(process)
    before = recounted(process)
    receipts = set(Ballot.objects.values_list("receipt_key", flat=True))
    assert retention.purge_expired_identities() == [process.pk]
    process.refresh_from_db()
    assert process.identities_purged_at is not None
    assert not VoterRegistration.objects.filter(identity_key__isnull=False).exists()
    assert not VoterRegistration.objects.filter(account_key__isnull=False).exists()
    assert VoterRegistration.objects.count() == len(PICKS)
    assert receipts.isdisjoint(Ballot.objects.values_list("receipt_key", flat=True))
    assert not PaperBallotEntry.objects.exclude(identity_key="").exists()
    assert not PaperBallotEntry.objects.filter(status=PaperBallotEntry.AWAITING).exists()
    assert IdentityContest.objects.get().claimant is None
    assert published_results(process) == stored
    assert recounted(process) == before
    assert before[0] == process.frozen_ballots_hash
    # Purged once: a second run finds nothing due.
    assert retention.purge_expired_identities() == []


@override_settings(CIVIC_BUDGET_IDENTITY_RETENTION_DAYS=120)
def test_identities_are_kept_during_the_retention(counted):
    assert retention.purge_expired_identities() == []
    assert not VoterRegistration.objects.filter(identity_key__isnull=True).exists()


def test_an_uncounted_process_is_never_purged(city):
    process, zones, projects = city
    process.results_published = timezone.now() - timedelta(days=365)
    process.save(update_fields=["results_published"])
    assert retention.purge_expired_identities() == []


def test_the_purge_runs_on_a_schedule():
    tasks.ensure_schedules()
    schedule = Schedule.objects.get(name="civic_budget: purge voters' identities")
    assert schedule.func == "civic_budget.tasks.purge_expired_identities"


def test_the_export_lists_registrations_and_ideas_but_never_choices(city, resident):
    process, zones, projects = city
    idea = factories.ProjectFactory(zone=zones["north"], proposer=resident, title="Bancs publics")
    voting.submit_online_ballot(
        resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
    )
    exported = privacy.export_personal_data(resident)["civic_budget"]
    assert exported["registrations"] == [
        {
            "process": process.title,
            "method": "online",
            "registered_on": timezone.localdate().isoformat(),
            "verified_identity": False,
        }
    ]
    assert [entry["id"] for entry in exported["ideas"]] == [idea.pk]
    assert "Nord 30k" not in str(exported)
    other = factories.UserFactory(username="someone-else")
    assert privacy.export_personal_data(other)["civic_budget"]["registrations"] == []


def test_erasing_a_voter_keeps_the_results_exact(counted):
    process, voters = counted
    stored = published_results(process)
    before = recounted(process)
    erased = voters[0]
    key = VoterRegistration.objects.filter(
        account_key=voting.identity.account_key(process.pk, erased.pk)
    ).get()
    privacy.erase_personal_data(erased)
    assert not get_user_model().objects.filter(pk=erased.pk).exists()
    key.refresh_from_db()
    # The vote is counted: nothing leads from the person to the registration any more.
    assert key.account_key is None and key.identity_key is None
    assert Ballot.objects.count() == len(PICKS)
    assert published_results(process) == stored
    assert recounted(process) == before


def test_erasing_a_voter_during_the_vote_keeps_one_ballot_per_person(city, resident):
    process, zones, projects = city
    declared = factories.declaration(zones["north"])
    voting.submit_online_ballot(resident, process, declared, {projects[("Nord", 30)].pk: 1})
    privacy.erase_personal_data(resident)
    registration = VoterRegistration.objects.get()
    assert registration.account_key is None and registration.identity_key is not None
    newcomer = factories.UserFactory(username="new-account")
    with pytest.raises(voting.BudgetError):
        voting.submit_online_ballot(newcomer, process, declared, {projects[("Nord", 40)].pk: 1})
    assert Ballot.objects.count() == 1


def test_erasing_a_polling_agent_keeps_their_entries(city):
    process, zones, projects = city
    place = factories.PollingPlaceFactory(process=process)
    agent = factories.polling_agent(place, "agent-gone")
    entry = voting.enter_paper_ballot(
        agent, place, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
    )
    privacy.erase_personal_data(agent)
    entry.refresh_from_db()
    assert entry.entered_by is None and entry.status == PaperBallotEntry.AWAITING
