"""Building blocks of the plugins' Django system checks, run by ``manage.py check`` and at
start-up: a misconfigured site stops with a message that names the fix, instead of failing on
a resident's request.

Each plugin registers its own check function (``<plugin>/checks.py``) that combines these.
"""

from importlib.util import find_spec
from numbers import Real

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


def missing_apps(plugin, required):
    """An error per app of ``required`` ({dotted app: why}) missing from INSTALLED_APPS."""
    return [
        checks.Error(
            f"{plugin} needs {app!r} in INSTALLED_APPS ({why}).",
            hint=f"Add {app!r} to INSTALLED_APPS.",
            id=f"{plugin}.E001",
        )
        for app, why in required.items()
        if not apps.is_installed(app)
    ]


def missing_modules(plugin, extra, modules):
    """An error per module of ``modules`` ({module: what needs it}) that cannot be imported."""
    return [
        checks.Error(
            f"{plugin} needs the Python package providing {module!r} ({purpose}).",
            hint=f'Install the plugin with its extra: pip install "wagtail-civic[{extra}]".',
            id=f"{plugin}.E002",
        )
        for module, purpose in modules.items()
        if find_spec(module) is None
    ]


def setting_errors(plugin, plugin_settings, validators):
    """Errors for settings of ``plugin_settings`` that are unknown or fail their validator.

    ``validators`` maps a setting name to a function that raises ``ValueError`` or
    ``TypeError`` with a message when the value (merged over its default) is not usable.
    """
    errors = []
    prefix = plugin_settings.prefix
    for name in sorted(dir(settings)):
        if name.startswith(prefix) and name.removeprefix(prefix) not in plugin_settings.defaults:
            errors.append(
                checks.Error(
                    f"{name} is not a setting of {plugin}.",
                    hint="Check its spelling against the plugin's settings reference.",
                    id=f"{plugin}.E003",
                )
            )
    for name, validate in validators.items():
        try:
            validate(getattr(plugin_settings, name))
        except (ValueError, TypeError) as error:
            errors.append(
                checks.Error(
                    f"{prefix}{name} is not valid: {error}",
                    hint="See the plugin's settings reference for what it accepts.",
                    id=f"{plugin}.E004",
                )
            )
    return errors


def per_process_cache(plugin, purpose):
    """A warning when the default cache is not shared between processes, outside DEBUG."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or not backend.endswith(("LocMemCache", "DummyCache")):
        return []
    return [
        checks.Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: "
            f"{purpose} count per process, so several web workers multiply them.",
            hint="Use a shared cache (Redis, Memcached, the database) in production.",
            id=f"{plugin}.W001",
        )
    ]


OBJECT_PERMISSION_BACKEND = "guardian.backends.ObjectPermissionBackend"


def missing_object_permission_backend(plugin, purpose, check_id):
    """An error when django-guardian's backend, which reads object permissions, is not on."""
    if OBJECT_PERMISSION_BACKEND in getattr(settings, "AUTHENTICATION_BACKENDS", ()):
        return []
    return [
        checks.Error(
            f"{plugin} {purpose} through object permissions, which only guardian's backend reads.",
            hint=f"Add {OBJECT_PERMISSION_BACKEND!r} to AUTHENTICATION_BACKENDS, after "
            "'django.contrib.auth.backends.ModelBackend'.",
            id=f"{plugin}.{check_id}",
        )
    ]


# Validators of settings: each raises ValueError (or TypeError) saying what the value should be.


def whole(minimum=None, maximum=None):
    """A whole number within the bounds given."""

    def validate(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a whole number, got {value!r}")
        if minimum is not None and value < minimum:
            raise ValueError(f"expected at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise ValueError(f"expected at most {maximum}, got {value}")

    return validate


def number(minimum, maximum):
    """A number, whole or not, from ``minimum`` to ``maximum``."""

    def validate(value):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"expected a number, got {value!r}")
        if not minimum <= value <= maximum:
            raise ValueError(f"expected a number from {minimum} to {maximum}, got {value}")

    return validate


def boolean(value):
    if not isinstance(value, bool):
        raise TypeError(f"expected True or False, got {value!r}")


def importable_class(value):
    """The dotted path of a class that imports (an adapter)."""
    if not isinstance(value, str):
        raise TypeError(f"expected the dotted path of a class, got {value!r}")
    try:
        import_string(value)
    except ImportError as error:
        raise ValueError(f"cannot import {value!r} ({error})") from None
