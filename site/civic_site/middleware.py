"""The client address every limit of the reference site keys on, and the login lockout's
answers (django-axes calls the functions below, named in settings)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civic_core.api import error_body

LOGIN_NAME_FIELDS = ("username", "email", "login")


class ForwardedClientAddress:
    """Set REMOTE_ADDR to the client's address as seen by the trusted reverse proxies.

    Rate limits, the login lockout and abuse flags key on REMOTE_ADDR; behind a proxy it is the
    proxy's own address, so every visitor would share one budget. With `PROXY_COUNT` proxies in
    front, the client is the entry that many places from the right of X-Forwarded-For: entries
    further left were written by the client itself and cannot be trusted.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy_count = settings.PROXY_COUNT

    def __call__(self, request):
        if self.proxy_count:
            forwarded = [
                address.strip()
                for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if address.strip()
            ]
            if len(forwarded) >= self.proxy_count:
                request.META["REMOTE_ADDR"] = forwarded[-self.proxy_count]
        return self.get_response(request)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's policy, except that Wagtail's admin pages (page listings, the editor, users)
    still run a few inline scripts of Wagtail's own: under /admin/ they are allowed."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/"):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts


def client_address(request):
    """The address ForwardedClientAddress settled on (AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR")


def login_name(request, credentials=None):
    """The account name a login attempt gave (AXES_USERNAME_CALLABLE), case-folded so that
    "Admin" and "admin" share one counter: Django's and DRF's forms send `username`, allauth's
    `login` or `email`."""
    sources = [credentials or {}, getattr(request, "data", None) or request.POST]
    for source in sources:
        for field in LOGIN_NAME_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().casefold()
    return None


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    minutes = lockout_minutes()
    return _(
        "Too many failed login attempts. Try again in %(minutes)d minutes, or ask an "
        "administrator to unlock the account."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """A locked-out login: 429 in the API's error shape under /api/, a page everywhere else."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(429, "throttled", lockout_message()), status=429)
    else:
        response = render(
            request,
            "civic_site/lockout.html",
            {"message": lockout_message(), "minutes": lockout_minutes()},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
