"""The offer circuit: the city's offer, its invitations to councils and their responses, as
declared transitions."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic_participation import access, deadlines, permissions
from civic_participation.app_settings import app_settings
from civic_participation.errors import TransitionError
from civic_participation.models import Council, DeadlineKind, Invitation, Offer, Visibility
from civic_participation.workflow.engine import (
    SYSTEM,
    apply_locked,
    format_date,
    get_transition,
    transition,
)
from civic_participation.workflow.inputs import OPTIONAL_MESSAGE, REASON, Field

OS = Offer.State
IS = Invitation.State


@transition(
    Offer,
    "publish",
    gettext_lazy("Publish to councils"),
    [OS.DRAFT],
    OS.OPEN,
    access.SERVICE_ONLY,
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
            "date": format_date(earliest),
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
        "date": format_date(offer.respond_by),
    }


@transition(
    Offer,
    "cancel",
    gettext_lazy("Cancel the offer"),
    [OS.OPEN],
    OS.CANCELLED,
    access.SERVICE_ONLY,
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
        apply_locked(invitation, get_transition(Invitation, "expire"), SYSTEM, {}, ctx.now)
    return _("Responses closed. The city publishes its feedback by %(date)s.") % {
        "date": format_date(offer.feedback_due)
    }


@transition(
    Offer,
    "publish_feedback",
    gettext_lazy("Publish the feedback"),
    [OS.RESPONSES_CLOSED],
    OS.FEEDBACK_PUBLISHED,
    access.SERVICE_ONLY,
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
    access.REFERENT_ONLY,
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
    access.REFERENT_ONLY,
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
    access.SERVICE_ONLY,
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
        "date": format_date(ctx.item.offer.respond_by),
    }
