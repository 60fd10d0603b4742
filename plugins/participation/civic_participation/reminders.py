"""The reminder engine: what the sweep records, to whom it goes, and when e-mails leave.

The sweep runs in three steps, each safe to run twice at once or to interrupt:

1. **record**: one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` per rung writes the ledger
   row (deadline, rank) of every open deadline that reached the rung. The unique key makes a
   rung recorded once whoever gets there first; downtime only means more rows in one go.
2. **fan out**: new ledger rows, locked (``SKIP LOCKED`` where the database has it), get their
   recipients (``ReminderDelivery``) and an internal timeline event, in one transaction.
3. **deliver**: per person, at most one single reminder and one digest a day, only in the hours
   their audience may be e-mailed; the ``ReminderEmail`` row, the e-mail and the deliveries'
   new status commit together.

Queries: steps 1 and 2 run a fixed number of queries whatever the number of items; step 3 runs
a fixed number per person e-mailed (at most two e-mails per person and day).
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic_core import admin_urls
from civic_core.mail import send_message
from civic_participation import ladder
from civic_participation.adapter import get_adapter
from civic_participation.app_settings import app_settings
from civic_participation.models import (
    ESCALATION_STEPS,
    CouncilMembership,
    Deadline,
    DeadlineKind,
    Invitation,
    Reminder,
    ReminderDelivery,
    ReminderEmail,
    ReminderPreference,
    ServiceMembership,
    TimelineEvent,
    Visibility,
)

DIGEST_MAX_LINES = 50  # a digest lists this many items, then says how many more wait
EMAIL_TEMPLATES = "civic_participation/email/reminder"  # _subject.txt, .txt and .html
COORDINATORS = "Coordinators"
ELECTED = "Elected officials"
Step = Reminder.Step
Audience = ReminderDelivery.Audience


def rungs():
    return (
        *ladder.city_rungs(
            app_settings.WARNING_WORKING_DAYS_BEFORE,
            app_settings.ESCALATION_MANAGER_WORKING_DAYS_AFTER,
            app_settings.ESCALATION_COORDINATION_WORKING_DAYS_AFTER,
        ),
        *ladder.council_rungs(
            app_settings.COUNCIL_REMINDER_DAYS_AFTER_START,
            tuple(app_settings.COUNCIL_REMINDER_DAYS_BEFORE),
            app_settings.COUNCIL_ESCALATION_DAYS_AFTER,
        ),
    )


AUDIENCE_OF_RUNG = {(rung.side, rung.rank): rung.audience for rung in rungs()}


# 1. Record ---------------------------------------------------------------------------------------


def _reached(due):
    """Open, running deadlines of the rung's side that reached it and lack its ledger row."""
    queryset = Deadline.objects.open().filter(
        side=due.rung.side, paused_on__isnull=True, days__gt=due.min_days
    )
    if due.due_on_at_most is not None:
        queryset = queryset.filter(due_on__lte=due.due_on_at_most)
    if due.started_on_at_most is not None:
        queryset = queryset.filter(started_on__lte=due.started_on_at_most)
    recorded = Reminder.objects.filter(deadline=OuterRef("pk"), rank=due.rung.rank)
    return queryset.filter(~Exists(recorded)).order_by().values(reached_id=F("pk"))


