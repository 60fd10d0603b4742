"""Free texts are text, without NUL, and bounded, in forms, the API and the domain layer:
bad input is a clear 400 (or a form error) and changes nothing, never a 500."""

import pytest
from django.urls import reverse

from civic_participation import services
from civic_participation.errors import TransitionError
from civic_participation.models import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    DiscussionMessage,
    InternalNote,
    Request,
)
from tests.participation.factories import answered_request

BAD_BODIES = [
    {"body": ["a", "b"]},
    {"body": {"x": 1}},
    {"body": "a\u0000b"},
    {"body": "x" * (MESSAGE_MAX_LENGTH + 1)},
    {"body": ""},
    {},
]


@pytest.fixture
def item(city):
    return answered_request(city)


@pytest.mark.parametrize("body", BAD_BODIES)
def test_messages_and_notes_refuse_bad_bodies_with_400(body, city, item, client):
    messages, notes = DiscussionMessage.objects.count(), InternalNote.objects.count()
    for user, route in ((city.referent, "messages"), (city.agent, "notes")):
        client.force_login(user)
        url = f"/api/participation/requests/{item.pk}/{route}/"
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (route, response.content)
        # A NUL may be refused by the JSON layer already, before any field is read.
        assert "body" in response.json()["error"].get("fields", {"body": "parse"})
    assert (DiscussionMessage.objects.count(), InternalNote.objects.count()) == (messages, notes)


def test_a_request_description_is_bounded_everywhere(city, client):
    client.force_login(city.member)
    too_long = "x" * (DESCRIPTION_MAX_LENGTH + 1)
    body = {"council": city.council.pk, "title": "Bancs", "description": too_long}
    response = client.post("/api/participation/requests/", body, content_type="application/json")
    assert response.status_code == 400
    response = client.post(reverse("civic_participation_new_request"), body)
    assert response.status_code == 200 and "10000" in response.content.decode().replace(" ", "")
    with pytest.raises(TransitionError) as refused:
        services.create_request(city.member, city.council, "Bancs", too_long)
    assert "description" in refused.value.fields
    with pytest.raises(TransitionError):
        services.create_request(city.member, city.council, "Bancs", {"not": "text"})
    assert not Request.objects.exists()


def test_transition_texts_are_bounded(city, item, client):
    client.force_login(city.agent)
    url = f"/api/participation/requests/{item.pk}/transitions/start-work/"
    response = client.post(
        url, {"message": "x" * (MESSAGE_MAX_LENGTH + 1)}, content_type="application/json"
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == Request.State.ANSWERED


def test_the_member_space_message_form_refuses_a_long_message(city, item, client):
    client.force_login(city.referent)
    url = reverse("civic_participation_message", args=["request", item.pk])
    before = DiscussionMessage.objects.count()
    client.post(url, {"body": "x" * (MESSAGE_MAX_LENGTH + 1)})
    client.post(url, {"body": "a\x00b"})
    assert DiscussionMessage.objects.count() == before
