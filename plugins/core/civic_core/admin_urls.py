"""Links into the member space (the Wagtail admin), built in one place.

wagtail-modeladmin names its views ``<app_label>_<model_name>_modeladmin_<action>``. Nothing
else in the plugins spells those names, so a move to Wagtail's own ViewSets changes this file
only.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _url_name(model, action):
    meta = model._meta
    return f"{meta.app_label}_{meta.model_name}_modeladmin_{action}"


def absolute(path):
    """``path`` under the site's base URL (``WAGTAILADMIN_BASE_URL``), for e-mails and APIs."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return urljoin(base, path) if base else path


def index_url(model):
    return reverse(_url_name(model, "index"))


def inspect_url(item, *, full=False):
    """The member-space page of ``item``; ``full`` for an absolute URL."""
    path = reverse(_url_name(type(item), "inspect"), args=[item.pk])
    return absolute(path) if full else path


def edit_url(item, *, full=False):
    path = reverse(_url_name(type(item), "edit"), args=[item.pk])
    return absolute(path) if full else path


def inspect_url_or_none(item, *, full=False):
    """As :func:`inspect_url`, or ``None`` where the admin does not register ``item``'s model."""
    try:
        return inspect_url(item, full=full)
    except NoReverseMatch:
        return None