def record_due(now):
    """Write the ledger row of every rung reached by `now`; returns how many were new."""
    today = timezone.localdate(now)
    calendar = get_adapter().working_calendar()
    table = connection.ops.quote_name(Reminder._meta.db_table)
    created = 0
    for due in ladder.due_rungs(rungs(), today, calendar):
        select_sql, select_params = _reached(due).query.sql_with_params()
        # WHERE 1 = 1 lets SQLite tell the upsert clause from a join constraint.
        sql = (
            f"INSERT INTO {table} (deadline_id, rank, step, recorded_at, fanned_out) "
            f"SELECT reached.reached_id, %s, %s, %s, %s FROM ({select_sql}) reached WHERE 1 = 1 "
            "ON CONFLICT (deadline_id, rank) DO NOTHING"
        )
        params = [due.rung.rank, due.rung.step, _db_datetime(now), False, *select_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            created += max(cursor.rowcount, 0)
    return created


def _db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


# 2. Fan out --------------------------------------------------------------------------------------

# The new ledger rows are read as plain rows: model instances of every joined table would cost
# more than the rest of the fan-out together at 100,000 items.
NEW_RUNG_FIELDS = {
    "pk": "pk",
    "rank": "rank",
    "step": "step",
    "deadline_id": "deadline_id",
    "side": "deadline__side",
    "kind": "deadline__kind",
    "due_on": "deadline__due_on",
    "request_id": "deadline__request_id",
    "offer_id": "deadline__offer_id",
    "invitation_id": "deadline__invitation_id",
    "invitation_offer_id": "deadline__invitation__offer_id",
    "service_id": "owning_service",
    "council_id": "owning_council",
    "state": "item_state",
}


def _locked_new_reminders():
    queryset = Reminder.objects.filter(fanned_out=False).annotate(
        owning_service=Coalesce(
            "deadline__request__service_id",
            "deadline__offer__service_id",
            "deadline__invitation__offer__service_id",
        ),
        owning_council=Coalesce(
            "deadline__request__council_id", "deadline__invitation__council_id"
        ),
        item_state=Coalesce(
            "deadline__request__state", "deadline__offer__state", "deadline__invitation__state"
        ),
    )
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return [
        dict(zip(NEW_RUNG_FIELDS, values, strict=True))
        for values in queryset.values_list(*NEW_RUNG_FIELDS.values())
    ]


def _directory(rows):
    """Everyone the new rungs may go to, in five queries."""
    service_ids = {row["service_id"] for row in rows} - {None}
    council_ids = {row["council_id"] for row in rows} - {None}
    reachable = {"user__is_active": True, "user__email__gt": ""}
    staff = defaultdict(lambda: {"agent": [], "manager": []})
    for membership in ServiceMembership.objects.filter(service_id__in=service_ids, **reachable):
        staff[membership.service_id][membership.role].append(membership.user_id)
    referents = defaultdict(list)
    for membership in CouncilMembership.objects.filter(
        council_id__in=council_ids, role=CouncilMembership.Role.REFERENT, **reachable
    ):
        referents[membership.council_id].append(membership.user_id)
    users = get_user_model().objects.filter(is_active=True, email__gt="")
    coordinators = list(users.filter(groups__name=COORDINATORS).values_list("pk", flat=True))
    elected = list(users.filter(groups__name=ELECTED).values_list("pk", flat=True))
    opted_out = set(
        ReminderPreference.objects.filter(receive_reminders=False).values_list("user_id", flat=True)
    )
    return staff, referents, coordinators, elected, opted_out


def recipients_of(row, staff, referents, coordinators, elected):
    """Who a rung goes to: the assignees, then the manager, then coordination and elected."""
    step = row["step"]
    if step == Step.COUNCIL_REMINDER:
        return referents.get(row["council_id"], [])
    if step == Step.COUNCIL_ESCALATION:
        return coordinators
    service = staff.get(row["service_id"])
    if step in (Step.WARNING, Step.REMINDER):
        # Before routing nobody in a service owes it: the coordination does.
        return (service["agent"] or service["manager"]) if service else coordinators
    if step == Step.ESCALATION_MANAGER:
        return service["manager"] if service and service["manager"] else coordinators
    return [*coordinators, *elected]


def _superseded(rows):
    """Plain rungs overtaken by a later rung recorded in the same batch (after downtime): the
    ledger keeps them, nobody is told twice about one deadline."""
    highest = defaultdict(int)
    for row in rows:
        highest[row["deadline_id"]] = max(highest[row["deadline_id"]], row["rank"])
    return {
        row["pk"]
        for row in rows
        if row["rank"] < highest[row["deadline_id"]] and row["step"] not in ESCALATION_STEPS
    }


def _event_writer(now):
    """Build the internal timeline event of a rung; labels are translated once per sweep."""
    steps = {value: str(label) for value, label in Reminder.Step.choices}
    kinds = {value: str(label) for value, label in DeadlineKind.choices}
    template = _("%(step)s: %(kind)s due on %(due)s; %(count)s recipient(s) notified.")
    automatic = _("Automatic")

    def event(row, count):
        return TimelineEvent(
            request_id=row["request_id"],
            offer_id=row["offer_id"] or row["invitation_offer_id"],
            invitation_id=row["invitation_id"],
            actor=None,
            actor_label=automatic,
            kind=f"reminder_{row['step']}",
            from_state=row["state"],
            to_state=row["state"],
            message=template
            % {
                "step": steps[row["step"]],
                "kind": kinds[row["kind"]],
                "due": row["due_on"].isoformat(),
                "count": count,
            },
            visibility=Visibility.INTERNAL,
            created_at=now,
        )

    return event


def fan_out(now):
    """List the recipients of new ledger rows and log them on the items' internal timelines."""
    with transaction.atomic():
        rows = _locked_new_reminders()
        if not rows:
            return 0
        staff, referents, coordinators, elected, opted_out = _directory(rows)
        superseded = _superseded(rows)
        event = _event_writer(now)
        deliveries, events = [], []
        for row in rows:
            escalation = row["step"] in ESCALATION_STEPS
            audience = AUDIENCE_OF_RUNG[(row["side"], row["rank"])]
            people = (
                []
                if row["pk"] in superseded
                else list(
                    dict.fromkeys(recipients_of(row, staff, referents, coordinators, elected))
                )
            )
            for user_id in people:
                opted = user_id in opted_out and not escalation
                deliveries.append(
                    ReminderDelivery(
                        reminder_id=row["pk"],
                        recipient_id=user_id,
                        audience=audience,
                        is_escalation=escalation,
                        status=ReminderDelivery.Status.OPTED_OUT
                        if opted
                        else ReminderDelivery.Status.PENDING,
                    )
                )
            events.append(event(row, len(people)))
        ReminderDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        TimelineEvent.objects.bulk_create(events)
        Reminder.objects.filter(pk__in=[row["pk"] for row in rows]).update(fanned_out=True)
    return len(rows)


# 3. Deliver --------------------------------------------------------------------------------------


def may_email(audience, local_now: datetime, calendar):
    """Agents on working days during office hours; volunteers never late at night."""
    if audience == Audience.AGENT:
        start, end = app_settings.AGENT_EMAIL_HOURS
        return calendar.is_working_day(local_now.date()) and start <= local_now.hour < end
    start, end = app_settings.VOLUNTEER_EMAIL_HOURS
    return start <= local_now.hour < end


def _allowed_audiences(now, calendar):
    local_now = timezone.localtime(now)
    return [audience for audience in Audience.values if may_email(audience, local_now, calendar)]


def _pending(audiences):
    return ReminderDelivery.objects.filter(
        status=ReminderDelivery.Status.PENDING, audience__in=audiences
    )


def deliver(now):
    """Send what may leave now; returns the number of e-mails sent."""
    calendar = get_adapter().working_calendar()
    audiences = _allowed_audiences(now, calendar)
    if not audiences:
        return 0
    today = timezone.localdate(now)
    digest_time = timezone.localtime(now).hour >= app_settings.DIGEST_HOUR
    already = defaultdict(set)
    for recipient_id, kind in ReminderEmail.objects.filter(day=today).values_list(
        "recipient_id", "kind"
    ):
        already[recipient_id].add(kind)
    sent = 0
    recipients = _pending(audiences).values_list("recipient_id", flat=True).distinct()
    for recipient_id in list(recipients.order_by("recipient_id")):
        if ReminderEmail.Kind.SINGLE not in already[recipient_id]:
            kind = ReminderEmail.Kind.SINGLE
        elif digest_time and ReminderEmail.Kind.DIGEST not in already[recipient_id]:
            kind = ReminderEmail.Kind.DIGEST
        else:
            continue
        sent += _send_one(recipient_id, kind, audiences, today, now)
    return sent


def _deliveries_for(recipient_id, audiences):
    queryset = (
        _pending(audiences)
        .filter(recipient_id=recipient_id)
        .select_related(
            "recipient",
            "reminder__deadline__request",
            "reminder__deadline__offer",
            "reminder__deadline__invitation__offer",
            "reminder__deadline__invitation__council",
        )
        .order_by("-is_escalation", "reminder__recorded_at", "pk")
    )
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset


def _send_one(recipient_id, kind, audiences, today, now):
    """One e-mail to one person, committed with its ledger row or not at all."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                email_row = ReminderEmail.objects.create(
                    recipient_id=recipient_id, day=today, kind=kind, sent_at=now
                )
        except IntegrityError:
            # Another cluster sent this person's e-mail of that kind today.
            return 0
        deliveries = _deliveries_for(recipient_id, audiences)
        if kind == ReminderEmail.Kind.SINGLE:
            deliveries = deliveries[:1]
        deliveries = list(deliveries)
        if not deliveries:
            transaction.set_rollback(True)
            return 0
        _send(email_row, deliveries)
        status = (
            ReminderDelivery.Status.SENT
            if kind == ReminderEmail.Kind.SINGLE
            else ReminderDelivery.Status.DIGESTED
        )
        ReminderDelivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
            status=status, email=email_row
        )
    return 1


def item_reference(item):
    return str(item) if isinstance(item, Invitation) else f"{item.reference} {item}"


def _language(user):
    from wagtail.users.models import UserProfile

    # Read only: get_for_user() would create a profile for every person reminded.
    chosen = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True)
    return next(iter(chosen), "") or settings.LANGUAGE_CODE


def _send(email_row, deliveries):
    """Render the reminder or digest in the recipient's language and send it."""
    recipient = deliveries[0].recipient
    with translation.override(_language(recipient)):
        lines = [
            {
                "step": delivery.reminder.get_step_display(),
                "escalation": delivery.is_escalation,
                "deadline": delivery.reminder.deadline,
                "item": delivery.reminder.deadline.item,
                "reference": item_reference(delivery.reminder.deadline.item),
                "url": admin_urls.inspect_url(delivery.reminder.deadline.item, full=True),
                "days_late": max(0, (email_row.day - delivery.reminder.deadline.due_on).days),
            }
            for delivery in deliveries
        ]
        context = {
            "recipient": recipient,
            "lines": lines[:DIGEST_MAX_LINES],
            "more": max(0, len(lines) - DIGEST_MAX_LINES),
            "digest": email_row.kind == ReminderEmail.Kind.DIGEST,
            "opt_out_possible": not all(line["escalation"] for line in lines),
        }
        send_message(
            EMAIL_TEMPLATES,
            context,
            [recipient.email],
            headers={"Message-ID": _message_id(email_row)},
        )


def _message_id(email_row):
    """Stable per person, day and kind: a receiving server drops a message sent twice (a
    retried sweep)."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return (
        f"<participation-{email_row.kind}-{email_row.recipient_id}-{email_row.day:%Y%m%d}@{domain}>"
    )


# The sweep ---------------------------------------------------------------------------------------


def sweep(now=None):
    """Record, fan out and deliver everything due at `now`."""
    now = now or timezone.now()
    recorded = record_due(now)
    fanned = fan_out(now)
    emails = deliver(now)
    return {"recorded": recorded, "fanned_out": fanned, "emails": emails}
