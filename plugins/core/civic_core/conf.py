"""Plugin settings with their defaults in one place, and the per-city adapter they name."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class PluginSettings:
    """``app_settings.NAME`` reads ``<prefix>NAME`` from the site's settings, or its default.

    A setting whose default is a dict is merged key by key over that default, so a city that
    overrides one key keeps the others.
    """

    def __init__(self, prefix, defaults):
        self.prefix = prefix
        self.defaults = defaults

    def __getattr__(self, name):
        if name not in self.defaults:
            raise AttributeError(f"Unknown setting {self.prefix}{name}")
        default = self.defaults[name]
        value = getattr(settings, self.prefix + name, default)
        if isinstance(default, dict) and isinstance(value, dict):
            return {**default, **value}
        return value


@cache
def load_adapter(dotted_path):
    """One instance per adapter class: adapters hold behaviour, not per-request state.

    Keyed by the path, so a site (or a test) that names another class gets that class.
    """
    return import_string(dotted_path)()
