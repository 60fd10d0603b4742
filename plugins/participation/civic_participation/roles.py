"""Groups of the participation plugin, created or completed after every migration.

Model permissions say which admin tools a group sees; what each member may do with a given
object is decided by object permissions and the domain layer.
"""

from civic_core.roles import RoleGroup, sync_role_groups

APP = "civic_participation"
MEMBER_SPACE = f"{APP}.access_member_space"
DIRECTORY = tuple(
    f"{APP}.{action}_{model}"
    for model in (
        "council",
        "councilmembership",
        "cityservice",
        "servicemembership",
        "theme",
        "closureday",
        "deadlinepolicy",
    )
    for action in ("add", "change", "delete", "view")
)

# Global role groups a membership puts its user in (permissions.sync_*_membership).
COUNCIL_MEMBERS = "Council members"
COUNCIL_REFERENTS = "Council référents"
CITY_AGENTS = "City agents"
SERVICE_MANAGERS = "Service managers"

ROLE_GROUPS = (
    RoleGroup(
        COUNCIL_MEMBERS,
        "Members of a participatory council: read their council's items and discuss them.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(
        COUNCIL_REFERENTS,
        "Speak for their council: submit and follow requests, answer invitations.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(
        CITY_AGENTS,
        "Agents of a city service: acknowledge and answer their service's items.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(SERVICE_MANAGERS, "Heads of a service: first level of escalation.", (MEMBER_SPACE,)),
    RoleGroup(
        "Coordinators",
        "Participation agency: route requests, watch deadlines, reopen.",
        (
            MEMBER_SPACE,
            f"{APP}.route_request",
            f"{APP}.view_request",
            f"{APP}.view_internal_request",
            f"{APP}.view_offer",
            f"{APP}.view_internal_offer",
            f"{APP}.view_invitation",
            *DIRECTORY,
        ),
    ),
    RoleGroup(
        "Elected officials",
        "Informed of second-level escalations; read only.",
        (MEMBER_SPACE, f"{APP}.view_request", f"{APP}.view_offer", f"{APP}.view_invitation"),
    ),
)


def ensure_role_groups(sender=None, using="default", **kwargs):
    """post_migrate receiver: create the groups and add their permissions (never removes)."""
    sync_role_groups(ROLE_GROUPS, using=using)
