"""Identity (issue 14): verified identities from the session, contests of a declared identity."""

from datetime import date

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from civic_budget import contests, identity, voting
from civic_budget.adapter import get_adapter
from civic_budget.errors import BudgetError
from civic_budget.models import Ballot, IdentityContest, VoterRegistration
from civic_core.identity import VerifiedIdentity, remember
from tests.budget import factories

pytestmark = pytest.mark.django_db

CAMILLE = VerifiedIdentity(
    provider="franceconnect",
    subject="sub-4242",
    given_name="Camille",
    family_name="Durand",
    birthdate=date(1990, 5, 17),
)


def verified_api_client(user, verified=CAMILLE):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user)

    class Request:
        session = api.session

    remember(Request, verified)
    Request.session.save()
    return api


def ballot_body(zone, project, **declared):
    return {
        "zone": zone.pk,
        "first_name": declared.get("first_name", "Camille"),
        "last_name": declared.get("last_name", "Durand"),
        "birth_date": declared.get("birth_date", "1990-05-17"),
        "resides_in_city": True,
        "choices": [{"project": project.pk}],
    }


# Verified identities ----------------------------------------------------------------------------


def test_a_verified_identity_replaces_the_declaration_and_keys_the_registration(city, resident):
    process, zones, projects = city
    api = verified_api_client(resident)
    body = ballot_body(
        zones["north"], projects[("Nord", 30)], first_name="Someone", last_name="Else"
    )
    response = api.post(f"/api/budget/processes/{process.pk}/ballot/", body, format="json")
    assert response.status_code == 201, response.content
    registration = VoterRegistration.objects.get()
    assert registration.verified
    expected = identity.identity_key(process.pk, "verified|franceconnect|sub-4242")
    assert registration.identity_key == expected
    # The age bucket comes from the verified birth date (35 on the reference date).
    assert Ballot.objects.get().age_bucket == "35-49"


def test_the_ballot_form_shows_verified_values_read_only(city, resident, budget_page):
    process, zones, projects = city
    page = verified_api_client(resident).get(budget_page.url + "voter/").content.decode()
    assert 'name="last_name" value="Durand"' in page
    assert "disabled" in page.split('name="last_name"')[1].split(">")[0]


def test_the_verified_birth_date_is_written_as_a_date_input_reads_it(city, resident, budget_page):
    # A type="date" input shows only an ISO value, whatever the page's language.
    api = verified_api_client(resident)
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = api.get(budget_page.url + "voter/").content.decode()
    assert 'value="1990-05-17"' in page.split('name="birth_date"')[1].split(">")[0]


def test_an_impostor_declaring_a_verified_persons_name_does_not_lock_them_out(city, resident):
    process, zones, projects = city
    impostor = factories.UserFactory(username="impostor")
    voting.submit_online_ballot(
        impostor, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
    )
    api = verified_api_client(resident)
    body = ballot_body(zones["north"], projects[("Nord", 40)])
    response = api.post(f"/api/budget/processes/{process.pk}/ballot/", body, format="json")
    assert response.status_code == 201
    assert VoterRegistration.objects.filter(verified=True).count() == 1


def test_a_verified_birth_date_must_be_plausible_too(city, resident):
    process, zones, projects = city
    api = verified_api_client(resident, VerifiedIdentity("fc", "s1", "A", "B", date(1, 1, 1)))
    body = ballot_body(zones["north"], projects[("Nord", 30)])
    response = api.post(f"/api/budget/processes/{process.pk}/ballot/", body, format="json")
    assert response.status_code == 400
    assert not VoterRegistration.objects.exists()


@override_settings(CIVIC_BUDGET_REQUIRE_VERIFIED_IDENTITY=True)
def test_a_site_may_require_a_verified_identity(city, resident):
    process, zones, projects = city
    with pytest.raises(BudgetError) as refused:
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    assert refused.value.code == "forbidden"
    outcome = voting.submit_online_ballot(
        resident,
        process,
        factories.declaration(zones["north"]),
        {projects[("Nord", 30)].pk: 1},
        verified=CAMILLE,
    )
    assert not outcome.changed and VoterRegistration.objects.get().verified


