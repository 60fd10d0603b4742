"""The request circuit end to end through the workflow."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civic_participation.models import Request, TimelineEvent, Visibility
from civic_participation.workflow import TransitionError, perform
from tests.participation.factories import draft_request

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime(*args, 10, 0, tzinfo=PARIS)


def acknowledged(city, now=None):
    item = draft_request(city.council, city.member)
    perform(item, "submit", city.referent, now=now)
    return perform(item, "acknowledge", city.coordinator, {"service": city.service.pk}, now=now)


def test_submission_sets_the_acknowledgement_due_date_in_working_days(city):
    item = draft_request(city.council, city.member)
    # Wednesday 23 December 2026: 25 and 26 December are holidays in Alsace-Moselle.
    item = perform(item, "submit", city.referent, now=at(2026, 12, 23))
    assert item.state == Request.State.SUBMITTED
    assert item.received_on == date(2026, 12, 23)
    assert item.acknowledge_due == date(2026, 12, 31)


def test_acknowledgement_states_received_date_due_date_service_and_contact(city):
    city.service.contact_channel = "voirie@mulhouse.example, 03 89 00 00 00"
    city.service.save()
    item = acknowledged(city, now=at(2026, 3, 2))
    assert item.state == Request.State.ACKNOWLEDGED
    assert item.service == city.service
    # 30 working days after Monday 2 March 2026, Good Friday (3 April) and Easter Monday skipped.
    assert item.answer_due == date(2026, 4, 15)
    event = item.events.get(kind="acknowledge")
    assert event.visibility == Visibility.PUBLIC
    assert "2 mars 2026" in event.message or "March 2, 2026" in event.message
    assert "Voirie" in event.message
    assert "voirie@mulhouse.example" in event.message
    assert "15 avril 2026" in event.message or "April 15, 2026" in event.message


def test_full_accepted_path_to_closed(city):
    item = acknowledged(city)
    for name, actor, data in [
        ("start_review", city.agent, {}),
        ("answer", city.agent, {"outcome": "accepted", "message": "Trois bancs seront posés."}),
        ("start_work", city.agent, {}),
        ("mark_done", city.agent, {"message": "Bancs posés le 12 mai."}),
        ("confirm", city.referent, {}),
    ]:
        item = perform(item, name, actor, data)
    assert item.state == Request.State.CLOSED
    assert item.outcome == Request.Outcome.ACCEPTED
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == [
        "create",
        "submit",
        "acknowledge",
        "start_review",
        "answer",
        "start_work",
        "mark_done",
        "confirm",
    ]


def test_information_request_pauses_the_answer_clock(city):
    item = acknowledged(city, now=at(2026, 3, 2))
    perform(item, "start_review", city.agent, now=at(2026, 3, 3))
    perform(item, "request_info", city.agent, {"message": "Quel trottoir ?"}, now=at(2026, 3, 4))
    item = perform(
        item, "provide_info", city.referent, {"message": "Côté école."}, now=at(2026, 3, 11)
    )
    # Five working days paused (5 to 11 March) push the answer due date by five working days.
    assert item.state == Request.State.IN_REVIEW
    assert item.answer_due == date(2026, 4, 22)


def test_declined_answer_needs_a_motivation_and_redirect_a_competent_body(city):
    item = acknowledged(city)
    perform(item, "start_review", city.agent)
    with pytest.raises(TransitionError) as refused:
        perform(item, "answer", city.agent, {"outcome": "declined", "message": " "})
    assert "message" in refused.value.fields
    with pytest.raises(TransitionError) as refused:
        perform(item, "answer", city.agent, {"outcome": "redirected", "message": "Pas nous."})
    assert "competent_body" in refused.value.fields
    item.refresh_from_db()
    assert item.state == Request.State.IN_REVIEW
    assert not item.events.filter(kind="answer").exists()
    item = perform(
        item,
        "answer",
        city.agent,
        {"outcome": "redirected", "message": "Compétence de m2A.", "competent_body": "m2A"},
    )
    assert item.competent_body == "m2A"


def test_merge_points_to_the_kept_request_and_closes_after_council_acknowledgement(city):
    kept = acknowledged(city)
    item = acknowledged(city)
    perform(item, "start_review", city.agent)
    item = perform(
        item,
        "answer",
        city.agent,
        {"outcome": "merged", "message": "Même sujet.", "merged_into": kept.pk},
    )
    assert item.merged_into == kept
    item = perform(item, "acknowledge_answer", city.referent)
    assert item.state == Request.State.CLOSED


def test_withdraw_and_inadmissible_need_a_public_reason(city):
    item = draft_request(city.council, city.member)
    perform(item, "submit", city.referent)
    with pytest.raises(TransitionError):
        perform(item, "withdraw", city.referent, {})
    with pytest.raises(TransitionError):
        perform(item, "declare_inadmissible", city.coordinator, {"message": ""})
    item = perform(item, "declare_inadmissible", city.coordinator, {"message": "Hors champ."})
    assert item.state == Request.State.INADMISSIBLE
    assert item.events.get(kind="declare_inadmissible").message == "Hors champ."
    other = draft_request(city.council, city.member)
    other = perform(other, "withdraw", city.referent, {"message": "Réglé entre-temps."})
    assert other.state == Request.State.WITHDRAWN
    # A draft withdrawn before submission was never received: it stays out of the public view.
    assert not Request.objects.public().filter(pk=other.pk).exists()
    assert Request.objects.public().filter(pk=item.pk).exists()


def test_contest_returns_to_work_and_reopen_returns_to_review(city):
    item = acknowledged(city)
    perform(item, "start_review", city.agent)
    perform(item, "answer", city.agent, {"outcome": "partially_accepted", "message": "En partie."})
    perform(item, "start_work", city.agent)
    perform(item, "mark_done", city.agent, {"message": "Fait."})
    item = perform(item, "contest", city.referent, {"message": "Il manque un banc."})
    assert item.state == Request.State.IN_PROGRESS
    perform(item, "mark_done", city.agent, {"message": "Le dernier banc est posé."})
    item = perform(item, "confirm", city.referent)
    with pytest.raises(TransitionError):
        perform(item, "reopen", city.coordinator, {})
    item = perform(item, "reopen", city.coordinator, {"message": "Un banc a été arraché."})
    assert item.state == Request.State.IN_REVIEW
    assert item.outcome == ""
    assert item.answer_due is not None


def test_assignment_moves_permissions_and_is_internal(city):
    item = acknowledged(city)
    assert city.agent.has_perm("civic_participation.handle_request", item)
    perform(item, "assign", city.coordinator, {"service": city.other_service.pk})
    item.refresh_from_db()
    fresh_agent = type(city.agent).objects.get(pk=city.agent.pk)
    fresh_other = type(city.agent).objects.get(pk=city.other_agent.pk)
    assert not fresh_agent.has_perm("civic_participation.view_request", item)
    assert fresh_other.has_perm("civic_participation.handle_request", item)
    assert item.events.get(kind="assign").visibility == Visibility.INTERNAL


def test_scheduler_closes_done_after_14_days_and_declined_after_30(city):
    from civic_participation.services import run_scheduled_transitions

    done = acknowledged(city)
    perform(done, "start_review", city.agent)
    perform(done, "answer", city.agent, {"outcome": "accepted", "message": "Oui."})
    perform(done, "start_work", city.agent)
    perform(done, "mark_done", city.agent, {"message": "Fait."}, now=at(2026, 5, 4))
    declined = acknowledged(city)
    perform(declined, "start_review", city.agent)
    perform(
        declined,
        "answer",
        city.agent,
        {"outcome": "declined", "message": "Non."},
        now=at(2026, 5, 4),
    )
    assert run_scheduled_transitions(now=at(2026, 5, 17)) == {}
    assert run_scheduled_transitions(now=at(2026, 5, 18)) == {"auto_close_done": 1}
    assert run_scheduled_transitions(now=at(2026, 6, 3)) == {"auto_close_answered": 1}
    declined.refresh_from_db()
    assert declined.state == Request.State.CLOSED
    event = declined.events.get(kind="auto_close_answered")
    assert event.actor is None and event.visibility == Visibility.PUBLIC
    assert run_scheduled_transitions(now=at(2026, 6, 3)) == {}


def test_overdue_is_computed_from_the_current_due_date(city):
    item = draft_request(city.council, city.member)
    perform(item, "submit", city.referent, now=at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 10)):
        assert Request.objects.overdue().filter(pk=item.pk).exists()
        item.refresh_from_db()
        assert item.days_overdue() == 1
    assert TimelineEvent.objects.filter(request=item).count() == 2
