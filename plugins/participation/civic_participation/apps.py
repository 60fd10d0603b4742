from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CivicParticipationConfig(AppConfig):
    """Councils and city services exchange requests and offers of participation."""

    name = "civic_participation"
    # The label names the tables: never change it.
    label = "civic_participation"
    verbose_name = _("Participation (Aux actes, Citoyens !)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic_core import privacy
        from civic_participation import checks, signals  # noqa: F401  (registers them)
        from civic_participation import privacy as personal_data
        from civic_participation.roles import ensure_role_groups
        from civic_participation.tasks import sync_task_schedules

        # Groups and their model permissions exist only once the tables and permissions do.
        post_migrate.connect(ensure_role_groups, sender=self)
        # Kept in step after every migrate, never here: ready() must not touch the database.
        post_migrate.connect(sync_task_schedules, sender=self)
        privacy.register(self.label, export=personal_data.export, erase=personal_data.erase)
