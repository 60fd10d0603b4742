"""Everything besides transitions that reads or writes an item for a person: drafting items,
discussion, attachments, internal notes, the timeline a reader may see, deadline extensions,
and the scheduler's run of the transitions that fell due.

Like the transitions, each write checks the actor's role and scope and raises a
``TransitionError`` (``DeadlineError`` for an extension) when refused.
"""

import logging
from pathlib import PurePosixPath

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_participation import access, attachments, deadlines, permissions
from civic_participation.errors import TransitionError
from civic_participation.models import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Attachment,
    Deadline,
    DiscussionMessage,
    InternalNote,
    Invitation,
    Offer,
    Request,
    TimelineEvent,
    Visibility,
    item_link,
)
from civic_participation.workflow import SYSTEM, get_transition, perform, refusal

logger = logging.getLogger(__name__)


def _forbidden():
    return TransitionError(
        _("You may not do this on this item: it belongs to another council or service."),
        code="forbidden",
    )


def clean_text(name, value, max_length, required=True):
    """``value`` stripped, or a TransitionError naming ``name``: text only (a JSON body may
    send a number or an object), no NUL character, at most ``max_length`` characters."""
    if value is None:
        value = ""
    problem = None
    if not isinstance(value, str):
        problem = _("Enter text.")
    elif "\x00" in value:
        problem = _("Null characters are not allowed.")
    elif len(value.strip()) > max_length:
        problem = _("Write at most %(limit)s characters.") % {"limit": max_length}
    elif required and not value.strip():
        problem = _("This field is required.")
    if problem is not None:
        raise TransitionError(_("Some fields are missing or wrong."), fields={name: [problem]})
    return value.strip()


def _require(ability, actor, obj):
    if not access.allows(actor, ability, obj):
        raise _forbidden()


TITLE_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 255


@transaction.atomic
def create_request(
    actor, council, title, description, theme=None, service=None, location="", now=None
):
    """A council member drafts a request; its référents submit it."""
    now = now or timezone.now()
    _require(access.DRAFT, actor, council)
    item = Request.objects.create(
        council=council,
        title=clean_text("title", title, TITLE_MAX_LENGTH),
        description=clean_text("description", description, DESCRIPTION_MAX_LENGTH),
        theme=theme,
        service=service,
        location=clean_text("location", location, LOCATION_MAX_LENGTH, required=False),
        created_by=actor,
        created_at=now,
    )
    permissions.grant_request_to_council(item)
    permissions.move_request_to_service(item, None)
    TimelineEvent.objects.create(
        request=item,
        actor=actor,
        actor_label=council.name,
        kind="create",
        to_state=item.state,
        message=_("Draft started."),
        visibility=Visibility.MEMBERS,
        created_at=now,
    )
    return item


@transaction.atomic
def create_offer(actor, service, title, description, theme=None, now=None):
    """An agent drafts an offer of their service; publishing addresses it to councils."""
    now = now or timezone.now()
    _require(access.DRAFT, actor, service)
    offer = Offer.objects.create(
        service=service,
        title=clean_text("title", title, TITLE_MAX_LENGTH),
        description=clean_text("description", description, DESCRIPTION_MAX_LENGTH),
        theme=theme,
        created_by=actor,
        created_at=now,
    )
    permissions.grant_offer_to_service(offer)
    TimelineEvent.objects.create(
        offer=offer,
        actor=actor,
        actor_label=service.name,
        kind="create",
        to_state=offer.state,
        message=_("Draft started."),
        visibility=Visibility.INTERNAL,
        created_at=now,
    )
    return offer


def post_message(actor, item, body):
    """Members-only discussion of a request or an invitation (its council and its service)."""
    _require(access.DISCUSS, actor, item)
    body = clean_text("body", body, MESSAGE_MAX_LENGTH)
    return DiscussionMessage.objects.create(author=actor, body=body, **item_link(item))


