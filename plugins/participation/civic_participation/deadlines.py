"""Deadlines as data: opened by transitions, paused, extended, met, cancelled.

Each deadline is computed from the policy in force when it opens (the most specific rule for the
item's service, council or theme, else the general rule, else the site's default setting) and
remembers that version. The due dates shown on items (``Request.answer_due`` and so on) are
copies that only this module writes, so listings and filters stay single-table queries.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from civic_participation import access, permissions
from civic_participation.adapter import get_adapter
from civic_participation.app_settings import app_settings
from civic_participation.errors import DeadlineError
from civic_participation.models import (
    Counting,
    Deadline,
    DeadlineExtension,
    DeadlineKind,
    DeadlinePolicy,
    Invitation,
    Offer,
    Request,
    TimelineEvent,
    Visibility,
    item_link,
)

K = DeadlineKind

# kind -> (setting holding the default number of days, default counting, side that owes it)
DEFAULT_RULES = {
    K.ACKNOWLEDGE: ("ACKNOWLEDGE_WORKING_DAYS", Counting.WORKING_DAYS, Deadline.Side.CITY),
    K.ANSWER: ("ANSWER_WORKING_DAYS", Counting.WORKING_DAYS, Deadline.Side.CITY),
    K.PROGRESS_UPDATE: ("PROGRESS_UPDATE_DAYS", Counting.CALENDAR_DAYS, Deadline.Side.CITY),
    K.COUNCIL_CONFIRMATION: ("CONFIRMATION_DAYS", Counting.CALENDAR_DAYS, Deadline.Side.COUNCIL),
    K.INVITATION_ACK: ("INVITATION_ACK_DAYS", Counting.CALENDAR_DAYS, Deadline.Side.COUNCIL),
    K.INVITATION_RESPONSE: ("MIN_RESPONSE_DAYS", Counting.CALENDAR_DAYS, Deadline.Side.COUNCIL),
    K.FEEDBACK: ("FEEDBACK_WORKING_DAYS", Counting.WORKING_DAYS, Deadline.Side.CITY),
}

# Where each kind's current due date is copied on the item, for listings and filters.
DUE_FIELDS = {
    (Request, K.ACKNOWLEDGE): "acknowledge_due",
    (Request, K.ANSWER): "answer_due",
    (Offer, K.FEEDBACK): "feedback_due",
    (Invitation, K.INVITATION_ACK): "acknowledge_due",
}


def _scope(item):
    """(service, council, theme) an item's rules may be overridden for."""
    if isinstance(item, Invitation):
        return item.offer.service_id, item.council_id, item.offer.theme_id
    if isinstance(item, Offer):
        return item.service_id, None, item.theme_id
    return item.service_id, item.council_id, item.theme_id


def policy_for(kind, item, today):
    """The rule in force on `today` for `item`: (policy row or None, days, counting)."""
    service_id, council_id, theme_id = _scope(item)
    scopes = Q(service__isnull=True, council__isnull=True, theme__isnull=True)
    for field, value in (("service", service_id), ("council", council_id), ("theme", theme_id)):
        if value is not None:
            scopes |= Q(**{f"{field}_id": value})
    candidates = DeadlinePolicy.objects.filter(scopes, kind=kind, valid_from__lte=today)

    def specificity(rule):
        return (rule.service_id is not None, rule.council_id is not None, rule.theme_id is not None)

    best = max(
        candidates, key=lambda rule: (specificity(rule), rule.valid_from, rule.pk), default=None
    )
    if best is not None:
        return best, best.days, best.counting
    setting, counting, _side = DEFAULT_RULES[kind]
    return None, getattr(app_settings, setting), counting


def add_days(start, days, counting, calendar=None):
    if counting == Counting.WORKING_DAYS:
        return (calendar or get_adapter().working_calendar()).add_working_days(start, days)
    return start + timedelta(days=days)


def _copy_due(item, deadline):
    field = DUE_FIELDS.get((type(item), deadline.kind))
    if field:
        setattr(item, field, deadline.due_on)


