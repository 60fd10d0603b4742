"""A resident signs in through the city's OpenID Connect provider (a real provider on loopback):
the site keeps the verified claims in the session, links later sign-ins to the same account and
refuses an ID token that does not carry the sign-in's nonce."""

from datetime import date
from types import SimpleNamespace

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from civic_core.identity import SESSION_KEY, verified_identity
from tests.identity.conftest import (
    CAMILLE,
    PROVIDER_ID,
    connect_provider,
    sign_in_through_provider,
)

pytestmark = pytest.mark.django_db


def identity_of(client):
    return verified_identity(SimpleNamespace(session=client.session))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_the_resident_comes_back_signed_in_with_the_verified_identity(client, oidc_provider):
    response = sign_in_through_provider(client, next_url="/agenda/")

    assert response.status_code == 302 and response["Location"] == "/agenda/"
    user = signed_in_user(client)
    assert user is not None
    # The account keeps the e-mail address and the provider's subject, nothing else.
    assert (user.email, user.first_name, user.last_name) == (CAMILLE["email"], "", "")
    assert SocialAccount.objects.get(user=user).extra_data == {"id_token": {"sub": CAMILLE["sub"]}}
    identity = identity_of(client)
    assert identity.provider == PROVIDER_ID
    assert identity.subject == CAMILLE["sub"]
    assert (identity.given_name, identity.family_name) == ("Camille", "Durand")
    assert identity.birthdate == date(1990, 4, 12)
    assert identity.claims == {"birthplace": "68224"}

    sent = oidc_provider.authorizations[-1]
    assert len(sent["nonce"]) >= 32 and sent["state"]
    assert sent["acr_values"] == "eidas1"
    assert sent["code_challenge_method"] == "S256"
    assert set(sent["scope"].split()) == {
        "openid",
        "given_name",
        "family_name",
        "birthdate",
        "email",
        "birthplace",
    }


def test_a_second_sign_in_links_the_same_account(client, oidc_provider):
    sign_in_through_provider(client)
    first_user = signed_in_user(client)
    first_nonce = oidc_provider.authorizations[-1]["nonce"]

    client.post("/compte/logout/")
    assert signed_in_user(client) is None
    assert identity_of(client) is None and SESSION_KEY not in client.session

    accounts_before = get_user_model().objects.count()
    sign_in_through_provider(client)
    assert signed_in_user(client) == first_user
    assert get_user_model().objects.count() == accounts_before
    account = SocialAccount.objects.get(user=first_user)
    assert (account.uid, account.extra_data) == (
        CAMILLE["sub"],
        {"id_token": {"sub": CAMILLE["sub"]}},
    )
    assert identity_of(client).subject == CAMILLE["sub"]
    assert oidc_provider.authorizations[-1]["nonce"] != first_nonce


def test_an_id_token_without_the_sign_ins_nonce_is_refused(client, oidc_provider):
    oidc_provider.nonce_override = "a-nonce-from-another-sign-in"

    response = sign_in_through_provider(client)

    assert response.status_code == 401
    assert signed_in_user(client) is None
    assert identity_of(client) is None
    assert not get_user_model().objects.filter(email=CAMILLE["email"]).exists()


def test_userinfo_signed_as_a_jwt_is_verified_and_read(client, oidc_provider):
    """FranceConnect v2 answers userinfo with a signed JWT (application/jwt)."""
    oidc_provider.signed_userinfo = True

    response = sign_in_through_provider(client)

    assert response.status_code == 302
    identity = identity_of(client)
    assert (identity.subject, identity.family_name) == (CAMILLE["sub"], "Durand")
    assert identity.birthdate == date(1990, 4, 12)


def test_userinfo_signed_with_a_key_the_provider_does_not_publish_is_refused(client, oidc_provider):
    oidc_provider.signed_userinfo = True
    oidc_provider.userinfo_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = sign_in_through_provider(client)

    assert response.status_code == 401
    assert signed_in_user(client) is None and identity_of(client) is None


def test_a_malformed_birth_date_is_left_out_not_trusted(client, oidc_provider):
    oidc_provider.person["birthdate"] = "12/04/1990"

    sign_in_through_provider(client)

    identity = identity_of(client)
    assert identity.subject == CAMILLE["sub"] and identity.birthdate is None


def test_another_person_signing_in_on_the_same_browser_drops_the_identity(client, oidc_provider):
    """A clerk signs in on the member space on the kiosk a resident used: Django gives the
    clerk a fresh session, without the resident's identity."""
    sign_in_through_provider(client)
    clerk = get_user_model().objects.create_superuser(
        "clerk", "clerk@example.org", "a long password 2026"
    )

    response = client.post(
        "/admin/login/", {"username": "clerk", "password": "a long password 2026"}
    )

    assert response.status_code == 302
    assert signed_in_user(client) == clerk
    assert identity_of(client) is None


def test_a_resident_signed_in_by_password_links_the_provider(client, oidc_provider):
    resident = get_user_model().objects.create_user(
        "camille", "camille@example.org", "a long password 2026"
    )
    resident.emailaddress_set.create(email=resident.email, verified=True, primary=True)
    client.post("/compte/login/", {"login": resident.email, "password": "a long password 2026"})
    assert signed_in_user(client) == resident and identity_of(client) is None

    response = connect_provider(client)

    assert response.status_code == 302
    assert SocialAccount.objects.get(user=resident).uid == CAMILLE["sub"]
    assert identity_of(client).family_name == "Durand"

    client.post("/compte/logout/")
    sign_in_through_provider(client)
    assert signed_in_user(client) == resident


def test_the_provider_already_linked_to_another_account_is_not_borrowed(client, oidc_provider):
    sign_in_through_provider(client)
    owner = signed_in_user(client)
    client.post("/compte/logout/")
    other = get_user_model().objects.create_user(
        "dominique", "dominique@example.org", "a long password 2026"
    )
    other.emailaddress_set.create(email=other.email, verified=True, primary=True)
    client.post("/compte/login/", {"login": other.email, "password": "a long password 2026"})

    connect_provider(client)

    assert SocialAccount.objects.get(uid=CAMILLE["sub"]).user == owner
    assert signed_in_user(client) == other
    assert identity_of(client) is None
