"""The plugin's system checks: a misconfigured site stops at start-up with the fix named."""

import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import checks as django_checks

from civic_consultation import checks, vote_store

ROOT = Path(__file__).resolve().parents[2]


def ids(errors):
    return sorted(error.id for error in errors)


def test_a_configured_site_passes_every_check(settings):
    settings.DEBUG = True  # the per-process cache warning is for production only
    errors = django_checks.run_checks()
    assert [error for error in errors if error.id.startswith("civic_consultation")] == []


def test_the_vote_database_is_checked(monkeypatch):
    assert checks.check_vote_database() == []
    monkeypatch.setattr(vote_store, "database", lambda: SimpleNamespace(vendor="mysql"))
    [error] = checks.check_vote_database()
    assert error.id == "civic_consultation.E005" and "mysql" in error.msg


def test_missing_apps_are_named_with_what_to_add(monkeypatch):
    from django.apps import apps

    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda app: app not in ("django_q", "guardian") and installed(app)
    )
    errors = [error for error in checks.check_installation() if error.id.endswith("E001")]
    hints = " ".join(error.hint for error in errors)
    assert len(errors) == 2 and "'django_q'" in hints and "'guardian'" in hints
    assert all("INSTALLED_APPS" in error.hint for error in errors)


def test_the_object_permission_backend_is_required(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    [error] = checks.check_installation()
    assert error.id == "civic_consultation.E006"
    assert "guardian.backends.ObjectPermissionBackend" in error.hint


def test_missing_packages_name_the_extra(monkeypatch):
    from civic_core import checks as core_checks

    monkeypatch.setattr(
        core_checks, "find_spec", lambda name: None if name == "rapidfuzz" else object()
    )
    [error] = checks.check_installation()
    assert error.id == "civic_consultation.E002" and "rapidfuzz" in error.msg
    assert "wagtail-civic[consultation]" in error.hint


def test_unknown_settings_are_reported(settings):
    settings.CIVIC_CONSULTATION_RATE_LIMIT = {"vote_address": (10, 60)}  # RATE_LIMITS misspelt
    [error] = checks.check_settings()
    assert error.id == "civic_consultation.E003"
    assert "CIVIC_CONSULTATION_RATE_LIMIT " in error.msg


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SEQUENCE_SIZE", 0, "at least 1"),
        ("SEQUENCE_SIZE", "12", "whole number"),
        ("TESTING_SHARE", 1.5, "from 0 to 1"),
        ("MIN_EXPOSURE", True, "whole number"),
        ("COUNTER_SHARDS", 5000, "at most 1024"),
        ("COOKIE_NAME", "my cookie", "letters"),
        ("ADAPTER", "city.adapters.Missing", "cannot import"),
        ("REFUSAL_REASONS", (), "at least one"),
        ("REFUSAL_REASONS", ("spam",), "(code, label)"),
        ("RATE_LIMITS", {"vote_adress": (10, 60)}, "unknown keys"),
        ("RATE_LIMITS", {"vote_address": (10,)}, "(actions, seconds)"),
        ("RATE_LIMITS", {"vote_address": (0, 60)}, "above 0"),
        ("PROOF_OF_WORK", {"difficulty": 40}, "difficulty"),
        ("PROOF_OF_WORK", {"seconds": 5}, "seconds"),
        ("PROOF_OF_WORK", {"enabled": "no"}, "True or False"),
        ("PROOF_OF_WORK", {"dificulty": 12}, "unknown keys"),
        ("PROOF_OF_WORK", True, "expected a dict"),
        ("OPINION_GROUPS", {"MAX_GROUPS": 1}, "MAX_GROUPS"),
        ("OPINION_GROUPS", {"REFRESH": 10}, "unknown keys"),
        ("SIMILARITY_THRESHOLD", 101, "from 0 to 100"),
    ],
)
def test_invalid_values_are_reported(settings, name, value, words):
    setattr(settings, f"CIVIC_CONSULTATION_{name}", value)
    [error] = checks.check_settings()
    assert error.id == "civic_consultation.E004"
    assert f"CIVIC_CONSULTATION_{name} " in error.msg and words in error.msg, error.msg


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATE_LIMITS", {"vote_address": None}),
        ("RATE_LIMITS", {"vote_participant": (500, 3600)}),
        ("PROOF_OF_WORK", {"enabled": False}),
        ("PROOF_OF_WORK", False),
        ("OPINION_GROUPS", {"REFRESH_MINUTES": 60}),
        ("TESTING_SHARE", 0.25),
        ("SIMILARITY_THRESHOLD", 70),
    ],
)
def test_documented_values_pass(settings, name, value):
    setattr(settings, f"CIVIC_CONSULTATION_{name}", value)
    assert checks.check_settings() == []


def test_a_per_process_cache_is_a_warning_in_production(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    [warning] = checks.check_cache()
    assert warning.id == "civic_consultation.W001" and "rate limits" in warning.msg
    settings.DEBUG = True
    assert checks.check_cache() == []
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert checks.check_cache() == []


BLOCKED_START = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    class Missing(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"numpy", "snowballstemmer", "rapidfuzz"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name, package=None):
        if name.split(".")[0] in {"numpy", "snowballstemmer", "rapidfuzz"}:
            return None
        return real_find_spec(name, package)

    importlib.util.find_spec = find_spec
    import django

    django.setup()
    from django.core import checks
    from django.urls import get_resolver

    get_resolver().url_patterns  # the API's and the pages' modules load, as at start-up
    import civic_consultation.tasks, civic_consultation.views  # noqa: E401
    for error in checks.run_checks():
        if error.id == "civic_consultation.E002":
            print(error.msg)
    """
)


def test_start_up_without_the_extra_reaches_the_check():
    """Without numpy, snowballstemmer and rapidfuzz, start-up and ``check`` run and the check
    names the extra, instead of dying on an import."""
    paths = ["site", "plugins/core", "plugins/participation", "plugins/consultation"]
    paths += ["plugins/budget", "."]
    env = {
        "PYTHONPATH": ":".join(str(ROOT / path) for path in paths),
        "DJANGO_SETTINGS_MODULE": "tests.settings.consultation_only",
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
    named = done.stdout
    assert all(module in named for module in ("numpy", "snowballstemmer", "rapidfuzz")), named
