"""The reminder ladder, its ledger, quiet hours, the daily cap and digest (frozen dates)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic_participation import reminders
from civic_participation.calendar import WorkingCalendar
from civic_participation.ladder import latest_due_reached
from civic_participation.models import (
    Reminder,
    ReminderDelivery,
    ReminderEmail,
    ReminderPreference,
    TimelineEvent,
    Visibility,
)
from civic_participation.workflow import perform
from tests.participation.factories import draft_request, open_offer

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def submitted(city, now, title="Des bancs place de la Paix"):
    # Routed at drafting, so the service's agents owe the acknowledgement.
    item = draft_request(city.council, city.member, service=city.service, title=title)
    return perform(item, "submit", city.referent, now=now)


def steps(item):
    return list(
        Reminder.objects.filter(deadline__request=item)
        .order_by("rank")
        .values_list("step", flat=True)
    )


def test_thresholds_turn_working_day_rungs_into_due_date_bounds():
    calendar = WorkingCalendar(subdivision="6AE")
    # On Friday 6 March a deadline due up to Wednesday 11 has reached its D-3 warning...
    assert latest_due_reached(date(2026, 3, 6), -3, calendar) == date(2026, 3, 11)
    # ...and on Saturday 7 the same, as no working day passed.
    assert latest_due_reached(date(2026, 3, 7), -3, calendar) == date(2026, 3, 11)
    # D+5: on Monday 16 March, deadlines due up to Monday 9 are escalated, not those of the 10th.
    assert latest_due_reached(date(2026, 3, 16), 5, calendar) == date(2026, 3, 9)
    # Around Easter 2026 in Alsace (Good Friday 3, Easter Monday 6 April).
    assert latest_due_reached(date(2026, 4, 7), 0, calendar) == date(2026, 4, 7)
    # On Thursday 2 April, a deadline due Tuesday 7 has reached its D-1 (Thursday 2) rung.
    assert latest_due_reached(date(2026, 4, 2), -1, calendar) == date(2026, 4, 7)


def test_the_city_ladder_warns_reminds_and_escalates_once_each(city, mailoutbox):
    item = submitted(city, at(2026, 3, 2))  # acknowledgement due Monday 9 March
    assert reminders.sweep(at(2026, 3, 3)) == {"recorded": 0, "fanned_out": 0, "emails": 0}

    assert reminders.sweep(at(2026, 3, 4))["recorded"] == 1  # D-3 working days
    assert [mail.to for mail in mailoutbox] == [[city.agent.email]]
    assert reminders.sweep(at(2026, 3, 4, 11)) == {"recorded": 0, "fanned_out": 0, "emails": 0}

    reminders.sweep(at(2026, 3, 9))  # D: the item turns overdue tomorrow
    reminders.sweep(at(2026, 3, 16))  # D+5 working days
    reminders.sweep(at(2026, 3, 27))
    assert steps(item) == ["warning", "reminder", "escalation_manager"]
    reminders.sweep(at(2026, 3, 30))  # D+15 working days
    reminders.sweep(at(2026, 3, 31))
    assert steps(item) == ["warning", "reminder", "escalation_manager", "escalation_coordination"]
    assert [mail.to[0] for mail in mailoutbox] == [
        city.agent.email,
        city.agent.email,
        city.manager.email,
        city.coordinator.email,
        city.elected.email,
    ]
    escalation = mailoutbox[2]
    assert item.reference in escalation.subject
    link = f"http://testserver/admin/civic_participation/request/inspect/{item.pk}/"
    assert link in escalation.body and link in escalation.alternatives[0][0]
    assert "overdue by 7 days" in escalation.body or "en retard de 7 jours" in escalation.body

    events = TimelineEvent.objects.filter(request=item, kind__startswith="reminder_")
    assert events.count() == 4
    assert set(events.values_list("visibility", flat=True)) == {Visibility.INTERNAL}


def test_a_subject_with_an_apostrophe_is_sent_as_plain_text(city, mailoutbox):
    submitted(city, at(2026, 3, 2), title="L'abri de l'école")
    reminders.sweep(at(2026, 3, 4))  # D-3 working days: the warning
    [mail] = mailoutbox
    assert "L'abri de l'école" in mail.subject
    assert "L'abri de l'école" in mail.body
    assert "&#x27;" not in mail.subject and "&#x27;" not in mail.body


def test_a_reminder_email_has_a_stable_message_id(city, mailoutbox, settings):
    """Per person, day and kind: a receiving server drops the same e-mail sent twice."""
    settings.DEFAULT_FROM_EMAIL = "Participation <participation@ville.example>"
    submitted(city, at(2026, 3, 2))
    reminders.sweep(at(2026, 3, 4))
    [mail] = mailoutbox
    row = ReminderEmail.objects.get()
    expected = f"<participation-{row.kind}-{city.agent.pk}-20260304@ville.example>"
    assert mail.extra_headers["Message-ID"] == expected
    assert mail.message()["Message-ID"] == expected


def test_agents_are_emailed_on_working_days_in_office_hours_across_dst(city, mailoutbox):
    submitted(city, at(2026, 3, 23))  # due Monday 30 March, warning Wednesday 25
    reminders.sweep(at(2026, 3, 25, 8, 45))
    assert ReminderDelivery.objects.get().status == ReminderDelivery.Status.PENDING
    assert mailoutbox == []
    reminders.sweep(at(2026, 3, 28, 10))  # Saturday
    assert mailoutbox == []
    # 07:30 UTC is 08:30 in Paris on Friday 27 March (CET) but 09:30 on Monday 30 (CEST).
    reminders.sweep(datetime(2026, 3, 27, 7, 30, tzinfo=UTC))
    assert mailoutbox == []
    reminders.sweep(datetime(2026, 3, 30, 7, 30, tzinfo=UTC))
    assert len(mailoutbox) == 1


def test_volunteers_are_never_emailed_at_night(city, mailoutbox):
    open_offer(city, [city.council], respond_by="2026-04-10", now=at(2026, 3, 2))
    # The acknowledgement (10 days, due 12 March) reaches D-7 on 5 March.
    reminders.sweep(at(2026, 3, 5, 21, 30))
    assert mailoutbox == []
    reminders.sweep(at(2026, 3, 6, 7, 59))
    assert mailoutbox == []
    reminders.sweep(at(2026, 3, 7, 8))  # a Saturday is fine for volunteers
    assert [mail.to for mail in mailoutbox] == [[city.referent.email]]


def test_one_reminder_email_a_day_and_the_rest_in_the_afternoon_digest(city, mailoutbox):
    for title in ("Bancs", "Trottoir", "Lampadaire"):
        submitted(city, at(2026, 3, 2), title=title)
    reminders.sweep(at(2026, 3, 4, 10))
    assert len(mailoutbox) == 1
    reminders.sweep(at(2026, 3, 4, 12))
    assert len(mailoutbox) == 1
    reminders.sweep(at(2026, 3, 4, 16, 5))
    assert len(mailoutbox) == 2
    digest = mailoutbox[1]
    assert digest.body.count("/admin/civic_participation/request/inspect/") == 2
    reminders.sweep(at(2026, 3, 4, 16, 30))
    assert len(mailoutbox) == 2
    statuses = sorted(ReminderDelivery.objects.values_list("status", flat=True))
    assert statuses == ["digested", "digested", "sent"]
    assert ReminderEmail.objects.filter(recipient=city.agent, day=date(2026, 3, 4)).count() == 2


def test_plain_reminders_can_be_opted_out_of_escalations_cannot(city, mailoutbox):
    ReminderPreference.objects.create(user=city.agent, receive_reminders=False)
    ReminderPreference.objects.create(user=city.manager, receive_reminders=False)
    submitted(city, at(2026, 3, 2))
    reminders.sweep(at(2026, 3, 4))
    reminders.sweep(at(2026, 3, 9))
    assert mailoutbox == []
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"opted_out"}
    reminders.sweep(at(2026, 3, 16))
    assert [mail.to for mail in mailoutbox] == [[city.manager.email]]


def test_after_downtime_every_rung_is_recorded_and_only_escalations_are_sent(city, mailoutbox):
    item = submitted(city, at(2026, 3, 2))
    reminders.sweep(at(2026, 4, 1, 10))
    assert steps(item) == ["warning", "reminder", "escalation_manager", "escalation_coordination"]
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [city.manager.email, city.coordinator.email, city.elected.email]
    )
    assert reminders.sweep(at(2026, 4, 1, 10, 5)) == {"recorded": 0, "fanned_out": 0, "emails": 0}


def test_paused_deadlines_are_not_chased(city):
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent, now=at(2026, 3, 2))
    perform(item, "acknowledge", city.agent, now=at(2026, 3, 2))
    perform(item, "start_review", city.agent, now=at(2026, 3, 2))
    perform(item, "request_info", city.agent, {"message": "Où ?"}, now=at(2026, 3, 3))
    reminders.sweep(at(2026, 6, 1))
    assert not Reminder.objects.filter(deadline__kind="answer").exists()


def test_council_side_reminders_at_most_three_then_the_coordination(city, mailoutbox):
    offer = open_offer(city, [city.council], respond_by="2026-04-10", now=at(2026, 3, 2))
    invitation = offer.invitations.get()
    for day in range(3, 14):
        reminders.sweep(at(2026, 3, day, 10))
    ack = Reminder.objects.filter(deadline__invitation=invitation, deadline__kind="invitation_ack")
    assert list(ack.order_by("rank").values_list("rank", "step")) == [
        (1, "council_reminder"),  # J+7
        (2, "council_reminder"),  # D-7
        (3, "council_reminder"),  # D-2
        (4, "council_escalation"),  # D+1, to the coordination
    ]
    recipients = ReminderDelivery.objects.filter(reminder__in=ack)
    assert set(recipients.filter(reminder__rank__lt=4).values_list("recipient", flat=True)) == {
        city.referent.pk
    }
    assert list(recipients.filter(reminder__rank=4).values_list("recipient", flat=True)) == [
        city.coordinator.pk
    ]


def _sweep_queries(now):
    with CaptureQueriesContext(connection) as captured:
        result = reminders.sweep(now)
    return len(captured), result


def test_the_sweep_query_count_does_not_grow_with_the_number_of_items(city, mailoutbox):
    for index in range(2):
        submitted(city, at(2026, 3, 2), title=f"Petit lot {index}")
    small, small_result = _sweep_queries(at(2026, 3, 4))
    for index in range(12):
        submitted(city, at(2026, 3, 9), title=f"Grand lot {index}")
    large, large_result = _sweep_queries(at(2026, 3, 11))
    assert small_result["fanned_out"] == 2
    # The twelve warnings plus the first two items reaching their due date.
    assert large_result["fanned_out"] == 14
    assert small_result["emails"] == large_result["emails"] == 1
    assert small == large
