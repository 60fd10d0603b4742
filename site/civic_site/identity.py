"""The bridge between the site's OpenID Connect sign-in and ``civic_core.identity``.

A city connects one identity provider (FranceConnect, or any OpenID Connect provider) through
``OIDC_*`` environment variables. When a resident signs in through it, the claims the provider
vouches for (``sub``, ``given_name``, ``family_name``, ``birthdate``, ...) are stored in the
session with :func:`civic_core.identity.remember`; the plugins read them from there. The
account keeps the provider's subject and the e-mail address, never the other claims.

Kept free of allauth imports: settings.py reads :func:`openid_connect_settings` before Django
starts.
"""

import os
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from civic_core.identity import VerifiedIdentity, remember

PROVIDER = "openid_connect"
# allauth registers the provider class once per process: always ours, provider or not.
PROVIDER_CLASS = "civic_site.accounts.VerifiedOpenIDConnectProvider"
DEFAULT_PROVIDER_ID = "franceconnect"
DEFAULT_NAME = "FranceConnect"
# What FranceConnect calls these claims; any OpenID Connect provider uses the same names.
DEFAULT_SCOPES = "openid given_name family_name birthdate email"
# Where a sign-in's claims wait, in allauth's sign-in state, until the person is signed in.
STATE_KEY = "civic_verified_claims"
# Claims a provider may add that plugins may use (FranceConnect's birth place and country).
EXTRA_CLAIMS = ("gender", "birthplace", "birthcountry", "preferred_username", "address")


def openid_connect_settings(environ=os.environ):
    """allauth's ``SOCIALACCOUNT_PROVIDERS`` for the provider set in the environment; without
    ``OIDC_SERVER_URL``, no provider (and no button on the sign-in page)."""
    server_url = environ.get("OIDC_SERVER_URL", "").strip()
    if not server_url:
        return {PROVIDER: {"provider_class": PROVIDER_CLASS, "APPS": []}}
    missing = [
        name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not environ.get(name, "")
    ]
    if missing:
        raise ImproperlyConfigured(
            f"OIDC_SERVER_URL is set: {' and '.join(missing)} must be set too."
        )
    provider_id = environ.get("OIDC_PROVIDER_ID", "").strip() or DEFAULT_PROVIDER_ID
    if not provider_id.replace("-", "").replace("_", "").isalnum():
        raise ImproperlyConfigured(
            f"OIDC_PROVIDER_ID must be letters, digits, - or _ (it is part of the callback "
            f"URL), not {provider_id!r}."
        )
    scopes = (environ.get("OIDC_SCOPES", "").strip() or DEFAULT_SCOPES).replace(",", " ")
    if "openid" not in scopes.split():
        raise ImproperlyConfigured("OIDC_SCOPES must contain openid.")
    auth_params = dict(
        pair.split("=", 1) for pair in environ.get("OIDC_AUTH_PARAMS", "").split("&") if "=" in pair
    )
    app_settings = {
        "server_url": server_url,
        "scope": scopes.split(),
        "auth_params": auth_params,
        "oauth_pkce_enabled": True,
        "fetch_userinfo": True,
    }
    token_auth_method = environ.get("OIDC_TOKEN_AUTH_METHOD", "").strip()
    if token_auth_method:
        app_settings["token_auth_method"] = token_auth_method
    return {
        PROVIDER: {
            "provider_class": PROVIDER_CLASS,
            "APPS": [
                {
                    "provider_id": provider_id,
                    "name": environ.get("OIDC_NAME", "").strip() or DEFAULT_NAME,
                    "client_id": environ["OIDC_CLIENT_ID"],
                    "secret": environ["OIDC_CLIENT_SECRET"],
                    "settings": app_settings,
                }
            ],
        }
    }


def verified_claims(extra_data):
    """The claims of a sign-in, userinfo over the ID token (userinfo holds the identity at
    FranceConnect; the ID token may hold only ``sub``)."""
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def set_aside_claims(sociallogin):
    """Move the provider's claims out of the social account allauth stores, which keeps only
    the subject (to recognise the person next time), into the sign-in's state, which lives in
    the session until the sign-in completes. Returns the claims."""
    account = sociallogin.account
    claims = verified_claims(account.extra_data)
    sociallogin.state[STATE_KEY] = claims
    account.extra_data = {"id_token": {"sub": claims["sub"]}}
    if account.pk:  # an account signed in before: allauth has just saved the full claims
        account.save(update_fields=["extra_data"])
    return claims


def identity_from_claims(provider_id, claims):
    """A :class:`VerifiedIdentity` from a provider's claims; a malformed birth date is left out
    rather than trusted."""
    try:
        birthdate = date.fromisoformat(str(claims.get("birthdate") or ""))
    except ValueError:
        birthdate = None
    return VerifiedIdentity(
        provider=provider_id,
        subject=str(claims["sub"]),
        given_name=str(claims.get("given_name") or ""),
        family_name=str(claims.get("family_name") or ""),
        birthdate=birthdate,
        claims={name: claims[name] for name in EXTRA_CLAIMS if claims.get(name)},
    )


def remember_sign_in(request, sociallogin):
    """Keep the verified claims set aside at this sign-in in the session (and only there)."""
    claims = (sociallogin.state or {}).get(STATE_KEY)
    if claims:
        remember(request, identity_from_claims(sociallogin.account.provider, claims))
