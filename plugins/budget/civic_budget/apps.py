from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CivicBudgetConfig(AppConfig):
    """Participatory budgeting from ideas to counted votes."""

    name = "civic_budget"
    # The label names the tables: never change it.
    label = "civic_budget"
    verbose_name = _("Participatory budget")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic_budget import (
            checks,  # noqa: F401  (registers the system checks)
            privacy,
        )
        from civic_budget.roles import ensure_role_groups
        from civic_budget.tasks import ensure_schedules
        from civic_core import privacy as core_privacy

        core_privacy.register(self.label, export=privacy.export, erase=privacy.erase)

        # Groups, permissions and schedules exist only once the tables do.
        post_migrate.connect(ensure_role_groups, sender=self)
        post_migrate.connect(ensure_schedules, sender=self)
