"""The request and offer circuits (DESIGN §4.1-4.2) as declared transitions.

A transition names its source states, its target, who may run it (role and scope) and the data it
needs. :func:`perform` is the only way an item's state changes: it locks the row, checks the
actor, the state and the data, applies the effect, saves and appends one timeline event, all in
one transaction. The admin, the API, the pages and the scheduled tasks all call it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_participation import deadlines, permissions
from civic_participation.adapter import get_adapter
from civic_participation.app_settings import app_settings
from civic_participation.errors import TransitionError
from civic_participation.models import (
    CityService,
    Council,
    DeadlineKind,
    Invitation,
    Offer,
    Reminder,
    Request,
    TimelineEvent,
    Visibility,
)

SYSTEM = None  # the actor of scheduled transitions


@dataclass(frozen=True)
class Field:
    """One input of a transition; forms and API serializers are built from these."""

    name: str
    kind: str  # text, line, choice, service, request, councils, boolean, date
    label: str
    required: bool = True
    choices: tuple = ()
    help_text: str = ""


@dataclass
class Context:
    item: object
    actor: object
    data: dict
    now: datetime
    transition: "Transition"
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
    apply: Callable
    fields: tuple = ()
    guard: Callable | None = None  # (item, today) -> refusal message or None

    @property
    def by_system(self):
        return self.allowed is None


TRANSITIONS: dict[type, dict[str, Transition]] = {Request: {}, Offer: {}, Invitation: {}}


def transition(
    model, name, label, sources, target, allowed, side, visibility, fields=(), guard=None
):
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


# Role and scope checks --------------------------------------------------------------------------


def _perm(codename):
    return lambda actor, item: permissions.has_perm_on(actor, codename, item)


council_referent = _perm("speak_for_council_request")
service_agent = _perm("handle_request")
offer_agent = _perm("handle_offer")
invitation_referent = _perm("respond_invitation")
invitation_agent = _perm("handle_invitation")


def coordinator(actor, item):
    return permissions.is_coordinator(actor)


def coordinator_or_agent(actor, item):
    return coordinator(actor, item) or service_agent(actor, item)


# Shared inputs ----------------------------------------------------------------------------------

REASON = Field("message", "text", gettext_lazy("Reason (shown publicly)"))
OPTIONAL_MESSAGE = Field("message", "text", gettext_lazy("Message"), required=False)


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


# Request circuit --------------------------------------------------------------------------------

S = Request.State
OC = Request.Outcome
OPEN_REQUEST_STATES = (S.DRAFT, S.SUBMITTED, S.ACKNOWLEDGED, S.IN_REVIEW, S.AWAITING_COUNCIL)
ASSIGNABLE_STATES = (S.SUBMITTED, S.ACKNOWLEDGED, S.IN_REVIEW, S.AWAITING_COUNCIL)
POSITIVE_OUTCOMES = (OC.ACCEPTED, OC.PARTIALLY_ACCEPTED)
NEGATIVE_OUTCOMES = (OC.DECLINED, OC.REDIRECTED, OC.MERGED)


@transition(
    Request,
    "submit",
    gettext_lazy("Submit to the city"),
    [S.DRAFT],
    S.SUBMITTED,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
)
def submit(ctx):
    item = ctx.item
    item.received_on = ctx.today
    deadlines.open_deadline(item, DeadlineKind.ACKNOWLEDGE, ctx.today, ctx.now)
    return ctx.data["message"] or _("Request submitted to the city.")


def _service_change(ctx, service):
    """Move the request to `service`, keeping permissions in step with it."""
    item = ctx.item
    previous = item.service
    item.service = service
    permissions.move_request_to_service(item, previous)


@transition(
    Request,
    "acknowledge",
    gettext_lazy("Acknowledge"),
    [S.SUBMITTED],
    S.ACKNOWLEDGED,
    coordinator_or_agent,
    "city",
    Visibility.PUBLIC,
    [
        Field(
            "service",
            "service",
            gettext_lazy("Service in charge"),
            required=False,
            help_text=gettext_lazy("Required when no service is in charge yet."),
        ),
        Field("contact_channel", "line", gettext_lazy("Contact channel"), required=False),
        OPTIONAL_MESSAGE,
    ],
)
def acknowledge(ctx):
    item, service = ctx.item, ctx.data["service"] or ctx.item.service
    if service is None:
        raise TransitionError(
            _("Name the service in charge."),
            fields={"service": [_("Name the service in charge.")]},
        )
    if service != item.service:
        if not permissions.is_coordinator(ctx.actor):
            raise TransitionError(
                _("Only a coordinator may put another service in charge."), code="forbidden"
            )
        _service_change(ctx, service)
    item.acknowledged_on = ctx.today
    deadlines.meet(item, DeadlineKind.ACKNOWLEDGE, ctx.today)
    deadlines.open_deadline(item, DeadlineKind.ANSWER, ctx.today, ctx.now)
    item.contact_channel = ctx.data["contact_channel"] or get_adapter().default_contact_channel(
        service
    )
    text = _(
        "Your request was received on %(received)s. Service in charge: %(service)s. "
        "Answer due by %(due)s. Contact: %(channel)s."
    ) % {
        "received": _date(item.received_on),
        "service": service.name,
        "due": _date(item.answer_due),
        "channel": item.contact_channel or "—",
    }
    return f"{text}\n\n{ctx.data['message']}".strip()


@transition(
    Request,
    "assign",
    gettext_lazy("Assign to a service"),
    ASSIGNABLE_STATES,
    None,
    coordinator,
    "agency",
    Visibility.INTERNAL,
    [Field("service", "service", gettext_lazy("Service in charge")), OPTIONAL_MESSAGE],
)
def assign(ctx):
    previous = ctx.item.service
    if ctx.data["service"] == previous:
        raise TransitionError(_("This service is already in charge."), code="invalid_state")
    _service_change(ctx, ctx.data["service"])
    ctx.target = ctx.item.state
    text = _("Assigned from %(old)s to %(new)s.") % {
        "old": previous.name if previous else "—",
        "new": ctx.item.service.name,
    }
    return f"{text}\n\n{ctx.data['message']}".strip()


@transition(
    Request,
    "declare_inadmissible",
    gettext_lazy("Declare inadmissible"),
    [S.SUBMITTED],
    S.INADMISSIBLE,
    coordinator,
    "agency",
    Visibility.PUBLIC,
    [REASON],
)
def declare_inadmissible(ctx):
    ctx.item.closed_at = ctx.now
    deadlines.cancel_open(ctx.item)
    return ctx.data["message"]


@transition(
    Request,
    "withdraw",
    gettext_lazy("Withdraw"),
    OPEN_REQUEST_STATES,
    S.WITHDRAWN,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [REASON],
)
def withdraw(ctx):
    ctx.item.closed_at = ctx.now
    deadlines.cancel_open(ctx.item)
    return ctx.data["message"]


@transition(
    Request,
    "start_review",
    gettext_lazy("Start the review"),
    [S.ACKNOWLEDGED],
    S.IN_REVIEW,
    service_agent,
    "city",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
)
def start_review(ctx):
    return ctx.data["message"] or _("The service is reviewing the request.")


@transition(
    Request,
    "request_info",
    gettext_lazy("Ask the council for information"),
    [S.IN_REVIEW],
    S.AWAITING_COUNCIL,
    service_agent,
    "city",
    Visibility.PUBLIC,
    [Field("message", "text", gettext_lazy("Question to the council"))],
)
def request_info(ctx):
    # The answer clock stops while the council prepares its reply.
    deadlines.pause(ctx.item, DeadlineKind.ANSWER, ctx.today)
    return ctx.data["message"]


@transition(
    Request,
    "provide_info",
    gettext_lazy("Provide the information"),
    [S.AWAITING_COUNCIL],
    S.IN_REVIEW,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [Field("message", "text", gettext_lazy("Information"))],
)
def provide_info(ctx):
    deadlines.resume(ctx.item, DeadlineKind.ANSWER, ctx.today)
    return ctx.data["message"]


def _merge_target_guard(ctx):
    kept = ctx.data.get("merged_into")
    if kept is None:
        raise TransitionError(
            _("Name the request this one is merged into."),
            fields={"merged_into": [_("Name the request this one is merged into.")]},
        )
    if kept.pk == ctx.item.pk or kept.state == S.DRAFT or kept.merged_into_id:
        raise TransitionError(
            _("A request can only be merged into another submitted request that is kept."),
            fields={"merged_into": [_("Choose another request.")]},
        )


@transition(
    Request,
    "answer",
    gettext_lazy("Answer"),
    [S.IN_REVIEW],
    S.ANSWERED,
    service_agent,
    "city",
    Visibility.PUBLIC,
    [
        Field("outcome", "choice", gettext_lazy("Outcome"), choices=tuple(OC.choices)),
        Field("message", "text", gettext_lazy("Public answer and motivation")),
        Field(
            "competent_body",
            "line",
            gettext_lazy("Competent body"),
            required=False,
            help_text=gettext_lazy("Required when the request is redirected."),
        ),
        Field(
            "merged_into",
            "request",
            gettext_lazy("Kept request"),
            required=False,
            help_text=gettext_lazy("Required when the request is merged."),
        ),
    ],
)
def answer(ctx):
    item, data = ctx.item, ctx.data
    outcome = data["outcome"]
    if outcome == OC.REDIRECTED and not data["competent_body"]:
        raise TransitionError(
            _("Name the competent body the request is redirected to."),
            fields={"competent_body": [_("This field is required.")]},
        )
    if outcome == OC.MERGED:
        _merge_target_guard(ctx)
        item.merged_into = data["merged_into"]
    item.outcome = outcome
    item.answer = data["message"]
    item.competent_body = data["competent_body"] if outcome == OC.REDIRECTED else ""
    item.answered_at = ctx.now
    deadlines.meet(item, DeadlineKind.ANSWER, ctx.today)
    return data["message"]


def _outcome_in(outcomes, refusal):
    def guard(item, today):
        return None if item.outcome in outcomes else refusal

    return guard


@transition(
    Request,
    "start_work",
    gettext_lazy("Start the work"),
    [S.ANSWERED],
    S.IN_PROGRESS,
    service_agent,
    "city",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
    guard=_outcome_in(POSITIVE_OUTCOMES, gettext_lazy("Only an accepted request is carried out.")),
)
def start_work(ctx):
    deadlines.open_deadline(ctx.item, DeadlineKind.PROGRESS_UPDATE, ctx.today, ctx.now)
    return ctx.data["message"] or _("Work has started.")


@transition(
    Request,
    "mark_done",
    gettext_lazy("Mark as done"),
    [S.IN_PROGRESS],
    S.DONE,
    service_agent,
    "city",
    Visibility.PUBLIC,
    [Field("message", "text", gettext_lazy("What was done"))],
)
def mark_done(ctx):
    ctx.item.done_at = ctx.now
    deadlines.meet(ctx.item, DeadlineKind.PROGRESS_UPDATE, ctx.today)
    deadlines.open_deadline(ctx.item, DeadlineKind.COUNCIL_CONFIRMATION, ctx.today, ctx.now)
    return ctx.data["message"]


@transition(
    Request,
    "confirm",
    gettext_lazy("Confirm it is done"),
    [S.DONE],
    S.CLOSED,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
)
def confirm(ctx):
    ctx.item.closed_at = ctx.now
    deadlines.meet(ctx.item, DeadlineKind.COUNCIL_CONFIRMATION, ctx.today)
    return ctx.data["message"] or _("The council confirmed the work is done.")


@transition(
    Request,
    "contest",
    gettext_lazy("Contest"),
    [S.DONE],
    S.IN_PROGRESS,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [REASON],
)
def contest(ctx):
    ctx.item.done_at = None
    deadlines.meet(ctx.item, DeadlineKind.COUNCIL_CONFIRMATION, ctx.today)
    deadlines.open_deadline(ctx.item, DeadlineKind.PROGRESS_UPDATE, ctx.today, ctx.now)
    return ctx.data["message"]


@transition(
    Request,
    "acknowledge_answer",
    gettext_lazy("Take note of the answer"),
    [S.ANSWERED],
    S.CLOSED,
    council_referent,
    "council",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
    guard=_outcome_in(
        NEGATIVE_OUTCOMES, gettext_lazy("An accepted request closes once the work is confirmed.")
    ),
)
def acknowledge_answer(ctx):
    ctx.item.closed_at = ctx.now
    return ctx.data["message"] or _("The council took note of the answer.")


@transition(
    Request,
    "reopen",
    gettext_lazy("Reopen"),
    [S.CLOSED],
    S.IN_REVIEW,
    coordinator,
    "agency",
    Visibility.PUBLIC,
    [REASON],
)
def reopen(ctx):
    item = ctx.item
    item.outcome = ""
    item.merged_into = None
    item.competent_body = ""
    item.answered_at = item.done_at = item.closed_at = None
    deadlines.open_deadline(item, DeadlineKind.ANSWER, ctx.today, ctx.now)
    return ctx.data["message"]


def _elapsed(since_attr, days):
    def guard(item, today):
        since = getattr(item, since_attr)
        if since is None or timezone.localdate(since) + timedelta(days=days) > today:
            return gettext_lazy("The waiting period has not ended yet.")
        return None

    return guard


def _auto_close_answered_guard(item, today):
    return _outcome_in(NEGATIVE_OUTCOMES, gettext_lazy("Not a declined answer."))(
        item, today
    ) or _elapsed("answered_at", app_settings.ANSWERED_CLOSE_DAYS)(item, today)


@transition(
    Request,
    "auto_close_done",
    gettext_lazy("Close without objection"),
    [S.DONE],
    S.CLOSED,
    None,
    "system",
    Visibility.PUBLIC,
    guard=lambda item, today: _elapsed("done_at", app_settings.CONFIRMATION_DAYS)(item, today),
)
def auto_close_done(ctx):
    ctx.item.closed_at = ctx.now
    # Silence is consent: the council owed nothing more.
    deadlines.cancel_open(ctx.item)
    return _("Closed: the council raised no objection within %(days)s days.") % {
        "days": app_settings.CONFIRMATION_DAYS
    }


@transition(
    Request,
    "auto_close_answered",
    gettext_lazy("Close after the answer"),
    [S.ANSWERED],
    S.CLOSED,
    None,
    "system",
    Visibility.PUBLIC,
    guard=_auto_close_answered_guard,
)
def auto_close_answered(ctx):
    ctx.item.closed_at = ctx.now
    return _("Closed %(days)s days after the answer.") % {"days": app_settings.ANSWERED_CLOSE_DAYS}


# Offer circuit ----------------------------------------------------------------------------------

OS = Offer.State
IS = Invitation.State


@transition(
    Offer,
    "publish",
    gettext_lazy("Publish to councils"),
    [OS.DRAFT],
    OS.OPEN,
    offer_agent,
    "city",
    Visibility.PUBLIC,
    [
        Field("councils", "councils", gettext_lazy("Councils"), required=False),
        Field("all_councils", "boolean", gettext_lazy("All active councils"), required=False),
        Field("respond_by", "date", gettext_lazy("Respond by")),
    ],
)
def publish(ctx):
    offer, data = ctx.item, ctx.data
    councils = list(
        Council.objects.filter(is_active=True)
        if data["all_councils"]
        else [council for council in data["councils"] if council.is_active]
    )
    if not councils:
        raise TransitionError(
            _("Address the offer to at least one council."),
            fields={"councils": [_("Choose one, several or all councils.")]},
        )
    earliest = ctx.today + timedelta(days=app_settings.MIN_RESPONSE_DAYS)
    if data["respond_by"] < earliest:
        message = _("Councils need at least %(days)s days: respond by %(date)s or later.") % {
            "days": app_settings.MIN_RESPONSE_DAYS,
            "date": _date(earliest),
        }
        raise TransitionError(message, fields={"respond_by": [message]})
    offer.published_on = ctx.today
    offer.respond_by = data["respond_by"]
    for council in councils:
        invitation = Invitation.objects.create(offer=offer, council=council, created_at=ctx.now)
        invitation.offer = offer
        deadlines.open_deadline(invitation, DeadlineKind.INVITATION_ACK, ctx.today, ctx.now)
        deadlines.open_deadline(
            invitation,
            DeadlineKind.INVITATION_RESPONSE,
            ctx.today,
            ctx.now,
            due_on=offer.respond_by,
        )
        invitation.save(update_fields=["acknowledge_due"])
        permissions.grant_invitation(invitation)
    return _("Offered to %(councils)s. Answers expected by %(date)s.") % {
        "councils": ", ".join(council.name for council in councils),
        "date": _date(offer.respond_by),
    }


@transition(
    Offer,
    "cancel",
    gettext_lazy("Cancel the offer"),
    [OS.OPEN],
    OS.CANCELLED,
    offer_agent,
    "city",
    Visibility.PUBLIC,
    [REASON],
)
def cancel(ctx):
    for invitation in ctx.item.invitations.all():
        deadlines.cancel_open(invitation)
    return ctx.data["message"]


def _respond_by_passed(offer, today):
    if offer.respond_by is None or offer.respond_by >= today:
        return gettext_lazy("The response period is still running.")
    return None


@transition(
    Offer,
    "close_responses",
    gettext_lazy("Close the responses"),
    [OS.OPEN],
    OS.RESPONSES_CLOSED,
    None,
    "system",
    Visibility.PUBLIC,
    guard=_respond_by_passed,
)
def close_responses(ctx):
    offer = ctx.item
    deadlines.open_deadline(offer, DeadlineKind.FEEDBACK, ctx.today, ctx.now)
    waiting = offer.invitations.select_for_update().filter(state__in=[IS.PENDING, IS.ACKNOWLEDGED])
    for invitation in waiting:
        invitation.offer = offer
        _apply_locked(invitation, get_transition(Invitation, "expire"), SYSTEM, {}, ctx.now)
    return _("Responses closed. The city publishes its feedback by %(date)s.") % {
        "date": _date(offer.feedback_due)
    }


@transition(
    Offer,
    "publish_feedback",
    gettext_lazy("Publish the feedback"),
    [OS.RESPONSES_CLOSED],
    OS.FEEDBACK_PUBLISHED,
    offer_agent,
    "city",
    Visibility.PUBLIC,
    [Field("message", "text", gettext_lazy("What the city did with the contributions"))],
)
def publish_feedback(ctx):
    ctx.item.feedback = ctx.data["message"]
    deadlines.meet(ctx.item, DeadlineKind.FEEDBACK, ctx.today)
    return ctx.data["message"]


def _offer_open(invitation, today):
    if invitation.offer.state != OS.OPEN:
        return gettext_lazy("The offer is no longer open to responses.")
    return None


@transition(
    Invitation,
    "acknowledge",
    gettext_lazy("Acknowledge the invitation"),
    [IS.PENDING],
    IS.ACKNOWLEDGED,
    invitation_referent,
    "council",
    Visibility.PUBLIC,
    [OPTIONAL_MESSAGE],
    guard=_offer_open,
)
def acknowledge_invitation(ctx):
    deadlines.meet(ctx.item, DeadlineKind.INVITATION_ACK, ctx.today)
    return ctx.data["message"] or _("The council received the invitation.")


RESPONSES = (
    (IS.ACCEPTED, gettext_lazy("Accept")),
    (IS.DECLINED, gettext_lazy("Decline")),
    (IS.COUNTER_PROPOSAL, gettext_lazy("Make a counter-proposal")),
)


@transition(
    Invitation,
    "respond",
    gettext_lazy("Respond"),
    [IS.ACKNOWLEDGED],
    None,
    invitation_referent,
    "council",
    Visibility.PUBLIC,
    [
        Field("response", "choice", gettext_lazy("Response"), choices=RESPONSES),
        Field(
            "message",
            "text",
            gettext_lazy("Message"),
            required=False,
            help_text=gettext_lazy("Required to decline or to make a counter-proposal."),
        ),
    ],
    guard=_offer_open,
)
def respond(ctx):
    response, message = ctx.data["response"], ctx.data["message"]
    if response != IS.ACCEPTED and not message:
        raise TransitionError(
            _("Explain the refusal or the counter-proposal."),
            fields={"message": [_("This field is required.")]},
        )
    ctx.target = response
    ctx.item.response = message
    deadlines.meet(ctx.item, DeadlineKind.INVITATION_RESPONSE, ctx.today)
    ctx.item.responded_at = ctx.now
    return message or _("The council accepts the offer.")


def _offer_not_cancelled(invitation, today):
    if invitation.offer.state == OS.CANCELLED:
        return gettext_lazy("The offer was cancelled.")
    return None


@transition(
    Invitation,
    "decide",
    gettext_lazy("Decide on the counter-proposal"),
    [IS.COUNTER_PROPOSAL],
    None,
    invitation_agent,
    "city",
    Visibility.PUBLIC,
    [
        Field(
            "decision",
            "choice",
            gettext_lazy("Decision"),
            choices=((IS.ACCEPTED, gettext_lazy("Accept")), (IS.DECLINED, gettext_lazy("Decline"))),
        ),
        Field("message", "text", gettext_lazy("Public motivation")),
    ],
    guard=_offer_not_cancelled,
)
def decide(ctx):
    ctx.target = ctx.data["decision"]
    return ctx.data["message"]


@transition(
    Invitation,
    "expire",
    gettext_lazy("Expire"),
    [IS.PENDING, IS.ACKNOWLEDGED],
    IS.EXPIRED,
    None,
    "system",
    Visibility.PUBLIC,
    guard=lambda invitation, today: _respond_by_passed(invitation.offer, today),
)
def expire(ctx):
    deadlines.cancel_open(ctx.item)
    return _("%(council)s: no response before %(date)s.") % {
        "council": ctx.item.council.name,
        "date": _date(ctx.item.offer.respond_by),
    }


# Running transitions ----------------------------------------------------------------------------


def _clean(transition_, raw):
    """Turn raw input (form or JSON values) into typed data, or refuse with per-field errors."""
    raw = raw or {}
    data, errors = {}, {}
    for spec in transition_.fields:
        value = raw.get(spec.name)
        try:
            data[spec.name] = _clean_value(spec, value)
        except TransitionError as error:
            errors[spec.name] = [error.message]
    if errors:
        raise TransitionError(_("Some fields are missing or wrong."), fields=errors)
    return data


def _is_blank(value):
    return value is None or value == "" or value == [] or value == ()


def _clean_value(spec, value):
    if spec.kind == "boolean":
        return value in (True, "true", "True", "on", "1", 1)
    if _is_blank(value):
        if spec.required:
            raise TransitionError(_("This field is required."))
        return [] if spec.kind == "councils" else (None if spec.kind != "text" else "")
    if spec.kind in ("text", "line", "choice"):
        if not isinstance(value, str):
            raise TransitionError(_("Enter text."))
        value = value.strip()
        if not value and spec.required:
            raise TransitionError(_("This field is required."))
        if spec.kind == "line" and len(value) > 255:
            raise TransitionError(_("Keep it under 255 characters."))
        if spec.kind == "choice" and value not in {str(choice) for choice, _label in spec.choices}:
            raise TransitionError(_("Choose one of the proposed values."))
        return value
    if spec.kind == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise TransitionError(_("Enter a date as YYYY-MM-DD.")) from None
    models_by_kind = {"service": CityService, "request": Request, "councils": Council}
    model = models_by_kind[spec.kind]
    values = value if spec.kind == "councils" else [value]
    if not isinstance(values, list | tuple):
        raise TransitionError(_("Give a list of identifiers."))
    try:
        pks = [getattr(one, "pk", one) for one in values]
        pks = [int(pk) for pk in pks]
    except (TypeError, ValueError):
        raise TransitionError(_("Give identifiers as numbers.")) from None
    found = {obj.pk: obj for obj in model.objects.filter(pk__in=pks)}
    if len(found) != len(set(pks)):
        raise TransitionError(_("Unknown identifier."))
    objects = [found[pk] for pk in pks]
    return objects if spec.kind == "councils" else objects[0]


def _actor_label(transition_, item, actor):
    council = getattr(item, "council", None)
    service = getattr(item, "service", None) or getattr(
        getattr(item, "offer", None), "service", None
    )
    agency = get_adapter().agency_name()
    if transition_.side == "council" and council is not None:
        return council.name
    if transition_.side == "city" and service is not None and not permissions.is_coordinator(actor):
        return service.name
    if transition_.side == "system":
        return _("Automatic")
    return agency


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


def _apply_locked(item, transition_, actor, raw, now):
    """Run a transition on an already locked item; returns its timeline event."""
    error = refusal(transition_, item, actor, timezone.localdate(now))
    if error is not None:
        raise error
    ctx = Context(
        item=item, actor=actor, data=_clean(transition_, raw), now=now, transition=transition_
    )
    from_state = item.state
    message = transition_.apply(ctx)
    item.state = ctx.target or transition_.target
    item.save()
    links = {"request": item} if isinstance(item, Request) else {}
    if isinstance(item, Offer):
        links = {"offer": item}
    if isinstance(item, Invitation):
        links = {"invitation": item, "offer": item.offer}
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

    Returns the item as saved; raises TransitionError and changes nothing when refused.
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
        _apply_locked(locked, transition_, actor, data, now or timezone.now())
    return locked


def available_transitions(item, actor, today=None):
    """The transitions `actor` may run on `item` now (for buttons and the API)."""
    return [
        transition_
        for transition_ in TRANSITIONS[type(item)].values()
        if not transition_.by_system and refusal(transition_, item, actor, today) is None
    ]