def open_deadline(item, kind, today, now, due_on=None):
    """Open the `kind` deadline of `item` from `today` (or until a date the transition fixed)."""
    policy, days, counting = policy_for(kind, item, today)
    if due_on is not None:
        counting, days = Counting.CALENDAR_DAYS, (due_on - today).days
    due = due_on or add_days(today, days, counting)
    deadline = Deadline.objects.create(
        **item_link(item),
        kind=kind,
        side=DEFAULT_RULES[kind][2],
        counting=counting,
        days=days,
        policy=policy,
        started_on=today,
        original_due_on=due,
        due_on=due,
        created_at=now,
    )
    _copy_due(item, deadline)
    return deadline


def _open(item, kind=None):
    deadlines = Deadline.objects.open().filter(**item_link(item))
    return deadlines.filter(kind=kind) if kind else deadlines


def meet(item, kind, today):
    """Mark the open `kind` deadline met, on time or late; it never changes again."""
    for deadline in _open(item, kind):
        deadline.status = Deadline.Status.MET
        deadline.met_on = today
        deadline.met_late = today > deadline.due_on
        deadline.save(update_fields=["status", "met_on", "met_late"])


def cancel_open(item):
    """The item left the circuit (withdrawn, inadmissible, cancelled, expired): nothing is owed."""
    _open(item).update(status=Deadline.Status.CANCELLED)


def pause(item, kind, today):
    _open(item, kind).filter(paused_on__isnull=True).update(paused_on=today)


def resume(item, kind, today):
    """Restart a paused deadline, pushed back by the working days it was paused."""
    calendar = get_adapter().working_calendar()
    for deadline in _open(item, kind).filter(paused_on__isnull=False):
        paused = calendar.working_days_between(deadline.paused_on, today)
        deadline.due_on = calendar.add_working_days(deadline.due_on, paused)
        deadline.paused_on = None
        deadline.save(update_fields=["due_on", "paused_on"])
        _copy_due(item, deadline)


def can_extend(actor, item):
    """Coordinators, and the managers of the service that owes the deadline (``access``)."""
    return access.allows(actor, access.EXTEND_DEADLINE, item)


def extend(actor, deadline, new_due_on, reason, now):
    """Move an open deadline later; needs a reason and leaves a public timeline event.

    Run inside the caller's transaction with the item locked (see services.extend_deadline).
    """
    item = deadline.item
    reason = (reason or "").strip()
    if actor is None or not can_extend(actor, item):
        raise DeadlineError(
            _("Only a coordinator or the service's manager may extend a deadline."),
            code="forbidden",
        )
    if deadline.status != Deadline.Status.OPEN:
        raise DeadlineError(_("This deadline is no longer running."), code="invalid_state")
    errors = {}
    if not reason:
        errors["reason"] = [_("Give the reason; it is shown publicly.")]
    if new_due_on is None or new_due_on <= deadline.due_on:
        errors["due_on"] = [_("Choose a date after the current due date.")]
    if errors:
        raise DeadlineError(_("Some fields are missing or wrong."), fields=errors)
    previous = deadline.due_on
    DeadlineExtension.objects.create(
        deadline=deadline,
        actor=actor,
        reason=reason,
        previous_due_on=previous,
        new_due_on=new_due_on,
        created_at=now,
    )
    deadline.due_on = new_due_on
    deadline.save(update_fields=["due_on"])
    _copy_due(item, deadline)
    item.save()
    event_links = item_link(item)
    if isinstance(item, Invitation):
        event_links["offer"] = item.offer
    message = _("%(kind)s deadline moved from %(old)s to %(new)s. Reason: %(reason)s") % {
        "kind": deadline.get_kind_display(),
        "old": formats.date_format(previous, "DATE_FORMAT"),
        "new": formats.date_format(new_due_on, "DATE_FORMAT"),
        "reason": reason,
    }
    TimelineEvent.objects.create(
        **event_links,
        actor=actor,
        actor_label=get_adapter().agency_name()
        if permissions.is_coordinator(actor)
        else item_service_name(item),
        kind="extend_deadline",
        from_state=item.state,
        to_state=item.state,
        message=message,
        visibility=Visibility.PUBLIC,
        created_at=now,
    )
    return deadline


def item_service_name(item):
    service = item.offer.service if isinstance(item, Invitation) else item.service
    return service.name if service else get_adapter().agency_name()
