from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicSiteConfig(AppConfig):
    """The reference site itself: API wiring, the demo and the run command."""

    name = "civic_site"
    label = "civic_site"
    verbose_name = _("Reference site")
