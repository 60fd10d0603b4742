"""The building blocks of the plugins' system checks name what is wrong and how to fix it."""

from civic_core import checks
from civic_core.conf import PluginSettings

CONF = PluginSettings("CIVIC_TEST_", {"SIZE": 12, "LIMITS": {"vote": (120, 3600)}})


def positive(value):
    if not isinstance(value, int) or value < 1:
        raise ValueError("a whole number of at least 1 is expected")


def test_missing_apps_name_what_to_add():
    (error,) = checks.missing_apps(
        "civic_test", {"django.contrib.auth": "accounts", "no_such_app": "testing"}
    )
    assert error.id == "civic_test.E001"
    assert "no_such_app" in error.msg and "testing" in error.msg
    assert error.hint == "Add 'no_such_app' to INSTALLED_APPS."


def test_missing_modules_name_the_extra_to_install():
    (error,) = checks.missing_modules("civic_test", "consultation", {"no_such_module_x": "x"})
    assert error.id == "civic_test.E002"
    assert 'pip install "wagtail-civic[consultation]"' in error.hint
    assert checks.missing_modules("civic_test", "consultation", {"json": "parsing"}) == []


def test_unknown_and_invalid_settings_are_errors(settings):
    settings.CIVIC_TEST_SIZ = 3
    settings.CIVIC_TEST_SIZE = 0
    errors = checks.setting_errors("civic_test", CONF, {"SIZE": positive})
    assert [error.id for error in errors] == ["civic_test.E003", "civic_test.E004"]
    assert "CIVIC_TEST_SIZ is not a setting" in errors[0].msg
    assert "a whole number of at least 1" in errors[1].msg
    del settings.CIVIC_TEST_SIZ
    settings.CIVIC_TEST_SIZE = 4
    assert checks.setting_errors("civic_test", CONF, {"SIZE": positive}) == []


def test_a_per_process_cache_is_flagged_in_production(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = False
    (warning,) = checks.per_process_cache("civic_test", "rate limits")
    assert "rate limits count per process" in warning.msg
    settings.DEBUG = True
    assert checks.per_process_cache("civic_test", "rate limits") == []
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert checks.per_process_cache("civic_test", "rate limits") == []


def test_the_object_permission_backend_is_required(settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    (error,) = checks.missing_object_permission_backend("civic_test", "gives rights", "E009")
    assert error.id == "civic_test.E009"
    assert "guardian.backends.ObjectPermissionBackend" in error.hint
    settings.AUTHENTICATION_BACKENDS += [checks.OBJECT_PERMISSION_BACKEND]
    assert checks.missing_object_permission_backend("civic_test", "gives rights", "E009") == []


def test_setting_validators_say_what_is_expected():
    import pytest

    checks.whole(1, 10)(3)
    checks.number(0, 1)(0.5)
    checks.boolean(False)
    checks.importable_class("civic_core.conf.PluginSettings")
    for validate, value, message in (
        (checks.whole(1, 10), 0, "at least 1"),
        (checks.whole(1, 10), True, "whole number"),
        (checks.number(0, 1), 2, "from 0 to 1"),
        (checks.boolean, "yes", "True or False"),
        (checks.importable_class, "civic_core.nope.Class", "cannot import"),
    ):
        with pytest.raises((ValueError, TypeError), match=message):
            validate(value)
