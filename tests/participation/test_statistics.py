"""Transparency statistics: figures, public page with its chart, CSV export and API."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic_participation import statistics
from civic_participation.workflow import perform
from tests.participation.factories import draft_request

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime(2026, 4, 20, 10, tzinfo=PARIS)


def at(month, day):
    return datetime(2026, month, day, 10, tzinfo=PARIS)


def answered_request(city, acknowledged_on, answered_on, title):
    item = draft_request(city.council, city.member, service=city.service, title=title)
    perform(item, "submit", city.referent, now=at(3, 2))
    perform(item, "acknowledge", city.agent, now=acknowledged_on)
    perform(item, "start_review", city.agent, now=acknowledged_on)
    return perform(
        item, "answer", city.agent, {"outcome": "accepted", "message": "Oui."}, now=answered_on
    )


@pytest.fixture
def activity(city):
    """Voirie: acknowledged after 2 and 8 days, one answer on time and one late, one overdue."""
    answered_request(city, at(3, 4), at(3, 20), "À l'heure")
    answered_request(city, at(3, 10), at(4, 30), "En retard")  # answer due 23 April
    forgotten = draft_request(city.other_council, city.other_member, service=city.service)
    perform(forgotten, "submit", city.other_referent, now=at(3, 2))
    return city


def figures_for(city, end=date(2026, 5, 31)):
    figures = statistics.transparency(date(2026, 1, 1), end, today=date(2026, 5, 4))
    return (
        {service.slug: service for service in figures.services},
        {council.slug: council for council in figures.councils},
    )


def test_service_and_council_figures_over_a_period(activity):
    services, councils = figures_for(activity)
    voirie = services[activity.service.slug]
    assert (voirie.acknowledged, voirie.median_days_to_acknowledge) == (2, 5)
    assert (voirie.answered, voirie.answered_on_time, voirie.on_time_percent) == (2, 1, 50)
    assert voirie.overdue_now == 1
    other = services[activity.other_service.slug]
    assert (other.acknowledged, other.median_days_to_acknowledge, other.on_time_percent) == (
        0,
        None,
        None,
    )
    assert councils[activity.council.slug].requests_submitted == 2
    assert councils[activity.other_council.slug].requests_submitted == 1
    # A period ending before the answers leaves them out.
    services, _councils = figures_for(activity, end=date(2026, 3, 15))
    assert services[activity.service.slug].answered == 0


def test_the_query_count_does_not_depend_on_the_number_of_items(activity):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            statistics.transparency(date(2026, 1, 1), date(2026, 12, 31), today=date(2026, 5, 4))
        return len(captured)

    before = queries()
    for index in range(5):
        answered_request(activity, at(3, 4), at(3, 20), f"Encore {index}")
    assert queries() == before


def test_the_public_page_shows_the_table_and_an_accessible_chart(activity, client, index_page):
    with time_machine.travel(TODAY):
        response = client.get(f"{index_page.url}statistiques/?start=2026-01-01&end=2026-05-31")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg role="img" aria-labelledby="chart-title"' in html
    assert "50\u00a0%" in html and activity.service.name in html  # French typography
    assert activity.agent.last_name not in html
    # The chart's coordinates are never localised (no "16,8" in a French page).
    assert re.search(r'<text x="0" y="\d+(\.\d+)?"', html), html
    english = client.get(
        f"{index_page.url}statistiques/?start=2026-01-01&end=2026-05-31",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "50%" in english.content.decode()


def test_a_wrong_period_is_refused_clearly(activity, client, index_page):
    response = client.get(f"{index_page.url}statistiques/?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400
    body = response.content.decode()
    assert "before its start" in body or "précède son début" in body
    response = client.get(f"{index_page.url}statistiques/csv/?start=hier")
    assert response.status_code == 400


def test_the_csv_export_has_one_row_per_service_and_council(activity, client, index_page):
    response = client.get(f"{index_page.url}statistiques/csv/?start=2026-01-01&end=2026-05-31")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    voirie = next(row for row in rows if row["slug"] == activity.service.slug)
    assert voirie["on_time_percent"] == "50" and voirie["median_days_to_acknowledge"] == "5.0"
    assert {row["section"] for row in rows} == {"service", "council"}


def test_the_api_serves_the_same_figures_and_refuses_bad_dates(activity, client):
    url = "/api/participation/public/statistics/"
    with time_machine.travel(TODAY):
        response = client.get(url, {"start": "2026-01-01", "end": "2026-05-31"})
    assert response.status_code == 200
    body = response.json()
    voirie = next(row for row in body["services"] if row["slug"] == activity.service.slug)
    assert voirie["on_time_percent"] == 50 and voirie["overdue_now"] == 1
    assert body["today"] == "2026-04-20"
    response = client.get(url, {"start": "2026-13-01"})
    assert response.status_code == 400
