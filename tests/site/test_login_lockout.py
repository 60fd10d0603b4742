"""Login lockout (django-axes) of every password form and endpoint, keyed on the client address
ForwardedClientAddress derives from PROXY_COUNT, never on what the client writes itself."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from civic_site.environment import lockout_parameters

PASSWORD = "a-long-passphrase"
LOGIN_FORMS = ["/admin/login/", "/django-admin/login/"]


@pytest.fixture
def member(db):
    return get_user_model().objects.create_superuser("member", "member@example.org", PASSWORD)


def attempt(client, url, password, **headers):
    return client.post(url, {"username": "member", "password": password}, **headers)


def fail_until_locked(client, url, settings, **headers):
    """Post wrong passwords up to the failure limit; return the last response."""
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, url, f"guess-{number}", **headers)
    return response


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_a_login_form_locks_out_after_the_failure_limit(client, member, settings, url):
    first = attempt(client, url, "guess")
    assert first.status_code == 200  # the form again, with its error

    locked = fail_until_locked(client, url, settings)

    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Trop de tentatives de connexion" in locked.content.decode()
    # Even the right password is refused until the cool-off ends.
    assert attempt(client, url, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_english_too(client, member, settings):
    locked = fail_until_locked(client, "/admin/login/", settings, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert "Too many failed login attempts" in locked.content.decode()


def test_below_the_limit_the_right_password_logs_in(client, member, settings):
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "/admin/login/", f"guess-{number}")
    assert attempt(client, "/admin/login/", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_token_endpoint_locks_out_with_the_api_error_shape(client, member, settings):
    assert attempt(client, "/api/token/", "guess").status_code == 400

    locked = fail_until_locked(client, "/api/token/", settings)

    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"
    assert "15" in error["message"]
    refused = attempt(client, "/api/token/", PASSWORD)
    assert refused.status_code == 429
    assert not hasattr(member, "auth_token") or not member.auth_token


def test_rotating_forwarded_entries_the_client_wrote_does_not_escape(client, member, settings):
    settings.PROXY_COUNT = 1
    # The proxy appends the address it saw (198.51.100.7); the entries on its left are the
    # client's own and change at every attempt.
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(
            client,
            "/admin/login/",
            f"guess-{number}",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.7",
        )
    assert response.status_code == 429
    assert (
        attempt(
            client,
            "/admin/login/",
            PASSWORD,
            HTTP_X_FORWARDED_FOR="203.0.113.200, 198.51.100.7",
        ).status_code
        == 429
    )
    # Another client behind the same proxy is a different address: not locked out.
    other = attempt(client, "/admin/login/", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, member, settings):
    settings.PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(
            client, "/api/token/", f"guess-{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
        )
    assert response.status_code == 429
    # A header naming a fresh address changes nothing: the connection's address is locked.
    assert (
        attempt(client, "/api/token/", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code
        == 429
    )


def test_one_locked_account_leaves_the_others_of_the_address_alone(client, member, settings):
    get_user_model().objects.create_superuser("colleague", "colleague@example.org", PASSWORD)
    fail_until_locked(client, "/admin/login/", settings)
    colleague = client.post("/admin/login/", {"username": "colleague", "password": PASSWORD})
    assert colleague.status_code == 302


def test_account_names_differing_in_case_share_one_counter(client, member, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        name = "MEMBER" if number % 2 else "Member"
        response = client.post("/admin/login/", {"username": name, "password": f"guess-{number}"})
    assert response.status_code == 429


def test_lockout_parameters_from_the_environment():
    assert lockout_parameters("username+ip_address") == [["username", "ip_address"]]
    assert lockout_parameters("ip_address, username+ip_address") == [
        "ip_address",
        ["username", "ip_address"],
    ]
    with pytest.raises(ImproperlyConfigured, match="cookie"):
        lockout_parameters("username+cookie")
    with pytest.raises(ImproperlyConfigured, match="at least one"):
        lockout_parameters(" , ")
