"""Who may see and act on which council, service, request, offer and invitation.

Each council has two hidden groups (its members, its référents) and each service one (its agents
and managers); memberships put users in them. Items grant object permissions (django-guardian,
direct foreign-key tables) to those groups, so a council's members reach their council's items
only and an agent their service's items only. Coordinators and elected officials hold global
model permissions instead (see roles.py); ``get_objects_for_user`` accepts those.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from civic_participation.models import (
    CityService,
    Council,
    CouncilMembership,
    Invitation,
    Offer,
    Request,
)

APP = "civic_participation"
ACCESS_MEMBER_SPACE = f"{APP}.access_member_space"
ROUTE_REQUEST = f"{APP}.route_request"

COUNCIL_MEMBER_REQUEST_PERMS = ("view_request",)
COUNCIL_REFERENT_REQUEST_PERMS = ("speak_for_council_request",)
SERVICE_REQUEST_PERMS = ("view_request", "handle_request", "view_internal_request")
SERVICE_OFFER_PERMS = ("view_offer", "handle_offer", "view_internal_offer")
SERVICE_INVITATION_PERMS = ("view_invitation", "handle_invitation")
COUNCIL_MEMBER_INVITATION_PERMS = ("view_invitation",)
COUNCIL_REFERENT_INVITATION_PERMS = ("respond_invitation",)


def council_group(council, referents=False):
    suffix = "référents" if referents else "members"
    group, _created = Group.objects.get_or_create(
        name=f"participation:council:{council.pk}:{suffix}"
    )
    return group


def service_group(service):
    group, _created = Group.objects.get_or_create(name=f"participation:service:{service.pk}")
    return group


def grant_council_space(council):
    assign_perm(f"{APP}.draft_request_council", council_group(council), council)


def grant_service_space(service):
    assign_perm(f"{APP}.draft_offer_service", service_group(service), service)


def _role_group(name):
    group, _created = Group.objects.get_or_create(name=name)
    return group


def _sync_role_group(user, name, holds):
    """Put ``user`` in the global role group ``name`` while ``holds`` (a membership that implies
    it exists), and out of it once the last such membership is gone."""
    if holds:
        user.groups.add(_role_group(name))
    else:
        user.groups.remove(*Group.objects.filter(name=name))


def sync_council_membership(membership, removed=False):
    """Put the user in (or take them out of) the council's hidden groups, and the global role
    groups of the member space ("Council members", "Council référents") the membership
    implies: a membership alone opens the member space, whoever created it and however."""
    from civic_participation.roles import COUNCIL_MEMBERS, COUNCIL_REFERENTS

    user = membership.user
    members, referents = council_group(membership.council), council_group(membership.council, True)
    if removed:
        user.groups.remove(members, referents)
    else:
        user.groups.add(members)
        if membership.role == CouncilMembership.Role.REFERENT:
            user.groups.add(referents)
        else:
            user.groups.remove(referents)
    seats = CouncilMembership.objects.filter(user=user)
    _sync_role_group(user, COUNCIL_MEMBERS, seats.exists())
    referent = CouncilMembership.Role.REFERENT
    _sync_role_group(user, COUNCIL_REFERENTS, seats.filter(role=referent).exists())


def sync_service_membership(membership, removed=False):
    """The service's hidden group, and the global role group ("City agents", "Service
    managers") of the user's posts."""
    from civic_participation.models import ServiceMembership
    from civic_participation.roles import CITY_AGENTS, SERVICE_MANAGERS

    user = membership.user
    group = service_group(membership.service)
    if removed:
        user.groups.remove(group)
    else:
        user.groups.add(group)
    posts = ServiceMembership.objects.filter(user=user)
    _sync_role_group(user, CITY_AGENTS, posts.filter(role=ServiceMembership.Role.AGENT).exists())
    manager = ServiceMembership.Role.MANAGER
    _sync_role_group(user, SERVICE_MANAGERS, posts.filter(role=manager).exists())


def _assign(codenames, group, obj):
    for codename in codenames:
        assign_perm(f"{APP}.{codename}", group, obj)


def _remove(codenames, group, obj):
    for codename in codenames:
        remove_perm(f"{APP}.{codename}", group, obj)


def grant_request_to_council(request_item):
    _assign(COUNCIL_MEMBER_REQUEST_PERMS, council_group(request_item.council), request_item)
    _assign(COUNCIL_REFERENT_REQUEST_PERMS, council_group(request_item.council, True), request_item)


def move_request_to_service(request_item, previous_service):
    """The service in charge changes: its agents gain the request, the former ones lose it."""
    if previous_service is not None and previous_service != request_item.service:
        _remove(SERVICE_REQUEST_PERMS, service_group(previous_service), request_item)
    if request_item.service is not None:
        _assign(SERVICE_REQUEST_PERMS, service_group(request_item.service), request_item)


def grant_offer_to_service(offer):
    _assign(SERVICE_OFFER_PERMS, service_group(offer.service), offer)


def grant_invitation(invitation):
    council = invitation.council
    _assign(COUNCIL_MEMBER_INVITATION_PERMS, council_group(council), invitation)
    _assign(COUNCIL_REFERENT_INVITATION_PERMS, council_group(council, True), invitation)
    _assign(SERVICE_INVITATION_PERMS, service_group(invitation.offer.service), invitation)
    # Invited councils read the offer itself (not its internal notes).
    assign_perm(f"{APP}.view_offer", council_group(council), invitation.offer)


def has_perm_on(user, codename, obj):
    """A global permission (coordinators, elected officials) or one on this object."""
    if not user.is_authenticated:
        return False
    dotted = f"{APP}.{codename}"
    return user.has_perm(dotted) or user.has_perm(dotted, obj)


def is_coordinator(user):
    return user.is_authenticated and user.has_perm(ROUTE_REQUEST)


def can_use_member_space(user):
    return user.is_authenticated and user.has_perm(ACCESS_MEMBER_SPACE)


def _visible(user, codename, queryset):
    if not user.is_authenticated:
        return queryset.none()
    return get_objects_for_user(user, f"{APP}.{codename}", queryset, accept_global_perms=True)


def requests_for(user, queryset=None):
    return _visible(user, "view_request", queryset if queryset is not None else Request.objects)


def offers_for(user, queryset=None):
    return _visible(user, "view_offer", queryset if queryset is not None else Offer.objects)


def invitations_for(user, queryset=None):
    return _visible(
        user, "view_invitation", queryset if queryset is not None else Invitation.objects
    )


def councils_user_can_draft_for(user):
    return _visible(user, "draft_request_council", Council.objects.filter(is_active=True))


def services_user_can_draft_for(user):
    return _visible(user, "draft_offer_service", CityService.objects.all())


def sync_all_access():
    """Grant every council's and service's space and sync every membership: for rows written
    without signals (``bulk_create``, ``loaddata``, raw SQL). Idempotent; returns the number of
    memberships synced."""
    from civic_participation.models import ServiceMembership

    for council in Council.objects.all():
        grant_council_space(council)
    for service in CityService.objects.all():
        grant_service_space(service)
    count = 0
    for membership in CouncilMembership.objects.select_related("user", "council"):
        sync_council_membership(membership)
        count += 1
    for membership in ServiceMembership.objects.select_related("user", "service"):
        sync_service_membership(membership)
        count += 1
    return count
