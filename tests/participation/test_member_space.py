"""The member space in the Wagtail admin: inboxes, drafting, discussion and attachments."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civic_participation.models import Attachment, DiscussionMessage, Request
from civic_participation.workflow import perform
from tests.participation.factories import acknowledged_request, draft_request

INDEX = "civic_participation_request_modeladmin_index"


def test_agent_inbox_lists_overdue_items_first(city, client):
    on_time = acknowledged_request(city, title="Dans les temps")
    late = acknowledged_request(city, title="En retard")
    Request.objects.filter(pk=late.pk).update(answer_due="2020-01-06")
    late.refresh_from_db()
    assert on_time.answer_due > late.answer_due
    client.force_login(city.agent)
    body = client.get(reverse(INDEX)).content.decode()
    assert body.index("En retard") < body.index("Dans les temps")


def test_only_people_who_may_draft_see_the_new_draft_button(city, client):
    new_url = reverse("civic_participation_new_request")
    client.force_login(city.member)
    assert new_url in client.get(reverse(INDEX)).content.decode()
    client.force_login(city.agent)
    assert new_url not in client.get(reverse(INDEX)).content.decode()
    response = client.post(
        new_url, {"council": city.council.pk, "title": "Intrus", "description": "Non"}
    )
    assert response.status_code == 200  # the form refuses a council outside the scope
    assert not Request.objects.filter(title="Intrus").exists()


def test_members_discuss_and_share_files_through_the_admin(city, client):
    item = draft_request(city.council, city.member)
    perform(item, "submit", city.referent)
    client.force_login(city.member)
    client.post(
        reverse("civic_participation_message", args=["request", item.pk]),
        {"body": "Je peux apporter des photos."},
    )
    client.post(
        reverse("civic_participation_attachment", args=["request", item.pk]),
        {"title": "Photos", "file": SimpleUploadedFile("photos.txt", b"trois photos")},
    )
    assert DiscussionMessage.objects.get(request=item).body == "Je peux apporter des photos."
    attachment = Attachment.objects.get(request=item)
    download = client.get(reverse("civic_participation_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"trois photos"
    client.force_login(city.other_member)
    response = client.post(
        reverse("civic_participation_message", args=["request", item.pk]), {"body": "Intrus"}
    )
    assert response.status_code == 404
    assert DiscussionMessage.objects.filter(request=item).count() == 1


def test_a_refused_transition_form_explains_and_changes_nothing(city, client):
    item = acknowledged_request(city)
    perform(item, "start_review", city.agent)
    client.force_login(city.agent)
    url = reverse("civic_participation_transition", args=["request", item.pk, "answer"])
    response = client.post(url, {"outcome": "redirected", "message": "Pas chez nous."})
    assert response.status_code == 200
    assert "organisme compétent" in response.content.decode()
    item.refresh_from_db()
    assert item.state == Request.State.IN_REVIEW


def test_coordinator_creates_a_council_of_a_configured_kind(city, client, settings):
    from civic_participation.models import Council

    settings.CIVIC_PARTICIPATION_COUNCIL_KINDS = (("youth", "Conseil des jeunes"),)
    client.force_login(city.coordinator)
    url = reverse("civic_participation_council_modeladmin_create")
    assert "Conseil des jeunes" in client.get(url).content.decode()
    client.post(url, {"name": "Conseil des jeunes", "slug": "jeunes", "kind": "youth"})
    council = Council.objects.get(slug="jeunes")
    assert council.kind == "youth" and council.kind_label() == "Conseil des jeunes"
    client.force_login(city.member)
    assert client.get(url).status_code in (302, 403)
