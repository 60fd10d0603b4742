import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from civic_site.identity import openid_connect_settings
from tests.identity.oidc_provider import LocalOpenIDProvider

PROVIDER_ID = "franceconnect"
CAMILLE = {
    "sub": "a1b2c3d4e5f6-camille",
    "given_name": "Camille",
    "family_name": "Durand",
    "birthdate": "1990-04-12",
    "email": "camille.durand@example.org",
    "birthplace": "68224",
    "birthcountry": "99100",
}


@pytest.fixture(scope="session")
def oidc_server():
    server = LocalOpenIDProvider().start()
    yield server
    server.stop()


@pytest.fixture
def oidc_provider(oidc_server, settings):
    """The local provider, connected to the site as a city connects FranceConnect."""
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_settings(
        {
            "OIDC_SERVER_URL": oidc_server.issuer,
            "OIDC_CLIENT_ID": oidc_server.client_id,
            "OIDC_CLIENT_SECRET": oidc_server.client_secret,
            "OIDC_PROVIDER_ID": PROVIDER_ID,
            "OIDC_NAME": "FranceConnect",
            "OIDC_SCOPES": "openid given_name family_name birthdate email birthplace",
            "OIDC_AUTH_PARAMS": "acr_values=eidas1",
        }
    )
    oidc_server.person = dict(CAMILLE)
    oidc_server.authorizations.clear()
    oidc_server.nonce_override = None
    oidc_server.signed_userinfo = False
    oidc_server.userinfo_key = oidc_server.private_key
    return oidc_server


def sign_in_through_provider(client, next_url="/"):
    """What a resident's browser does: the sign-in page's provider button, allauth's confirm
    form, the provider's authorization endpoint (real HTTP), the way back to the callback."""
    login_page = client.get(f"/compte/login/?next={next_url}").content.decode()
    button = re.search(r'href="(/compte/oidc/[^"]+/login/[^"]*)"', login_page)
    assert button, "no identity provider button on the sign-in page"
    return through_provider(client, button.group(1).replace("&amp;", "&"))


def connect_provider(client):
    """A signed-in resident links the provider from the account's connections page."""
    page = client.get("/compte/3rdparty/").content.decode()
    button = re.search(r'href="(/compte/oidc/[^"]+/login/\?[^"]*process=connect[^"]*)"', page)
    assert button, "no provider to connect on the connections page"
    return through_provider(client, button.group(1).replace("&amp;", "&"))


def through_provider(client, confirm):
    assert client.get(confirm).status_code == 200
    to_provider = client.post(confirm)
    assert to_provider.status_code == 302, to_provider.content
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    return client.get(callback.path, query)
