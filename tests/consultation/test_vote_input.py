"""The vote endpoint reads its input without building a serializer for well-formed JSON: it
must accept and refuse exactly what VoteInputSerializer does, with the same result."""

import pytest
from rest_framework.exceptions import ValidationError

from civic_consultation.api.serializers import (
    MAX_ID,
    VoteInputSerializer,
    VoteSerializer,
    read_vote_input,
    vote_representation,
)
from civic_consultation.models import Vote

BODIES = [
    {"proposal": 12, "value": "agree"},
    {"proposal": 12, "value": "agree", "qualifications": ["like_it", "doable"], "key": "3-abc"},
    {"proposal": 12, "value": "disagree", "qualifications": [], "key": ""},
    {"proposal": MAX_ID, "value": "neutral", "qualifications": ["do_not_care"]},
    {"proposal": "12", "value": "agree"},  # a number as a string: the serializer converts it
    {"proposal": 12, "value": "agree", "key": " 3-abc "},  # spaces the serializer trims
    {"proposal": 12, "value": "agree", "extra": 1},  # unknown keys are ignored
    {"proposal": 0, "value": "agree"},
    {"proposal": MAX_ID + 1, "value": "agree"},
    {"proposal": 12.5, "value": "agree"},
    {"proposal": True, "value": "agree"},
    {"proposal": None, "value": "agree"},
    {"value": "agree"},
    {"proposal": 12},
    {"proposal": 12, "value": "maybe"},
    {"proposal": 12, "value": ["agree"]},
    {"proposal": 12, "value": "agree", "qualifications": ["like_it"] * 4},
    {"proposal": 12, "value": "agree", "qualifications": ["unknown"]},
    {"proposal": 12, "value": "agree", "qualifications": "like_it"},
    {"proposal": 12, "value": "agree", "key": "x" * 81},
    {"proposal": 12, "value": "agree", "key": None},
    {"proposal": 12, "value": "agree", "key": 5},
    [],
    "proposal",
]


def through_serializer(body):
    serializer = VoteInputSerializer(data=body)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@pytest.mark.parametrize("body", BODIES)
def test_read_vote_input_matches_the_serializer(body):
    try:
        expected = through_serializer(body)
    except ValidationError as error:
        with pytest.raises(ValidationError) as raised:
            read_vote_input(body)
        assert raised.value.detail == error.detail
    else:
        read = dict(read_vote_input(body))
        assert {**{"key": ""}, **read} == {**{"key": ""}, **expected}


def test_the_vote_representation_matches_the_serializer():
    vote = Vote(proposal_id=7, value="agree", qualifications=["like_it"], trusted=True)
    assert vote_representation(vote) == VoteSerializer(vote).data
