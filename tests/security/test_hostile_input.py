"""Every API route, walked with hostile inputs: each answers a 4xx in the shared error shape (or
a success where the input is harmless), never a 500.

The routes come from the URL resolver, so a route added later is walked too; the field and
parameter names come from the OpenAPI document, so each body reaches real fields.
"""

import json

import pytest
from django.test import Client

from civic_core.api import MAX_JSON_DEPTH
from tests.security import responses
from tests.security.routes import PathBuilder, api_routes

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BODY_METHODS = ("post", "put", "patch")
HUGE = str(10**30)
TWO_MEGABYTES = 2 * 1024 * 1024


@pytest.fixture
def member_client(demo_site):
    return Client(
        raise_request_exception=False, headers={"authorization": f"Token {demo_site.token}"}
    )


@pytest.fixture
def paths(member_client):
    builder = PathBuilder(member_client)
    return [(route, builder.path(route)) for route in api_routes()]


@pytest.fixture(scope="module")
def schema_names(demo_site, django_db_blocker):
    """Every request field and query parameter name the OpenAPI document declares."""
    with django_db_blocker.unblock():
        document = Client().get("/api/schema/", {"format": "json"}).json()
    fields, parameters = set(), set()
    for component in document["components"]["schemas"].values():
        fields.update(component.get("properties", {}))
    for operations in document["paths"].values():
        for operation in operations.values():
            parameters.update(
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            )
    return sorted(fields), sorted(parameters)


def refusal_problems(response, where):
    content = b"" if response.streaming else response.content  # downloads stream
    return responses.refusal_problems(response.status_code, content, where)


def send_body(client, method, path, body, content_type="application/json"):
    return getattr(client, method)(path, data=body, content_type=content_type)


def body_routes(paths, *, with_suffix=False):
    for route, path in paths:
        if route.has_format_suffix == with_suffix:
            for method in route.methods:
                if method in BODY_METHODS:
                    yield method, path


def deep_json(levels):
    return '{"body": ' * levels + "1" + "}" * levels


def with_every_field(fields, value):
    return json.dumps({name: value for name in fields})


HOSTILE_BODIES = {
    "nested past the recursion limit": lambda fields: deep_json(50_000),
    "nested one level too deep": lambda fields: deep_json(MAX_JSON_DEPTH),
    "a list": lambda fields: "[1, 2]",
    "a number": lambda fields: "12",
    "not JSON": lambda fields: "{'body': ",
    "NUL in every field": lambda fields: with_every_field(fields, "a\u0000b"),
    "NUL in a key": lambda fields: json.dumps({"bo\u0000dy": "text"}),
    "numbers for every field": lambda fields: with_every_field(fields, 10**30),
    "floats for every field": lambda fields: with_every_field(fields, 1e308),
    "booleans for every field": lambda fields: with_every_field(fields, True),
    "nulls for every field": lambda fields: with_every_field(fields, None),
    "lists for every field": lambda fields: with_every_field(fields, [[1], {"a": "b"}]),
    "objects for every field": lambda fields: with_every_field(fields, {"id": {"id": 1}}),
    "2 MB in every field": lambda fields: json.dumps(
        {name: "x" * (TWO_MEGABYTES // max(len(fields), 1)) for name in fields}
    ),
    "2 MB in one field": lambda fields: json.dumps({"body": "x" * TWO_MEGABYTES}),
}


@pytest.mark.parametrize("kind", HOSTILE_BODIES)
def test_hostile_json_bodies_are_refused_on_every_route(kind, member_client, paths, schema_names):
    body = HOSTILE_BODIES[kind](schema_names[0])
    problems = []
    for method, path in body_routes(paths):
        problems += refusal_problems(
            send_body(member_client, method, path, body), f"{method} {path}"
        )
    assert not problems, problems


@pytest.mark.parametrize(
    "body",
    ["body=a%00b&title=a%00b&description=a%00b", "bo%00dy=text", "body=" + "x" * TWO_MEGABYTES],
    ids=["NUL in values", "NUL in a name", "2 MB value"],
)
def test_hostile_form_bodies_are_refused_on_every_route(body, member_client, paths):
    problems = []
    for method, path in body_routes(paths):
        response = send_body(member_client, method, path, body, "application/x-www-form-urlencoded")
        problems += refusal_problems(response, f"{method} {path}")
    assert not problems, problems


@pytest.mark.parametrize(
    "query",
    [
        {"limit": HUGE, "offset": HUGE},
        {"limit": "-1", "offset": "-5"},
        {"limit": "1000"},
        {"offset": "1e9", "limit": "0x10"},
        {"search": "a\u0000b", "q": "\u0000"},
        {"\u0000": "x"},
    ],
    ids=["huge", "negative", "over the cap", "not integers", "NUL values", "NUL name"],
)
def test_hostile_queries_are_refused_on_every_route(query, member_client, paths, schema_names):
    if "search" in query:
        query = {**query, **{name: "a\u0000b" for name in schema_names[1]}}
    problems = []
    for route, path in paths:
        if "get" in route.methods:
            problems += refusal_problems(member_client.get(path, query), f"get {path}")
    assert not problems, problems


def test_every_list_caps_its_page_size(member_client, paths):
    oversized = []
    for route, path in paths:
        if "get" not in route.methods or route.has_format_suffix:
            continue
        response = member_client.get(path, {"limit": "1000"})
        body = responses.json_body(response)
        if isinstance(body, dict) and len(body.get("results") or body.get("items") or []) > 100:
            oversized.append(path)
    assert not oversized


def test_format_suffix_routes_answer_as_their_plain_route(member_client, paths):
    plain_status = {}
    for route, path in paths:
        if not route.has_format_suffix and "get" in route.methods:
            plain_status[path] = member_client.get(path).status_code
    suffixed = [(route, path) for route, path in paths if route.has_format_suffix]
    assert suffixed, "the routers no longer add `.json` routes: drop this test"
    mismatches, problems = [], []
    for route, path in suffixed:
        for method in route.methods:
            response = (
                send_body(member_client, method, path, "{}")
                if method in BODY_METHODS
                else getattr(member_client, method)(path)
            )
            if method != "head":  # a HEAD answer has no body to hold the error
                problems += refusal_problems(response, f"{method} {path}")
            plain = path.replace(".json/", "/")
            if method == "get" and plain_status.get(plain) != response.status_code:
                mismatches.append((path, response.status_code, plain_status.get(plain)))
    assert not problems, problems
    assert not mismatches, mismatches
