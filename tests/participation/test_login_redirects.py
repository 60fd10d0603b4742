"""Anonymous visitors of the member space are sent to a login page that exists: Wagtail's admin
login, in the reference site and in a site with the plugin alone (no ``/accounts/``)."""

import pytest
from django.urls import reverse

from tests.participation.factories import draft_request

pytestmark = pytest.mark.django_db


def member_space_urls(item):
    return [
        reverse("civic_participation_request_modeladmin_index"),
        reverse("civic_participation_request_modeladmin_inspect", args=[item.pk]),
        reverse("civic_participation_new_request"),
        reverse("civic_participation_new_offer"),
        reverse("civic_participation_transition", args=["request", item.pk, "submit"]),
        reverse("civic_participation_message", args=["request", item.pk]),
        reverse("civic_participation_reminderdelivery_modeladmin_index"),
    ]


def test_the_member_space_redirects_to_a_login_page_that_answers(city, client):
    item = draft_request(city.council, city.member)
    for url in member_space_urls(item):
        response = client.get(url)
        assert response.status_code == 302, url
        login_url = response["Location"]
        assert not login_url.startswith("/accounts/"), login_url
        assert login_url.split("?")[0] == reverse("wagtailadmin_login"), login_url
        assert client.get(login_url).status_code == 200, login_url


def test_after_signing_in_the_member_comes_back_to_the_page_asked(city, client):
    city.referent.set_password("a long password 2026")
    city.referent.save()
    wanted = reverse("civic_participation_request_modeladmin_index")
    login_url = client.get(wanted)["Location"]
    response = client.post(
        login_url, {"username": "referent", "password": "a long password 2026", "next": wanted}
    )
    assert response.status_code == 302 and response["Location"] == wanted
    assert client.get(wanted).status_code == 200


def test_the_api_answers_anonymous_members_with_an_error_not_a_redirect(client):
    response = client.get("/api/participation/requests/")
    assert response.status_code in (401, 403)
    assert "error" in response.json()
