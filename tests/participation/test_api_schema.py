"""The OpenAPI schema of the member transitions: each generated endpoint documents itself, and
every member-space endpoint sits under one tag apart from the public ones."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from civic_participation.models import Invitation, Offer, Request
from civic_participation.workflow import TRANSITIONS
from tests.participation.factories import acknowledged_request

COLLECTIONS = {Request: "requests", Offer: "offers", Invitation: "invitations"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def transition_operation(schema, model, name):
    path = f"/api/participation/{COLLECTIONS[model]}/{{id}}/transitions/{name.replace('_', '-')}/"
    return schema["paths"][path]["post"]


def request_body_reference(operation):
    return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]


@pytest.mark.parametrize(
    ("model", "name", "input_component", "detail_component", "description"),
    [
        (
            Request,
            "acknowledge",
            "RequestAcknowledgeInputRequest",
            "ParticipationMemberRequestDetail",
            "Transition `acknowledge`: from submitted.",
        ),
        (
            Request,
            "answer",
            "RequestAnswerInputRequest",
            "ParticipationMemberRequestDetail",
            "Transition `answer`: from in_review.",
        ),
        (
            Offer,
            "publish_feedback",
            "OfferPublishFeedbackInputRequest",
            "ParticipationMemberOfferDetail",
            "Transition `publish_feedback`: from responses_closed.",
        ),
    ],
)
def test_a_transition_documents_its_own_input_tag_and_description(
    schema, model, name, input_component, detail_component, description
):
    operation = transition_operation(schema, model, name)
    assert operation["tags"] == ["participation: members"]
    assert operation["summary"] == str(TRANSITIONS[model][name].label)
    assert operation["description"] == description
    assert request_body_reference(operation) == f"#/components/schemas/{input_component}"
    success = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert success["$ref"] == f"#/components/schemas/{detail_component}"
    assert {"400", "403", "404", "409"} <= operation["responses"].keys()


def test_every_person_run_transition_has_a_distinct_documented_operation(schema):
    person_run = [
        transition_
        for transitions in TRANSITIONS.values()
        for transition_ in transitions.values()
        if not transition_.by_system
    ]
    operation_ids = set()
    for transition_ in person_run:
        operation = transition_operation(schema, transition_.model, transition_.name)
        assert operation["tags"] == ["participation: members"], transition_.name
        assert f"`{transition_.name}`" in operation["description"]
        assert request_body_reference(operation).endswith("InputRequest"), transition_.name
        operation_ids.add(operation["operationId"])
    assert len(operation_ids) == len(person_run)


def test_member_endpoints_share_the_members_tag_and_public_ones_keep_theirs(schema):
    tags = {
        (method, path): operation["tags"]
        for path, operations in schema["paths"].items()
        if path.startswith("/api/participation/")
        for method, operation in operations.items()
    }
    for (method, path), operation_tags in tags.items():
        public = path.startswith("/api/participation/public/")
        expected = "participation: public" if public else "participation: members"
        assert operation_tags == [expected], (method, path)
    assert {
        ("get", "/api/participation/requests/"),
        ("get", "/api/participation/invitations/"),
        ("post", "/api/participation/offers/"),
        ("get", "/api/participation/requests/{id}/messages/"),
        ("post", "/api/participation/invitations/{id}/attachments/"),
        ("get", "/api/participation/offers/{id}/notes/"),
        ("get", "/api/participation/public/requests/"),
    } <= tags.keys()


def test_the_browsable_api_offers_a_transition_its_own_input_form(city, client):
    item = acknowledged_request(city)
    client.force_login(city.agent)
    response = client.options(f"/api/participation/requests/{item.pk}/transitions/answer/")
    assert response.status_code == 200
    form_fields = response.json()["actions"]["POST"].keys()
    assert form_fields == {spec.name for spec in TRANSITIONS[Request]["answer"].fields}
