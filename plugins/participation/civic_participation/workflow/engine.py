"""The transition engine: how a declared transition runs.

A transition names its source states, its target, who may run it (role and scope), the inputs
it needs and its effect. :func:`perform` is the only way an item's state changes: it locks the
row, checks the actor, the state and the guard (:func:`refusal`), cleans the inputs
(:func:`~civic_participation.workflow.inputs.clean_input`), applies the effect, saves and
appends one timeline event, all in one transaction. The member space, the API, the demo and the
scheduled tasks all call it. The circuits themselves are declared in ``requests`` and ``offers``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_participation import permissions
from civic_participation.adapter import get_adapter
from civic_participation.errors import TransitionError
from civic_participation.models import (
    Invitation,
    Offer,
    Reminder,
    Request,
    TimelineEvent,
    item_link,
)
from civic_participation.workflow.inputs import clean_input

SYSTEM = None  # the actor of scheduled transitions


@dataclass
class Context:
    """What a transition's effect works with: the locked item, the actor and the clean inputs.

    The effect may set ``target`` when the transition's target depends on the inputs.
    """

    item: object
    actor: object
    data: dict
    now: datetime
    target: str | None = None

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


@dataclass(frozen=True)
class Transition:
    model: type
    name: str
    label: str
    sources: tuple
    target: str | None
    allowed: Callable | None  # (actor, item) -> bool; None: only the scheduler runs it
    side: str  # council, city, agency or system: names the actor's body on the timeline
    visibility: str
    apply: Callable  # (Context) -> the timeline message
    fields: tuple = ()
    guard: Callable | None = None  # (item, today) -> refusal message or None

    @property
    def by_system(self):
        return self.allowed is None


TRANSITIONS: dict[type, dict[str, Transition]] = {Request: {}, Offer: {}, Invitation: {}}


def transition(
    model, name, label, sources, target, allowed, side, visibility, fields=(), guard=None
):
    """Declare the decorated function as the effect of transition ``name`` of ``model``."""

    def register(apply):
        TRANSITIONS[model][name] = Transition(
            model=model,
            name=name,
            label=label,
            sources=tuple(sources),
            target=target,
            allowed=allowed,
            side=side,
            visibility=visibility,
            apply=apply,
            fields=tuple(fields),
            guard=guard,
        )
        return apply

    return register


def get_transition(model, name):
    try:
        return TRANSITIONS[model][name]
    except KeyError:
        raise TransitionError(_("There is no such action."), code="invalid_state") from None


# Timeline events written outside transitions: drafting, extensions, the reminder ladder.
EVENT_LABELS = {
    "create": gettext_lazy("Draft started"),
    "extend_deadline": gettext_lazy("Deadline extended"),
    **{f"reminder_{step.value}": step.label for step in Reminder.Step},
}


def kind_label(model, kind):
    """What a timeline event's kind is called."""
    if kind in EVENT_LABELS:
        return str(EVENT_LABELS[kind])
    found = TRANSITIONS[model].get(kind)
    return str(found.label) if found else kind


def format_date(value):
    """A date as the timeline messages show it."""
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _actor_label(transition_, item, actor):
    council = getattr(item, "council", None)
    service = getattr(item, "service", None) or getattr(
        getattr(item, "offer", None), "service", None
    )
    if transition_.side == "council" and council is not None:
        return council.name
    if transition_.side == "city" and service is not None and not permissions.is_coordinator(actor):
        return service.name
    if transition_.side == "system":
        return _("Automatic")
    return get_adapter().agency_name()


def refusal(transition_, item, actor, today=None):
    """Why `actor` may not run `transition_` on `item` now (a TransitionError), or None."""
    today = today or timezone.localdate()
    if transition_.by_system:
        if actor is not SYSTEM:
            return TransitionError(_("Only the scheduler runs this action."), code="forbidden")
    elif actor is None or not transition_.allowed(actor, item):
        return TransitionError(
            _(
                "You may not do this on this item: it belongs to another council or service, or "
                "needs another role."
            ),
            code="forbidden",
        )
    if item.state not in transition_.sources:
        return TransitionError(
            _("“%(action)s” is not possible while the item is “%(state)s”.")
            % {"action": transition_.label, "state": item.get_state_display()},
            code="invalid_state",
        )
    if transition_.guard is not None:
        message = transition_.guard(item, today)
        if message:
            return TransitionError(message, code="invalid_state")
    return None


def apply_locked(item, transition_, actor, raw, now):
    """Run a transition on an already locked item; returns its timeline event."""
    error = refusal(transition_, item, actor, timezone.localdate(now))
    if error is not None:
        raise error
    data = clean_input(transition_, item, raw)
    ctx = Context(item=item, actor=actor, data=data, now=now)
    from_state = item.state
    message = transition_.apply(ctx)
    item.state = ctx.target or transition_.target
    item.save()
    links = item_link(item)
    if isinstance(item, Invitation):
        links["offer"] = item.offer  # the offer's timeline shows each council's outcome
    return TimelineEvent.objects.create(
        **links,
        actor=actor,
        actor_label=_actor_label(transition_, item, actor),
        kind=transition_.name,
        from_state=from_state,
        to_state=item.state,
        message=message,
        visibility=transition_.visibility,
        created_at=now,
    )


def perform(item, name, actor, data=None, now=None):
    """Run transition `name` on `item` as `actor` (None for the scheduler).

    ``data`` holds the raw inputs (a posted form, a JSON body, or values and objects given by
    code). Returns the item as saved; raises TransitionError and changes nothing when refused.
    """
    model = type(item)
    transition_ = get_transition(model, name)
    with transaction.atomic():
        if isinstance(item, Invitation):
            # Offer first, then invitation: the order close_responses locks them in.
            offer = Offer.objects.select_for_update().get(pk=item.offer_id)
            locked = model.objects.select_for_update().get(pk=item.pk)
            locked.offer = offer
        else:
            locked = model.objects.select_for_update().get(pk=item.pk)
        # Timed once the lock is held, so events are dated in the order they really happened.
        apply_locked(locked, transition_, actor, data, now or timezone.now())
    return locked


def available_transitions(item, actor, today=None):
    """The transitions `actor` may run on `item` now (for buttons and the API)."""
    return [
        transition_
        for transition_ in TRANSITIONS[type(item)].values()
        if not transition_.by_system and refusal(transition_, item, actor, today) is None
    ]
