"""System checks of the budget plugin, run by ``manage.py check`` and at start-up.

A site that lacks an app, the object-permission backend, or that spells a ``CIVIC_BUDGET_*``
setting wrong stops with a message naming the fix, instead of failing on a resident's request:

- ``E001`` an app the plugin needs is missing from ``INSTALLED_APPS``;
- ``E003`` a ``CIVIC_BUDGET_*`` setting the plugin does not know (a typo);
- ``E004`` a setting whose value the plugin cannot use;
- ``E006`` guardian's object-permission backend is missing (reviewers of one project, agents of
  one polling place).

django-filter filters the API's project list (``?zone=``, ``?status=``, ``?q=``): it is a
dependency of the package and its views name their filter backend themselves, so it need not be
in ``INSTALLED_APPS``.

The ``budget`` extra (gmpy2) is optional: without it the count uses the standard library's
exact fractions (``counting.numbers``), with the same results, only slower on large elections.
So no check asks for it.
"""

import re

from django.core.checks import register

from civic_budget.app_settings import app_settings
from civic_core import checks as core_checks

PLUGIN = "civic_budget"

REQUIRED_APPS = {
    "civic_core": "the plugins' shared core, its template tags and translations",
    "wagtail_modeladmin": "the review and paper-ballot listings of the member space",
    "rest_framework": "the budget API",
    "django_q": "the count of closed votes, run by the task cluster",
    "guardian": "reviewers of one project and agents of one polling place",
    "django.contrib.messages": "the confirmations of the public pages",
}


# Validators: each raises ValueError (or TypeError) saying what the value should be. -----------


def _identity_key(value):
    if not isinstance(value, str):
        raise TypeError(f"expected a text (empty: derived from SECRET_KEY), got {value!r}")
    if value and len(value) < 32:
        raise ValueError("expected at least 32 characters, or empty to derive it from SECRET_KEY")


def _age_buckets(value):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"expected a sequence of ages, got {value!r}")
    bounds = list(value)
    if not bounds:
        raise ValueError("expected at least one upper bound")
    if not all(isinstance(age, int) and not isinstance(age, bool) and age > 0 for age in bounds):
        raise ValueError(f"expected whole numbers above 0, got {bounds!r}")
    if any(later <= earlier for earlier, later in zip(bounds, bounds[1:], strict=False)):
        raise ValueError(f"expected increasing ages, got {bounds!r}")


CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def _currency(value):
    if not isinstance(value, str) or not CURRENCY_CODE.fullmatch(value):
        raise ValueError(f"expected an ISO 4217 code of three capital letters (EUR), got {value!r}")


VALIDATORS = {
    "ADAPTER": core_checks.importable_class,
    "IDENTITY_KEY": _identity_key,
    "AGE_BUCKETS": _age_buckets,
    "SEND_CONFIRMATION_EMAIL": core_checks.boolean,
    "CONFIRMATION_INTERVAL_MINUTES": core_checks.whole(minimum=0),
    "REQUIRE_VERIFIED_IDENTITY": core_checks.boolean,
    "IDENTITY_RETENTION_DAYS": core_checks.whole(minimum=0),
    "CURRENCY": _currency,
}


# Checks ---------------------------------------------------------------------------------------


@register()
def check_installation(app_configs=None, **kwargs):
    """Apps and the object-permission backend the plugin needs."""
    errors = core_checks.missing_apps(PLUGIN, REQUIRED_APPS)
    errors += core_checks.missing_object_permission_backend(
        PLUGIN, "gives reviewers of a project and agents of a polling place their rights", "E006"
    )
    return errors


@register()
def check_settings(app_configs=None, **kwargs):
    """Unknown ``CIVIC_BUDGET_*`` settings and values the plugin cannot use."""
    return core_checks.setting_errors(PLUGIN, app_settings, VALIDATORS)
