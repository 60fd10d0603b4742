"""The shared parsers refuse, in the error shape, the bodies views could not use safely."""

import json

import pytest
from django.test import Client
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from civic_core.api import MAX_JSON_DEPTH, CivicAPIMixin


class Echo(CivicAPIMixin, APIView):
    authentication_classes = []

    def post(self, request, pk=None):
        # No `format` argument: the mixin keeps a route's suffix away from the handler.
        return Response(
            {
                "data": dict(request.data.lists())
                if hasattr(request.data, "lists")
                else request.data,
                "format": self.format_kwarg,
                "pk": pk,
            }
        )


def post(body, content_type="application/json", **kwargs):
    request = APIRequestFactory().post("/", body, content_type=content_type)
    return Echo.as_view()(request, **kwargs)


def nested(levels):
    return '{"a": ' * levels + "1" + "}" * levels


def assert_refused(response, status=400, code="parse_error"):
    assert response.status_code == status
    assert response.data["error"]["status"] == status
    assert response.data["error"]["code"] == code


def test_a_body_at_the_depth_limit_is_accepted_one_level_deeper_is_refused():
    assert post(nested(MAX_JSON_DEPTH)).status_code == 200
    assert_refused(post(nested(MAX_JSON_DEPTH + 1)))


def test_a_body_deeper_than_the_interpreter_can_parse_is_refused():
    assert_refused(post(nested(100_000)))


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"body": "a\u0000b"}),
        json.dumps({"bo\u0000dy": "text"}),
        json.dumps({"items": [{"title": ["\u0000"]}]}),
    ],
    ids=["value", "key", "nested value"],
)
def test_nul_characters_in_json_are_refused(body):
    assert_refused(post(body))


@pytest.mark.parametrize("body", ["[1, 2]", "12", '"text"', "null"])
def test_a_json_body_must_be_an_object(body):
    assert_refused(post(body))


def test_invalid_json_is_refused():
    assert_refused(post("{'a': "))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("body=a%00b", "application/x-www-form-urlencoded"),
        ("bo%00dy=text", "application/x-www-form-urlencoded"),
        (
            '--X\r\nContent-Disposition: form-data; name="body"\r\n\r\na\x00b\r\n--X--\r\n',
            "multipart/form-data; boundary=X",
        ),
    ],
    ids=["form value", "form name", "multipart field"],
)
def test_nul_characters_in_forms_are_refused(body, content_type):
    assert_refused(post(body, content_type))


def test_a_plain_form_passes():
    response = post("body=hello", "application/x-www-form-urlencoded")
    assert response.data["data"] == {"body": ["hello"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({"username": "x" * 200}), "application/json"),
        ("username=" + "x" * 200, "application/x-www-form-urlencoded"),
    ],
    ids=["json", "form"],
)
def test_a_body_over_the_upload_limit_answers_413(client, settings, body, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post("/api/token/", body, content_type=content_type)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.django_db
def test_too_many_form_fields_answer_400_in_the_error_shape(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    body = "&".join(f"f{number}=x" for number in range(10))
    response = client.post("/api/token/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_format_suffix_reaches_content_negotiation_not_the_handler():
    response = post("{}", format="json", pk="3")
    assert response.status_code == 200
    assert response.data == {"data": {}, "format": "json", "pk": "3"}
    assert_refused(post("{}", format="xml"), status=404, code="not_found")


@pytest.mark.django_db
def test_a_post_to_an_unknown_api_route_answers_the_json_404():
    response = Client(enforce_csrf_checks=True).post("/api/participation/offers/1.5/notes/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
