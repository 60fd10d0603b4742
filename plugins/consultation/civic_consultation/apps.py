from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from civic_core.privacy import register as register_personal_data


class CivicConsultationConfig(AppConfig):
    """Mass consultation: proposals, votes, rankings."""

    name = "civic_consultation"
    # The label names the tables: never change it.
    label = "civic_consultation"
    verbose_name = _("Consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic_consultation import checks  # noqa: F401  (registers the system checks)
        from civic_consultation.roles import ensure_role_groups
        from civic_consultation.services import privacy
        from civic_consultation.tasks import ensure_schedules

        # After every migrate: ready() must not touch the database. Groups and their model
        # permissions exist only once the tables and permissions do; the schedules follow the
        # plugin's migrations (removed once it is migrated to zero).
        post_migrate.connect(ensure_role_groups, sender=self)
        post_migrate.connect(ensure_schedules, sender=self)
        # A person's data, exported and erased with the other plugins' (civic_core.privacy).
        register_personal_data(
            self.label,
            export=privacy.export_personal_data,
            erase=privacy.erase_personal_data,
        )
