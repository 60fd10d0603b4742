"""RGPD: a member who took part is exported and erased; the items and their timelines stay,
attributed to a former member."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic_core import privacy
from civic_participation import services
from civic_participation.models import (
    Attachment,
    CouncilMembership,
    DiscussionMessage,
    InternalNote,
    TimelineEvent,
)
from tests.participation.factories import answered_request


@pytest.fixture
def item(city):
    item = answered_request(city)  # the référent posted a message, the agent a note
    services.add_attachment(
        city.referent, item, "Plan", SimpleUploadedFile("plan.txt", b"plan du square")
    )
    return item


def test_the_export_holds_the_persons_seats_messages_and_files(city, item):
    data = privacy.export_personal_data(city.referent)["civic_participation"]
    assert data["council_memberships"][0]["council"] == city.council.name
    assert data["council_memberships"][0]["role"] == "referent"
    assert [row["body"] for row in data["messages"]] == ["Message réservé aux membres."]
    assert data["attachments"][0]["file_name"] == "plan.txt"
    assert {row["action"] for row in data["actions"]} >= {"submit"}
    agent = privacy.export_personal_data(city.agent)["civic_participation"]
    assert agent["internal_notes"] and agent["service_memberships"][0]["role"] == "agent"


def test_an_erased_member_leaves_the_items_and_timelines_to_a_former_member(city, item, client):
    events = TimelineEvent.objects.filter(request=item).count()
    privacy.erase_personal_data(city.referent)
    privacy.erase_personal_data(city.agent)
    assert not get_user_model().objects.filter(username__in=["referent", "agent"]).exists()
    assert not CouncilMembership.objects.filter(user__username="referent").exists()
    message = DiscussionMessage.objects.get(request=item)
    assert message.author is None and message.body == "Message réservé aux membres."
    assert InternalNote.objects.get(request=item).author is None
    assert Attachment.objects.get(request=item).uploaded_by is None
    assert TimelineEvent.objects.filter(request=item).count() == events
    assert (
        not TimelineEvent.objects.filter(request=item, actor__isnull=False)
        .exclude(actor=city.coordinator)
        .exclude(actor=city.member)
        .exists()
    )
    client.force_login(city.member)
    page = client.get(reverse("civic_participation_request_modeladmin_inspect", args=[item.pk]))
    assert page.status_code == 200
    assert "Former member" in page.content.decode() or "Ancien membre" in page.content.decode()
    api = client.get(f"/api/participation/requests/{item.pk}/messages/").json()
    assert api["results"][0]["author"] is None


def test_a_member_who_posted_can_be_deleted_like_any_account(city, item):
    city.referent.delete()
    assert DiscussionMessage.objects.get(request=item).author is None
