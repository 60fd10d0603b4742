"""Serializers of the consultation API: input validation and output shapes only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic_consultation import scoring
from civic_consultation.adapter import get_adapter
from civic_consultation.models import (
    Card,
    Consultation,
    Participant,
    Phase,
    Proposal,
    Theme,
)


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "slug"]


class PhaseSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Phase
        fields = ["name", "description", "starts_on", "ends_on", "is_current"]


class CountersSerializer(serializers.Serializer):
    participants = serializers.IntegerField()
    proposals = serializers.IntegerField()
    votes = serializers.IntegerField()
    vote_target = serializers.IntegerField()


class ConsultationSerializer(serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    is_open = serializers.SerializerMethodField()
    counters = serializers.SerializerMethodField()
    proposal_prefix = serializers.CharField(
        source="prefix",
        read_only=True,
        help_text="The words every proposal starts with (the consultation's, else its language's).",
    )
    language = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "slug",
            "title",
            "question",
            "description",
            "status",
            "is_open",
            "opens_at",
            "closes_at",
            "language",
            "proposal_prefix",
            "proposal_min_length",
            "proposal_max_length",
            "vote_target",
            "counters",
            "themes",
            "phases",
        ]

    def get_language(self, consultation) -> str:
        """Language code of the proposals."""
        return get_adapter().language(consultation)

    def get_is_open(self, consultation) -> bool:
        return consultation.is_open()

    @extend_schema_field(CountersSerializer)
    def get_counters(self, consultation):
        return {
            "participants": consultation.total_participants or 0,
            "proposals": consultation.total_proposals or 0,
            "votes": consultation.total_votes or 0,
            "vote_target": consultation.vote_target,
        }


class ParticipantSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    token = serializers.SerializerMethodField(
        help_text=_("Send it back in the X-Participant-Token header (or keep the cookie).")
    )

    class Meta:
        model = Participant
        fields = ["id", "identity_level", "profile_state", "age_range", "district", "token"]
        read_only_fields = fields

    def get_token(self, participant) -> str:
        return self.context.get("token", "")


class ProfileSerializer(serializers.Serializer):
    age_range = serializers.ChoiceField(
        choices=Participant.AgeRange.choices, required=False, allow_blank=True
    )
    district = serializers.CharField(max_length=60, required=False, allow_blank=True)
    skip = serializers.BooleanField(
        default=False, help_text=_("Decline the profile question for good.")
    )


class ProposalSerializer(serializers.ModelSerializer):
    trusted_votes = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "consultation",
            "text",
            "theme",
            "status",
            "zone",
            "trusted_votes",
            "created_at",
        ]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=Consultation.objects.exclude(status=Consultation.Status.DRAFT)
    )
    text = serializers.CharField(max_length=2000, trim_whitespace=True)
    theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )


class SimilarItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField(help_text=_("Similarity from 0 to 100."))


class SimilarSerializer(serializers.Serializer):
    results = SimilarItemSerializer(many=True)


class CardProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "text", "theme"]


class CardSerializer(serializers.ModelSerializer):
    proposal = CardProposalSerializer(read_only=True)
    voted = serializers.SerializerMethodField()

    class Meta:
        model = Card
        fields = ["key", "sequence", "position", "probability", "reason", "proposal", "voted"]

    def get_voted(self, card) -> bool:
        return card.proposal_id in self.context.get("voted", ())


class SequenceSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    cards = CardSerializer(many=True)


# The largest id a 64-bit primary key holds: larger numbers are refused before the database.
MAX_ID = 2**63 - 1


class SequenceInputSerializer(serializers.Serializer):
    shared = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=(
            "The proposal of a shared link the participant arrived by: it opens the sequence. "
            "Votes on it are counted apart and weigh at most a capped share of its ranking."
        ),
    )


QUALIFICATIONS_PER_VOTE = 3
CARD_KEY_LENGTH = 80


class VoteInputSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    value = serializers.ChoiceField(choices=scoring.VALUES)
    qualifications = serializers.ListField(
        child=serializers.ChoiceField(choices=scoring.ALL_QUALIFICATIONS),
        required=False,
        default=list,
        max_length=QUALIFICATIONS_PER_VOTE,
    )
    key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=CARD_KEY_LENGTH,
        help_text=_(
            "The key of the card served for this proposal; without it the vote is "
            "stored but not trusted."
        ),
    )


def read_vote_input(data):
    """What ``VoteInputSerializer`` validates ``data`` into, without building one for the
    common well-formed JSON body: the vote endpoint takes most of a consultation's requests,
    and a serializer's fields are deep-copied for each. Anything else (a form body, strings for
    numbers, spaces to trim, any error) goes through the serializer, which answers the errors."""
    if type(data) is dict and data.keys() <= {"proposal", "value", "qualifications", "key"}:
        proposal, value = data.get("proposal"), data.get("value")
        qualifications, key = data.get("qualifications", []), data.get("key", "")
        if (
            type(proposal) is int
            and 1 <= proposal <= MAX_ID
            and value in scoring.VALUES
            and type(qualifications) is list
            and len(qualifications) <= QUALIFICATIONS_PER_VOTE
            and all(code in scoring.ALL_QUALIFICATIONS for code in qualifications)
            and type(key) is str
            and len(key) <= CARD_KEY_LENGTH
            and key == key.strip()
        ):
            return {
                "proposal": proposal,
                "value": value,
                "qualifications": list(qualifications),
                "key": key,
            }
    serializer = VoteInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class VoteSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal_id")
    value = serializers.CharField()
    qualifications = serializers.ListField(child=serializers.CharField())
    trusted = serializers.BooleanField()


def vote_representation(vote):
    """``VoteSerializer(vote).data`` without building a serializer (see ``read_vote_input``)."""
    return {
        "proposal": vote.proposal_id,
        "value": vote.value,
        "qualifications": list(vote.qualifications),
        "trusted": vote.trusted,
    }


class ResultRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    theme = serializers.IntegerField(allow_null=True)
    idea = serializers.IntegerField(allow_null=True)
    votes = serializers.IntegerField(help_text=_("Trusted votes."))
    untrusted_votes = serializers.IntegerField()
    rates = serializers.DictField(child=serializers.FloatField())
    shares = serializers.DictField(child=serializers.FloatField())
    qualifications = serializers.DictField(child=serializers.IntegerField())
    agree_interval = serializers.ListField(child=serializers.FloatField())
    top_score = serializers.FloatField()
    top_score_interval = serializers.ListField(child=serializers.FloatField())
    controversy = serializers.FloatField()
    zone = serializers.ChoiceField(choices=scoring.ZONES)
    zone_label = serializers.CharField()
    enough_votes = serializers.BooleanField()


class ThemeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    top = ResultRowSerializer(many=True)


class SegmentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    agree_low = serializers.FloatField()
    votes = serializers.IntegerField()
    shares = serializers.DictField(child=serializers.FloatField())
    zone = serializers.CharField()


class SegmentSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    votes = serializers.IntegerField()
    top = SegmentRowSerializer(many=True)


class SegmentsSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    segments = SegmentSerializer(many=True)


class ExportRowSerializer(serializers.Serializer):
    participant = serializers.CharField(help_text=_("A pseudonym, stable within the export."))
    proposal = serializers.IntegerField()
    value = serializers.CharField()
    qualifications = serializers.ListField(child=serializers.CharField())
    trusted = serializers.BooleanField()
    date = serializers.DateField()


class RepresentativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    direction = serializers.ChoiceField(choices=["agree", "disagree"])
    direction_label = serializers.CharField()
    rate = serializers.FloatField(
        help_text=_("Smoothed share of the group voting in this direction.")
    )
    ratio = serializers.FloatField(
        help_text=_("That share divided by the same share among the other participants.")
    )


class OpinionGroupSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("Kept from one computation to the next."))
    letter = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Participants in the group."))
    share = serializers.FloatField()
    centroid = serializers.ListField(
        child=serializers.FloatField(),
        help_text=_("Position on the map of opinions (first two principal components)."),
    )
    representative = RepresentativeSerializer(many=True)


class GroupShareSerializer(serializers.Serializer):
    group = serializers.CharField()
    agree_share = serializers.FloatField(allow_null=True)


class BridgingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField(
        help_text=_("Smoothed agree rate of the least convinced group (0 to 1).")
    )
    agree_share_by_group = GroupShareSerializer(many=True)


class OpinionGroupsSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Empty until the background task has run once.")
    )
    participants = serializers.IntegerField(help_text=_("Participants placed in the groups."))
    votes = serializers.IntegerField()
    silhouette = serializers.FloatField(
        allow_null=True, help_text=_("Quality of the grouping, from -1 to 1.")
    )
    algorithm_version = serializers.CharField()
    groups = OpinionGroupSerializer(many=True)
    bridging = BridgingRowSerializer(many=True)
    identity_levels = SegmentSerializer(
        many=True, help_text=_("Results among the voters of each identity level.")
    )


# The majority results carry the latest opinion groups beside them.
class ResultsSerializer(serializers.Serializer):
    counters = CountersSerializer()
    min_exposure = serializers.IntegerField()
    top = ResultRowSerializer(many=True)
    controversial = ResultRowSerializer(many=True)
    rejected = ResultRowSerializer(many=True)
    themes = ThemeResultSerializer(many=True)
    opinion = OpinionGroupsSerializer(
        help_text=_("Opinion groups, bridging ranking and identity levels of the latest run.")
    )
