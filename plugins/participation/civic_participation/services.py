"""Everything besides transitions that reads or writes an item for a person: drafting items,
discussion, attachments, internal notes, the timeline a reader may see, deadline extensions,
and the scheduler's run of the transitions that fell due.

Like the transitions, each write checks the actor's role and scope and raises a
``TransitionError`` (``DeadlineError`` for an extension) when refused.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic_participation import deadlines, permissions
from civic_participation.errors import TransitionError
from civic_participation.models import (
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

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _forbidden():
    return TransitionError(
        _("You may not do this on this item: it belongs to another council or service."),
        code="forbidden",
    )


def _required(**values):
    missing = {name: [_("This field is required.")] for name, value in values.items() if not value}
    if missing:
        raise TransitionError(_("Some fields are missing or wrong."), fields=missing)


@transaction.atomic
def create_request(
    actor, council, title, description, theme=None, service=None, location="", now=None
):
    """A council member drafts a request; its référents submit it."""
    now = now or timezone.now()
    if not permissions.has_perm_on(actor, "draft_request_council", council):
        raise _forbidden()
    title, description = (title or "").strip(), (description or "").strip()
    _required(title=title, description=description)
    item = Request.objects.create(
        council=council,
        title=title[:200],
        description=description,
        theme=theme,
        service=service,
        location=(location or "")[:255],
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
    if not permissions.has_perm_on(actor, "draft_offer_service", service):
        raise _forbidden()
    title, description = (title or "").strip(), (description or "").strip()
    _required(title=title, description=description)
    offer = Offer.objects.create(
        service=service,
        title=title[:200],
        description=description,
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


def discussion_item_allowed(item):
    return isinstance(item, Request | Invitation)


def can_discuss(actor, item):
    codename = "view_invitation" if isinstance(item, Invitation) else "view_request"
    return discussion_item_allowed(item) and permissions.has_perm_on(actor, codename, item)


def post_message(actor, item, body):
    """Members-only discussion of a request or an invitation."""
    if not can_discuss(actor, item):
        raise _forbidden()
    body = (body or "").strip()
    _required(body=body)
    return DiscussionMessage.objects.create(author=actor, body=body, **item_link(item))


def add_attachment(actor, item, title, uploaded_file):
    if not can_discuss(actor, item):
        raise _forbidden()
    title = (title or getattr(uploaded_file, "name", "") or "").strip()
    _required(title=title, file=uploaded_file)
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise TransitionError(
            _("The file is larger than 10 MB."), fields={"file": [_("The file is too large.")]}
        )
    return Attachment.objects.create(
        uploaded_by=actor, title=title[:200], file=uploaded_file, **item_link(item)
    )


def add_note(actor, item, body):
    """City-internal note on a request or an offer."""
    if isinstance(item, Invitation) or not permissions.can_read_internal(actor, item):
        raise _forbidden()
    body = (body or "").strip()
    _required(body=body)
    return InternalNote.objects.create(author=actor, body=body, **item_link(item))


def messages_for(actor, item):
    if not can_discuss(actor, item):
        return DiscussionMessage.objects.none()
    return DiscussionMessage.objects.filter(**item_link(item)).select_related("author")


def attachments_for(actor, item):
    if not can_discuss(actor, item):
        return Attachment.objects.none()
    return Attachment.objects.filter(**item_link(item)).select_related("uploaded_by")


def notes_for(actor, item):
    if isinstance(item, Invitation) or not permissions.can_read_internal(actor, item):
        return InternalNote.objects.none()
    return InternalNote.objects.filter(**item_link(item)).select_related("author")


def events_for(actor, item):
    """The timeline of `item` at the levels `actor` may read (public only for anonymous)."""
    levels = permissions.event_visibilities(actor, item)
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