def test_the_adapter_keys_verified_people_on_provider_and_subject():
    adapter = get_adapter()
    assert adapter.verified_identity(CAMILLE) == "verified|franceconnect|sub-4242"


# Contests of a declared identity ---------------------------------------------------------------


@pytest.fixture
def taken(city):
    """An impostor voted first under Camille Durand's declared identity."""
    process, zones, projects = city
    impostor = factories.UserFactory(username="impostor")
    voting.submit_online_ballot(
        impostor, process, factories.declaration(zones["north"]), {projects[("Nord", 50)].pk: 1}
    )
    return impostor


def test_the_real_person_is_refused_with_a_contest_not_silently_locked_out(city, resident, taken):
    process, zones, projects = city
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(resident)
    body = ballot_body(zones["north"], projects[("Nord", 30)])
    for _attempt in range(2):
        response = api.post(f"/api/budget/processes/{process.pk}/ballot/", body, format="json")
        assert response.status_code == 409
    contest = IdentityContest.objects.get()
    assert contest.claimant == resident and contest.status == IdentityContest.OPEN
    message = response.json()["error"]["message"]
    assert f"contest no. {contest.pk}" in message and "annulled" in message
    assert Ballot.objects.count() == 1 and VoterRegistration.objects.count() == 1


def test_staff_uphold_a_contest_annul_the_ballot_and_the_claimant_votes(
    city, resident, taken, client
):
    process, zones, projects = city
    declared = factories.declaration(zones["north"])
    with pytest.raises(BudgetError):
        voting.submit_online_ballot(resident, process, declared, {projects[("Nord", 30)].pk: 1})
    contest = IdentityContest.objects.get()
    staff = factories.reviewer()
    client.force_login(resident)
    refused = client.post(f"/admin/budget/contests/{contest.pk}/", {"decision": "uphold"})
    assert refused.status_code in (302, 403) and Ballot.objects.count() == 1
    client.force_login(staff)
    page = client.get(f"/admin/budget/contests/{contest.pk}/")
    assert page.status_code == 200 and resident.email in page.content.decode()
    no_note = client.post(f"/admin/budget/contests/{contest.pk}/", {"decision": "uphold"})
    assert no_note.status_code == 200 and Ballot.objects.count() == 1
    decided = client.post(
        f"/admin/budget/contests/{contest.pk}/",
        {"decision": "uphold", "note": "Identity card checked at the town hall."},
    )
    assert decided.status_code == 302
    contest.refresh_from_db()
    assert contest.status == IdentityContest.UPHELD and contest.decided_by == staff
    assert not Ballot.objects.exists() and not VoterRegistration.objects.exists()
    outcome = voting.submit_online_ballot(
        resident, process, declared, {projects[("Nord", 30)].pk: 1}
    )
    assert not outcome.changed and Ballot.objects.count() == 1
    with pytest.raises(BudgetError) as again:
        contests.decide_contest(staff, contest, False, "Twice.")
    assert again.value.code == "conflict"


def test_a_dismissed_contest_keeps_the_ballot(city, resident, taken):
    process, zones, projects = city
    with pytest.raises(BudgetError):
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    contest = IdentityContest.objects.get()
    with pytest.raises(BudgetError) as forbidden:
        contests.decide_contest(resident, contest, True, "Me.")
    assert forbidden.value.code == "forbidden"
    contests.decide_contest(factories.reviewer(), contest, False, "The first voter proved it.")
    contest.refresh_from_db()
    assert contest.status == IdentityContest.DISMISSED and Ballot.objects.count() == 1


def test_no_ballot_is_annulled_once_frozen(city, resident, taken):
    process, zones, projects = city
    with pytest.raises(BudgetError):
        voting.submit_online_ballot(
            resident, process, factories.declaration(zones["north"]), {projects[("Nord", 30)].pk: 1}
        )
    process.frozen_ballots_hash = "x" * 64
    process.frozen_at = process.vote_close
    process.save()
    with pytest.raises(BudgetError) as frozen:
        contests.decide_contest(factories.reviewer(), IdentityContest.objects.get(), True, "Late.")
    assert frozen.value.code == "conflict"
    assert IdentityContest.objects.get().status == IdentityContest.OPEN
    assert Ballot.objects.count() == 1
