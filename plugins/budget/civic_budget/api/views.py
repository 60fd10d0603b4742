"""Viewsets of the budget API. They validate input and call the services; they never change
state themselves.

Every viewset mixes in ``CivicAPIMixin`` first: a :class:`~civic_budget.errors.BudgetError`
raised by a service is answered with its status and the shared error body, so no view catches
it. Actions on a project go through ``workflow.perform`` (the table of ``workflow.ACTIONS``).
"""

import django_filters
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from civic_budget import pabulib_export, permissions, phases, turnout, voting, workflow
from civic_budget.api import serializers as s
from civic_budget.models import Milestone, PaperBallotEntry, Process, Project, ProjectEvent
from civic_core.api import CivicAPIMixin
from civic_core.identity import verified_identity


def valid(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


class ProcessViewSet(CivicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Editions of the participatory budget, their zones and phases."""

    serializer_class = s.ProcessSerializer
    queryset = Process.objects.prefetch_related("zones").order_by("-vote_open", "pk")

    @extend_schema(
        methods=["GET"],
        responses={200: s.BallotSerializer, 404: OpenApiResponse(description="No ballot yet.")},
        description="The signed-in voter's ballot that counts.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.BallotInputSerializer,
        responses={
            201: s.BallotSerializer,
            200: s.BallotSerializer,
            400: OpenApiResponse(description="Refused: every reason is given."),
            403: OpenApiResponse(description="Not signed in or not eligible."),
            409: OpenApiResponse(description="Vote not open or already voted otherwise."),
        },
        description="Cast or replace the signed-in voter's ballot (the last one counts).",
    )
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(description="One .pb file per zone."),
            403: OpenApiResponse(description="Not a member of the budget team."),
            409: OpenApiResponse(description="Not counted yet."),
        },
        description="Staff: the counted process as pabulib files (anonymised ballots).",
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
    def pabulib(self, request, pk=None):
        name, data = pabulib_export.export_for(request.user, self.get_object())
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @action(detail=True, methods=["get", "post"], permission_classes=[IsAuthenticated])
    def ballot(self, request, pk=None):
        process = self.get_object()
        if request.method == "GET":
            ballot = voting.current_ballot(request.user, process)
            if ballot is None:
                raise exceptions.NotFound("You have not voted in this process.")
            return Response(s.BallotSerializer(ballot).data)
        data = valid(s.BallotInputSerializer, request)
        outcome = voting.submit_online_ballot(
            request.user,
            process,
            data.declaration(),
            data.chosen(),
            verified=verified_identity(request),
        )
        code = status.HTTP_200_OK if outcome.changed else status.HTTP_201_CREATED
        return Response(s.BallotSerializer(outcome.ballot).data, status=code)

    @extend_schema(responses={200: s.ZoneResultSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The counted results per zone (rule, winners, spent, tie order, hashes).

        Empty until the phase lets residents see the results (not while the votes are counted).
        """
        process = self.get_object()
        results = process.results.select_related("zone").order_by("zone__kind", "zone__name")
        if not process.resident_may(phases.SEE_RESULTS):
            results = results.none()
        page = self.paginate_queryset(results)
        return self.get_paginated_response(s.ZoneResultSerializer(page, many=True).data)

    @extend_schema(responses={200: s.TurnoutSerializer})
    @action(detail=True, methods=["get"])
    def turnout(self, request, pk=None):
        """Voters per zone, by age bucket and voting method: live for staff, then public."""
        process = self.get_object()
        if not turnout.may_see_turnout(request.user, process):
            raise exceptions.PermissionDenied("The turnout is published when the vote closes.")
        data = {
            "phase": process.phase(),
            "live": not process.resident_may(phases.SEE_TURNOUT),
            "zones": turnout.compute_turnout(process),
        }
        return Response(s.TurnoutSerializer(data).data)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text in title, description or location")
    # The status the caller may know (a hidden outcome reads as on the ballot).
    status = django_filters.ChoiceFilter(field_name="shown_status", choices=Project.STATUS_CHOICES)

    class Meta:
        model = Project
        fields = ["process", "zone", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(location__icontains=value)
        )


class ProjectViewSet(CivicAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Projects: ideas, their review, the ballot, the results and their implementation."""

    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return (
            permissions.projects_for(self.request.user)
            .select_related("zone")
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("pk")))
            .order_by("pk")
        )

    def get_permissions(self):
        if self.action in ("list", "retrieve", "timeline"):
            return []
        return [IsAuthenticated()]

    @extend_schema(request=s.IdeaSerializer, responses={201: s.ProjectSerializer})
    def create(self, request, *args, **kwargs):
        """Submit an idea during the idea phase; it waits for moderation."""
        data = valid(s.IdeaSerializer, request).validated_data
        project = workflow.submit_idea(
            request.user,
            data["process"],
            data["zone"],
            data["title"],
            data["description"],
            data["estimated_cost_cents"],
            data["location"],
        )
        return Response(self._render(project), status=status.HTTP_201_CREATED)

    def get_serializer_context(self):
        # A project's actions are checked one project at a time: not in lists.
        return {**super().get_serializer_context(), "with_actions": self.action != "list"}

    def _render(self, project):
        found = self.get_queryset().get(pk=project.pk)
        return s.ProjectSerializer(found, context=self.get_serializer_context()).data

    def _perform(self, name, input_serializer=None):
        """Run the action ``name`` of the table with the validated body.

        Returns the project and what the service returned (an event, a milestone...).
        """
        data = valid(input_serializer, self.request).validated_data if input_serializer else {}
        project = self.get_object()
        return project, workflow.perform(name, self.request.user, project, data)

    def _act(self, name, input_serializer=None):
        """Run the action ``name``; the answer is the project as it is now."""
        project, _result = self._perform(name, input_serializer)
        return Response(self._render(project))

    @extend_schema(request=s.ModerationSerializer, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        return self._act("moderate", s.ModerationSerializer)

    @extend_schema(request=s.ReviewSerializer, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._act("review", s.ReviewSerializer)

    @extend_schema(request=s.MergeSerializer, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self._act("merge", s.MergeSerializer)

    @extend_schema(request=None, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"], url_path="put-on-ballot")
    def put_on_ballot(self, request, pk=None):
        return self._act("ballot")

    @extend_schema(request=s.OutcomeSerializer, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._act("outcome", s.OutcomeSerializer)

    @extend_schema(request=s.MessageSerializer, responses={201: s.EventSerializer})
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """Dialogue between the proposer and the reviewers (visible to them only)."""
        _project, event = self._perform("message", s.MessageSerializer)
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MessageSerializer, responses={201: s.EventSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """Internal note of the reviewers."""
        _project, event = self._perform("note", s.MessageSerializer)
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MilestoneInputSerializer, responses={201: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        _project, milestone = self._perform("milestone", s.MilestoneInputSerializer)
        return Response(s.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProgressSerializer, responses={200: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._act("progress", s.ProgressSerializer)

    @extend_schema(responses={200: s.EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The project's timeline at the levels the caller may read."""
        project = self.get_object()
        events = ProjectEvent.objects.filter(
            Q(project=project) & permissions.event_levels_filter(request.user)
        ).order_by("created_at", "pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.EventSerializer(page, many=True).data)


class MilestoneViewSet(CivicAPIMixin, viewsets.GenericViewSet):
    serializer_class = s.MilestoneSerializer
    queryset = Milestone.objects.select_related("project")
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CompleteMilestoneSerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = valid(s.CompleteMilestoneSerializer, request).validated_data
        milestone = workflow.complete_milestone(request.user, self.get_object(), data["done_on"])
        return Response(s.MilestoneSerializer(milestone).data)


class PollingPlaceViewSet(CivicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The polling places where the signed-in agent enters paper ballots."""

    serializer_class = s.PollingPlaceSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return permissions.polling_places_for(self.request.user).order_by("pk")


class PaperEntryViewSet(CivicAPIMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Paper ballots typed twice by two agents of the same polling place."""

    serializer_class = s.PaperEntrySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        places = permissions.polling_places_for(self.request.user)
        return PaperBallotEntry.objects.filter(polling_place__in=places).order_by("-pk")

    @extend_schema(request=s.PaperEntryInputSerializer, responses={201: s.PaperEntrySerializer})
    def create(self, request, *args, **kwargs):
        data = valid(s.PaperEntryInputSerializer, request)
        entry = voting.enter_paper_ballot(
            request.user,
            data.validated_data["polling_place"],
            data.declaration(),
            data.chosen(),
        )
        return Response(s.PaperEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BallotInputSerializer, responses={200: s.PaperEntrySerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Second, blind entry: the ballot counts when it matches the first."""
        entry = self.get_object()
        data = valid(s.BallotInputSerializer, request)
        voting.confirm_paper_ballot(request.user, entry, data.declaration(), data.chosen())
        return Response(s.PaperEntrySerializer(PaperBallotEntry.objects.get(pk=entry.pk)).data)

    @extend_schema(request=None, responses={200: s.PaperEntrySerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        entry = voting.cancel_paper_entry(request.user, self.get_object())
        return Response(s.PaperEntrySerializer(entry).data)