def add_attachment(actor, item, title, uploaded_file):
    """A members-only file, accepted by its content (``attachments.check_upload``) and stored
    privately under a random name."""
    _require(access.DISCUSS, actor, item)
    extension, content_type = attachments.check_upload(uploaded_file)
    original_name = PurePosixPath(str(uploaded_file.name)).name[:255]
    title = clean_text("title", title, TITLE_MAX_LENGTH, required=False) or original_name
    return Attachment.objects.create(
        uploaded_by=actor,
        title=title[:TITLE_MAX_LENGTH],
        file=File(uploaded_file, name=f"upload.{extension}"),
        original_name=original_name,
        content_type=content_type,
        size=uploaded_file.size,
        **item_link(item),
    )


def add_note(actor, item, body):
    """City-internal note on a request or an offer."""
    _require(access.NOTE, actor, item)
    body = clean_text("body", body, MESSAGE_MAX_LENGTH)
    return InternalNote.objects.create(author=actor, body=body, **item_link(item))


def messages_for(actor, item):
    if not access.allows(actor, access.READ, item):
        return DiscussionMessage.objects.none()
    return DiscussionMessage.objects.filter(**item_link(item)).select_related("author")


def attachments_for(actor, item):
    if not access.allows(actor, access.READ, item):
        return Attachment.objects.none()
    return Attachment.objects.filter(**item_link(item)).select_related("uploaded_by")


def readable_attachment(actor, pk):
    """The attachment ``pk`` if ``actor`` reads its item, else None (a 404 for the views)."""
    attachment = Attachment.objects.filter(pk=pk).select_related("request", "invitation").first()
    if attachment is None:
        return None
    item = attachment.request or attachment.invitation
    if item is None or not access.allows(actor, access.READ, item):
        return None
    return attachment


def notes_for(actor, item):
    if not access.allows(actor, access.READ_INTERNAL, item):
        return InternalNote.objects.none()
    return InternalNote.objects.filter(**item_link(item)).select_related("author")


def events_for(actor, item):
    """The timeline of `item` at the levels `actor` may read (public only for anonymous)."""
    levels = [Visibility.PUBLIC]
    if access.allows(actor, access.READ, item):
        levels.append(Visibility.MEMBERS)
    if access.allows(actor, access.READ_INTERNAL, item):
        levels.append(Visibility.INTERNAL)
    return TimelineEvent.objects.filter(**item_link(item), visibility__in=levels)


# Deadlines --------------------------------------------------------------------------------------


def extend_deadline(actor, deadline, new_due_on, reason, now=None):
    """Move an open deadline later (coordinator or the service's manager, with a public reason).

    The item is locked like a transition, so an extension and a transition never interleave.
    Raises ``DeadlineError`` and changes nothing when refused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        item = deadline.item
        locked_item = type(item).objects.select_for_update().get(pk=item.pk)
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        setattr(locked, type(item)._meta.model_name, locked_item)
        return deadlines.extend(actor, locked, new_due_on, reason, now)


# Scheduler --------------------------------------------------------------------------------------

SCHEDULED_TRANSITIONS = (
    (Request, "auto_close_done", {"state": Request.State.DONE}),
    (Request, "auto_close_answered", {"state": Request.State.ANSWERED}),
    (Offer, "close_responses", {"state": Offer.State.OPEN}),
    (
        Invitation,
        "expire",
        {"state__in": [Invitation.State.PENDING, Invitation.State.ACKNOWLEDGED]},
    ),
)


def run_scheduled_transitions(now=None):
    """Run every transition the calendar makes due (auto-closing, closing responses, expiring).

    Safe to run concurrently: each item is locked and its state re-checked by ``perform``.
    Returns how many transitions ran, per name.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = {}
    for model, name, lookup in SCHEDULED_TRANSITIONS:
        transition_ = get_transition(model, name)
        candidates = model.objects.filter(**lookup)
        if model is Invitation:
            candidates = candidates.select_related("offer").filter(offer__respond_by__lt=today)
        for item in candidates:
            if refusal(transition_, item, SYSTEM, today) is not None:
                continue
            try:
                perform(item, name, SYSTEM, now=now)
            except TransitionError as error:
                # Another worker got there first; the state it left is consistent.
                logger.info("Skipped %s on %s: %s", name, item.pk, error.message)
                continue
            done[name] = done.get(name, 0) + 1
    return done
