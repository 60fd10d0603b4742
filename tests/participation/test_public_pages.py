"""The public space: filters, council pages, exports and the append-only timeline."""

import csv
import io

import pytest
from django.utils import translation

from civic_core.records import AppendOnlyError
from civic_participation.models import CouncilMembership, Request, TimelineEvent
from civic_participation.workflow import perform
from tests.participation.factories import answered_request, draft_request


def test_index_filters_by_council_state_and_overdue(city, client, index_page):
    answered_request(city)
    late = draft_request(city.other_council, city.other_member, title="Éclairer le parc")
    perform(late, "submit", city.other_referent)
    Request.objects.filter(pk=late.pk).update(acknowledge_due="2020-01-02")
    body = client.get(index_page.url).content.decode()
    assert "Des bancs place de la Paix" in body and "Éclairer le parc" in body
    body = client.get(f"{index_page.url}?overdue=yes").content.decode()
    assert "Éclairer le parc" in body and "Des bancs place de la Paix" not in body
    body = client.get(f"{index_page.url}?council={city.council.slug}").content.decode()
    assert "Éclairer le parc" not in body
    body = client.get(f"{index_page.url}?state=answered&council=unknown").content.decode()
    assert "Des bancs place de la Paix" in body  # an unknown filter value is ignored


def test_council_page_lists_only_consenting_members_and_its_activity(city, client, index_page):
    answered_request(city)
    CouncilMembership.objects.filter(user=city.referent).update(
        listed_publicly=True, public_name="Nadia R."
    )
    body = client.get(f"{index_page.url}conseils/{city.council.slug}/").content.decode()
    assert "Nadia R." in body
    assert city.member.last_name not in body
    assert "Des bancs place de la Paix" in body


def test_csv_and_open311_exports_carry_the_public_view(city, client, index_page):
    item = answered_request(city)
    rows = list(
        csv.reader(io.StringIO(client.get(f"{index_page.url}export/csv/").content.decode()))
    )
    assert rows[0][0] == "reference" and rows[1][0] == item.reference
    data = client.get(f"{index_page.url}open311/requests/").json()
    assert data[0]["service_request_id"] == item.reference
    assert data[0]["status"] == "open"
    assert data[0]["agency_responsible"] == city.service.name
    assert [note["kind"] for note in data[0]["notes"]] == [
        "submit",
        "acknowledge",
        "start_review",
        "answer",
    ]


def test_timeline_events_cannot_be_rewritten_or_deleted(city):
    event = answered_request(city).events.first()
    event.message = "réécrit"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert TimelineEvent.objects.get(pk=event.pk).message != "réécrit"


def test_pages_link_to_the_routes_of_the_index_page(city, client, index_page):
    item = answered_request(city)
    body = client.get(index_page.url).content.decode()
    for route in ("conseils/", "export/csv/", "open311/requests/", "statistiques/"):
        assert f'href="{index_page.url}{route}' in body, route
    assert f'href="{index_page.url}demandes/{item.pk}/"' in body
    body = client.get(f"{index_page.url}demandes/{item.pk}/").content.decode()
    assert f'href="{index_page.url}conseils/{city.council.slug}/"' in body


def test_the_sub_route_slugs_follow_the_sites_language(city, client, index_page, settings):
    """No city's language hard-coded in the URLs: the French reference site answers French
    slugs and an English site English ones, whatever the visitor's language (a shared link
    works for everyone); links follow."""
    item = answered_request(city)
    english_visitor = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert client.get(f"{index_page.url}demandes/{item.pk}/", **english_visitor).status_code == 200
    assert client.get(f"{index_page.url}requests/{item.pk}/", **english_visitor).status_code == 404
    settings.LANGUAGE_CODE = "en"
    with translation.override("fr"):  # the active language does not matter
        assert index_page.reverse_subpage("request", args=[item.pk]) == f"requests/{item.pk}/"
        assert index_page.reverse_subpage("statistics_csv") == "statistics/csv/"
    french_visitor = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    body = client.get(index_page.url, **french_visitor).content.decode()
    assert f'href="{index_page.url}requests/{item.pk}/"' in body
    assert f'href="{index_page.url}councils/"' in body
    routes = (f"requests/{item.pk}/", "councils/", f"councils/{city.council.slug}/", "statistics/")
    for route in routes:
        assert client.get(f"{index_page.url}{route}", **french_visitor).status_code == 200, route
    assert client.get(f"{index_page.url}conseils/", **french_visitor).status_code == 404
