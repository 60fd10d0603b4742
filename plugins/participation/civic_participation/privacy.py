"""The participation plugin's part of a person's data (RGPD): export and erasure.

Registered with ``civic_core.privacy`` by the AppConfig. What the plugin stores about a person,
why and for how long: ``docs/participation-privacy.md``. Erasure keeps the items and their
timelines (public records of what councils asked and the city answered): what the person wrote
stays, attributed to a former member; their seats and reminder settings go.
"""

from django.db import transaction

from civic_participation.models import (
    Attachment,
    CouncilMembership,
    DeadlineExtension,
    DiscussionMessage,
    InternalNote,
    Offer,
    ReminderDelivery,
    ReminderPreference,
    Request,
    ServiceMembership,
    TimelineEvent,
)


def _item_reference(row):
    item = row.item
    return {"kind": item._meta.model_name, "id": item.pk, "title": str(item)}


def _when(value):
    return value.isoformat() if value else None


def export(user):
    """Everything the plugin holds about ``user``, as plain JSON data."""
    preference = ReminderPreference.objects.filter(user=user).first()
    return {
        "council_memberships": [
            {
                "council": seat.council.name,
                "role": seat.role,
                "listed_publicly": seat.listed_publicly,
                "public_name": seat.public_name,
                "joined_on": _when(seat.joined_on),
            }
            for seat in CouncilMembership.objects.filter(user=user).select_related("council")
        ],
        "service_memberships": [
            {"service": post.service.name, "role": post.role}
            for post in ServiceMembership.objects.filter(user=user).select_related("service")
        ],
        "requests_drafted": [
            {"id": item.pk, "title": item.title, "created_at": _when(item.created_at)}
            for item in Request.objects.filter(created_by=user)
        ],
        "offers_drafted": [
            {"id": item.pk, "title": item.title, "created_at": _when(item.created_at)}
            for item in Offer.objects.filter(created_by=user)
        ],
        "messages": [
            {"item": _item_reference(row), "body": row.body, "created_at": _when(row.created_at)}
            for row in DiscussionMessage.objects.filter(author=user)
        ],
        "internal_notes": [
            {"item": _item_reference(row), "body": row.body, "created_at": _when(row.created_at)}
            for row in InternalNote.objects.filter(author=user)
        ],
        "attachments": [
            {
                "item": _item_reference(row),
                "title": row.title,
                "file_name": row.original_name,
                "content_type": row.content_type,
                "size": row.size,
                "created_at": _when(row.created_at),
            }
            for row in Attachment.objects.filter(uploaded_by=user)
        ],
        "actions": [
            {
                "item": _item_reference(row),
                "action": row.kind,
                "on_behalf_of": row.actor_label,
                "created_at": _when(row.created_at),
            }
            for row in TimelineEvent.objects.filter(actor=user)
        ],
        "deadline_extensions": [
            {
                "reason": row.reason,
                "previous_due_on": _when(row.previous_due_on),
                "new_due_on": _when(row.new_due_on),
                "created_at": _when(row.created_at),
            }
            for row in DeadlineExtension.objects.filter(actor=user)
        ],
        "reminders_received": ReminderDelivery.objects.filter(recipient=user).count(),
        "receives_reminders": preference.receive_reminders if preference else True,
    }


@transaction.atomic
def erase(user):
    """Unlink what ``user`` wrote (it stays, by a former member) and remove their seats; the
    core then deletes the account, whose deletion empties the append-only records' actor
    (timeline events, deadline extensions) and deletes reminder settings and deliveries."""
    DiscussionMessage.objects.filter(author=user).update(author=None)
    InternalNote.objects.filter(author=user).update(author=None)
    Attachment.objects.filter(uploaded_by=user).update(uploaded_by=None)
    Request.objects.filter(created_by=user).update(created_by=None)
    Offer.objects.filter(created_by=user).update(created_by=None)
    # One by one: each removal takes the person out of the council's or service's groups.
    for seat in CouncilMembership.objects.filter(user=user):
        seat.delete()
    for post in ServiceMembership.objects.filter(user=user):
        post.delete()
