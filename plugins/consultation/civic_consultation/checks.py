"""System checks of the consultation plugin, run by ``manage.py check`` and at start-up.

A site that lacks an app, a package of the ``consultation`` extra, the object-permission
backend, or that spells a ``CIVIC_CONSULTATION_*`` setting wrong stops with a message naming the
fix, instead of failing on a resident's request:

- ``E001`` an app the plugin needs is missing from ``INSTALLED_APPS``;
- ``E002`` a package of the ``consultation`` extra is not installed;
- ``E003`` a ``CIVIC_CONSULTATION_*`` setting the plugin does not know (a typo);
- ``E004`` a setting whose value the plugin cannot use;
- ``E005`` the vote store's database is neither PostgreSQL nor SQLite;
- ``E006`` guardian's object-permission backend is missing (per-consultation moderators);
- ``W001`` the default cache is per process, so the rate limits count per process.
"""

import re

from django.core.checks import Error, register

from civic_consultation.app_settings import DEFAULTS, app_settings
from civic_core import checks as core_checks

PLUGIN = "civic_consultation"
EXTRA = "consultation"

REQUIRED_APPS = {
    "civic_core": "the plugins' shared core and its translations",
    "wagtail_modeladmin": "the moderation listings of the member space",
    "rest_framework": "the consultation API the voting and proposal pages call",
    "django_q": "the opinion groups and the address-range cap, run by the task cluster",
    "guardian": "per-consultation moderators",
    "django.contrib.messages": "the confirmations of the public pages",
}

OPTIONAL_MODULES = {
    "snowballstemmer": "stemming proposals to find similar ones",
    "rapidfuzz": "matching similar proposals",
    "numpy": "opinion groups",
}


# Validators: each raises ValueError (or TypeError) saying what the value should be. -----------


COOKIE_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def _cookie_name(value):
    if not isinstance(value, str) or not COOKIE_NAME.fullmatch(value):
        raise ValueError(f"expected letters, digits, '_', '.' or '-', got {value!r}")


def _refusal_reasons(value):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError("expected a sequence of (code, label) pairs")
    pairs = list(value)
    if not pairs:
        raise ValueError("expected at least one (code, label) pair")
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2 or not isinstance(pair[0], str):
            raise ValueError(f"expected (code, label) pairs with a text code, got {pair!r}")


def _keys(name, value, known):
    if not isinstance(value, dict):
        raise TypeError(f"expected a dict, got {type(value).__name__}")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValueError(f"unknown keys {unknown}; {name} has {sorted(known)}")


def _rate_limits(value):
    _keys("RATE_LIMITS", value, DEFAULTS["RATE_LIMITS"])
    for kind, limit in value.items():
        if limit is None:
            continue
        if (
            not isinstance(limit, (tuple, list))
            or len(limit) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in limit)
        ):
            raise ValueError(
                f"{kind!r} must be (actions, seconds), two whole numbers above 0, or None to "
                f"switch that limit off; got {limit!r}"
            )


def _proof_of_work(value):
    if value is False:  # the check switched off
        return
    _keys("PROOF_OF_WORK", value, DEFAULTS["PROOF_OF_WORK"])
    if not isinstance(value["enabled"], bool):
        raise TypeError(f"'enabled' must be True or False, got {value['enabled']!r}")
    try:
        core_checks.whole(1, 32)(value["difficulty"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"'difficulty' (leading zero bits): {error}") from None
    try:
        core_checks.whole(10)(value["seconds"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"'seconds' (how long a challenge stays valid): {error}") from None


OPINION_GROUP_MINIMUMS = {
    "MIN_VOTES": 1,
    "MIN_PARTICIPANTS": 2,
    "MAX_GROUPS": 2,
    "MIN_GROUP_VOTES": 1,
    "REFRESH_MINUTES": 1,
    "KEEP_RUNS": 1,
}


def _opinion_groups(value):
    _keys("OPINION_GROUPS", value, DEFAULTS["OPINION_GROUPS"])
    for key, minimum in OPINION_GROUP_MINIMUMS.items():
        try:
            core_checks.whole(minimum)(value[key])
        except (TypeError, ValueError) as error:
            raise ValueError(f"{key!r}: {error}") from None


VALIDATORS = {
    "ADAPTER": core_checks.importable_class,
    "SEQUENCE_SIZE": core_checks.whole(1, 100),
    "TESTING_SHARE": core_checks.number(0, 1),
    "MIN_EXPOSURE": core_checks.whole(1),
    "CANDIDATE_POOL_BEST": core_checks.whole(1),
    "CANDIDATE_POOL_RANDOM": core_checks.whole(0),
    "PROBABILITY_DRAWS": core_checks.whole(1),
    "MAX_PER_AUTHOR": core_checks.whole(1),
    "MAX_PER_THEME": core_checks.whole(1),
    "COUNTER_SHARDS": core_checks.whole(1, 1024),
    "LOCK_MINUTES": core_checks.whole(1),
    "COOKIE_NAME": _cookie_name,
    "COOKIE_MAX_AGE": core_checks.whole(60),
    "IDENTITY_RETENTION_DAYS": core_checks.whole(0),
    "REFUSAL_REASONS": _refusal_reasons,
    "RATE_LIMITS": _rate_limits,
    "PROOF_OF_WORK": _proof_of_work,
    "ADDRESS_RANGE_MINUTES": core_checks.whole(1),
    "SIMILARITY_THRESHOLD": core_checks.number(0, 100),
    "SIMILARITY_SCOPE": core_checks.whole(1),
    "OPINION_GROUPS": _opinion_groups,
}


# Checks ---------------------------------------------------------------------------------------


@register()
def check_installation(app_configs=None, **kwargs):
    """Apps, packages of the extra and the object-permission backend the plugin needs."""
    errors = core_checks.missing_apps(PLUGIN, REQUIRED_APPS)
    errors += core_checks.missing_modules(PLUGIN, EXTRA, OPTIONAL_MODULES)
    errors += core_checks.missing_object_permission_backend(
        PLUGIN, "gives moderators of one consultation their rights", "E006"
    )
    return errors


@register()
def check_settings(app_configs=None, **kwargs):
    """Unknown ``CIVIC_CONSULTATION_*`` settings and values the plugin cannot use."""
    return core_checks.setting_errors(PLUGIN, app_settings, VALIDATORS)


@register()
def check_cache(app_configs=None, **kwargs):
    """The rate limits need a cache every web process shares."""
    return core_checks.per_process_cache(PLUGIN, "the consultation's rate limits")


@register()
def check_vote_database(app_configs=None, **kwargs):
    """The vote path's hand-written SQL (``vote_store``) runs on PostgreSQL and SQLite only:
    refuse to start on another database rather than fail at the first vote."""
    from civic_consultation import vote_store

    vendor = vote_store.database().vendor
    if vendor in vote_store.SUPPORTED_VENDORS:
        return []
    return [
        Error(
            f"The consultation plugin stores votes with SQL written for PostgreSQL and SQLite; "
            f"the database the router picks for its votes is {vendor}.",
            hint="Route the civic_consultation models to a PostgreSQL (or SQLite) database.",
            id=f"{PLUGIN}.E005",
        )
    ]
