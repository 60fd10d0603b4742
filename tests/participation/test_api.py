"""The API: public lists with filters and a constant query count, member writes through the
workflow with clear refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic_participation.models import Request
from civic_participation.workflow import perform
from tests.participation.factories import acknowledged_request, answered_request, draft_request


def error_text(response):
    """The refusal message, in the site's error shape or DRF's default one."""
    body = response.json()
    if "error" in body:
        return str(body["error"])
    return str(body)


def public_list_queries(client, limit):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/participation/public/requests/?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(queries)


def test_public_list_query_count_does_not_grow_with_the_page(
    city, client, django_assert_num_queries
):
    for index in range(55):
        item = draft_request(city.council, city.member, title=f"Demande {index}")
        perform(item, "submit", city.referent)
    client.get("/api/participation/public/requests/")  # warm per-process caches
    at_10 = public_list_queries(client, 10)
    at_50 = public_list_queries(client, 50)
    assert at_10 == at_50
    with django_assert_num_queries(at_10):
        client.get("/api/participation/public/requests/?limit=50")
    print(f"public request list: {at_10} queries at 10 items, {at_50} at 50 items")


def test_public_offer_and_member_lists_have_a_constant_query_count(city, client):
    from tests.participation.factories import open_offer

    for index in range(12):
        open_offer(city, [city.council, city.other_council])
        item = acknowledged_request(city)
        if index % 2:  # a paused answer clock is read from the deadline, in the same query
            perform(item, "start_review", city.agent)
            perform(item, "request_info", city.agent, {"message": "Où ?"})
    counts = {}
    client.force_login(city.agent)
    for url in ("/api/participation/public/offers/", "/api/participation/requests/"):
        client.get(url)  # warm the content-type cache, filled once per process
        for limit in (2, 10):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{url}?limit={limit}").status_code == 200
            counts[(url, limit)] = len(queries)
        assert counts[(url, 2)] == counts[(url, 10)], url


def test_member_api_shows_when_the_answer_clock_was_paused(city, client):
    item = acknowledged_request(city)
    perform(item, "start_review", city.agent)
    detail_url = f"/api/participation/requests/{item.pk}/"

    def listed():
        rows = client.get("/api/participation/requests/").json()["results"]
        return next(row for row in rows if row["id"] == item.pk)

    def transition(actor, name, message):
        client.force_login(actor)
        url = f"{detail_url}transitions/{name}/"
        response = client.post(url, {"message": message}, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    client.force_login(city.agent)
    assert listed()["answer_paused_on"] is None
    paused = transition(city.agent, "request-info", "Quel trottoir ?")
    today = timezone.localdate().isoformat()
    assert paused["answer_paused_on"] == today
    assert [d["paused_on"] for d in paused["deadlines"] if d["kind"] == "answer"] == [today]
    assert client.get(detail_url).json()["answer_paused_on"] == today
    assert listed()["answer_paused_on"] == today

    resumed = transition(city.referent, "provide-info", "Côté école.")
    assert resumed["answer_paused_on"] is None
    assert client.get(detail_url).json()["answer_paused_on"] is None
    assert listed()["answer_paused_on"] is None

    # Withdrawn while paused: the answer deadline is cancelled, so no clock is paused any more.
    transition(city.agent, "request-info", "Et la date ?")
    withdrawn = transition(city.referent, "withdraw", "Plus utile.")
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["answer_paused_on"] is None


def test_public_filters(city, client):
    late = draft_request(city.council, city.member, title="En retard")
    perform(late, "submit", city.referent)
    Request.objects.filter(pk=late.pk).update(acknowledge_due="2020-01-02")
    answered_request(city)
    other = draft_request(city.other_council, city.other_member, title="Ailleurs")
    perform(other, "submit", city.other_referent)

    def titles(query):
        response = client.get(f"/api/participation/public/requests/?{query}")
        return {row["title"] for row in response.json()["results"]}

    assert titles("overdue=true") == {"En retard"}
    assert titles(f"council={city.other_council.slug}") == {"Ailleurs"}
    assert titles(f"service={city.service.slug}") == {"Des bancs place de la Paix"}
    assert titles("state=answered") == {"Des bancs place de la Paix"}
    row = client.get("/api/participation/public/requests/?overdue=true").json()["results"][0]
    assert row["days_overdue"] > 0


def test_referent_drafts_and_submits_through_the_api(city, client):
    client.force_login(city.referent)
    response = client.post(
        "/api/participation/requests/",
        {"council": city.council.pk, "title": "Un abri vélo", "description": "Gare nord."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert [a["name"] for a in response.json()["actions"]] == ["submit", "withdraw"]
    response = client.post(f"/api/participation/requests/{pk}/transitions/submit/", {})
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert response.json()["acknowledge_due"]


def test_drafting_for_another_council_is_refused(city, client):
    client.force_login(city.referent)
    response = client.post(
        "/api/participation/requests/",
        {"council": city.other_council.pk, "title": "X", "description": "Y"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Request.objects.filter(title="X").exists()


@pytest.mark.parametrize(
    "actor, action, data, status, words",
    [
        ("agent", "answer", {"outcome": "accepted", "message": "Oui"}, 409, "pas possible"),
        ("referent", "start-review", {}, 403, "ne pouvez pas"),
        ("agent", "start-review", {"message": {"a": 1}}, 400, "message"),
        ("coordinator", "assign", {"service": 999999}, 400, "service"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message_and_change_nothing(
    city, client, actor, action, data, status, words
):
    item = acknowledged_request(city)
    events = item.events.count()
    client.force_login(getattr(city, actor))
    response = client.post(
        f"/api/participation/requests/{item.pk}/transitions/{action}/",
        data,
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    assert words in error_text(response)
    item.refresh_from_db()
    assert item.state == Request.State.ACKNOWLEDGED
    assert item.events.count() == events


def test_unknown_or_malformed_input_never_500s(city, client):
    item = acknowledged_request(city)
    client.force_login(city.coordinator)
    for body in ("not json", "[]", '{"service": "abc"}', '{"service": [1]}'):
        response = client.post(
            f"/api/participation/requests/{item.pk}/transitions/assign/",
            body,
            content_type="application/json",
        )
        assert 400 <= response.status_code < 500, body
    response = client.get("/api/participation/public/requests/?overdue=maybe&state=nope")
    assert response.status_code == 400


def test_members_upload_attachments_and_outsiders_cannot(city, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = acknowledged_request(city)
    url = f"/api/participation/requests/{item.pk}/attachments/"
    client.force_login(city.member)
    response = client.post(url, {"title": "Plan", "file": SimpleUploadedFile("plan.txt", b"x")})
    assert response.status_code == 201, response.content
    assert [row["title"] for row in client.get(url).json()["results"]] == ["Plan"]
    client.force_login(city.other_member)
    response = client.post(url, {"title": "Intrus", "file": SimpleUploadedFile("i.txt", b"y")})
    assert response.status_code == 404
    assert item.__class__.objects.get(pk=item.pk).state == item.state
