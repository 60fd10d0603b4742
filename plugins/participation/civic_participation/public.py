"""The public view of participation: what anyone may read, shared by pages, API and exports.

Only non-draft items, public timeline events and consenting members' names leave this module;
agents are named by their service only.
"""

from django.db.models import Prefetch
from django.utils import timezone

from civic_participation.models import (
    Council,
    CouncilMembership,
    Invitation,
    Offer,
    Request,
    TimelineEvent,
    Visibility,
)


def public_events():
    return TimelineEvent.objects.filter(visibility=Visibility.PUBLIC).order_by("created_at", "pk")


def requests():
    """Public requests with their council, service, theme and merge target."""
    return Request.objects.public().select_related("council", "service", "theme", "merged_into")


def offers_base(queryset):
    """Offers with their service, theme and invitations (councils) in a constant query count."""
    invitations = Invitation.objects.select_related("council").order_by("council__name")
    return queryset.select_related("service", "theme").prefetch_related(
        Prefetch("invitations", queryset=invitations)
    )


def offers():
    """Public offers (everything but drafts), with what ``offers_base`` loads."""
    return offers_base(Offer.objects.public())


def with_public_events(queryset):
    """Prefetch each item's public timeline into ``public_events``."""
    return queryset.prefetch_related(
        Prefetch("events", queryset=public_events(), to_attr="public_events")
    )


def request_detail(pk):
    return with_public_events(requests()).get(pk=pk)


def offer_detail(pk):
    return with_public_events(offers()).get(pk=pk)


def councils():
    listed = CouncilMembership.objects.filter(listed_publicly=True).select_related("user")
    return Council.objects.filter(is_active=True).prefetch_related(
        Prefetch("memberships", queryset=listed, to_attr="public_members")
    )


def council_activity(council):
    """A council's public requests and invitations, newest first."""
    return {
        "requests": requests().filter(council=council),
        "invitations": Invitation.objects.filter(council=council)
        .exclude(offer__state=Offer.State.DRAFT)
        .select_related("offer", "offer__service")
        .order_by("-offer__published_on", "-pk"),
    }


def open311_status(item):
    return "closed" if item.is_final else "open"


def open311_request(item):
    """One request shaped like an Open311 GeoReport v2 service request (public data only)."""
    local = timezone.localtime
    return {
        "service_request_id": item.reference,
        "status": open311_status(item),
        "status_notes": item.get_state_display(),
        "service_name": item.theme.name if item.theme else "",
        "service_code": item.theme.slug if item.theme else "",
        "description": item.description,
        "agency_responsible": item.service.name if item.service else "",
        "requested_datetime": local(item.created_at).isoformat(),
        "updated_datetime": local(item.updated_at).isoformat(),
        "expected_datetime": item.current_due.isoformat() if item.current_due else None,
        "address": item.location,
        "notes": [
            {
                "datetime": local(event.created_at).isoformat(),
                "kind": event.kind,
                "from": event.from_state,
                "to": event.to_state,
                "by": event.actor_label,
                "description": event.message,
            }
            for event in item.public_events
        ],
    }
