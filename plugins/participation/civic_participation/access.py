"""The permission table of the plugin: which role may do what on which kind of object.

Every check of the plugin asks :func:`allows` (abilities: read, discuss, notes, drafting,
deadline extensions) or a transition's rule (:class:`Rule`, declared with the transition in
``workflow``), and both read the roles a person holds *on that object* (:func:`roles_of`):
their council or service memberships in its scope, the Coordinators and Elected officials
groups, superuser. ``docs/participation-permissions.md`` is this table in words, and
``tests/participation/test_permission_table.py`` is generated from it.

Lists stay queries on object permissions (``permissions.requests_for``...), which the
memberships grant to the same people, so a list shows what ``allows(user, READ, item)`` opens.
"""

from dataclasses import dataclass

from civic_participation import permissions
from civic_participation.models import (
    CityService,
    Council,
    CouncilMembership,
    Invitation,
    Offer,
    Request,
    ServiceMembership,
)

# Roles a person may hold on one object.
ANONYMOUS = "anonymous"
SIGNED_IN = "signed_in"  # any account without a role on the object (a resident, an editor)
COUNCIL_MEMBER = "council_member"
COUNCIL_REFERENT = "council_referent"
AGENT = "agent"
MANAGER = "manager"
COORDINATOR = "coordinator"
ELECTED = "elected"
SUPERUSER = "superuser"
ROLES = (
    ANONYMOUS,
    SIGNED_IN,
    COUNCIL_MEMBER,
    COUNCIL_REFERENT,
    AGENT,
    MANAGER,
    COORDINATOR,
    ELECTED,
    SUPERUSER,
)
ELECTED_OFFICIALS_GROUP = "Elected officials"

# Abilities besides transitions.
READ = "read"  # the item, its members' timeline, discussion and attachments (download included)
READ_INTERNAL = "read_internal"  # the internal timeline and the internal notes
DISCUSS = "discuss"  # post a message, upload an attachment
NOTE = "note"  # write an internal note
EXTEND_DEADLINE = "extend_deadline"
DRAFT = "draft"  # on a council (a request) or a service (an offer)

COUNCIL = frozenset({COUNCIL_MEMBER, COUNCIL_REFERENT})
SERVICE = frozenset({AGENT, MANAGER})


@dataclass(frozen=True)
class Rule:
    """The roles that pass; callable as ``rule(actor, obj)``, as the workflow calls it."""

    roles: frozenset

    def __call__(self, actor, obj):
        return bool(self.roles & roles_of(actor, obj))


def rule(*roles):
    # The site's superuser holds every permission in Django; the table keeps that rule.
    return Rule(frozenset({*roles, SUPERUSER}))


NOBODY = Rule(frozenset())


# Who runs the transitions (the workflow declares each transition with one of these).
REFERENT_ONLY = rule(COUNCIL_REFERENT)
SERVICE_ONLY = rule(*SERVICE)
COORDINATOR_ONLY = rule(COORDINATOR)
COORDINATOR_OR_SERVICE = rule(COORDINATOR, *SERVICE)

TABLE = {
    Request: {
        READ: rule(*COUNCIL, *SERVICE, COORDINATOR, ELECTED),
        READ_INTERNAL: rule(*SERVICE, COORDINATOR),
        DISCUSS: rule(*COUNCIL, *SERVICE),
        NOTE: rule(*SERVICE, COORDINATOR),
        EXTEND_DEADLINE: rule(MANAGER, COORDINATOR),
    },
    Offer: {
        # Councils read an offer once it invites them.
        READ: rule(*COUNCIL, *SERVICE, COORDINATOR, ELECTED),
        READ_INTERNAL: rule(*SERVICE, COORDINATOR),
        DISCUSS: NOBODY,  # offers are discussed on each council's invitation
        NOTE: rule(*SERVICE, COORDINATOR),
        EXTEND_DEADLINE: rule(MANAGER, COORDINATOR),
    },
    Invitation: {
        READ: rule(*COUNCIL, *SERVICE, COORDINATOR, ELECTED),
        READ_INTERNAL: rule(*SERVICE),
        DISCUSS: rule(*COUNCIL, *SERVICE),
        NOTE: NOBODY,  # internal notes live on the offer
        EXTEND_DEADLINE: rule(MANAGER, COORDINATOR),
    },
    Council: {DRAFT: rule(*COUNCIL)},
    CityService: {DRAFT: rule(*SERVICE)},
}


def _scope(obj):
    """(council ids, service ids) whose members hold a role on ``obj``."""
    if isinstance(obj, Request):
        # Read from the row: the service in charge changes, and a caller may hold a copy
        # loaded before it did.
        council_id, service_id = (
            Request.objects.filter(pk=obj.pk).values_list("council_id", "service_id").first()
        ) or (obj.council_id, obj.service_id)
        return {council_id}, {service_id} - {None}
    if isinstance(obj, Invitation):
        return {obj.council_id}, {obj.offer.service_id}
    if isinstance(obj, Offer):
        # Published offers only invite councils, so a draft has none.
        return set(obj.invitations.values_list("council_id", flat=True)), {obj.service_id}
    if isinstance(obj, Council):
        return {obj.pk}, set()
    if isinstance(obj, CityService):
        return set(), {obj.pk}
    raise TypeError(f"No permission table for {type(obj).__name__}")


def roles_of(user, obj):
    """The roles ``user`` holds on ``obj`` (a request, offer, invitation, council or service)."""
    if user is None or not user.is_authenticated:
        return {ANONYMOUS}
    if not user.is_active:
        return {SIGNED_IN}
    roles = set()
    if user.is_superuser:
        roles.add(SUPERUSER)
    if permissions.is_coordinator(user):
        roles.add(COORDINATOR)
    if user.groups.filter(name=ELECTED_OFFICIALS_GROUP).exists():
        roles.add(ELECTED)
    councils, services = _scope(obj)
    seats = CouncilMembership.objects.filter(user=user, council_id__in=councils)
    for role in seats.values_list("role", flat=True):
        referent = role == CouncilMembership.Role.REFERENT
        roles.add(COUNCIL_REFERENT if referent else COUNCIL_MEMBER)
    posts = ServiceMembership.objects.filter(user=user, service_id__in=services)
    for role in posts.values_list("role", flat=True):
        roles.add(MANAGER if role == ServiceMembership.Role.MANAGER else AGENT)
    return roles or {SIGNED_IN}


def allows(user, ability, obj):
    """May ``user`` do ``ability`` on ``obj``? An ability the kind lacks is refused."""
    found = TABLE.get(type(obj), {}).get(ability)
    if found is None and isinstance(obj, Request):  # proxies (the routing queue's rows)
        found = TABLE[Request].get(ability)
    return found is not None and found(user, obj)


def transition_table():
    """{model: {transition name: roles}} of the transitions people run (the scheduler's own
    are left out)."""
    from civic_participation.workflow import TRANSITIONS

    return {
        model: {
            name: transition_.allowed.roles
            for name, transition_ in transitions.items()
            if not transition_.by_system
        }
        for model, transitions in TRANSITIONS.items()
    }
