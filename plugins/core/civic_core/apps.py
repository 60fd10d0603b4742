from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicCoreConfig(AppConfig):
    """What the civic plugins share; it has no models of its own."""

    name = "civic_core"
    label = "civic_core"
    verbose_name = _("Civic plugins: shared core")
