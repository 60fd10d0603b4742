"""Where a resident signs in, whatever the host site serves.

The site's ``LOGIN_URL`` when the site serves it, else Wagtail's own login page, which every
Wagtail site has. A `wagtail start` site keeps Django's default ``/accounts/login/`` without
serving it (Wagtail's page tree answers that path with a 404), and a URL name the site does not
route (``account_login`` of an account app the site left out) cannot be reversed: neither
counts as served.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def login_url():
    try:
        url = resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:
        return reverse("wagtailadmin_login")
    if "://" in url:
        return url
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        match = None
    if match is not None and match.url_name != "wagtail_serve":
        return url
    return reverse("wagtailadmin_login")


def resident_login_required(view):
    """Send an anonymous visitor to sign in (:func:`login_url`), and back here afterwards."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        return view(request, *args, **kwargs)

    return checked
