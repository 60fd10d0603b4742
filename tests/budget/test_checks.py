"""The budget plugin's system checks: what a city's site lacks or misspells stops start-up with
a message that names the fix; gmpy2 is optional and the count works without it."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from civic_budget import checks

ROOT = Path(__file__).resolve().parents[2]


def ids(errors):
    return sorted(error.id for error in errors)


def test_the_test_site_passes_every_check():
    assert checks.check_installation() == []
    assert checks.check_settings() == []


def test_the_checks_are_registered():
    with override_settings(CIVIC_BUDGET_CURRENCY="euro"):
        assert "civic_budget.E004" in ids(run_checks())


@pytest.mark.parametrize("app", sorted(checks.REQUIRED_APPS))
def test_a_missing_app_is_named(monkeypatch, app):
    from django.apps import apps

    # The check reads the app registry: pretend the app is not in it.
    original = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != app and original(name))
    errors = checks.check_installation()
    assert ids(errors) == ["civic_budget.E001"]
    assert repr(app) in errors[0].msg and "INSTALLED_APPS" in errors[0].hint


def test_the_object_permission_backend_is_required(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    errors = checks.check_installation()
    assert ids(errors) == ["civic_budget.E006"]
    assert "guardian.backends.ObjectPermissionBackend" in errors[0].hint


def test_an_unknown_setting_is_named(settings):
    settings.CIVIC_BUDGET_CURENCY = "USD"
    errors = checks.check_settings()
    assert ids(errors) == ["civic_budget.E003"]
    assert "CIVIC_BUDGET_CURENCY" in errors[0].msg


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADAPTER", "civic_budget.adapter.NoSuchAdapter"),
        ("ADAPTER", 42),
        ("IDENTITY_KEY", "short"),
        ("IDENTITY_KEY", None),
        ("AGE_BUCKETS", (17, 17, 30)),
        ("AGE_BUCKETS", ()),
        ("AGE_BUCKETS", "17"),
        ("AGE_BUCKETS", (17, "24")),
        ("SEND_CONFIRMATION_EMAIL", "yes"),
        ("CURRENCY", "eur"),
        ("CURRENCY", "€"),
    ],
)
def test_an_invalid_setting_is_refused(settings, name, value):
    setattr(settings, f"CIVIC_BUDGET_{name}", value)
    errors = checks.check_settings()
    assert ids(errors) == ["civic_budget.E004"]
    assert f"CIVIC_BUDGET_{name}" in errors[0].msg


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IDENTITY_KEY", "k" * 40),
        ("AGE_BUCKETS", [20, 40, 60]),
        ("SEND_CONFIRMATION_EMAIL", False),
        ("CURRENCY", "CHF"),
    ],
)
def test_a_valid_setting_passes(settings, name, value):
    setattr(settings, f"CIVIC_BUDGET_{name}", value)
    assert checks.check_settings() == []


def test_the_count_works_without_gmpy2():
    """gmpy2 (the ``budget`` extra) only speeds the count up: without it, the standard
    library's fractions give the same winners, and no check asks for it."""
    script = """
import sys
sys.modules["gmpy2"] = None  # as if it were not installed
from civic_budget.counting import Election, EqualSharesRule, count, numbers
assert numbers.BACKEND == "fractions", numbers.BACKEND
election = Election({"a": 60, "b": 50, "c": 30, "d": 20}, 100,
                    [["a", "b", "c", "d"]] * 2 + [["a", "b", "c"], ["a", "b"], ["a"]])
result = count(election, EqualSharesRule(completion="add1"))
print(",".join(result.winners))
"""
    env_path = str(ROOT / "plugins" / "budget")
    without = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path},
        check=True,
    ).stdout.strip()
    from civic_budget.counting import Election, EqualSharesRule, count

    election = Election(
        {"a": 60, "b": 50, "c": 30, "d": 20},
        100,
        [["a", "b", "c", "d"]] * 2 + [["a", "b", "c"], ["a", "b"], ["a"]],
    )
    assert without == ",".join(count(election, EqualSharesRule(completion="add1")).winners)


def test_the_page_slugs_are_the_sites_whatever_the_visitor_speaks(settings):
    from django.utils import translation

    from civic_budget.models import BudgetPage

    french = {
        "submit": "proposer/",
        "projects": "projets/",
        "vote": "voter/",
        "turnout": "participation/",
        "results": "resultats/",
        "implementation": "realisation/",
    }
    resolver = BudgetPage.get_resolver()
    with translation.override("en"):
        assert {name: resolver.reverse(name) for name in french} == french
        assert resolver.reverse("project", 7) == "projets/7/"
    settings.LANGUAGE_CODE = "en"
    with translation.override("fr"):
        assert BudgetPage.get_resolver().reverse("results") == "results/"
