"""Groups of the budget plugin, created or completed after every migration.

Model permissions say which admin tools a group sees; what each member may do with a given
object is decided by object permissions and the domain layer. Polling agents also need an
object permission ``enter_paper_ballots`` on their polling place (see ``assign_polling_place``).
"""

from civic_core.roles import RoleGroup, sync_role_groups

POLLING_AGENTS = "Budget polling agents"

ROLE_GROUPS = (
    RoleGroup(
        "Budget reviewers",
        "City agents who moderate ideas, review the feasibility and cost of projects, put them "
        "on the ballot, follow their implementation and decide identity contests.",
        (
            "civic_budget.view_project",
            "civic_budget.review_project",
            "civic_budget.manage_implementation",
            "civic_budget.view_live_turnout",
            "civic_budget.view_process",
            "civic_budget.view_identitycontest",
            "civic_budget.decide_identity_contest",
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


def ensure_role_groups(sender=None, using="default", **kwargs):
    """The post_migrate receiver: create the groups and add their permissions."""
    sync_role_groups(ROLE_GROUPS, using=using)
