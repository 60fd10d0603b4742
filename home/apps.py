from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Editorial pages of the reference site."""

    name = "home"
    label = "home"
    verbose_name = _("Editorial pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home.roles import ensure_editor_group

        post_migrate.connect(ensure_editor_group, sender=self)
