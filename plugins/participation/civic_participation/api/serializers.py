"""Serializers of the participation API: the public view, the member view and transition input.

Public serializers read only public data (services, never agents; public events only); member
serializers add what the reader's permissions open, given by the view in the context.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic_participation import services
from civic_participation.models import (
    DESCRIPTION_MAX_LENGTH,
    Attachment,
    CityService,
    Council,
    Counting,
    Deadline,
    DeadlineKind,
    DiscussionMessage,
    InternalNote,
    Invitation,
    Offer,
    Request,
    Theme,
    TimelineEvent,
    Visibility,
)
from civic_participation.workflow import available_transitions


def choice_text(choices):
    """A read-only choice as documented text: enum components would collide across models."""
    values = ", ".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}.")


class ParticipationCouncilRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = ["id", "name", "slug"]


class ParticipationServiceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityService
        fields = ["id", "name", "slug"]


class ParticipationThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "slug"]


class ParticipationPublicMemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    role = serializers.CharField()


class ParticipationCouncilSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField()
    public_members = ParticipationPublicMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "slug", "kind", "kind_label", "territory", "description"]
        fields += ["public_members"]


class ParticipationServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityService
        fields = ["id", "name", "slug", "description", "contact_email", "contact_channel"]


class ParticipationEventSerializer(serializers.ModelSerializer):
    visibility = choice_text(Visibility.choices)
    label = serializers.CharField(source="get_kind_label")

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "kind",
            "label",
            "from_state",
            "to_state",
            "actor_label",
            "message",
            "visibility",
            "created_at",
        ]


class DueMixin(serializers.Serializer):
    current_due = serializers.DateField(read_only=True, allow_null=True)
    days_overdue = serializers.SerializerMethodField()

    def get_days_overdue(self, item) -> int:
        return item.days_overdue()


class ParticipationPublicRequestSerializer(DueMixin, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    council = ParticipationCouncilRefSerializer(read_only=True)
    service = ParticipationServiceRefSerializer(read_only=True, allow_null=True)
    theme = ParticipationThemeSerializer(read_only=True, allow_null=True)
    state = choice_text(Request.State.choices)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    outcome = choice_text(Request.Outcome.choices)

    class Meta:
        model = Request
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "council",
            "service",
            "theme",
            "location",
            "state",
            "state_label",
            "outcome",
            "answer",
            "competent_body",
            "merged_into",
            "contact_channel",
            "received_on",
            "acknowledge_due",
            "answer_due",
            "current_due",
            "days_overdue",
            "created_at",
            "updated_at",
        ]


class ParticipationPublicRequestDetailSerializer(ParticipationPublicRequestSerializer):
    timeline = ParticipationEventSerializer(source="public_events", many=True, read_only=True)

    class Meta(ParticipationPublicRequestSerializer.Meta):
        fields = [*ParticipationPublicRequestSerializer.Meta.fields, "timeline"]


class ParticipationInvitationOutcomeSerializer(serializers.ModelSerializer):
    council = ParticipationCouncilRefSerializer(read_only=True)
    state = choice_text(Invitation.State.choices)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "council", "state", "state_label", "response", "responded_at"]


class ParticipationPublicOfferSerializer(DueMixin, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    service = ParticipationServiceRefSerializer(read_only=True)
    theme = ParticipationThemeSerializer(read_only=True, allow_null=True)
    state = choice_text(Offer.State.choices)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    invitations = ParticipationInvitationOutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "service",
            "theme",
            "state",
            "state_label",
            "published_on",
            "respond_by",
            "feedback_due",
            "feedback",
            "current_due",
            "days_overdue",
            "invitations",
            "created_at",
            "updated_at",
        ]


class ParticipationPublicOfferDetailSerializer(ParticipationPublicOfferSerializer):
    timeline = ParticipationEventSerializer(source="public_events", many=True, read_only=True)

    class Meta(ParticipationPublicOfferSerializer.Meta):
        fields = [*ParticipationPublicOfferSerializer.Meta.fields, "timeline"]


# Member view ------------------------------------------------------------------------------------


class ParticipationPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class ParticipationMessageSerializer(serializers.ModelSerializer):
    author = ParticipationPersonSerializer(
        read_only=True, allow_null=True, help_text="null: a former member (account erased)."
    )

    class Meta:
        model = DiscussionMessage
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ParticipationNoteSerializer(serializers.ModelSerializer):
    author = ParticipationPersonSerializer(
        read_only=True, allow_null=True, help_text="null: a former member (account erased)."
    )

    class Meta:
        model = InternalNote
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ParticipationAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = ParticipationPersonSerializer(
        read_only=True, allow_null=True, help_text="null: a former member (account erased)."
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "title",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
        ]


class ParticipationAttachmentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    file = serializers.FileField()


class ParticipationActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class ParticipationDeadlineSerializer(serializers.ModelSerializer):
    kind = choice_text(DeadlineKind.choices)
    side = choice_text(Deadline.Side.choices)
    counting = choice_text(Counting.choices)
    status = choice_text(Deadline.Status.choices)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "side",
            "counting",
            "days",
            "started_on",
            "original_due_on",
            "due_on",
            "paused_on",
            "status",
            "met_on",
            "met_late",
        ]


class MemberDetailMixin(serializers.Serializer):
    """Timeline at the reader's levels, deadlines, and the actions open to the reader."""

    timeline = serializers.SerializerMethodField()
    deadlines = ParticipationDeadlineSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    @extend_schema_field(ParticipationEventSerializer(many=True))
    def get_timeline(self, item):
        user = self.context["request"].user
        return ParticipationEventSerializer(services.events_for(user, item), many=True).data

    @extend_schema_field(ParticipationActionSerializer(many=True))
    def get_actions(self, item):
        user = self.context["request"].user
        return [
            {"name": transition_.name, "label": str(transition_.label)}
            for transition_ in available_transitions(item, user)
        ]


