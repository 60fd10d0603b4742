"""Groups of the consultation plugin, created or completed after every migration
(``civic_core.roles``).

Model permissions say which admin tools a group sees; what each member may do with a given
object is decided by object permissions and the domain layer.
"""

from django.db import DEFAULT_DB_ALIAS

from civic_core.roles import RoleGroup, sync_role_groups

ROLE_GROUPS = (
    RoleGroup(
        "Consultation moderators",
        "Review proposals of consultations: accept, refuse, group duplicates.",
        (
            "civic_consultation.moderate_consultation",
            "civic_consultation.view_consultation",
            "civic_consultation.view_proposal",
            "civic_consultation.view_idea",
        ),
    ),
    RoleGroup(
        "Consultation editors",
        "Create and edit consultations: question, dates, proposal rules (access.py: editor).",
        (
            "civic_consultation.add_consultation",
            "civic_consultation.change_consultation",
            "civic_consultation.view_consultation",
        ),
    ),
)


def ensure_role_groups(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: the plugin's groups and their permissions."""
    sync_role_groups(ROLE_GROUPS, using)
