"""The headless API: Wagtail API v2, the OpenAPI schema, tokens and the error shape."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import EventPage, NewsPage

pytestmark = pytest.mark.django_db


def test_pages_listing_carries_meta_and_description(client, site_home):
    data = client.get("/api/v2/pages/", {"limit": 5}).json()
    assert data["meta"]["total_count"] >= 60
    first = data["items"][0]
    assert set(first["meta"]) >= {"type", "detail_url", "html_url", "slug", "search_description"}


def test_event_fields_through_the_api(client, site_home):
    event = EventPage.objects.exclude(registration_url="").first()
    data = client.get(
        "/api/v2/pages/", {"type": "home.EventPage", "fields": "*", "limit": 100}
    ).json()
    item = next(item for item in data["items"] if item["id"] == event.pk)
    assert item["place"] == event.place
    assert item["registration_url"] == event.registration_url
    assert item["start"].startswith(event.start.astimezone().date().isoformat()[:4])


def test_home_page_detail_has_image_rendition_and_stream(client, site_home):
    data = client.get(f"/api/v2/pages/{site_home.pk}/").json()
    assert data["hero_title"] == site_home.hero_title
    assert data["teaser_image_card"]["width"] == 800
    assert data["teaser_image_card"]["url"].endswith(".png")


def test_call_to_action_block_is_resolved_for_front_ends(client, site_home):
    page = client.get("/api/v2/pages/", {"slug": "aux-actes-citoyens"}).json()["items"][0]
    detail = client.get(f"/api/v2/pages/{page['id']}/").json()
    cta = next(block for block in detail["body"] if block["type"] == "call_to_action")
    assert cta["value"]["url"] == "/agence-de-la-participation/"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    ["", "&type=home.EventPage&fields=*", "&type=home.NewsPage&fields=*"],
    ids=["pages", "events-all-fields", "news-all-fields"],
)
def test_pages_query_count_does_not_depend_on_page_size(client, site_home, query):
    count_queries(client, f"/api/v2/pages/?limit=1{query}")  # warm caches (site, content types)
    at_10 = count_queries(client, f"/api/v2/pages/?limit=10{query}")
    at_50 = count_queries(client, f"/api/v2/pages/?limit=50{query}")
    assert at_10 == at_50


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "x"},
        {"offset": "-1"},
        {"type": "nope.Nothing"},
        {"order": "no_such_field"},
        {"fields": "no_such_field"},
        {"unknown_parameter": "1"},
    ],
)
def test_invalid_query_parameters_answer_json_400(client, site_home, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["message"]


def test_unknown_page_id_is_json_404(client, site_home):
    response = client.get("/api/v2/pages/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/", "/api/nowhere/", "/api/v3/pages/", "/api/v2/nothing/"])
def test_unknown_api_routes_answer_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_schema_covers_only_our_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/token/" in schema["paths"]
    assert all(
        path.startswith(
            ("/api/token/", "/api/participation/", "/api/consultation/", "/api/budget/")
        )
        for path in schema["paths"]
    )
    assert client.get("/api/docs/").status_code == 200


def test_every_api_tag_is_described(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    used = {
        tag
        for operations in schema["paths"].values()
        for operation in operations.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", ())
    }
    described = {tag["name"] for tag in schema.get("tags", ()) if tag.get("description")}
    assert used and used <= described


def test_token_authentication(client):
    user = get_user_model().objects.create_user("frontend", password="a-long-passphrase")
    bad = client.post("/api/token/", {"username": "frontend", "password": "wrong"})
    assert bad.status_code == 400
    assert "error" in bad.json()
    token = client.post(
        "/api/token/", {"username": "frontend", "password": "a-long-passphrase"}
    ).json()["token"]
    assert user.auth_token.key == token


def test_the_token_throttle_ignores_a_forged_forwarded_header(client):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    get_user_model().objects.create_user("target", password="a-long-passphrase")
    allowed = int(ScopedRateThrottle.THROTTLE_RATES["login"].split("/")[0])
    statuses = [
        client.post(
            "/api/token/",
            # A new name each time: the per-account lockout (test_login_lockout) stays out.
            {"username": f"target-{attempt}", "password": f"guess-{attempt}"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        ).status_code
        for attempt in range(allowed + 2)
    ]
    # Each guess claims another address; the throttle still counts them all as one client.
    assert statuses == [400] * allowed + [429, 429]
    cache.clear()


def test_draft_pages_stay_out_of_the_api(client, site_home):
    news = NewsPage.objects.first()
    news.unpublish()
    ids = [item["id"] for item in client.get("/api/v2/pages/?limit=100").json()["items"]]
    assert news.pk not in ids
    assert client.get(f"/api/v2/pages/{news.pk}/").status_code == 404
