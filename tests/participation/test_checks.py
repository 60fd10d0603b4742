"""The plugin's system checks: a misconfigured site stops at start-up with the fix named."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core import checks as django_checks

from civic_participation import checks

ROOT = Path(__file__).resolve().parents[2]


def test_a_configured_site_passes_every_check(settings):
    errors = django_checks.run_checks()
    assert [error for error in errors if error.id.startswith("civic_participation")] == []


def test_missing_apps_are_named_with_what_to_add(monkeypatch):
    from django.apps import apps

    installed = apps.is_installed
    required = ("civic_core", "wagtail_modeladmin", "rest_framework", "django_q", "guardian")
    monkeypatch.setattr(apps, "is_installed", lambda app: app not in required and installed(app))
    errors = [error for error in checks.check_installation() if error.id.endswith("E001")]
    hints = " ".join(error.hint for error in errors)
    assert len(errors) == len(required)
    assert all(f"'{app}'" in hints for app in required)
    assert all("INSTALLED_APPS" in error.hint for error in errors)


def test_the_object_permission_backend_is_required(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    [error] = checks.check_installation()
    assert error.id == "civic_participation.E005"
    assert "guardian.backends.ObjectPermissionBackend" in error.hint


def test_a_missing_holidays_package_names_the_extra(monkeypatch):
    from civic_core import checks as core_checks

    monkeypatch.setattr(
        core_checks, "find_spec", lambda name: None if name == "holidays" else object()
    )
    [error] = checks.check_installation()
    assert error.id == "civic_participation.E002" and "holidays" in error.msg
    assert "wagtail-civic[participation]" in error.hint


def test_unknown_settings_are_reported(settings):
    settings.CIVIC_PARTICIPATION_HOLIDAYS_COUNTRY = "DE"  # HOLIDAY_COUNTRY misspelt
    [error] = checks.check_settings()
    assert error.id == "civic_participation.E003"
    assert "CIVIC_PARTICIPATION_HOLIDAYS_COUNTRY " in error.msg


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ADAPTER", "city.adapters.Missing", "cannot import"),
        ("COUNCIL_KINDS", (), "at least one"),
        ("COUNCIL_KINDS", ("citizen",), "(value, label)"),
        ("COUNCIL_KINDS", "citizen", "list or tuple"),
        ("AGENCY_NAME", "", "non-empty"),
        ("HOLIDAY_COUNTRY", "XX", "no country 'XX'"),
        ("HOLIDAY_COUNTRY", 33, "ISO 3166"),
        ("HOLIDAY_SUBDIVISION", "ZZZ", "not a subdivision of 'FR'"),
        ("LOCAL_CLOSURES", ("2026-13-01",), "YYYY-MM-DD"),
        ("LOCAL_CLOSURES", "2026-12-24", "list or tuple"),
        ("ANSWER_WORKING_DAYS", 0, "at least 1"),
        ("ANSWER_WORKING_DAYS", "30", "whole number"),
        ("ACKNOWLEDGE_WORKING_DAYS", -1, "at least 0"),
        ("COUNCIL_REMINDER_DAYS_BEFORE", (7, 0), "at least 1"),
        ("SWEEP_MINUTES", True, "whole number"),
        ("AGENT_EMAIL_HOURS", (17, 9), "start < end"),
        ("VOLUNTEER_EMAIL_HOURS", (8,), "start < end"),
        ("DIGEST_HOUR", 25, "at most 24"),
        ("PUBLIC_PAGE_SIZE", 0, "at least 1"),
    ],
)
def test_invalid_values_are_reported(settings, name, value, words):
    setattr(settings, f"CIVIC_PARTICIPATION_{name}", value)
    [error] = checks.check_settings()
    assert error.id == "civic_participation.E004"
    assert f"CIVIC_PARTICIPATION_{name} " in error.msg and words in error.msg, error.msg


def test_a_subdivision_is_checked_against_the_country_set(settings):
    settings.CIVIC_PARTICIPATION_HOLIDAY_COUNTRY = "DE"
    [error] = checks.check_settings()  # 6AE (the reference site's) is not a German Land
    assert "'6AE' is not a subdivision of 'DE'" in error.msg
    settings.CIVIC_PARTICIPATION_HOLIDAY_SUBDIVISION = "BW"
    assert checks.check_settings() == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HOLIDAY_SUBDIVISION", None),
        ("HOLIDAY_SUBDIVISION", "57"),
        ("LOCAL_CLOSURES", ("2026-12-24",)),
        ("COUNCIL_KINDS", (("youth", "Youth council"),)),
        ("AGENT_EMAIL_HOURS", (8, 18)),
        ("COUNCIL_REMINDER_DAYS_BEFORE", (10, 3, 1)),
    ],
)
def test_documented_values_pass(settings, name, value):
    setattr(settings, f"CIVIC_PARTICIPATION_{name}", value)
    assert checks.check_settings() == []


BLOCKED_START = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    class Missing(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "holidays":
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name, package=None):
        if name.split(".")[0] == "holidays":
            return None
        return real_find_spec(name, package)

    importlib.util.find_spec = find_spec
    import django

    django.setup()
    from django.core import checks
    from django.urls import get_resolver

    get_resolver().url_patterns  # the API's and the pages' modules load, as at start-up
    import civic_participation.tasks, civic_participation.views  # noqa: E401
    import civic_participation.wagtail_hooks, civic_participation.reminders  # noqa: E401
    for error in checks.run_checks():
        if error.id == "civic_participation.E002":
            print(error.msg)
    """
)


def test_start_up_without_the_extra_reaches_the_check():
    """Without holidays, start-up and ``check`` run and the check names the extra, instead of
    dying on ``No module named 'holidays'``."""
    paths = ["site", "plugins/core", "plugins/participation", "plugins/consultation"]
    paths += ["plugins/budget", "."]
    env = {
        "PYTHONPATH": ":".join(str(ROOT / path) for path in paths),
        "DJANGO_SETTINGS_MODULE": "tests.settings.participation_only",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "holidays" in done.stdout, done.stdout
