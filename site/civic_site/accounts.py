"""Resident accounts of the reference site (django-allauth): e-mail sign-up and sign-in, and
sign-in through the city's OpenID Connect identity provider (FranceConnect).

The plugins know nothing of allauth: they read the verified identity from the session through
``civic_core.identity``, which :mod:`civic_site.identity` fills at sign-in.
"""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.base.constants import AuthProcess
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
