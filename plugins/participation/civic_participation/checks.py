"""System checks of the participation plugin, run by ``manage.py check`` and at start-up.

A site that lacks an app, the ``holidays`` package of the ``participation`` extra, the
object-permission backend, or that spells a ``CIVIC_PARTICIPATION_*`` setting wrong (or gives
a holiday country the ``holidays`` package does not know) stops with a message naming the fix,
instead of failing when a deadline is first computed:

- ``E001`` an app the plugin needs is missing from ``INSTALLED_APPS``;
- ``E002`` the ``holidays`` package (``participation`` extra) is not installed;
- ``E003`` a ``CIVIC_PARTICIPATION_*`` setting the plugin does not know (a typo);
- ``E004`` a setting whose value the plugin cannot use (an unknown holiday country or
  subdivision included);
- ``E005`` guardian's object-permission backend is missing (councils and services reach their
  own items through object permissions).
"""

from datetime import date
from importlib.util import find_spec

from django.core.checks import register

from civic_core import checks as core_checks
from civic_participation.app_settings import app_settings

PLUGIN = "civic_participation"
EXTRA = "participation"

REQUIRED_APPS = {
    "civic_core": "the plugins' shared core and its translations",
    "wagtail_modeladmin": "the member space's listings of requests, offers and the directory",
    "rest_framework": "the participation API",
    "django_q": "the reminder sweep, run by the task cluster",
    "guardian": "each council and service reaching its own items (object permissions)",
}

OPTIONAL_MODULES = {"holidays": "public holidays of the working-day calendar"}


# Validators: each raises ValueError (or TypeError) saying what the value should be. -----------


def _sequence(value, what):
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise TypeError(f"expected a list or tuple of {what}, got {value!r}")
    return list(value)


def _text(value):
    if not str(value or "").strip():
        raise ValueError(f"expected a non-empty text, got {value!r}")


def _council_kinds(value):
    pairs = _sequence(value, "(value, label) pairs")
    if not pairs:
        raise ValueError("expected at least one (value, label) pair")
    for pair in pairs:
        if (
            not isinstance(pair, (tuple, list))
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or not 0 < len(pair[0]) <= 40
        ):
            raise ValueError(
                f"expected (value, label) pairs with a value of 1 to 40 characters, got {pair!r}"
            )


def _supported_countries():
    """{country code: subdivision codes} of the installed ``holidays``, or None without it."""
    if find_spec("holidays") is None:
        return None  # E002 already says what to install.
    import holidays

    return holidays.list_supported_countries()


def _holiday_country(value):
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 3166 country code such as 'FR', got {value!r}")
    countries = _supported_countries()
    if countries is not None and value not in countries:
        raise ValueError(f"the holidays package knows no country {value!r}")


def _holiday_subdivision(value):
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"expected a subdivision code such as '6AE', or None, got {value!r}")
    countries = _supported_countries()
    country = app_settings.HOLIDAY_COUNTRY
    if countries is None or country not in countries:
        return  # the country's own error says what to fix first
    if value not in countries[country]:
        known = ", ".join(countries[country]) or "none"
        raise ValueError(
            f"{value!r} is not a subdivision of {country!r} (known: {known}; None for the "
            "national holidays only)"
        )


def _dates(value):
    for day in _sequence(value, "'YYYY-MM-DD' dates"):
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            raise ValueError(f"expected 'YYYY-MM-DD' dates, got {day!r}") from None


def _days_before(value):
    days = _sequence(value, "whole numbers of days")
    for day in days:
        core_checks.whole(1)(day)


def _hours(value):
    hours = _sequence(value, "(start, end) hours")
    if (
        len(hours) != 2
        or not all(isinstance(h, int) and not isinstance(h, bool) for h in hours)
        or not 0 <= hours[0] < hours[1] <= 24
    ):
        raise ValueError(f"expected (start, end) hours with 0 <= start < end <= 24, got {value!r}")


def _private_storage(value):
    """A STORAGES alias (or any name, for the default folder next to MEDIA_ROOT); a file system
    storage under MEDIA_ROOT would publish members-only files."""
    _text(value)
    from pathlib import Path

    from django.conf import settings

    from civic_participation.attachments import private_storage

    location = getattr(private_storage(), "location", None)
    media_root = settings.MEDIA_ROOT
    if (
        location
        and media_root
        and Path(location).resolve().is_relative_to(Path(media_root).resolve())
    ):
        raise ValueError(
            f"the storage {value!r} keeps files under MEDIA_ROOT, which the web server "
            "publishes: give it a location outside MEDIA_ROOT"
        )


VALIDATORS = {
    "ADAPTER": core_checks.importable_class,
    "COUNCIL_KINDS": _council_kinds,
    "AGENCY_NAME": _text,
    "HOLIDAY_COUNTRY": _holiday_country,
    "HOLIDAY_SUBDIVISION": _holiday_subdivision,
    "LOCAL_CLOSURES": _dates,
    "ACKNOWLEDGE_WORKING_DAYS": core_checks.whole(0),
    "ANSWER_WORKING_DAYS": core_checks.whole(1),
    "CONFIRMATION_DAYS": core_checks.whole(1),
    "PROGRESS_UPDATE_DAYS": core_checks.whole(1),
    "ANSWERED_CLOSE_DAYS": core_checks.whole(1),
    "MIN_RESPONSE_DAYS": core_checks.whole(0),
    "INVITATION_ACK_DAYS": core_checks.whole(1),
    "FEEDBACK_WORKING_DAYS": core_checks.whole(1),
    "WARNING_WORKING_DAYS_BEFORE": core_checks.whole(0),
    "ESCALATION_MANAGER_WORKING_DAYS_AFTER": core_checks.whole(0),
    "ESCALATION_COORDINATION_WORKING_DAYS_AFTER": core_checks.whole(0),
    "COUNCIL_REMINDER_DAYS_AFTER_START": core_checks.whole(1),
    "COUNCIL_REMINDER_DAYS_BEFORE": _days_before,
    "COUNCIL_ESCALATION_DAYS_AFTER": core_checks.whole(0),
    "SWEEP_MINUTES": core_checks.whole(1),
    "AGENT_EMAIL_HOURS": _hours,
    "VOLUNTEER_EMAIL_HOURS": _hours,
    "DIGEST_HOUR": core_checks.whole(0, 24),  # 24: no digest, every reminder e-mailed on its own
    "PUBLIC_PAGE_SIZE": core_checks.whole(1, 500),
    "ATTACHMENT_STORAGE": _private_storage,
    "ATTACHMENT_MAX_BYTES": core_checks.whole(1),
}


# Checks ---------------------------------------------------------------------------------------


@register()
def check_installation(app_configs=None, **kwargs):
    """Apps, the package of the extra and the object-permission backend the plugin needs."""
    errors = core_checks.missing_apps(PLUGIN, REQUIRED_APPS)
    errors += core_checks.missing_modules(PLUGIN, EXTRA, OPTIONAL_MODULES)
    errors += core_checks.missing_object_permission_backend(
        PLUGIN,
        "gives each council and service access to its own requests, offers and invitations",
        "E005",
    )
    return errors


@register()
def check_settings(app_configs=None, **kwargs):
    """Unknown ``CIVIC_PARTICIPATION_*`` settings and values the plugin cannot use."""
    return core_checks.setting_errors(PLUGIN, app_settings, VALIDATORS)
