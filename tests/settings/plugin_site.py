"""A bare Wagtail site with one plugin, as another city would install it."""

import os
from pathlib import Path

from tests.settings import full

PLUGIN_APPS = ("civic_participation", "civic_consultation", "civic_budget")
SITE_ONLY_APPS = ("civic_site", "home", "wagtail_headless_preview")


def settings_with_only(plugin_app):
    """Return the settings of the full test site minus the other plugins and the site apps."""
    names = {name: getattr(full, name) for name in dir(full) if name.isupper()}
    unwanted = (set(PLUGIN_APPS) - {plugin_app}) | set(SITE_ONLY_APPS)
    names["INSTALLED_APPS"] = [app for app in full.INSTALLED_APPS if app not in unwanted]
    # The site's login lockout (django-axes) is the site's choice; no plugin requires it.
    names["INSTALLED_APPS"].remove("axes")
    names["MIDDLEWARE"] = [entry for entry in full.MIDDLEWARE if not entry.startswith("axes.")]
    names["AUTHENTICATION_BACKENDS"] = [
        entry for entry in full.AUTHENTICATION_BACKENDS if not entry.endswith("LockoutBackend")
    ]
    for name in [name for name in names if name.startswith("AXES_")]:
        del names[name]
    # Resident accounts (django-allauth) are the reference site's; no plugin requires them.
    names["INSTALLED_APPS"] = [
        app for app in names["INSTALLED_APPS"] if not app.startswith("allauth")
    ]
    names["MIDDLEWARE"] = [
        entry for entry in names["MIDDLEWARE"] if not entry.startswith("allauth.")
    ]
    names["AUTHENTICATION_BACKENDS"] = [
        entry for entry in names["AUTHENTICATION_BACKENDS"] if not entry.startswith("allauth.")
    ]
    for name in [name for name in names if name.startswith(("ACCOUNT_", "SOCIALACCOUNT_"))]:
        del names[name]
    # What a `wagtail start` site keeps: Django's default, which it does not serve.
    names["LOGIN_URL"] = "/accounts/login/"
    names.pop("WAGTAIL_FRONTEND_LOGIN_URL", None)
    names.pop("LOGIN_REDIRECT_URL", None)
    names["ROOT_URLCONF"] = "tests.plugin_site.urls"
    names["PLUGIN_UNDER_TEST"] = plugin_app
    templates = [dict(names["TEMPLATES"][0])]
    templates[0]["DIRS"] = [Path(__file__).resolve().parent.parent / "plugin_site" / "templates"]
    templates[0]["OPTIONS"] = dict(templates[0]["OPTIONS"])
    names["TEMPLATES"] = templates
    names["REST_FRAMEWORK"] = {
        key: value for key, value in full.REST_FRAMEWORK.items() if key != "EXCEPTION_HANDLER"
    }
    names["SPECTACULAR_SETTINGS"] = {
        key: value
        for key, value in full.SPECTACULAR_SETTINGS.items()
        if key != "PREPROCESSING_HOOKS"
    }
    names.pop("WAGTAIL_HEADLESS_PREVIEW", None)
    os.environ["CIVIC_PLUGIN_UNDER_TEST"] = plugin_app
    return names
