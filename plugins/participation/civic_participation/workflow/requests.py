"""The request circuit: a council's request, from draft to closure, as declared transitions."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_participation import access, deadlines, permissions
from civic_participation.adapter import get_adapter
from civic_participation.app_settings import app_settings
from civic_participation.errors import TransitionError
from civic_participation.models import DeadlineKind, Request, Visibility
from civic_participation.workflow.engine import format_date, transition
from civic_participation.workflow.inputs import OPTIONAL_MESSAGE, REASON, Field

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
    access.REFERENT_ONLY,
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
    access.COORDINATOR_OR_SERVICE,
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
        "received": format_date(item.received_on),
        "service": service.name,
        "due": format_date(item.answer_due),
        "channel": item.contact_channel or "—",
    }
    return f"{text}\n\n{ctx.data['message']}".strip()


@transition(
    Request,
    "assign",
    gettext_lazy("Assign to a service"),
    ASSIGNABLE_STATES,
    None,
    access.COORDINATOR_ONLY,
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
    access.COORDINATOR_ONLY,
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
    access.REFERENT_ONLY,
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
    access.SERVICE_ONLY,
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
    access.SERVICE_ONLY,
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
    access.REFERENT_ONLY,
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
    access.SERVICE_ONLY,
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
    access.SERVICE_ONLY,
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
    access.SERVICE_ONLY,
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
    access.REFERENT_ONLY,
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
    access.REFERENT_ONLY,
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
    access.REFERENT_ONLY,
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
    access.COORDINATOR_ONLY,
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
