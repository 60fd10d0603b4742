"""Serializers of the budget API: reading models, and validating the input of services."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic_budget import workflow
from civic_budget.adapter import Declaration, birth_date_problem
from civic_budget.models import (
    Ballot,
    Milestone,
    PaperBallotEntry,
    PollingPlace,
    Process,
    Project,
    ProjectEvent,
    Zone,
    ZoneResult,
)


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = [
            "id",
            "name",
            "kind",
            "budget_cents",
            "population",
            "ballot_rule",
            "min_choices",
            "max_choices",
            "points_total",
            "max_points_per_project",
        ]


class ProcessSerializer(serializers.ModelSerializer):
    zones = ZoneSerializer(many=True, read_only=True)
    phase = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "total_budget_cents",
            "ideas_open",
            "review_open",
            "vote_open",
            "vote_close",
            "results_published",
            "implementation_start",
            "minimum_age",
            "age_reference_date",
            "phase",
            "frozen_ballots_hash",
            "zones",
        ]

    @extend_schema_field(serializers.CharField())
    def get_phase(self, process):
        return process.phase()


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_on"]


class ProjectSerializer(serializers.ModelSerializer):
    zone_name = serializers.CharField(source="zone.name", read_only=True)
    cost_cents = serializers.IntegerField(read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="What the caller may do to the project now (workflow.ACTIONS); null in lists."
    )
    status = serializers.SerializerMethodField(
        help_text="While the votes are counted, an outcome reads as on_ballot for residents."
    )
    public_reason = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    progress_percent = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "process",
            "zone",
            "zone_name",
            "title",
            "description",
            "location",
            "estimated_cost_cents",
            "reviewed_cost_cents",
            "cost_cents",
            "status",
            "public_reason",
            "merged_into",
            "progress_percent",
            "created_at",
            "milestones",
            "actions",
        ]
        read_only_fields = [
            "reviewed_cost_cents",
            "status",
            "public_reason",
            "merged_into",
            "progress_percent",
            "created_at",
        ]

    # Projects come from permissions.projects_for, annotated with what the caller may know of
    # the vote's outcome; a project read otherwise shows everything (staff paths).

    @extend_schema_field(serializers.ChoiceField(choices=Project.STATUS_CHOICES))
    def get_status(self, project):
        return getattr(project, "shown_status", project.status)

    @extend_schema_field(serializers.CharField())
    def get_public_reason(self, project):
        return "" if getattr(project, "outcome_hidden", False) else project.public_reason

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, project):
        if getattr(project, "outcome_hidden", False):
            return []
        return MilestoneSerializer(project.milestones.all(), many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_progress_percent(self, project):
        return 0 if getattr(project, "outcome_hidden", False) else project.progress_percent

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_actions(self, project):
        if not self.context.get("with_actions"):
            return None
        request = self.context.get("request")
        user = request.user if request is not None else None
        return [declared.name for declared in workflow.available_actions(project, user)]


class IdeaSerializer(serializers.Serializer):
    process = serializers.PrimaryKeyRelatedField(queryset=Process.objects.all())
    zone = serializers.PrimaryKeyRelatedField(queryset=Zone.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    location = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    estimated_cost_cents = serializers.IntegerField(min_value=1, max_value=10**13)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectEvent
        fields = ["id", "kind", "from_status", "to_status", "message", "visibility", "created_at"]


class ModerationSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReviewSerializer(serializers.Serializer):
    feasible = serializers.BooleanField()
    reviewed_cost_cents = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=10**13
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MessageSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class OutcomeSerializer(serializers.Serializer):
    selected = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField(required=False, allow_null=True)


class CompleteMilestoneSerializer(serializers.Serializer):
    done_on = serializers.DateField()


class ProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ChoiceSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    points = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class BallotInputSerializer(serializers.Serializer):
    """A voter's declaration and choices; the declaration is never stored with the ballot."""

    zone = serializers.IntegerField(help_text="The zone (district) where the voter lives.")
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    birth_date = serializers.DateField()
    resides_in_city = serializers.BooleanField()
    choices = ChoiceSerializer(many=True, max_length=500)

    def validate_birth_date(self, birth_date):
        problem = birth_date_problem(birth_date, timezone.localdate())
        if problem:
            raise serializers.ValidationError(str(problem))
        return birth_date

    def validate_choices(self, choices):
        projects = [choice["project"] for choice in choices]
        if len(projects) != len(set(projects)):
            raise serializers.ValidationError("Each project may appear only once.")
        return choices

    def declaration(self):
        data = self.validated_data
        return Declaration(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            zone_id=data["zone"],
            resides_in_city=data["resides_in_city"],
        )

    def chosen(self):
        return {choice["project"]: choice["points"] for choice in self.validated_data["choices"]}


class BallotChoiceOutSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project_id")
    title = serializers.CharField(source="project.title")
    zone = serializers.IntegerField(source="project.zone_id")
    cost_cents = serializers.IntegerField(source="project.cost_cents")
    points = serializers.IntegerField()


class BallotSerializer(serializers.ModelSerializer):
    choices = BallotChoiceOutSerializer(many=True, read_only=True, source="counted_choices")

    class Meta:
        model = Ballot
        fields = ["zone", "age_bucket", "method", "version", "choices"]


class PollingPlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PollingPlace
        fields = ["id", "process", "name", "address"]


class PaperEntryInputSerializer(BallotInputSerializer):
    polling_place = serializers.PrimaryKeyRelatedField(queryset=PollingPlace.objects.all())


class PaperEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PaperBallotEntry
        fields = [
            "id",
            "process",
            "polling_place",
            "entered_by",
            "confirmed_by",
            "status",
            "mismatches",
            "entered_at",
            "confirmed_at",
        ]


class CountsField(serializers.DictField):
    child = serializers.IntegerField()


class ZoneTurnoutSerializer(serializers.Serializer):
    zone_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField()
    voters = serializers.IntegerField()
    rate_percent = serializers.FloatField()
    by_age = CountsField()
    by_method = CountsField()


class TurnoutSerializer(serializers.Serializer):
    phase = serializers.CharField()
    live = serializers.BooleanField()
    zones = ZoneTurnoutSerializer(many=True)


class ZoneResultSerializer(serializers.ModelSerializer):
    """A zone's counted outcome with what is needed to recompute it."""

    zone_name = serializers.CharField(source="zone.name", read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = ZoneResult
        fields = [
            "zone",
            "zone_name",
            "rule",
            "parameters",
            "status",
            "winners",
            "spent_cents",
            "leftover_cents",
            "final_endowment",
            "tie_order",
            "input_hash",
            "ballots_hash",
            "algorithm_version",
            "voter_count",
            "greedy_winners",
            "reasons",
            "counted_at",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_reasons(self, result):
        return result.detail.get("reasons", {})
