"""Every route (pages, exports, API, admin) for every role: no leak, no write outside scope."""

import pytest
from django.urls import reverse

from civic_participation.models import Attachment, DiscussionMessage, Request
from tests.participation.conftest import ROLES
from tests.participation.factories import answered_request, draft_request, open_offer

NOTE = "Coût estimé 12 000 €, ligne budgétaire voirie."
MESSAGE = "Message réservé aux membres."
# role: (reads members' data of the item, reads internal notes, may act as the city)
SCOPE = {
    "anonymous": (False, False, False),
    "member": (True, False, False),
    "other_member": (False, False, False),
    "agent": (True, True, True),
    "other_agent": (False, False, False),
    "coordinator": (True, True, False),
    "manager": (True, True, True),
    "elected": (True, False, False),
}
MATRIX_ROLES = (*ROLES, "manager", "elected")
DISCUSSES = {"member", "agent", "manager"}


@pytest.fixture
def world(city, index_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civic_participation import services

    item = answered_request(city, internal_note=NOTE)
    attachment = services.add_attachment(
        city.referent, item, "Plan", SimpleUploadedFile("plan.txt", b"plan du square")
    )
    draft = draft_request(city.council, city.member, title="Brouillon secret")
    offer = open_offer(city, [city.council])
    return {"item": item, "draft": draft, "offer": offer, "attachment": attachment}


def public_urls(page, world):
    base = page.url
    return [
        base,
        f"{base}?kind=offers",
        f"{base}demandes/{world['item'].pk}/",
        f"{base}offres/{world['offer'].pk}/",
        f"{base}conseils/",
        f"{base}conseils/{world['item'].council.slug}/",
        f"{base}export/csv/",
        f"{base}open311/requests/",
        "/api/participation/public/requests/",
        f"/api/participation/public/requests/{world['item'].pk}/",
        "/api/participation/public/offers/",
        f"/api/participation/public/offers/{world['offer'].pk}/",
        "/api/participation/public/councils/",
    ]


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_public_routes_never_show_member_or_internal_data(role, as_role, city, index_page, world):
    client = as_role(role)
    for url in public_urls(index_page, world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert NOTE not in body and MESSAGE not in body, url
        assert "Brouillon secret" not in body, url
        assert city.agent.last_name not in body, url
        assert "Trois bancs seront posés." in body or "demandes/" not in url, url
    assert client.get(f"{index_page.url}demandes/{world['draft'].pk}/").status_code == 404
    response = client.get(f"/api/participation/public/requests/{world['draft'].pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_member_api_lists_and_details_only_the_scope(role, as_role, city, world):
    client = as_role(role)
    reads, internal, _acts = SCOPE[role]
    item = world["item"]
    listing = client.get("/api/participation/requests/")
    detail = client.get(f"/api/participation/requests/{item.pk}/")
    notes = client.get(f"/api/participation/requests/{item.pk}/notes/")
    messages = client.get(f"/api/participation/requests/{item.pk}/messages/")
    if role == "anonymous":
        assert {listing.status_code, detail.status_code, notes.status_code} <= {401, 403}
        return
    ids = {row["id"] for row in listing.json()["results"]}
    assert (item.pk in ids) is reads
    assert (world["draft"].pk in ids) is (role in ("member", "coordinator", "elected"))
    if not reads:
        assert detail.status_code == 404
        assert messages.status_code == 404
        assert notes.status_code == 404
        return
    assert detail.status_code == 200
    assert MESSAGE in messages.content.decode()
    assert (NOTE in notes.content.decode()) is internal
    assert notes.status_code == (200 if internal else 403)
    visibilities = {event["visibility"] for event in detail.json()["timeline"]}
    assert internal or "internal" not in visibilities


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_writes_outside_scope_are_refused_and_change_nothing(role, as_role, city, world):
    client = as_role(role)
    item = world["item"]
    _reads, _internal, acts = SCOPE[role]
    response = client.post(f"/api/participation/requests/{item.pk}/transitions/start-work/", {})
    item.refresh_from_db()
    if acts:
        assert response.status_code == 200
        assert item.state == Request.State.IN_PROGRESS
        return
    assert response.status_code in (401, 403, 404)
    assert item.state == Request.State.ANSWERED
    assert not item.events.filter(kind="start_work").exists()
    response = client.post(
        f"/api/participation/requests/{item.pk}/messages/", {"body": "intrusion"}
    )
    # Coordinators and elected officials read the discussion but do not take part in it.
    if role in DISCUSSES:
        assert response.status_code == 201
    else:
        assert response.status_code in (401, 403, 404)
        assert not DiscussionMessage.objects.filter(body="intrusion").exists()


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_admin_routes_follow_the_scope(role, as_role, city, world):
    client = as_role(role)
    reads, internal, acts = SCOPE[role]
    item = world["item"]
    inspect = reverse("civic_participation_request_modeladmin_inspect", args=[item.pk])
    index = reverse("civic_participation_request_modeladmin_index")
    action = reverse("civic_participation_transition", args=["request", item.pk, "start_work"])
    note = reverse("civic_participation_note", args=["request", item.pk])
    download = reverse("civic_participation_download", args=[world["attachment"].pk])
    if role == "anonymous":
        for url in (inspect, index, action, download):
            assert client.get(url).status_code == 302  # to the login page
        return
    listing = client.get(index)
    assert listing.status_code == 200
    assert (item.title in listing.content.decode()) is reads
    page = client.get(inspect)
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert page.status_code == 200 if reads else page.status_code in (302, 403)
    if reads:
        body = page.content.decode()
        assert MESSAGE in body
        assert (NOTE in body) is internal
    assert client.get(download).status_code == (200 if reads else 404)
    response = client.post(action, {"message": ""})
    item.refresh_from_db()
    assert (item.state == Request.State.IN_PROGRESS) is acts
    client.post(note, {"body": "note pirate"})
    assert item.__class__.objects.filter(pk=item.pk).exists()
    from civic_participation.models import InternalNote

    assert InternalNote.objects.filter(body="note pirate").exists() is internal
    assert Attachment.objects.count() == 1
    assert response.status_code in (200, 302, 404)


def test_coordinator_routing_queue_is_for_coordinators_only(as_role, city, world):
    from civic_participation.workflow import perform
    from tests.participation.factories import draft_request as new_draft

    waiting = new_draft(city.council, city.member, title="À router")
    perform(waiting, "submit", city.referent)
    url = reverse("civic_participation_routingqueueitem_modeladmin_index")
    assert "À router" in as_role("coordinator").get(url).content.decode()
    for role in ("member", "agent", "other_agent"):
        assert as_role(role).get(url).status_code in (302, 403)
