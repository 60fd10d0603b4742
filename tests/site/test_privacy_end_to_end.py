"""A resident of the reference site with data in all three plugins downloads it, then deletes
their account through "Mes données": consultation results and the budget's count stay
identical, the participation items remain, nothing names the person any more. Also the API twin
of the download, which the reference site routes at /api/me/data/."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task
from rest_framework.authtoken.models import Token

from civic_budget import identity as budget_identity
from civic_budget import results, voting
from civic_budget.models import Ballot, VoterRegistration, ZoneResult
from civic_consultation import results as consultation_results
from civic_consultation import services as consultation_services
from civic_consultation.models import Participant, Proposal, Vote
from civic_participation import services as participation_services
from civic_participation.models import (
    CouncilMembership,
    DiscussionMessage,
    Request,
)
from tests.budget import factories as budget_factories
from tests.consultation import factories as consultation_factories
from tests.participation import factories as participation_factories

pytestmark = [pytest.mark.django_db]

PASSWORD = "a long resident passphrase"
EMAIL = "camille.durand@example.org"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def resident():
    return get_user_model().objects.create_user("camille", EMAIL, PASSWORD, first_name="Camille")


@pytest.fixture
def consultation(resident):
    """An open consultation: the resident proposed (accepted) and voted, others voted too."""
    consultation = consultation_factories.ConsultationFactory()
    consultation_factories.ProposalFactory.create_batch(8, consultation=consultation)
    participant = consultation_services.join(consultation, user=resident, address="198.51.100.20")
    consultation_services.answer_profile(participant, "25_34", "68100")
    for value in ("agree", "disagree", "agree"):
        consultation_factories.served_vote(participant, value)
    proposal = consultation_services.submit_proposal(participant, "Il faut éclairer le parc")
    consultation_services.accept(consultation_factories.moderator(), proposal)
    for number in range(3):
        other = consultation_services.join(consultation, address=f"192.0.2.{number + 1}")
        for value in ("agree", "neutral"):
            consultation_factories.served_vote(other, value)
    return consultation


def consultation_counts(consultation):
    """Everything the consultation shows and ranks by."""
    return json.dumps(
        {
            "overview": consultation_results.overview(consultation),
            "ages": consultation_results.segments(consultation, "age_range"),
            "districts": consultation_results.segments(consultation, "district"),
            "proposals": list(
                Proposal.objects.filter(consultation=consultation).order_by("pk").values()
            ),
            "votes": list(
                Vote.objects.order_by("pk").values("proposal_id", "value", "trusted", "excluded")
            ),
            "counters": consultation.counters(),
        },
        default=str,
        sort_keys=True,
    )


@pytest.fixture
def budget(resident, django_capture_on_commit_callbacks):
    """A vote with the resident's ballot among others, closed and counted."""
    process, zones, projects = budget_factories.city()
    picks = [[("Nord", 50), ("Nord", 40)], [("Nord", 50)], [("Nord", 30)], [("Nord", 40)]]
    with django_capture_on_commit_callbacks(execute=True):
        voting.submit_online_ballot(
            resident,
            process,
            budget_factories.declaration(zones["north"]),
            {projects[("Nord", 40)].pk: 1, projects[("Nord", 30)].pk: 1},
        )
    for number, chosen in enumerate(picks):
        voting.submit_online_ballot(
            budget_factories.UserFactory(username=f"voter{number}"),
            process,
            budget_factories.declaration(zones["north"], first_name=f"Voter{number}"),
            {projects[pick].pk: 1 for pick in chosen},
        )
    process.vote_close = timezone.now()
    process.tie_break_seed = "Tirage public"
    process.save()
    results.count_process(process)
    process.refresh_from_db()
    return process, zones, projects


