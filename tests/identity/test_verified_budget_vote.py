"""A resident signed in through the identity provider votes in the participatory budget: the
ballot form shows the provider's name and birth date read-only, and the registration is keyed
on the provider's identity whatever the form posts."""

import pytest

from civic_budget import identity, phases
from civic_budget.models import Ballot, VoterRegistration
from tests.budget import factories
from tests.budget.conftest import add_budget_page
from tests.identity.conftest import CAMILLE, PROVIDER_ID, sign_in_through_provider

pytestmark = pytest.mark.django_db


def test_the_verified_residents_ballot_registers_under_the_verified_identity(client, oidc_provider):
    process, zones, projects = factories.city(phases.VOTE)
    page = add_budget_page(process)
    vote_url = page.url + page.reverse_subpage("vote")

    to_login = client.get(vote_url)
    assert to_login["Location"] == f"/compte/login/?next={vote_url}"
    assert sign_in_through_provider(client, next_url=vote_url)["Location"] == vote_url

    form = client.get(vote_url).content.decode()
    for name, value in (("last_name", "Durand"), ("first_name", "Camille")):
        tag = form.split(f'name="{name}"')[1].split(">")[0]
        assert f'value="{value}"' in tag and "disabled" in tag
    birth_date_tag = form.split('name="birth_date"')[1].split(">")[0]
    assert "1990" in birth_date_tag and "disabled" in birth_date_tag

    chosen = projects[("Nord", 30)]
    response = client.post(
        vote_url,
        {
            "zone": zones["north"].pk,
            "first_name": "Someone",
            "last_name": "Else",
            "birth_date": "2001-01-01",
            "resides_in_city": "on",
            f"project_{chosen.pk}": "on",
        },
    )

    assert response.status_code == 200
    registration = VoterRegistration.objects.get()
    assert registration.verified
    assert registration.identity_key == identity.identity_key(
        process.pk, f"verified|{PROVIDER_ID}|{CAMILLE['sub']}"
    )
    # The age bucket comes from the provider's birth date (1990), not the posted 2001.
    assert Ballot.objects.get().age_bucket != "18-24"
