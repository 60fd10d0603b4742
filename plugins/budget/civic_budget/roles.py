"""Groups of the budget plugin, created or completed after every migration.

Model permissions say which admin tools a group sees; what each member may do with a given
object is decided by object permissions and the domain layer. Polling agents also need an
object permission ``enter_paper_ballots`` on their polling place (see ``assign_polling_place``).
"""

from dataclasses import dataclass, field

ADMIN_ACCESS = "wagtailadmin.access_admin"
POLLING_AGENTS = "Budget polling agents"


@dataclass(frozen=True)
class RoleGroup:
    name: str
    description: str
    permissions: tuple[str, ...] = field(default=())


ROLE_GROUPS = (
    RoleGroup(
        "Budget reviewers",
        "City agents who moderate ideas, review the feasibility and cost of projects, put them "
        "on the ballot and follow their implementation.",
        (
            "civic_budget.view_project",
            "civic_budget.review_project",
            "civic_budget.manage_implementation",
            "civic_budget.view_live_turnout",
            "civic_budget.view_process",
        ),
    ),
    RoleGroup(
        POLLING_AGENTS,
        "Agents of a polling place who type paper ballots in and confirm their colleagues' "
        "entries.",
        ("civic_budget.view_paperballotentry", "civic_budget.view_live_turnout"),
    ),
)


def assign_polling_place(user, polling_place):
    """Let ``user`` enter paper ballots at ``polling_place`` (and only there)."""
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    user.groups.add(Group.objects.get(name=POLLING_AGENTS))
    assign_perm("civic_budget.enter_paper_ballots", user, polling_place)


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
