"""Deadlines as data: policies, working days, pauses, extensions, met on time or late."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from civic_participation import deadlines, services
from civic_participation.calendar import WorkingCalendar
from civic_participation.models import (
    ClosureDay,
    Counting,
    Deadline,
    DeadlineKind,
    DeadlinePolicy,
    TimelineEvent,
    Visibility,
)
from civic_participation.workflow import perform
from tests.participation.factories import draft_request, open_offer

PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def submitted(city, now):
    item = draft_request(city.council, city.member)
    return perform(item, "submit", city.referent, now=now)


def acknowledged(city, now):
    item = submitted(city, now)
    return perform(item, "acknowledge", city.coordinator, {"service": city.service.pk}, now=now)


def test_good_friday_and_easter_monday_are_skipped_in_alsace(city):
    # Wednesday 1 April 2026: Good Friday (3rd, Alsace-Moselle) and Easter Monday (6th) are off.
    item = submitted(city, at(2026, 4, 1))
    deadline = Deadline.objects.get(request=item, kind=DeadlineKind.ACKNOWLEDGE)
    assert deadline.due_on == item.acknowledge_due == date(2026, 4, 10)
    assert deadline.counting == Counting.WORKING_DAYS and deadline.policy is None
    elsewhere = WorkingCalendar(subdivision=None)
    assert elsewhere.add_working_days(date(2026, 4, 1), 5) == date(2026, 4, 9)


def test_26_december_is_a_holiday_in_alsace_only():
    # 2025: the 25th is a Thursday, the 26th a Friday, 1 January a Thursday.
    assert WorkingCalendar(subdivision="6AE").add_working_days(date(2025, 12, 23), 5) == date(
        2026, 1, 2
    )
    assert WorkingCalendar(subdivision=None).add_working_days(date(2025, 12, 23), 5) == date(
        2025, 12, 31
    )
    assert WorkingCalendar(subdivision="6AE").subtract_working_days(date(2025, 12, 29), 1) == date(
        2025, 12, 24
    )


def test_closure_days_edited_in_the_admin_table_are_not_working_days(city):
    ClosureDay.objects.create(day=date(2026, 3, 9), label="Pont municipal")
    # Friday 6 March: with Monday 9 closed, the fifth working day is Monday 16.
    item = submitted(city, at(2026, 3, 6))
    assert item.acknowledge_due == date(2026, 3, 16)


def test_the_local_date_is_taken_in_paris_across_the_spring_dst_change(city):
    # 22:30 UTC on Sunday 29 March 2026 is already 00:30 on Monday 30 in Paris (CEST, UTC+2).
    item = submitted(city, datetime(2026, 3, 29, 22, 30, tzinfo=ZoneInfo("UTC")))
    assert item.received_on == date(2026, 3, 30)
    # 31 Mar, 1, 2 Apr, (3 Good Friday, 6 Easter Monday), 7, 8.
    assert item.acknowledge_due == date(2026, 4, 8)


def test_weekend_submission_counts_from_the_next_working_day(city):
    item = submitted(city, at(2026, 3, 7))  # Saturday
    assert item.acknowledge_due == date(2026, 3, 13)


def test_the_most_specific_policy_in_force_wins_and_is_remembered(city):
    DeadlinePolicy.objects.create(
        kind=DeadlineKind.ACKNOWLEDGE,
        days=10,
        counting=Counting.WORKING_DAYS,
        valid_from=date(2026, 1, 1),
    )
    for_service = DeadlinePolicy.objects.create(
        kind=DeadlineKind.ACKNOWLEDGE,
        days=2,
        counting=Counting.WORKING_DAYS,
        service=city.service,
        valid_from=date(2026, 1, 1),
    )
    DeadlinePolicy.objects.create(
        kind=DeadlineKind.ACKNOWLEDGE,
        days=1,
        counting=Counting.CALENDAR_DAYS,
        service=city.service,
        valid_from=date(2026, 6, 1),  # a later version, not yet in force in March
    )
    general = submitted(city, at(2026, 3, 2))
    assert general.acknowledge_due == date(2026, 3, 16)
    routed = draft_request(city.council, city.member, service=city.service)
    routed = perform(routed, "submit", city.referent, now=at(2026, 3, 2))
    assert routed.acknowledge_due == date(2026, 3, 4)
    assert Deadline.objects.get(request=routed).policy == for_service


def test_waiting_for_the_council_pauses_the_answer_deadline(city):
    item = acknowledged(city, at(2026, 3, 2))
    assert item.answer_due == date(2026, 4, 15)  # 30 working days, Good Friday and Easter off
    perform(item, "start_review", city.agent, now=at(2026, 3, 3))
    perform(item, "request_info", city.agent, {"message": "Quel trottoir ?"}, now=at(2026, 3, 4))
    deadline = Deadline.objects.get(request=item, kind=DeadlineKind.ANSWER)
    assert deadline.paused_on == date(2026, 3, 4)
    item = perform(
        item, "provide_info", city.referent, {"message": "Le nord."}, now=at(2026, 3, 11)
    )
    deadline.refresh_from_db()
    # Five working days paused (5, 6, 9, 10, 11 March) push the due date by five working days.
    assert deadline.paused_on is None
    assert deadline.due_on == item.answer_due == date(2026, 4, 22)
    assert deadline.original_due_on == date(2026, 4, 15)


def test_meeting_a_deadline_records_on_time_or_late_and_freezes_it(city):
    on_time = acknowledged(city, at(2026, 3, 2))
    ack = Deadline.objects.get(request=on_time, kind=DeadlineKind.ACKNOWLEDGE)
    assert ack.status == Deadline.Status.MET and ack.met_late is False
    late = submitted(city, at(2026, 3, 2))
    late = perform(
        late, "acknowledge", city.coordinator, {"service": city.service.pk}, now=at(2026, 3, 20)
    )
    ack = Deadline.objects.get(request=late, kind=DeadlineKind.ACKNOWLEDGE)
    assert ack.met_on == date(2026, 3, 20) and ack.met_late is True
    with pytest.raises(deadlines.DeadlineError) as refused:
        services.extend_deadline(
            city.coordinator, ack, date(2026, 4, 30), "Trop tard", now=at(2026, 3, 21)
        )
    assert refused.value.code == "invalid_state"


def test_extending_needs_a_manager_or_coordinator_a_reason_and_leaves_a_public_event(city):
    item = acknowledged(city, at(2026, 3, 2))
    deadline = Deadline.objects.get(request=item, kind=DeadlineKind.ANSWER)
    with pytest.raises(deadlines.DeadlineError) as refused:
        services.extend_deadline(
            city.agent, deadline, date(2026, 5, 15), "Étude", now=at(2026, 3, 5)
        )
    assert refused.value.code == "forbidden"
    with pytest.raises(deadlines.DeadlineError) as refused:
        services.extend_deadline(city.manager, deadline, date(2026, 5, 15), " ", now=at(2026, 3, 5))
    assert set(refused.value.fields) == {"reason"}
    with pytest.raises(deadlines.DeadlineError) as refused:
        services.extend_deadline(
            city.manager, deadline, date(2026, 4, 1), "Étude", now=at(2026, 3, 5)
        )
    assert set(refused.value.fields) == {"due_on"}
    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 4, 15) and not deadline.extensions.exists()

    services.extend_deadline(
        city.manager, deadline, date(2026, 5, 15), "Étude de sol nécessaire", now=at(2026, 3, 5)
    )
    deadline.refresh_from_db()
    item.refresh_from_db()
    assert deadline.due_on == item.answer_due == date(2026, 5, 15)
    extension = deadline.extensions.get()
    assert extension.actor == city.manager and extension.previous_due_on == date(2026, 4, 15)
    event = TimelineEvent.objects.get(request=item, kind="extend_deadline")
    assert event.visibility == Visibility.PUBLIC and "Étude de sol" in event.message
    assert event.actor_label == city.service.name


def test_leaving_the_circuit_cancels_open_deadlines(city):
    item = submitted(city, at(2026, 3, 2))
    perform(item, "withdraw", city.referent, {"message": "Réglé autrement"}, now=at(2026, 3, 3))
    assert Deadline.objects.get(request=item).status == Deadline.Status.CANCELLED


@override_settings(CIVIC_PARTICIPATION_INVITATION_ACK_DAYS=12)
def test_offer_deadlines_open_for_each_invitation_and_close_with_the_responses(city):
    from civic_participation.models import Offer

    offer = open_offer(city, [city.council], respond_by="2026-04-10", now=at(2026, 3, 2))
    invitation = offer.invitations.get()
    kinds = dict(Deadline.objects.filter(invitation=invitation).values_list("kind", "due_on"))
    assert kinds == {
        DeadlineKind.INVITATION_ACK: date(2026, 3, 14),
        DeadlineKind.INVITATION_RESPONSE: date(2026, 4, 10),
    }
    assert invitation.acknowledge_due == date(2026, 3, 14)
    perform(invitation, "acknowledge", city.referent, now=at(2026, 3, 4))
    assert (
        Deadline.objects.get(invitation=invitation, kind=DeadlineKind.INVITATION_ACK).met_late
        is False
    )
    from civic_participation.services import run_scheduled_transitions

    run_scheduled_transitions(now=at(2026, 4, 13))
    offer.refresh_from_db()
    assert offer.state == Offer.State.RESPONSES_CLOSED
    feedback = Deadline.objects.get(offer=offer, kind=DeadlineKind.FEEDBACK)
    assert feedback.due_on == offer.feedback_due
    assert Deadline.objects.get(
        invitation=invitation, kind=DeadlineKind.INVITATION_RESPONSE
    ).status == (Deadline.Status.CANCELLED)


def test_deadline_extensions_are_an_append_only_audit_record():
    from civic_core.records import AppendOnlyModel
    from civic_participation.models import DeadlineExtension

    assert issubclass(DeadlineExtension, AppendOnlyModel)
