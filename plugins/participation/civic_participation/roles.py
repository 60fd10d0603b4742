"""Groups of the participation plugin, created or completed after every migration.

Model permissions say which admin tools a group sees; what each member may do with a given
object is decided by object permissions and the domain layer.
"""

from dataclasses import dataclass, field

ADMIN_ACCESS = "wagtailadmin.access_admin"


@dataclass(frozen=True)
class RoleGroup:
    name: str
    description: str
    permissions: tuple[str, ...] = field(default=())


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

ROLE_GROUPS = (
    RoleGroup(
        "Council members",
        "Members of a participatory council: read their council's items and discuss them.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(
        "Council référents",
        "Speak for their council: submit and follow requests, answer invitations.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(
        "City agents",
        "Agents of a city service: acknowledge and answer their service's items.",
        (MEMBER_SPACE,),
    ),
    RoleGroup(
        "Service managers", "Heads of a service: first level of escalation.", (MEMBER_SPACE,)
    ),
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


def ensure_role_groups(sender=None, using="default", apps=None, **kwargs):
    """Create the groups and add their permissions; never removes what a city added."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    wanted_apps = {ADMIN_ACCESS.split(".")[0]} | {
        dotted.split(".")[0] for role in ROLE_GROUPS for dotted in role.permissions
    }
    # post_migrate reaches the apps in INSTALLED_APPS order: make sure the permissions of the
    # apps we refer to exist even when those apps come after this one.
    for app_label in wanted_apps:
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, using=using)
    for role in ROLE_GROUPS:
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        wanted = [ADMIN_ACCESS, *role.permissions]
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
