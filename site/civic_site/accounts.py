"""Resident accounts of the reference site (django-allauth): e-mail sign-up and sign-in, and
sign-in through the city's OpenID Connect identity provider (FranceConnect).

The plugins know nothing of allauth: they read the verified identity from the session through
``civic_core.identity``, which :mod:`civic_site.identity` fills at sign-in.
"""

import json
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.base.constants import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.crypto import constant_time_compare

from civic_site.identity import PROVIDER, remember_sign_in, set_aside_claims

NONCE_BYTES = 32
NAME_FIELDS = ("first_name", "last_name", "name")


class VerifiedOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce: each sign-in sends a fresh one to the
    provider and accepts only an ID token that carries it back, so an ID token cannot be
    replayed. FranceConnect refuses an authorization request without one."""

    # allauth loads "<package>.urls" for the provider's routes: keep allauth's own.
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        # The extra keyword arguments are stored in the sign-in's state, read back at callback.
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


def nonce_matches(sociallogin, id_token):
    expected = (sociallogin.state or {}).get("nonce")
    received = id_token.get("nonce")
    return (
        bool(expected) and isinstance(received, str) and constant_time_compare(expected, received)
    )


class ResidentSocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self):
        session = super().get_requests_session()
        session.hooks["response"].append(self.signed_userinfo_as_json)
        return session

    def signed_userinfo_as_json(self, response, *args, **kwargs):
        """Verify a userinfo answer signed as a JWT (FranceConnect v2 answers so) against the
        provider's keys and hand allauth, which reads userinfo as JSON, its claims."""
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != "application/jwt":
            return response
        for app in self.list_apps(None, provider=PROVIDER):
            with super().get_requests_session() as session:
                discovery = session.get(app.get_provider(None).server_url)
                discovery.raise_for_status()
                config = discovery.json()
            if config.get("userinfo_endpoint") == response.url:
                claims = jwtkit.verify_and_decode(
                    credential=response.text.strip(),
                    keys_url=config["jwks_uri"],
                    issuer=config["issuer"],
                    audience=app.client_id,
                    lookup_kid=jwtkit.lookup_kid_jwk,
                )
                # requests keeps a body in _content: what .json() will read.
                response._content = json.dumps(claims).encode()
                response.headers["Content-Type"] = "application/json"
                return response
        raise OAuth2Error("Signed userinfo from no configured provider")

    def pre_social_login(self, request, sociallogin):
        provider = sociallogin.account.get_provider()
        if provider.id == PROVIDER:
            id_token = sociallogin.account.extra_data.get("id_token") or {}
            set_aside_claims(sociallogin)
            if not nonce_matches(sociallogin, id_token):
                raise ImmediateHttpResponse(
                    render_authentication_error(
                        request, provider, exception=PermissionError("ID token nonce mismatch")
                    )
                )
            if self.connects_own_account(request, sociallogin):
                # A signed-in resident links the provider: no login (and no new session) follows.
                remember_sign_in(request, sociallogin)
        super().pre_social_login(request, sociallogin)

    @staticmethod
    def connects_own_account(request, sociallogin):
        return (
            sociallogin.state.get("process") == AuthProcess.CONNECT
            and request.user.is_authenticated
            and (not sociallogin.is_existing or sociallogin.user == request.user)
        )

    def populate_user(self, request, sociallogin, data):
        # Names are verified claims: they stay in the session, not in the account.
        kept = {key: value for key, value in data.items() if key not in NAME_FIELDS}
        return super().populate_user(request, sociallogin, kept)


class ResidentAccountAdapter(DefaultAccountAdapter):
    def post_login(self, request, user, **kwargs):
        # Django's login() has already flushed another person's session: the identity
        # remembered now belongs to the person just signed in.
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            remember_sign_in(request, sociallogin)
        return super().post_login(request, user, **kwargs)
