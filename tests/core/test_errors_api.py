"""A refused action answers with one status and one body shape, whatever the host's DRF setup."""

import pytest
from django.test import override_settings
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from civic_core.api import CivicAPIMixin
from civic_core.errors import CivicError


def view_raising(error):
    class Refusing(CivicAPIMixin, APIView):
        authentication_classes = []
        permission_classes = []

        def post(self, request):
            raise error

    return Refusing.as_view()


# Refusals for role, absence and rate keep DRF's own codes, the ones clients already know.
@pytest.mark.parametrize(
    ("code", "status", "api_code"),
    [
        ("invalid", 400, "invalid"),
        ("forbidden", 403, "permission_denied"),
        ("not_found", 404, "not_found"),
        ("rate_limited", 429, "throttled"),
        ("invalid_state", 409, "invalid_state"),
        ("closed", 409, "closed"),
        ("locked", 409, "locked"),
    ],
)
def test_each_code_answers_its_status_in_the_shared_shape(code, status, api_code):
    response = view_raising(CivicError("Refused.", code=code))(APIRequestFactory().post("/"))
    assert response.status_code == status
    error = response.data["error"]
    assert error["status"] == status
    if code == "invalid":
        assert error["code"] == "invalid"
        assert error["fields"] == {"non_field_errors": ["Refused."]}
    else:
        assert error["code"] == api_code
        assert error["message"] == "Refused."


def test_field_messages_reach_the_body():
    error = CivicError("Too expensive.", fields={"projects": ["Over the zone budget.", "Twice."]})
    response = view_raising(error)(APIRequestFactory().post("/"))
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"projects": ["Over the zone budget.", "Twice."]}
    assert error.messages == ["Too expensive.", "Over the zone budget.", "Twice."]


@override_settings(REST_FRAMEWORK={"EXCEPTION_HANDLER": "rest_framework.views.exception_handler"})
def test_the_host_sites_handler_does_not_change_plugin_errors():
    response = view_raising(CivicError("No.", code="forbidden"))(APIRequestFactory().post("/"))
    assert response.status_code == 403
    assert response.data == {
        "error": {"status": 403, "code": "permission_denied", "message": "No."}
    }


def test_a_view_without_errors_is_untouched():
    class Fine(CivicAPIMixin, APIView):
        authentication_classes = []
        permission_classes = []

        def get(self, request):
            return Response({"ok": True})

    assert Fine.as_view()(APIRequestFactory().get("/")).data == {"ok": True}


@pytest.mark.django_db
def test_unknown_api_routes_answer_json(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


HOSTILE_HOST_DEFAULTS = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": None,
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.openapi.AutoSchema",
}


def test_the_host_sites_drf_defaults_do_not_reach_plugin_views(settings):
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.generics import ListAPIView

    class Numbers(CivicAPIMixin, ListAPIView):
        def get_queryset(self):
            return list(range(150))

        def list(self, request):
            page = self.paginate_queryset(self.get_queryset())
            return self.get_paginated_response(page)

    settings.REST_FRAMEWORK = HOSTILE_HOST_DEFAULTS
    response = Numbers.as_view()(APIRequestFactory().get("/", {"offset": 145}))
    # Anonymous callers are let in and lists are paginated, 20 by default, 100 at most.
    assert response.status_code == 200
    assert (response.data["count"], response.data["results"]) == (150, [145, 146, 147, 148, 149])
    limited = Numbers.as_view()(APIRequestFactory().get("/", {"limit": 1000}))
    assert len(limited.data["results"]) == 100
    assert len(Numbers.as_view()(APIRequestFactory().get("/")).data["results"]) == 20
    assert [type(a).__name__ for a in Numbers().get_authenticators()] == [
        "SessionAuthentication",
        "TokenAuthentication",
    ]
    assert isinstance(Numbers().schema, AutoSchema)


def test_a_view_keeps_the_permission_it_declares(settings):
    from rest_framework.permissions import IsAdminUser

    class Staff(CivicAPIMixin, APIView):
        permission_classes = [IsAdminUser]

        def get(self, request):
            return Response({})

    settings.REST_FRAMEWORK = HOSTILE_HOST_DEFAULTS
    response = Staff.as_view()(APIRequestFactory().get("/"))
    assert response.status_code == 403
    assert response.data["error"]["code"] == "not_authenticated"