class ParticipationMemberRequestSerializer(ParticipationPublicRequestSerializer):
    # Annotated by the member queryset from the open answer deadline (with_answer_paused_on).
    answer_paused_on = serializers.DateField(
        read_only=True, allow_null=True, label=capfirst(_("answer clock paused on"))
    )

    class Meta(ParticipationPublicRequestSerializer.Meta):
        fields = [*ParticipationPublicRequestSerializer.Meta.fields, "answer_paused_on"]


class ParticipationMemberRequestDetailSerializer(
    MemberDetailMixin, ParticipationMemberRequestSerializer
):
    class Meta(ParticipationMemberRequestSerializer.Meta):
        fields = [
            *ParticipationMemberRequestSerializer.Meta.fields,
            "timeline",
            "deadlines",
            "actions",
        ]


class ParticipationRequestDraftSerializer(serializers.Serializer):
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=CityService.objects.all(), required=False, allow_null=True
    )
    location = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ParticipationMemberOfferSerializer(ParticipationPublicOfferSerializer):
    pass


class ParticipationMemberOfferDetailSerializer(
    MemberDetailMixin, ParticipationMemberOfferSerializer
):
    class Meta(ParticipationMemberOfferSerializer.Meta):
        fields = [
            *ParticipationMemberOfferSerializer.Meta.fields,
            "timeline",
            "deadlines",
            "actions",
        ]


class ParticipationOfferDraftSerializer(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=CityService.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )


class ParticipationOfferRefSerializer(serializers.ModelSerializer):
    state = choice_text(Offer.State.choices)
    service = ParticipationServiceRefSerializer(read_only=True)

    class Meta:
        model = Offer
        fields = ["id", "title", "service", "state", "respond_by"]


class ParticipationMemberInvitationSerializer(ParticipationInvitationOutcomeSerializer):
    offer = ParticipationOfferRefSerializer(read_only=True)

    class Meta(ParticipationInvitationOutcomeSerializer.Meta):
        fields = [*ParticipationInvitationOutcomeSerializer.Meta.fields, "offer", "acknowledge_due"]


class ParticipationMemberInvitationDetailSerializer(
    MemberDetailMixin, ParticipationMemberInvitationSerializer
):
    class Meta(ParticipationMemberInvitationSerializer.Meta):
        fields = [
            *ParticipationMemberInvitationSerializer.Meta.fields,
            "timeline",
            "deadlines",
            "actions",
        ]


FIELD_KINDS = {
    "text": lambda spec: serializers.CharField(
        required=spec.required, allow_blank=not spec.required, help_text=spec.help_text
    ),
    "line": lambda spec: serializers.CharField(
        required=spec.required,
        allow_blank=not spec.required,
        max_length=255,
        help_text=spec.help_text,
    ),
    "choice": lambda spec: serializers.ChoiceField(
        choices=spec.choices, required=spec.required, help_text=spec.help_text
    ),
    "date": lambda spec: serializers.DateField(required=spec.required, help_text=spec.help_text),
    "boolean": lambda spec: serializers.BooleanField(required=False, help_text=spec.help_text),
    "service": lambda spec: serializers.IntegerField(
        required=spec.required, allow_null=True, help_text=spec.help_text or "Service id"
    ),
    "request": lambda spec: serializers.IntegerField(
        required=spec.required, allow_null=True, help_text=spec.help_text or "Request id"
    ),
    "councils": lambda spec: serializers.ListField(
        child=serializers.IntegerField(), required=spec.required, help_text="Council ids"
    ),
}


def transition_serializer(transition_):
    """The documented input of one transition, from its declared fields.

    It describes the body for the API schema; the body itself is cleaned by ``workflow.perform``
    (``workflow.inputs``), so no coercion is written here.
    """
    attrs = {spec.name: FIELD_KINDS[spec.kind](spec) for spec in transition_.fields}
    model_name = transition_.model.__name__
    name = "".join(part.title() for part in transition_.name.split("_"))
    return type(f"{model_name}{name}Input", (serializers.Serializer,), attrs)


class ParticipationErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)


class ParticipationErrorSerializer(serializers.Serializer):
    error = ParticipationErrorBodySerializer()


class ParticipationServiceFiguresSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    acknowledged = serializers.IntegerField(help_text="Requests acknowledged in the period.")
    median_days_to_acknowledge = serializers.FloatField(
        allow_null=True, help_text="Median calendar days from reception to acknowledgement."
    )
    answered = serializers.IntegerField(help_text="Answers and offer feedback given in the period.")
    answered_on_time = serializers.IntegerField()
    on_time_percent = serializers.IntegerField(allow_null=True)
    overdue_now = serializers.IntegerField(help_text="City-side deadlines overdue today.")


class ParticipationCouncilFiguresSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    requests_submitted = serializers.IntegerField()
    invitations_received = serializers.IntegerField()
    invitations_answered = serializers.IntegerField()


class ParticipationTransparencySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    today = serializers.DateField(help_text="The day overdue counts are computed for.")
    services = ParticipationServiceFiguresSerializer(many=True)
    councils = ParticipationCouncilFiguresSerializer(many=True)
