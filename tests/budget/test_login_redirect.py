"""The idea and vote pages send residents to a login page the site serves, with ``next``."""

import pytest
from django.test import override_settings
from django.urls import reverse

from civic_budget import phases, views
from tests.budget import factories
from tests.budget.conftest import add_budget_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["submit", "vote"])
@pytest.mark.parametrize("login_url", ["/accounts/login/", "/no/such/login/"])
def test_a_login_url_the_site_does_not_serve_falls_back_to_wagtails(client, route, login_url):
    """A `wagtail start` site keeps Django's /accounts/login/, which only Wagtail's page tree
    would answer (with a 404): residents go to Wagtail's login page instead."""
    page = add_budget_page(factories.city(phases.IDEAS if route == "submit" else phases.VOTE)[0])
    url = page.url + page.reverse_subpage(route)
    with override_settings(LOGIN_URL=login_url):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('wagtailadmin_login')}?next={url}"
    assert client.get(response["Location"]).status_code == 200


def test_a_login_url_the_site_serves_is_used(client):
    page = add_budget_page(factories.city(phases.VOTE)[0])
    served = reverse("wagtailadmin_password_reset")
    with override_settings(LOGIN_URL="wagtailadmin_password_reset"):
        assert views.login_url() == served
        response = client.get(page.url + page.reverse_subpage("vote"))
    assert response["Location"].startswith(f"{served}?next=")


def test_an_external_login_url_is_used_as_is():
    with override_settings(LOGIN_URL="https://login.example.org/sso"):
        assert views.login_url() == "https://login.example.org/sso"
