"""Resident accounts of the reference site (django-allauth at /compte/): sign-up confirmed by
e-mail, sign-in by e-mail address, password reset, sign-out, in French and in English; the
public pages send residents to this sign-in while staff keep Wagtail's login."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from civic_budget import phases
from tests.budget import factories
from tests.budget.conftest import add_budget_page

pytestmark = pytest.mark.django_db

PASSWORD = "une phrase de passe 2026"
LANGUAGES = {
    "fr": {"sign_in": "Se connecter", "subject": "Confirmez", "reset_subject": "mot de passe"},
    "en": {"sign_in": "Sign in", "subject": "Confirm", "reset_subject": "Password Reset"},
}


@pytest.fixture(params=["fr", "en"])
def language(request):
    return request.param


@pytest.fixture
def visitor(language):
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def signed_in(client):
    return "_auth_user_id" in client.session


def link_in(message):
    match = re.search(r"https?://testserver(/compte/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def resident(email="camille@example.org", verified=True):
    user = get_user_model().objects.create_user("camille", email, PASSWORD)
    user.emailaddress_set.create(email=email, verified=verified, primary=True)
    return user


def test_the_sign_in_page_is_the_sites_own_in_the_visitors_language(visitor, language):
    response = visitor.get("/compte/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert LANGUAGES[language]["sign_in"] in html
    assert 'name="login"' in html and 'name="password"' in html
    assert reverse("wagtailadmin_login") in html  # staff are pointed to the member space
    # No identity provider is configured: no provider button.
    assert "/compte/oidc/" not in html


def test_sign_up_needs_the_e_mail_confirmed_before_signing_in(visitor, language):
    response = visitor.post(
        "/compte/signup/",
        {"email": "dominique@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert not signed_in(visitor)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dominique@example.org"]
    assert LANGUAGES[language]["subject"] in mail.outbox[0].subject

    visitor.post("/compte/login/", {"login": "dominique@example.org", "password": PASSWORD})
    assert not signed_in(visitor)

    confirm_url = link_in(mail.outbox[0])
    assert visitor.get(confirm_url).status_code == 200  # a page with a button, not a GET action
    assert not signed_in(visitor)
    response = visitor.post(confirm_url)

    assert response.status_code == 302
    assert signed_in(visitor)
    address = get_user_model().objects.get(email="dominique@example.org").emailaddress_set.get()
    assert address.verified


def test_sign_up_with_a_taken_address_or_a_weak_password_is_refused(visitor):
    resident()
    weak = visitor.post(
        "/compte/signup/",
        {"email": "new@example.org", "password1": "12345678", "password2": "12345678"},
    )
    assert (
        weak.status_code == 200
        and not get_user_model().objects.filter(email="new@example.org").exists()
    )

    visitor.post(
        "/compte/signup/",
        {"email": "camille@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert get_user_model().objects.filter(email="camille@example.org").count() == 1
    assert not signed_in(visitor)


def test_sign_in_by_e_mail_and_out(visitor):
    resident()

    wrong = visitor.post("/compte/login/", {"login": "camille@example.org", "password": "nope"})
    assert wrong.status_code == 200 and not signed_in(visitor)

    response = visitor.post(
        "/compte/login/?next=/agenda/", {"login": "Camille@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    assert signed_in(visitor)

    assert visitor.get("/compte/logout/").status_code == 200  # asks, does not sign out on GET
    assert signed_in(visitor)
    visitor.post("/compte/logout/")
    assert not signed_in(visitor)


def test_password_reset_by_e_mail(visitor, language):
    resident()

    response = visitor.post("/compte/password/reset/", {"email": "camille@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert LANGUAGES[language]["reset_subject"].lower() in mail.outbox[0].subject.lower()

    form_url = visitor.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    new_password = "un autre mot de passe 2027"
    response = visitor.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    visitor.post("/compte/login/", {"login": "camille@example.org", "password": PASSWORD})
    assert not signed_in(visitor)
    visitor.post("/compte/login/", {"login": "camille@example.org", "password": new_password})
    assert signed_in(visitor)


def test_a_reset_for_an_unknown_address_tells_nothing_away(visitor):
    response = visitor.post("/compte/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    # allauth tells the unknown address that it has no account, and the visitor nothing.
    assert [message.to for message in mail.outbox] in ([], [["nobody@example.org"]])


def test_repeated_failed_sign_ins_are_rate_limited(client):
    resident()
    statuses = [
        client.post(
            "/compte/login/", {"login": "camille@example.org", "password": "nope"}
        ).status_code
        for _ in range(7)
    ]

    assert statuses[0] == 200
    assert 429 in statuses
    assert not signed_in(client)


def test_the_budget_vote_sends_residents_to_the_resident_sign_in(client):
    page = add_budget_page(factories.city(phases.VOTE)[0])
    vote_url = page.url + page.reverse_subpage("vote")

    response = client.get(vote_url)

    assert response.status_code == 302
    assert response["Location"] == f"/compte/login/?next={vote_url}"
    resident()
    response = client.post(
        response["Location"],
        {"login": "camille@example.org", "password": PASSWORD, "next": vote_url},
    )
    assert response.status_code == 302 and response["Location"] == vote_url
    assert client.get(vote_url).status_code == 200


def test_staff_keep_wagtails_login_for_the_member_space(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client.get(response["Location"]).status_code == 200


def test_a_page_for_signed_in_visitors_sends_them_to_the_resident_sign_in(client):
    home = Site.objects.get(is_default_site=True).root_page
    members_only = home.add_child(instance=Page(title="Réservé", slug="reserve"))
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")

    response = client.get(members_only.url)

    assert response.status_code == 302
    assert response["Location"] == f"/compte/login/?next={members_only.url}"
    resident()
    client.post("/compte/login/", {"login": "camille@example.org", "password": PASSWORD})
    assert client.get(members_only.url).status_code == 200