def budget_count(process, zones, projects):
    """The stored results and a recount from the ballots as they are now."""
    stored = list(
        ZoneResult.objects.filter(process=process)
        .order_by("zone_id")
        .values("zone_id", "winners", "input_hash", "ballots_hash", "voter_count")
    )
    ballots = results.frozen_ballots(process)
    on_ballot = [projects[("Nord", cost)] for cost in (30, 40, 50)]
    recount = results.counting.count(
        results.election_for(zones["north"], ballots, on_ballot, {zones["north"].pk}),
        results.RULES["mes_add1"],
    )
    return {
        "stored": stored,
        "ballots_hash": results.ballots_hash(ballots),
        "recount": (recount.input_hash, sorted(recount.winners)),
        "ballots": Ballot.objects.count(),
        "registrations": VoterRegistration.objects.filter(process=process).count(),
    }


@pytest.fixture
def participation(resident):
    """The resident is a référent of a council; they drafted a request and wrote on it."""
    council = participation_factories.CouncilFactory(name="Conseil participatif Dornach")
    CouncilMembership.objects.create(
        council=council, user=resident, role=CouncilMembership.Role.REFERENT
    )
    item = participation_factories.draft_request(council, resident)
    participation_services.post_message(resident, item, "Les bancs manquent près de l'école.")
    return item


def test_a_resident_downloads_then_erases_everything(
    client, resident, consultation, budget, participation
):
    process, zones, projects = budget
    consultation_before = consultation_counts(consultation)
    budget_before = budget_count(process, zones, projects)
    messages_before = DiscussionMessage.objects.filter(request=participation).count()
    client.force_login(resident)

    page = client.get(reverse("civic_core:my_data"))
    assert page.status_code == 200
    for app_label in ("civic_participation", "civic_consultation", "civic_budget"):
        assert f"<h2>{apps.get_app_config(app_label).verbose_name}</h2>" in page.content.decode()

    download = client.post(reverse("civic_core:download"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="')
    data = json.loads(download.content)
    assert data["account"]["email"] == EMAIL
    assert {"civic_participation", "civic_consultation", "civic_budget"} <= set(data)
    (participation_export,) = data["civic_consultation"]["participations"]
    assert participation_export["profile"]["district"] == "68100"
    assert len(participation_export["votes"]) == 3
    assert "Les bancs manquent près de l'école." in json.dumps(
        data["civic_participation"], ensure_ascii=False
    )
    (registration,) = data["civic_budget"]["registrations"]
    assert registration["process"] == process.title
    account_key = budget_identity.account_key(process.pk, resident.pk)
    assert VoterRegistration.objects.filter(account_key=account_key).exists()
    # The ballot confirmation went through a stored task that carries the e-mail address.
    assert data["site"]["background_tasks"]

    erased = client.post(reverse("civic_core:erase"), {"password": PASSWORD})
    assert erased.status_code == 302
    assert not get_user_model().objects.filter(username="camille").exists()
    assert client.get(reverse("civic_core:my_data")).status_code == 302

    # Consultation: the same results, the participant detached and without profile.
    assert consultation_counts(consultation) == consultation_before
    assert not Participant.objects.filter(district="68100").exists()
    # Budget: the same ballots, hash and winners, stored and recounted.
    assert budget_count(process, zones, projects) == budget_before
    assert not VoterRegistration.objects.filter(account_key=account_key).exists()
    # Participation: the item and its discussion remain, the membership is gone.
    assert Request.objects.filter(pk=participation.pk).exists()
    assert DiscussionMessage.objects.filter(request=participation).count() == messages_before
    assert not CouncilMembership.objects.filter(council__name__endswith="Dornach").exists()
    # Nothing stored anywhere holds the address any more.
    assert not any(EMAIL in repr((task.args, task.kwargs)) for task in Task.objects.all())


def test_the_api_gives_the_same_data_once_a_minute(resident, consultation):
    token = Token.objects.create(user=resident)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api-personal-data")

    response = client.get(url)
    assert response.status_code == 200
    (participation,) = response.json()["civic_consultation"]["participations"]
    assert participation["profile"]["district"] == "68100"
    assert response.json()["account"]["username"] == "camille"

    refused = client.get(url)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"


def test_the_api_refuses_an_anonymous_caller(client):
    response = client.get(reverse("api-personal-data"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
