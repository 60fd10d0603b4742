"""The identity provider's settings from the environment: absent, complete, or refused with the
name of the variable at fault."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from civic_site.identity import PROVIDER, PROVIDER_CLASS, openid_connect_settings

COMPLETE = {
    "OIDC_SERVER_URL": "https://fcp-low.integ01.dev-franceconnect.fr/api/v2",
    "OIDC_CLIENT_ID": "client",
    "OIDC_CLIENT_SECRET": "secret",
}


def the_app(environ):
    [app] = openid_connect_settings(environ)[PROVIDER]["APPS"]
    return app


def test_without_a_server_url_there_is_no_provider():
    assert openid_connect_settings({}) == {PROVIDER: {"provider_class": PROVIDER_CLASS, "APPS": []}}


def test_the_defaults_are_franceconnects():
    app = the_app(COMPLETE)

    assert (app["provider_id"], app["name"]) == ("franceconnect", "FranceConnect")
    assert (app["client_id"], app["secret"]) == ("client", "secret")
    assert app["settings"]["server_url"] == COMPLETE["OIDC_SERVER_URL"]
    assert app["settings"]["scope"] == ["openid", "given_name", "family_name", "birthdate", "email"]
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert "token_auth_method" not in app["settings"]


def test_every_variable_is_read():
    app = the_app(
        {
            **COMPLETE,
            "OIDC_PROVIDER_ID": "keycloak-ville",
            "OIDC_NAME": "Compte citoyen",
            "OIDC_SCOPES": "openid,email",
            "OIDC_AUTH_PARAMS": "acr_values=eidas1&prompt=login",
            "OIDC_TOKEN_AUTH_METHOD": "client_secret_basic",
        }
    )

    assert (app["provider_id"], app["name"]) == ("keycloak-ville", "Compte citoyen")
    assert app["settings"]["scope"] == ["openid", "email"]
    assert app["settings"]["auth_params"] == {"acr_values": "eidas1", "prompt": "login"}
    assert app["settings"]["token_auth_method"] == "client_secret_basic"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"),
        ({"OIDC_CLIENT_ID": "", "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        ({"OIDC_PROVIDER_ID": "france/connect"}, "OIDC_PROVIDER_ID"),
        ({"OIDC_SCOPES": "given_name family_name"}, "OIDC_SCOPES"),
    ],
)
def test_an_incomplete_or_wrong_configuration_stops_start_up(changes, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        openid_connect_settings({**COMPLETE, **changes})
