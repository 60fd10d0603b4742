"""Two people running the same transition at once on PostgreSQL: one wins, one event."""

import threading

import pytest
from django.db import connection

from civic_participation.models import Request
from civic_participation.workflow import TransitionError, perform
from tests.participation.factories import draft_request, service_agent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls):
    """Start every call at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except TransitionError as error:
            outcomes[index] = ("refused", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_agents_acknowledging_at_once_leave_one_event(city):
    second_agent = service_agent(city.service, username="second_agent")
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent)
    outcomes = run_together(
        [
            lambda actor=actor: perform(item, "acknowledge", actor)
            for actor in (city.agent, second_agent)
        ]
    )
    kinds = sorted(outcome[0] for outcome in outcomes)
    assert kinds == ["ok", "refused"]
    refused = next(outcome[1] for outcome in outcomes if outcome[0] == "refused")
    assert refused.code == "invalid_state"
    item.refresh_from_db()
    assert item.state == Request.State.ACKNOWLEDGED
    assert item.events.filter(kind="acknowledge").count() == 1


def test_withdraw_and_acknowledge_racing_leave_a_consistent_state(city):
    item = draft_request(city.council, city.member, service=city.service)
    perform(item, "submit", city.referent)
    outcomes = run_together(
        [
            lambda: perform(item, "acknowledge", city.agent),
            lambda: perform(item, "withdraw", city.referent, {"message": "Plus besoin."}),
        ]
    )
    item.refresh_from_db()
    events = list(
        item.events.exclude(kind__in=["create", "submit"]).values_list("kind", "to_state")
    )
    assert len(events) == sum(1 for outcome in outcomes if outcome[0] == "ok")
    assert item.state == events[-1][1]
    if item.state == Request.State.ACKNOWLEDGED:
        # Withdrawing an acknowledged request is allowed: both may succeed, in order.
        assert events[0][0] == "acknowledge"
